package io.lrscope.cli;

import io.lrscope.dashboard.DashboardConfig;
import io.lrscope.dashboard.DashboardServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lrscope serve-dashboard}: the live page and REST API over the topics. */
@Command(name = "serve-dashboard", mixinStandardHelpOptions = true,
        description = "Serve the live dashboard until stopped. Stateless over the topics: any "
                + "number of instances can run.")
final class ServeDashboardCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();
    @Mixin DashboardOptions web = new DashboardOptions();

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (DashboardServer server = new DashboardServer(web.config(kafka.bootstrap))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dashboard-stop"));
            try {
                server.start();
            } catch (IllegalStateException e) {
                throw new Errors.UserError("--port=" + web.port + ": " + e.getMessage());
            }
            System.out.println("Dashboard: " + server.pageUrl());
            System.out.flush();
            stopped.await();
        }
        return 0;
    }
}
