package io.lrscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lrscope} command line. Every option that a deployment sets can also come from an
 * environment variable named in its help ({@code LRSCOPE_*}), which is how docker-compose
 * configures the services.
 */
@Command(
        name = "lrscope",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Live learning-rate range tests: sweep, analyze, watch.",
        subcommands = {
            DemoCommand.class,
            SweepCommand.class,
            AnalyzeCommand.class,
            ReplayCommand.class,
            WatchCommand.class,
            ServeAnalyzerCommand.class,
            ServeDashboardCommand.class,
            ScaleCommand.class,
            DefaultsCommand.class,
            TrainCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setParameterExceptionHandler(Errors::onBadParameter)
                .setExecutionExceptionHandler(Errors::onFailure)
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lrscope " + (version == null ? "dev" : version)};
        }
    }
}
