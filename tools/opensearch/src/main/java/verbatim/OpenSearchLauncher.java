package verbatim;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts an OpenSearch cluster from the published jars, for Verbatim's
 * tests, benchmarks and for trying the OpenSearch backend on one machine.
 *
 * <pre>
 * OpenSearchLauncher DATA_DIR HTTP_PORT [NODES]          every node in this JVM
 * OpenSearchLauncher --jvms DATA_DIR HTTP_PORT NODES      one JVM per node (a supervisor)
 * OpenSearchLauncher --node DATA_DIR HTTP_PORT NODES I    node I of such a cluster, alone
 * </pre>
 *
 * Node i is named {@code node-i}, keeps its data in DATA_DIR/node-i, answers
 * HTTP on HTTP_PORT + i and talks transport on HTTP_PORT + 100 + i, all on
 * 127.0.0.1; every node is cluster-manager eligible and holds data. The
 * one-JVM mode prints "ready" once every node has started. The supervisor
 * ({@code --jvms}) starts each node as {@code --node} in a JVM of its own
 * (heap options from VERBATIM_OPENSEARCH_NODE_JAVA_OPTS, default
 * {@code -Xms128m -Xmx384m}; output to DATA_DIR/node-i.log), prints
 * "node I pid P" for each JVM it starts, "ready" whenever the cluster turns
 * green with all NODES nodes and "not ready: ..." when it stops being so,
 * and "exited node I code C" when a node's JVM ends. It reads commands on
 * stdin: "start I" starts node I again (same name, same data directory)
 * when its JVM is not running, "stop I" stops it gracefully. Every mode
 * stops (its nodes with it) when its stdin closes.
 */
