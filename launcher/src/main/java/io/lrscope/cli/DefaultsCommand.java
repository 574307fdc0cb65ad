package io.lrscope.cli;

import io.lrscope.analyzer.advice.CommunityDefaults;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lrscope defaults [MODEL]}: the community LRs lrscope knows, with their sources. */
@Command(name = "defaults", mixinStandardHelpOptions = true,
        description = "Show the known community default LRs, or the one matching MODEL.")
final class DefaultsCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "MODEL",
            description = "model name, e.g. Llama-3.3-70B-Instruct")
    String model;

    @Override
    public Integer call() {
        if (model == null) {
            for (CommunityDefaults.Entry e : CommunityDefaults.all()) {
                System.out.println(String.format(Locale.ROOT, "%-32s lr=%.1e %-6s %s",
                        e.model(), e.lr(), e.optimizer(), e.source()));
            }
            return 0;
        }
        var found = CommunityDefaults.find(model);
        if (found.isEmpty()) {
            System.err.println("defaults: MODEL=" + model
                    + ": no known default; run a sweep (lrscope demo / sweep) to measure one");
            return 1;
        }
        var d = found.get();
        System.out.println(String.format(Locale.ROOT, "%s: lr=%.1e with %s%n  %s%n  source: %s",
                d.model(), d.lr(), d.optimizer(), d.note(), d.source()));
        return 0;
    }
}
