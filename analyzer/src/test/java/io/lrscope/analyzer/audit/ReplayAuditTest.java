package io.lrscope.analyzer.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.TestCurves;
import io.lrscope.analyzer.offline.OfflineAnalysis;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayAuditTest {

    private final ReplayAudit audit =
            new ReplayAudit(CurveSettings.defaults(), AdviceSettings.defaults());

    private static List<SweepEvent> events(String sweepId, int lastStep) {
        List<SweepEvent> events = new ArrayList<>();
        for (String line : TestCurves.text("u-shaped-clean.csv").lines().skip(1).toList()) {
            String[] c = line.split(",");
            long step = Long.parseLong(c[0]);
            if (step <= lastStep) {
                events.add(StepObserved.of(sweepId, 0, step, Double.parseDouble(c[1]),
                        Double.parseDouble(c[2]), 0L));
            }
        }
        events.add(SweepEnded.of(sweepId, 0, SweepEnded.Outcome.COMPLETED, null, lastStep, 0L));
        return events;
    }

    private static Recommendation published() throws Exception {
        Recommendation offline = new OfflineAnalysis(CurveSettings.defaults(),
                AdviceSettings.defaults()).analyze("s", TestCurves.reader("u-shaped-clean.csv"),
                null);
        // as the analyzer writes it: ended by the agent, not by the offline tool
        return withEndedBy(offline, "completed");
    }

    private static Recommendation withEndedBy(Recommendation r, String endedBy) {
        return new Recommendation(r.schemaVersion(), r.sweepId(), r.status(), r.verdict(),
                r.lastStep(), r.pointsSeen(), r.pointsUsed(), r.burnIn(), r.duplicates(),
                r.ranks(), r.minLoss(), r.minLossLr(), r.pickLr(), r.steepestLr(),
                r.divergedAtStep(), r.divergence(), r.inconclusive(), r.reason(), r.advice(),
                r.suggestedRange(), r.effectiveBatch(), r.config(), endedBy, r.scaled(),
                r.communityDefault(), r.torchtuneYaml(), r.params(), 123L);
    }

    @Test
    void identicalWhenTheEventsGiveThePublishedRecommendation() throws Exception {
        ReplayAudit.SweepDiff diff = audit.audit("s", events("s", 99), published());

        assertThat(diff.identical()).as("fields %s", diff.fields()).isTrue();
    }

    @Test
    void namesDifferingFieldsAndTheStepFromWhichTheyDiffer() throws Exception {
        // the published record was made from steps 0..99; the topic now holds only 0..80
        ReplayAudit.SweepDiff diff = audit.audit("s", events("s", 80), published());

        assertThat(diff.identical()).isFalse();
        assertThat(diff.fields()).contains("lastStep", "pointsSeen");
        assertThat(diff.replayed().lastStep()).isEqualTo(80);
    }

    @Test
    void aPublishedRecordThatStoppedEarlyDiffersFromTheNextStep() throws Exception {
        String first61Steps = TestCurves.text("u-shaped-clean.csv").lines().limit(62)
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        Recommendation stale = new OfflineAnalysis(CurveSettings.defaults(),
                AdviceSettings.defaults())
                .analyze("s", new java.io.StringReader(first61Steps), null);

        ReplayAudit.SweepDiff diff = audit.audit("s", events("s", 99), stale);

        assertThat(diff.fields()).contains("pickLr", "divergedAtStep", "lastStep");
        assertThat(diff.fromStep()).isEqualTo(61L);
    }

    @Test
    void unpublishedSweepIsReportedAsSuch() {
        ReplayAudit.SweepDiff diff = audit.audit("s", events("s", 99), null);

        assertThat(diff.identical()).isFalse();
        assertThat(diff.fields()).containsExactly("(not published)");
        assertThat(diff.replayed().pickLr()).isEqualTo(0.0002848035868435801);
    }
}
