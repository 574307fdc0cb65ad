package io.lrscope.cli;

import io.lrscope.dashboard.DashboardConfig;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Where the dashboard listens and who may use it. */
final class DashboardOptions {

    @Option(names = "--host", defaultValue = "${env:LRSCOPE_HOST:-127.0.0.1}",
            description = "address to bind; anything but loopback exposes the page "
                    + "(default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "${env:LRSCOPE_PORT:-8080}",
            description = "HTTP port, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--token", defaultValue = "${env:LRSCOPE_TOKEN}",
            description = "require this bearer token for the API and the Stop button "
                    + "(env LRSCOPE_TOKEN)")
    String token;

    DashboardConfig config(String bootstrap) {
        DashboardConfig config = new DashboardConfig(bootstrap, host, port, token).validate();
        if (!config.loopbackOnly() && token == null) {
            LoggerFactory.getLogger(DashboardOptions.class).warn(
                    "host={} exposes the dashboard and its Stop button to the network without "
                            + "a token; set --token (or LRSCOPE_TOKEN) unless the network is "
                            + "trusted", host);
        }
        return config;
    }
}
