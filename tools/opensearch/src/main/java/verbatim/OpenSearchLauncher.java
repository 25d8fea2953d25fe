package verbatim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts an OpenSearch cluster of one or more nodes in this JVM, from the
 * published jars, for Verbatim's tests and benchmarks.
 *
 * Usage: OpenSearchLauncher DATA_DIR HTTP_PORT [NODES]
 * Node i answers HTTP on HTTP_PORT + i and talks transport on
 * HTTP_PORT + 100 + i, all on 127.0.0.1. Prints "ready" once every node
 * has started; stops when stdin closes.
 */
public final class OpenSearchLauncher {
    /** A node with plugins from the classpath (the public constructor loads none). */
    static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<String> seeds = new ArrayList<>();
        List<String> masters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add("127.0.0.1:" + (httpPort + 100 + i));
            masters.add("node-" + i);
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path home = data.resolve("node-" + i);
            Files.createDirectories(home.resolve("config"));
            Settings.Builder settings = Settings.builder()
                .put("cluster.name", "verbatim-test")
                .put("node.name", "node-" + i)
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort + i)
                .put("transport.port", httpPort + 100 + i)
                .put("http.type", "netty4")
                .put("transport.type", "netty4")
                .put("action.auto_create_index", false)
                // One directory for every node (they share this machine's
                // filesystem): `fs` snapshot repositories live below it.
                .put("path.repo", data.resolve("snapshots").toString())
                .put("cluster.routing.allocation.disk.threshold_enabled", false);
            if (count == 1) {
                settings.put("discovery.type", "single-node");
            } else {
                settings.putList("discovery.seed_hosts", seeds);
                settings.putList("cluster.initial_cluster_manager_nodes", masters);
            }
            final String name = "node-" + i;
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings.build(), Map.of(), home.resolve("config"), () -> name);
            Node node = new ClasspathNode(environment,
                List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
            nodes.add(node);
        }
        for (Node node : nodes) {
            node.start();
        }
        System.out.println("ready");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(nodes)));
        while (System.in.read() != -1) {
            // Runs until whoever started it closes stdin.
        }
        closeAll(nodes);
        System.exit(0);
    }

    private static void closeAll(List<Node> nodes) {
        for (Node node : nodes) {
            try {
                node.close();
            } catch (Exception e) {
                // Closing is best effort at exit.
            }
        }
    }
}
