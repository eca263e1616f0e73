#!/usr/bin/env bash
# The memory floor the exporter is measured against: a bare Java program that serves a
# constant page with the JDK HttpServer and reads /proc/stat and /proc/diskstats once a
# second, run with the JVM flags the package ships, once with a class-data archive of its
# own classes (as the package dumps for the exporter) and once with the JDK's default one,
# each scraped once a second; prints their resident memory after the warm-up.
#
#   src/test/perf/bare-floor.sh [SECONDS]      (default 600: the goal is read at 10 min)
#
# Needs: a JDK (javac, jar), curl. Loopback only; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../../.."

WAIT=${1:-600}
PORT_OWN=${PORT_OWN:-29871}
PORT_DEFAULT=${PORT_DEFAULT:-29872}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

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

# The package's flags, read from the launcher so that they cannot drift apart.
flags=$(sed -n '/^JAVA_DEFAULT_OPTS="\${JAVA_DEFAULT_OPTS-\\$/,/}"$/p' debian/sysload-exporter.launcher |
    sed -e '1d' -e 's/}"$//' -e 's/\\$//' | tr '\n' ' ')
[ -n "$flags" ] || { echo "bare-floor: cannot read the flags from the launcher" >&2; exit 1; }
export MALLOC_ARENA_MAX=2

# Its own class list: a short run with one scrape, then the dump, as postinst does.
# shellcheck disable=SC2086
java $flags -XX:DumpLoadedClassList="$work/bare.classlist" -jar "$work/bare.jar" "$PORT_OWN" &
p=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT_OWN/metrics" && break; sleep 0.1; done
sleep 1
kill "$p"; wait "$p" 2>/dev/null || true
java -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile="$work/bare.classlist" \
    -XX:SharedArchiveFile="$work/bare.jsa" -cp "$work/bare.jar" >"$work/dump.log" 2>&1

# shellcheck disable=SC2086
java $flags -XX:SharedArchiveFile="$work/bare.jsa" -jar "$work/bare.jar" "$PORT_OWN" &
own=$!
pids+=("$own")
# shellcheck disable=SC2086
java $flags -jar "$work/bare.jar" "$PORT_DEFAULT" &
default=$!
pids+=("$default")
(
    while true; do
        curl -s -o /dev/null "http://127.0.0.1:$PORT_OWN/metrics" || true
        curl -s -o /dev/null "http://127.0.0.1:$PORT_DEFAULT/metrics" || true
        sleep 1
    done
) &
pids+=("$!")

sleep "$WAIT"
rss() { awk '$1 == "VmRSS:" {printf "%.1f MB", $2 / 1024}' "/proc/$1/status"; }
echo "bare HttpServer program, package flags, after ${WAIT}s at 1 scrape/s:"
echo "  own class-data archive ($(grep -vc '^#' "$work/bare.classlist") classes): $(rss "$own")"
echo "  the JDK's default archive: $(rss "$default")"
