package io.lrscope.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics lrscope uses, with the settings each needs. All are keyed by sweep id, so one
 * sweep's records stay in order on one partition.
 */
public final class Topics {

    /** SweepStarted, StepObserved, SweepEnded, and the confirm runs' ConfirmEvents. */
    public static final String SWEEP_EVENTS = "lrscope.sweep-events";

    /** StopSweep commands to agents. */
    public static final String CONTROL = "lrscope.control";

    /** The latest Recommendation per sweep; compacted. */
    public static final String RECOMMENDATIONS = "lrscope.recommendations";

    /** Records that failed to decode or validate, original bytes plus a reason header. */
    public static final String DEAD_LETTERS = "lrscope.dead-letters";

    /** Dead letters keep hostile records up to this size whole. */
    static final int DEAD_LETTER_MAX_BYTES = 8 * 1024 * 1024;

    private Topics() {}

    public static List<NewTopic> definitions(int partitions, short replicationFactor) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(SWEEP_EVENTS, partitions, replicationFactor));
        topics.add(new NewTopic(CONTROL, partitions, replicationFactor));
        topics.add(
                new NewTopic(RECOMMENDATIONS, partitions, replicationFactor)
                        .configs(Map.of("cleanup.policy", "compact")));
        topics.add(
                new NewTopic(DEAD_LETTERS, 1, replicationFactor)
                        .configs(Map.of("max.message.bytes",
                                Integer.toString(DEAD_LETTER_MAX_BYTES))));
        return topics;
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public static void ensure(Admin admin, int partitions, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing =
                    definitions(partitions, replicationFactor).stream()
                            .filter(t -> !existing.contains(t.name()))
                            .collect(Collectors.toList());
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics: " + e.getCause(), e.getCause());
        }
    }
}
