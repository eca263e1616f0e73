#!/usr/bin/env bash
# The memory floor the exporter is measured against: a bare Java program that serves a
# constant page with the JDK HttpServer and reads /proc/stat and /proc/diskstats once a
# second, run through the package's launcher with its JVM flags, once with a class-data
# archive of its own classes (as the package dumps for the exporter) and once with the JDK's
# default one, each scraped once a second; prints their resident memory after the warm-up.
#
#   src/test/perf/bare-floor.sh [SECONDS]      (default 600: the goal is read at 10 min)
#
# Needs: a JDK (javac, jar), curl. Loopback only; everything it starts is stopped on exit.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"

WAIT=${1:-600}
PORT_OWN=${PORT_OWN:-$(free_port)}
PORT_DEFAULT=${PORT_DEFAULT:-$(free_port "$PORT_OWN")}
work=$WORK

cat >"$work/Bare.java" <<'JAVA'
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

public class Bare {
    static volatile byte[] page = new byte[0];

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.createContext("/metrics", exchange -> {
            byte[] body = page;
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(1));
        server.start();
        while (true) {
            int stat = Files.readAllBytes(Path.of("/proc/stat")).length;
            int disks = Files.readAllBytes(Path.of("/proc/diskstats")).length;
            page = ("stat_bytes " + stat + "\ndiskstats_bytes " + disks + "\n").getBytes();
            Thread.sleep(1000);
        }
    }
}
JAVA
(cd "$work" && javac Bare.java && jar cfe bare.jar Bare ./*.class)

# wait_answer PORT LOG: until the program on PORT serves its page; dies, showing LOG, after 10 s.
wait_answer() {
    wait_until 10 curl -fs -o /dev/null "http://127.0.0.1:$1/metrics" ||
        { cat "$2" >&2; die "nothing answers on 127.0.0.1:$1"; }
}

# Its own class list: a short run with one scrape, then the dump, as postinst does. A run
# that served nothing would list none of the HTTP classes.
JAVA_OPTS="-XX:DumpLoadedClassList=$work/bare.classlist" SYSLOAD_EXPORTER_CDS_ARCHIVE='' \
    start_exporter "$work/bare.jar" "$work/list.log" "$PORT_OWN"
wait_answer "$PORT_OWN" "$work/list.log"
sleep 1
stop_process "$EXPORTER_PID"
dump_cds "$work/bare.classlist" "$work/bare.jar" "$work/bare.jsa"

SYSLOAD_EXPORTER_CDS_ARCHIVE="$work/bare.jsa" start_exporter "$work/bare.jar" "$work/own.log" "$PORT_OWN"
own=$EXPORTER_PID
SYSLOAD_EXPORTER_CDS_ARCHIVE='' start_exporter "$work/bare.jar" "$work/default.log" "$PORT_DEFAULT"
default=$EXPORTER_PID
wait_answer "$PORT_OWN" "$work/own.log"
wait_answer "$PORT_DEFAULT" "$work/default.log"
# A JVM that rejects an archive (dumped by another build, for another jar) runs without any
# sharing and says nothing; its figure would not be the floor with an archive.
grep -qF "$work/bare.jsa" "/proc/$own/maps" || { cat "$work/own.log" >&2; die "the JVM did not map $work/bare.jsa"; }
scrape_every_second "http://127.0.0.1:$PORT_OWN/metrics" "http://127.0.0.1:$PORT_DEFAULT/metrics"

sleep "$WAIT"
rss() { awk '$1 == "VmRSS:" {printf "%.1f MB", $2 / 1024}' "/proc/$1/status"; }
echo "bare HttpServer program, package flags, after ${WAIT}s at 1 scrape/s:"
echo "  own class-data archive ($(grep -vc '^#' "$work/bare.classlist") classes): $(rss "$own")"
echo "  the JDK's default archive: $(rss "$default")"
