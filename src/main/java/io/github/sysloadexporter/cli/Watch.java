package io.github.sysloadexporter.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.sysload.Sampler;
import io.github.sysloadexporter.web.WebSecurity;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sysload-exporter watch}: what the exporter would serve, one line per interval on the
 * terminal, from the daemon's own sampler and calculator; no HTTP server.
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Print sysload and what drives it, one line per interval, in the manner of vmstat."
                + " Starts no HTTP server. Takes the sampling flags (--path.*, -i, -b, --refresh-rate,"
                + " --interrupt-threshold); logs only warnings unless --log.level says otherwise.")
final class Watch implements Callable<Integer> {
    private static final int DEFAULT_ROWS = 24;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-n", "--count"},
            paramLabel = "N",
            description = "Stop after N lines of values; 0, the default, runs until interrupted.")
    long count;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be 0 or more, got " + count);
        }
        // It serves nothing, so it reads no web configuration.
        Config config = main.validate(WebSecurity.none());
        // Straight to fd 1, not through System.out, which hides a closed pipe from checkError.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), UTF_8));
        for (String warning : UnknownNames.warnings(config)) {
            LoggerFactory.getLogger(Watch.class).warn(warning);
        }
        boolean terminal = isTerminal(Path.of("/proc/self/fd/1"));
        Map<String, String> env = System.getenv();
        WatchView view = new WatchView(ZoneId.systemDefault(), terminal && colour(env), terminal ? rows(env) : 0);
        try (Sampler sampler = Daemon.sampler(config, System::nanoTime, System::currentTimeMillis)) {
            sampler.start();
            // Interrupted (Ctrl-C) or at its count, it says what it saw: at exit, either way.
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> summarize(sampler.published(), config, out), "watch-summary"));
            show(sampler, view, out, count, 2 * config.intervalNanos());
        }
        return CommandLine.ExitCode.OK;
    }

    private static void summarize(Published p, Config config, PrintWriter out) {
        if (p.sample() != null) {
            out.println();
            WatchView.summary(p.sample().seconds(), config.saturationThreshold())
                    .forEach(out::println);
            out.flush();
        }
    }

    /**
     * Prints a line for every new sample until {@code count} are printed (0: no end) or the
     * output is closed (piped into {@code head}). A failed reading publishes no sample and
     * prints nothing; the sampler's warning says why, on stderr.
     */
    static void show(Sampler sampler, WatchView view, PrintWriter out, long count, long waitNanos)
            throws InterruptedException {
        // From nothing: the sample current when this starts is the first line.
        Published seen = Published.NOTHING_YET;
        Sample last = null;
        for (long printed = 0; count == 0 || printed < count; ) {
            seen = sampler.awaitNext(seen, waitNanos);
            Sample s = seen.sample();
            if (s == null || s == last) {
                continue;
            }
            last = s;
            view.lines(s).forEach(out::println);
            out.flush();
            if (out.checkError()) {
                return;
            }
            printed++;
        }
    }

    /** Standard output is a terminal when fd 1 is a tty or pseudo-terminal. */
    static boolean isTerminal(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Colour unless NO_COLOR is set (no-color.org) or the terminal says it has none. */
    static boolean colour(Map<String, String> env) {
        String noColour = env.get("NO_COLOR");
        return (noColour == null || noColour.isEmpty()) && !"dumb".equals(env.get("TERM"));
    }

    /** The screen's height as the shell exports it in LINES, else 24. */
    static int rows(Map<String, String> env) {
        try {
            int rows = Integer.parseInt(env.getOrDefault("LINES", "").trim());
            return rows > 2 ? rows : DEFAULT_ROWS;
        } catch (NumberFormatException e) {
            return DEFAULT_ROWS;
        }
    }
}
