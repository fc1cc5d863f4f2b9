package dev.spectra.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main class of one broker process of {@link KafkaBrokerProcesses}: formats the node's log directory the
 * first time (what {@code kafka-storage.sh format} does), then runs the broker as {@code kafka-server-start.sh}
 * does. A restarted node finds its directory formatted and keeps its logs.
 *
 * <p>Arguments: the node's {@code server.properties}, the cluster id, and its log directory (to tell whether it is
 * formatted).
 */
public final class KafkaNode {

    private KafkaNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: KafkaNode <server.properties> <cluster id> <log directory>");
        }
        String properties = args[0];
        if (!Files.exists(Path.of(args[2], "meta.properties"))) {
            int formatted = kafka.tools.StorageTool.execute(new String[] {"format", "-t", args[1], "-c", properties}, System.out);
            if (formatted != 0) {
                throw new IllegalStateException("formatting " + args[2] + " failed with " + formatted);
            }
        }
        kafka.Kafka.main(new String[] {properties});
    }
}