public final class OpenSearchLauncher {
    /** A node with plugins from the classpath (the public constructor loads none). */
    static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--jvms")) {
            Supervisor supervisor = new Supervisor(Path.of(args[1]).toAbsolutePath(),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            supervisor.run();
            return;
        }
        if (args.length > 0 && args[0].equals("--node")) {
            Path data = Path.of(args[1]).toAbsolutePath();
            int httpPort = Integer.parseInt(args[2]);
            int count = Integer.parseInt(args[3]);
            int index = Integer.parseInt(args[4]);
            Node node = node(data, httpPort, count, index);
            runUntilStdinCloses(List.of(node), "started node-" + index);
            return;
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(node(data, httpPort, count, i));
        }
        runUntilStdinCloses(nodes, "ready");
    }

    /** Node {@code index} of a cluster of {@code count} (not started yet). */
    static Node node(Path data, int httpPort, int count, int index) throws IOException {
        List<String> seeds = new ArrayList<>();
        List<String> managers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add("127.0.0.1:" + (httpPort + 100 + i));
            managers.add("node-" + i);
        }
        final String name = "node-" + index;
        Path home = data.resolve(name);
        Files.createDirectories(home.resolve("config"));
        Settings.Builder settings = Settings.builder()
            .put("cluster.name", "verbatim-test")
            .put("node.name", name)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort + index)
            .put("transport.port", httpPort + 100 + index)
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
            // Read only when the cluster first forms; a node restarted with
            // its data directory rejoins the cluster it belongs to.
            settings.putList("cluster.initial_cluster_manager_nodes", managers);
        }
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings.build(), Map.of(), home.resolve("config"), () -> name);
        return new ClasspathNode(environment,
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
    }

    /** Starts the nodes, prints {@code started}, and runs until stdin closes. */
    private static void runUntilStdinCloses(List<Node> nodes, String started) throws Exception {
        for (Node node : nodes) {
            node.start();
        }
        System.out.println(started);
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

    /**
     * One JVM per node: starts them, restarts one on request, and says when
     * the cluster is green with every node.
     */
    static final class Supervisor {
        private final Path data;
        private final int httpPort;
        private final int count;
        private final Process[] processes;
        private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .build();

        Supervisor(Path data, int httpPort, int count) {
            this.data = data;
            this.httpPort = httpPort;
            this.count = count;
            this.processes = new Process[count];
        }

        void run() throws Exception {
            Files.createDirectories(data);
            for (int i = 0; i < count; i++) {
                start(i);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll));
            Thread monitor = new Thread(this::monitor, "cluster-monitor");
            monitor.setDaemon(true);
            monitor.start();
            BufferedReader commands = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                try {
                    if (words.length == 2 && words[0].equals("start")) {
                        start(Integer.parseInt(words[1]));
                    } else if (words.length == 2 && words[0].equals("stop")) {
                        stop(Integer.parseInt(words[1]));
                    } else if (!line.isBlank()) {
                        say("unknown command: " + line.trim() + " (start I, stop I)");
                    }
                } catch (RuntimeException e) {
                    say("failed: " + line.trim() + ": " + e);
                }
            }
            stopAll();
            System.exit(0);
        }

        private static synchronized void say(String line) {
            System.out.println(line);
            System.out.flush();
        }

        /** Starts node {@code i}'s JVM unless it is running. */
        private synchronized void start(int i) {
            if (i < 0 || i >= count) {
                say("no node " + i);
                return;
            }
            if (processes[i] != null && processes[i].isAlive()) {
                say("node " + i + " pid " + processes[i].pid() + " is running");
                return;
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String options = System.getenv("VERBATIM_OPENSEARCH_NODE_JAVA_OPTS");
            if (options == null || options.isBlank()) {
                options = "-Xms128m -Xmx384m";
            }
            command.addAll(List.of(options.trim().split("\\s+")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                OpenSearchLauncher.class.getName(), "--node", data.toString(),
                Integer.toString(httpPort), Integer.toString(count), Integer.toString(i)));
            File log = data.resolve("node-" + i + ".log").toFile();
            try {
                Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .start();
                processes[i] = process;
                say("node " + i + " pid " + process.pid());
                process.onExit().thenAccept(ended -> {
                    if (!isSupervisorStopping()) {
                        say("exited node " + i + " code " + ended.exitValue());
                    }
                });
            } catch (IOException e) {
                say("failed: start " + i + ": " + e);
            }
        }

        private volatile boolean stopping;

        private boolean isSupervisorStopping() {
            return stopping;
        }

        /** Stops node {@code i}: closes its stdin, then kills it after 30 s. */
        private void stop(int i) {
            Process process;
            synchronized (this) {
                process = i >= 0 && i < count ? processes[i] : null;
            }
            if (process == null || !process.isAlive()) {
                say("node " + i + " is not running");
                return;
            }
            stopGracefully(process);
        }

        private static void stopGracefully(Process process) {
            try {
                OutputStream stdin = process.getOutputStream();
                stdin.close();
            } catch (IOException e) {
                // Then it is killed below.
            }
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private void stopAll() {
            stopping = true;
            List<Process> running = new ArrayList<>();
            synchronized (this) {
                for (Process process : processes) {
                    if (process != null && process.isAlive()) {
                        running.add(process);
                    }
                }
            }
            for (Process process : running) {
                try {
                    process.getOutputStream().close();
                } catch (IOException e) {
                    // Killed below if it does not end.
                }
            }
            for (Process process : running) {
                stopGracefully(process);
            }
        }

        private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
        private static final Pattern NODES = Pattern.compile("\"number_of_nodes\"\\s*:\\s*(\\d+)");

        /** Polls the cluster's health and says when it turns ready or not. */
        private void monitor() {
            boolean ready = false;
            while (!stopping) {
                String state = health();
                boolean now = state.equals("green " + count);
                if (now && !ready) {
                    say("ready");
                } else if (!now && ready) {
                    say("not ready: " + state);
                }
                ready = now;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** "STATUS NODES" as the first running node that answers sees it. */
        private String health() {
            for (int i = 0; i < count; i++) {
                Process process;
                synchronized (this) {
                    process = processes[i];
                }
                if (process == null || !process.isAlive()) {
                    continue;
                }
                HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + (httpPort + i) + "/_cluster/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
                try {
                    String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                    Matcher status = STATUS.matcher(body);
                    Matcher nodes = NODES.matcher(body);
                    if (status.find() && nodes.find()) {
                        return status.group(1) + " " + nodes.group(1);
                    }
                } catch (IOException e) {
                    // Not up yet, or gone: ask the next.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
            return "no node answers";
        }
    }
}
