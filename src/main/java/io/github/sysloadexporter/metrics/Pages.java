package io.github.sysloadexporter.metrics;

import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.sysload.Ranges;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.web.Page;
import io.prometheus.client.CollectorRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * The exporter's pages: the exposition of the current sample on the telemetry path (rendered
 * once per sample, see {@link CachedExposition}) and a small landing page on {@code /}. The
 * web server routes to them; they only render.
 */
public final class Pages {
    private Pages() {}

    /**
     * The pages by path, for the sampler's {@code published}: the exposition is rendered once
     * per published value (while it returns the same object, scrapes get the bytes rendered for
     * it), and the landing page shows what its sample watches.
     */
    public static Map<String, Page> of(
            String telemetryPath, CollectorRegistry registry, Supplier<Published> published) {
        Page metrics = new CachedExposition(registry, published);
        if (telemetryPath.equals("/")) {
            return Map.of("/", metrics);
        }
        BuildInfo build = BuildInfo.current();
        // Rendered per request: it is rare, and shows what the current sample watches.
        Page landing = request -> new Page.Reply(
                200, "text/html; charset=utf-8", Map.of(), landingPage(telemetryPath, build, published.get()));
        return Map.of(telemetryPath, metrics, "/", landing);
    }

    /**
     * The landing page: what the exporter is, a link to the metrics, what it watches now (the
     * NICs and disks of the published sample) and its version. Every name is HTML-escaped: an
     * interface may be named almost anything.
     */
    static byte[] landingPage(String telemetryPath, BuildInfo build, Published published) {
        StringBuilder html = new StringBuilder(1024)
                .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<title>sysload exporter</title></head>\n<body>\n")
                .append("<h1>sysload exporter</h1>\n")
                .append("<p>How close this host is to saturating its CPUs, the CPUs serving its network card's")
                .append(" interrupts, or its disks, as one number from 0 to 100.</p>\n")
                .append("<p><a href=\"")
                .append(escape(telemetryPath))
                .append("\">Metrics</a></p>\n")
                .append("<h2>Watched</h2>\n");
        Sample sample = published.sample();
        if (sample == null) {
            html.append(
                    "<p>Nothing sampled yet: the first sample is published one refresh interval after start.</p>\n");
        } else {
            html.append("<p>Network interfaces (the CPUs serving their receive interrupts): ");
            if (sample.nicIrqCpus().isEmpty()) {
                html.append("none; the NIC-IRQ CPU figure is that of all CPUs");
            }
            String separator = "";
            for (Map.Entry<String, SortedSet<Integer>> nic : sample.nicIrqCpus().entrySet()) {
                Set<Integer> cpus = nic.getValue();
                html.append(separator)
                        .append(escape(nic.getKey()))
                        .append(" (")
                        .append(cpus.isEmpty() ? "none seen yet: all CPUs" : Ranges.cpus(cpus))
                        .append(')');
                separator = ", ";
            }
            html.append("</p>\n<p>Disks: ");
            html.append(
                    sample.ioUtil().isEmpty()
                            ? "none"
                            : escape(String.join(", ", sample.ioUtil().keySet())));
            html.append("</p>\n");
        }
        html.append("<p>Version ")
                .append(escape(build.version()))
                .append(" (Java ")
                .append(escape(build.javaVersion()))
                .append(")</p>\n</body></html>\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
