package io.lrscope.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * One-line errors for people: {@code lrscope analyze: line 3: lr='abc': not a number}. A bad
 * option exits 2, a failure while running exits 1; a stack trace only with {@code LRSCOPE_DEBUG}.
 */
final class Errors {

    private Errors() {}

    static int onBadParameter(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + oneLine(e.getMessage())
                + " (see: lrscope " + (cmd.getParent() == null ? "" : cmd.getCommandName() + " ")
                + "--help)");
        return 2;
    }

    static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String message = e instanceof IllegalArgumentException || e instanceof UserError
                ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        err.println(cmd.getCommandName() + ": " + oneLine(message));
        if (System.getenv("LRSCOPE_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static String oneLine(String message) {
        return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** A problem the user can fix, reported as its message alone. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }
}
