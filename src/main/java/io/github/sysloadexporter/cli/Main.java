package io.github.sysloadexporter.cli;

import io.github.sysloadexporter.metrics.BuildInfo;
import io.github.sysloadexporter.web.ServerLimits;
import io.github.sysloadexporter.web.WebConfigException;
import io.github.sysloadexporter.web.WebSecurity;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The command line. Flags follow node_exporter's style; the Go sysload exporter's names are
 * kept as aliases so its service files keep working.
 *
 * <p>Over 300 lines, kept whole: two thirds of it are the flags, each a field with its help
 * text, which picocli reads from this class; the checks of their values sit beside them.
 */
@Command(
        name = "sysload-exporter",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        subcommands = Watch.class,
        description = "Serves sysload, how close this host is to saturating its CPUs, the CPUs that serve its"
                + " network card's interrupts, or its disks (0-100), as Prometheus metrics.")
public final class Main implements Callable<Integer> {
    static final int EXIT_RUNTIME = 1;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"--web.listen-address", "--listen-address"},
            defaultValue = ":9858",
            paramLabel = "ADDR",
            description = "Address to serve metrics on: host:port, :port or [v6]:port (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(
            names = "--web.telemetry-path",
            defaultValue = "/metrics",
            paramLabel = "PATH",
            description = "Path of the metrics; / serves a landing page linking to it (default: ${DEFAULT-VALUE}).")
    String telemetryPath;

    @Option(
            names = "--web.config.file",
            paramLabel = "FILE",
            description = "Prometheus exporter-toolkit web configuration (YAML): TLS, basic auth, headers."
                    + " Re-read when it or its certificate files change, and on SIGHUP.")
    Path webConfigFile;

    @Option(
            names = "--web.request-timeout",
            defaultValue = "5s",
            paramLabel = "DURATION",
            description = "A connection's TLS handshake and request head must be complete within this, and a"
                    + " response taken within this once written, or it is closed (default: ${DEFAULT-VALUE}).")
    String requestTimeout;

    @Option(
            names = "--web.idle-timeout",
            defaultValue = "30s",
            paramLabel = "DURATION",
            description = "A kept-alive connection idle this long is closed (default: ${DEFAULT-VALUE}).")
    String idleTimeout;

    @Option(
            names = "--web.max-requests",
            defaultValue = "40",
            paramLabel = "N",
            description = "Requests being handled at once (until their response is written); more get 503 at"
                    + " once (default: ${DEFAULT-VALUE}).")
    int maxRequests;

    @Option(
            names = "--web.max-connections",
            defaultValue = "2000",
            paramLabel = "N",
            description = "Connections open at once; more wait to be accepted (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(
            names = "--path.procfs",
            scope = ScopeType.INHERIT,
            defaultValue = "/proc",
            paramLabel = "DIR",
            description =
                    "procfs mount point, e.g. the host's /proc mounted in a container (default: ${DEFAULT-VALUE}).")
    Path procfs;

    @Option(
            names = "--path.sysfs",
            scope = ScopeType.INHERIT,
            defaultValue = "/sys",
            paramLabel = "DIR",
            description = "sysfs mount point (default: ${DEFAULT-VALUE}).")
    Path sysfs;

    @Option(
            names = "--refresh-rate",
            scope = ScopeType.INHERIT,
            defaultValue = "1",
            paramLabel = "SECONDS",
            description = "Seconds between samples, 1 to 30 (default: ${DEFAULT-VALUE}).")
    int refreshRate;

    @Option(
            names = {"-i", "--target-network-devices"},
            scope = ScopeType.INHERIT,
            split = ",",
            paramLabel = "NIC",
            description = "Comma list of network interfaces (or IRQ names) to watch instead of those detected.")
    List<String> nics = List.of();

    @Option(
            names = {"-b", "--target-block-devices"},
            scope = ScopeType.INHERIT,
            split = ",",
            paramLabel = "DISK",
            description = "Comma list of disks (as in /proc/diskstats) to watch instead of those detected.")
    List<String> disks = List.of();

    @Option(
            names = {"--interrupt-threshold", "--interrupted-threshold"},
            scope = ScopeType.INHERIT,
            defaultValue = "40",
            paramLabel = "PERCENT",
            description = "irq+softirq+system percent of the NIC-IRQ CPUs above which they count towards sysload,"
                    + " 0 to 100 (default: ${DEFAULT-VALUE}).")
    double interruptThreshold;

    @Option(
            names = "--saturation-threshold",
            scope = ScopeType.INHERIT,
            defaultValue = "90",
            paramLabel = "PERCENT",
            description = "Percent at or above which a resource's seconds count as saturated"
                    + " (sysload_saturated_seconds_total), 0 to 100 (default: ${DEFAULT-VALUE}).")
    double saturationThreshold;

    @Option(names = "--info", description = "Print the configuration and what was detected, and exit.")
    boolean info;

    @Option(
            names = "--log.level",
            scope = ScopeType.INHERIT,
            paramLabel = "LEVEL",
            description = "Log level: debug, info, warn or error (default: info; warn for watch).")
    String logLevel;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Same as --log.level=debug.")
    boolean debug;

    public static void main(String[] args) {
        // Until serve() takes over with an orderly stop, SIGTERM or SIGINT ends with status 0:
        // a service stopped while still starting, or watch ended with Ctrl-C, did not fail.
        Signals.onTerminate(() -> System.exit(CommandLine.ExitCode.OK));
        JvmSettings.beforeParse(System.getProperties()); // before new CommandLine and any HTTP server
        JvmSettings.logTimestamps(System.getProperties(), Journal.isStderr()); // before any logger
        System.exit(commandLine(new Main()).execute(args));
    }

    static CommandLine commandLine(Main main) {
        CommandLine cl = new CommandLine(main);
        // Bad input: not the whole usage text.
        cl.setParameterExceptionHandler(new UsageError());
        cl.setExecutionStrategy(new LogLevelFirst(main));
        return cl;
    }

    /** {@link #logLevelFirst}; a class, not a method reference, for the reason UsageError is one. */
    private static final class LogLevelFirst implements CommandLine.IExecutionStrategy {
        private final Main main;

        LogLevelFirst(Main main) {
            this.main = main;
        }

        @Override
        public int execute(CommandLine.ParseResult parsed) {
            return main.logLevelFirst(parsed);
        }
    }

    /**
     * Bad input: one line on stderr and status 2. A class, not a lambda: picocli's interfaces
     * are of Java 5, and the class-data dump, which links a lambda's interface to make the
     * lambda, cannot archive such a class once linked (it warns, and the archive lacks both).
     */
    private static final class UsageError implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("sysload-exporter: " + ex.getMessage() + " (see --help)");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
    }

    /**
     * Runs the command asked for (the daemon, --info or watch), the log level its flags give
     * set first: slf4j-simple reads it once, at the first logger, and any step may log.
     */
    private int logLevelFirst(CommandLine.ParseResult parsed) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        JvmSettings.logLevel(System.getProperties(), level(parsed.subcommand() != null));
        return new CommandLine.RunLast().execute(parsed);
    }

    @Override
    public Integer call() throws Exception {
        Config config = validate(readWebConfig());
        if (info) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(Info.render(config));
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        return serve(config);
    }

    /** The Config the flags give, once each is checked; it serves under {@code web}. */
    Config validate(WebSecurity web) {
        if (refreshRate < 1 || refreshRate > 30) {
            throw usage("--refresh-rate must be 1 to 30 seconds, got " + refreshRate);
        }
        if (!(interruptThreshold >= 0 && interruptThreshold <= 100)) {
            throw usage("--interrupt-threshold must be 0 to 100 percent, got " + interruptThreshold);
        }
        if (!(saturationThreshold >= 0 && saturationThreshold <= 100)) {
            throw usage("--saturation-threshold must be 0 to 100 percent, got " + saturationThreshold);
        }
        if (!Files.isRegularFile(procfs.resolve("stat"))) {
            throw usage("--path.procfs " + procfs + " has no stat file: not a procfs mount");
        }
        if (!Files.isDirectory(sysfs)) {
            throw usage("--path.sysfs " + sysfs + " is not a directory");
        }
        if (!telemetryPath.startsWith("/")) {
            throw usage("--web.telemetry-path must start with /, got '" + telemetryPath + "'");
        }
        InetSocketAddress address;
        try {
            address = ListenAddress.parse(listenAddress);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ServerLimits limits;
        try {
            limits = new ServerLimits(
                    Durations.parse("--web.request-timeout", requestTimeout),
                    Durations.parse("--web.idle-timeout", idleTimeout),
                    maxRequests,
                    maxConnections);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return new Config(
                address,
                telemetryPath,
                procfs,
                sysfs,
                refreshRate,
                clean(nics),
                clean(disks),
                interruptThreshold,
                saturationThreshold,
                web,
                limits);
    }

    /** What --web.config.file says, read and checked: TLS, basic auth and headers, or none. */
    WebSecurity readWebConfig() {
        if (webConfigFile == null) {
            return WebSecurity.none();
        }
        try {
            return WebSecurity.load(webConfigFile, System::nanoTime);
        } catch (WebConfigException e) {
            throw usage(e.getMessage());
        }
    }

    /** The log level of --debug or --log.level, else the command's: warn for watch, info for the daemon. */
    private String level(boolean watching) {
        String level =
                debug ? "debug" : logLevel != null ? logLevel.toLowerCase(Locale.ROOT) : watching ? "warn" : "info";
        if (!List.of("debug", "info", "warn", "error").contains(level)) {
            throw usage("--log.level must be debug, info, warn or error, got '" + logLevel + "'");
        }
        return level;
    }

    private static List<String> clean(List<String> names) {
        return names.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private int serve(Config config) throws IOException, InterruptedException {
        Logger log = LoggerFactory.getLogger(Main.class);
        // Handlers first: a SIGTERM while starting still ends with status 0.
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        Signals.onHangup(config.web()::reloadNow);
        Daemon daemon;
        try {
            daemon = Daemon.start(config, System::nanoTime, System::currentTimeMillis, new ProcessStatsReader(), true);
        } catch (BindException e) {
            spec.commandLine()
                    .getErr()
                    .println("sysload-exporter: cannot listen on " + listenAddress + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return EXIT_RUNTIME;
        }
        log.info(
                "sysload-exporter {} serving {} on {}",
                BuildInfo.current().version(),
                config.telemetryPath(),
                listenAddress);
        for (String warning : UnknownNames.warnings(config)) {
            log.warn(warning);
        }
        stop.await();
        log.info("stopping");
        daemon.close();
        return CommandLine.ExitCode.OK;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.current();
            return new String[] {"sysload-exporter " + b.version() + " (Java " + b.javaVersion() + ")"};
        }
    }
}
