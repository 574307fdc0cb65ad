package io.lrscope.cli;

import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lrscope watch}: follow recommendations as they change. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print recommendations as they change (Ctrl-C to stop).")
final class WatchCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--sweep", description = "only this sweep")
    String sweepId;

    @Option(names = "--json", description = "one JSON line per recommendation")
    boolean json;

    @Option(names = "--until-final", description = "exit after the sweep's final recommendation")
    boolean untilFinal;

    @Override
    public Integer call() {
        try (RecommendationReader reader = new RecommendationReader(kafka.bootstrap)) {
            while (!Thread.currentThread().isInterrupted()) {
                for (Recommendation r : reader.poll(Duration.ofMillis(500))) {
                    if (sweepId != null && !sweepId.equals(r.sweepId())) {
                        continue;
                    }
                    System.out.println(json ? EventJson.toJson(r) : line(r));
                    System.out.flush();
                    if (untilFinal && sweepId != null && r.isFinal()) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    static String line(Recommendation r) {
        String picks = r.pickLr() == null
                ? "no pick: " + r.reason()
                : String.format(Locale.ROOT, "pickLr=%.2e steepestLr=%.2e minLossLr=%.2e%s",
                        r.pickLr(), r.steepestLr(), r.minLossLr(),
                        r.inconclusive() ? " inconclusive" : "");
        return String.format(Locale.ROOT, "sweep=%s status=%s step=%d pointsUsed=%d %s%s",
                r.sweepId(), r.status(), r.lastStep(), r.pointsUsed(), picks,
                r.divergedAtStep() == null ? "" : " divergedAtStep=" + r.divergedAtStep());
    }
}
