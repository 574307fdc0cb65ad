package io.lrscope.cli;

import picocli.CommandLine.Option;

/** Where the Kafka brokers are. */
final class KafkaOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            defaultValue = "${env:LRSCOPE_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env LRSCOPE_BOOTSTRAP; "
                    + "default ${DEFAULT-VALUE})")
    String bootstrap;
}
