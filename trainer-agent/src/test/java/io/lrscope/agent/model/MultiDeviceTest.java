package io.lrscope.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multi-device path, run with two replicas on the CPU (this machine has no GPU): the
 * replicas' gradients are summed, the first replica updates and the rest receive its weights,
 * so two devices of batch 16 must train exactly like one of batch 32.
 */
class MultiDeviceTest {

    @Test
    void twoReplicasOfBatch16TrainLikeOneDeviceOfBatch32() {
        TableTask digits = TrainingSession.digitsTask();
        try (TrainingSession one = TrainingSession.open(digits, "sgd", 0.9, 0,
                        BatchPlan.single(32, 1), 42, true, List.of(Device.cpu()));
                TrainingSession two = TrainingSession.open(digits, "sgd", 0.9, 0,
                        BatchPlan.single(16, 1), 42, true, List.of(Device.cpu(), Device.cpu()))) {
            assertThat(two.stepsPerEpoch()).isEqualTo(one.stepsPerEpoch());
            for (int step = 0; step < 8; step++) {
                double lr = 0.05 * (step + 1);
                assertThat(two.step(lr)).as("loss of step %d", step)
                        .isCloseTo(one.step(lr), within(1e-5));
            }
            float[] expected = one.model().weights().get("2.weight");
            float[] actual = two.model().weights().get("2.weight");
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    @Test
    void moreDevicesThanTheHostHasIsAnErrorNamingWhatDjlSees() {
        int gpus = Devices.gpuCount();

        assertThat(Devices.resolve(1)).hasSize(1);
        assertThatThrownBy(() -> Devices.resolve(gpus + 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("devices=" + (gpus + 2) + ": must be in 1..");
    }
}
