package io.lrscope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DashboardConfigTest {

    @Test
    void defaultsBindLoopbackWithoutToken() {
        DashboardConfig config = new DashboardConfig("127.0.0.1:9092", null, 0, null).validate();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.loopbackOnly()).isTrue();
        assertThat(config.maxSseClients()).isEqualTo(500);
        assertThat(config.staleAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void badValuesFailWithOneLineNamingFieldAndValue() {
        assertThatThrownBy(() -> new DashboardConfig("b:9092", null, 70000, null).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port=70000: must be in [0, 65535]");
        assertThatThrownBy(() -> new DashboardConfig(" ", null, 0, null).validate())
                .hasMessageStartingWith("bootstrapServers= : required");
        assertThatThrownBy(() -> new DashboardConfig("b:9092", "a host", 0, null).validate())
                .hasMessageStartingWith("host=a host:");
        assertThatThrownBy(() -> new DashboardConfig("b:9092", null, 0, null)
                .withMaxSseClients(0).validate())
                .hasMessage("maxSseClients=0: must be in [1, 100000]");
    }

    @Test
    void tooShortTokenIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> new DashboardConfig("b:9092", null, 0, "secret").validate())
                .hasMessageStartingWith("token=<6 characters>: must be at least 8")
                .message().doesNotContain("secret");
    }
}
