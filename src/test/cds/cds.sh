# shellcheck shell=bash
# What update-classlist.sh and check-archives.sh share: the exporter run through the package's
# launcher on one Java runtime, plain or with a TLS and basic-auth web config, scraped as
# Prometheus would; the class lists and the class-data dump of that runtime. Sourced after
# lib.sh and debian-root.sh.
#
# A runtime is named as on those scripts' command lines:
#   host          the default "java" (the one postinst dumps with on this machine)
#   /usr/lib/jvm/X a JDK directory, put first on PATH (the launcher then takes it as "java")
#   SUITE:VERSION the only java of a Debian root of that suite with openjdk-VERSION (jdk_root;
#                 needs root, debootstrap and systemd-nspawn), the package's case on Debian 13

# The committed class lists: one directory per Java feature version, each with the lists of
# the two archives that postinst dumps (see debian/sysload-exporter.launcher).
CDS_LISTS=$REPO/debian/classlists
# shellcheck disable=SC2034 # for the scripts that source this
CDS_ARCHIVES=(sysload-exporter sysload-exporter-tls)

# The web config of the TLS start: a P-256 certificate (what certbot and most ACME clients
# issue by default) and one user, "prometheus", whose password is CDS_PASSWORD; its bcrypt
# hash (cost 10, as htpasswd -B makes it) is written here, so that no tool is needed for it.
CDS_PASSWORD=classlist
# shellcheck disable=SC2016 # a bcrypt hash, not an expansion
CDS_HASH='$2y$10$Dem.iCLS.EgEsvWeWrOGnuFMGNDV6.QkZGVeVEY.8fIa1.8WQGELy'

# cds_runtime SPEC DIR: chooses the runtime SPEC and stages what a run needs in DIR (the jar
# JAR, the launcher, JVM flags, dump script, class lists and web config). Sets CDS_STAGE (DIR
# as the runtime sees it), CDS_RUN (the prefix that runs a command on that runtime, taking
# --setenv=NAME=VALUE arguments first), CDS_ROOT (the root, or empty) and CDS_JAVA_VERSION.
cds_runtime() {
    local spec=$1 dir=$2
    CDS_ROOT=
    case $spec in
        host)
            CDS_RUN=(cds_on_host)
            CDS_PATH=$PATH
            ;;
        /*)
            [ -x "$spec/bin/java" ] || die "no $spec/bin/java"
            CDS_RUN=(cds_on_host)
            CDS_PATH=$spec/bin:$PATH
            ;;
        *:*)
            [ "$(id -u)" = 0 ] || die "a Debian root ($spec) needs root (systemd-nspawn)"
            CDS_ROOT=$(jdk_root "${spec%%:*}" "${spec##*:}")
            CDS_RUN=(in_jdk_root "$CDS_ROOT")
            ;;
        *) die "a runtime is host, a JDK directory or SUITE:VERSION, not '$spec'" ;;
    esac
    if [ -n "$CDS_ROOT" ]; then
        CDS_STAGE=/opt/sysload-cds
        rm -rf "${CDS_ROOT:?}$CDS_STAGE"
        mkdir -p "$CDS_ROOT$CDS_STAGE"
        on_exit rm -rf "${CDS_ROOT:?}$CDS_STAGE"
        dir=$CDS_ROOT$CDS_STAGE
    else
        mkdir -p "$dir"
        CDS_STAGE=$(cd "$dir" && pwd)
    fi
    cp "$JAR" "$dir/sysload-exporter.jar"
    cp "$REPO/debian/sysload-exporter.launcher" "$dir/launcher"
    cp "$REPO/debian/sysload-exporter.jvm-flags" "$dir/jvm-flags"
    cp "$REPO/debian/sysload-exporter.dump-cds" "$dir/dump-cds"
    cp -r "$CDS_LISTS" "$dir/classlists"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/key.pem" \
        -out "$dir/cert.pem" -days 2 -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1" \
        2>"$WORK/openssl.log" || { cat "$WORK/openssl.log" >&2; die "openssl req failed"; }
    printf 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prometheus: %s\n' \
        "'$CDS_HASH'" >"$dir/web.yml"
    CDS_HOST_STAGE=$dir
    CDS_JAVA_VERSION=$("${CDS_RUN[@]}" java -version 2>&1 | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p')
    [ -n "$CDS_JAVA_VERSION" ] || die "$spec: no java, or one that does not tell its version"
    # shellcheck disable=SC2034 # for the scripts that source this
    CDS_JAVA_BUILD=$("${CDS_RUN[@]}" java -version 2>&1 | sed -n '2s/.*(build \(.*\)).*/\1/p')
}

# cds_on_host [--setenv=NAME=VALUE...] COMMAND...: COMMAND on the chosen host runtime, in the
# environment given, as in_jdk_root runs one in a root.
cds_on_host() {
    local env=(PATH="$CDS_PATH")
    while [[ ${1:-} == --setenv=* ]]; do
        env+=("${1#--setenv=}")
        shift
    done
    env -u JAVA_HOME -u JAVA_DEFAULT_OPTS "${env[@]}" "$@"
}

# cds_start NAME KIND [--setenv=NAME=VALUE...]: starts the staged exporter through the
# launcher, KIND plain or tls (the web config), on a free port, with the package's JVM flags
# and the environment given (JAVA_OPTS, archive settings), its output standing for the
# journal (no timestamps) in $WORK/NAME.log. Sets CDS_PID (the JVM's, as this host sees it)
# and CDS_URL, and waits for the first sample.
cds_start() {
    local name=$1 kind=$2 port wrapper java stream
    shift 2
    port=$(free_port)
    local args=(--web.listen-address="127.0.0.1:$port")
    CDS_CURL=(-fsS -o /dev/null)
    CDS_URL=http://127.0.0.1:$port
    if [ "$kind" = tls ]; then
        args+=(--web.config.file="$CDS_STAGE/web.yml")
        CDS_CURL+=(--cacert "$CDS_HOST_STAGE/cert.pem" -u "prometheus:$CDS_PASSWORD")
        CDS_URL=https://127.0.0.1:$port
    fi
    : >"$WORK/$name.log"
    stream=$(stat -c %d:%i "$WORK/$name.log")
    "${CDS_RUN[@]}" --setenv=SYSLOAD_EXPORTER_JAR="$CDS_STAGE/sysload-exporter.jar" \
        --setenv=SYSLOAD_EXPORTER_JVM_FLAGS="$CDS_STAGE/jvm-flags" --setenv=JOURNAL_STREAM="$stream" "$@" \
        sh "$CDS_STAGE/launcher" "${args[@]}" >"$WORK/$name.log" 2>&1 &
    wrapper=$!
    on_exit stop_process "$wrapper"
    CDS_WRAPPER=$wrapper
    wait_first_sample "$CDS_URL/metrics" "$wrapper" "$WORK/$name.log" 30 "${CDS_CURL[@]:3}"
    # The JVM: the launcher execs it, under this shell's background subshell, or nspawn's.
    java=$(java_under "$wrapper")
    on_exit stop_process "$java"
    CDS_PID=$java
}

# cds_scrape: what a scrape loads: / once, /metrics in the OpenMetrics format gzipped once (as
# Prometheus asks) and in the text format every half second for about 3 s.
cds_scrape() {
    curl "${CDS_CURL[@]}" "$CDS_URL/" || die "$CDS_URL/ failed"
    curl "${CDS_CURL[@]}" --compressed -H 'Accept: application/openmetrics-text' "$CDS_URL/metrics" ||
        die "OpenMetrics scrape of $CDS_URL failed"
    for _ in $(seq 6); do
        sleep 0.5
        curl "${CDS_CURL[@]}" "$CDS_URL/metrics" || die "scrape of $CDS_URL/metrics failed"
    done
}

# cds_stop NAME: SIGTERM to the JVM of the last cds_start; dies unless it exits with 0.
cds_stop() {
    local status=0
    kill -TERM "$CDS_PID"
    wait "$CDS_WRAPPER" || status=$?
    [ "$status" = 0 ] || { cat "$WORK/$1.log" >&2; die "the exporter ($1) exited with status $status"; }
}

# cds_dump NAME: dumps the committed list NAME of the runtime's Java version into
# $CDS_STAGE/NAME.jsa with the dump script postinst runs; its output in CDS_DUMP_OUT.
cds_dump() {
    # shellcheck disable=SC2034 # for the scripts that source this
    CDS_DUMP_OUT=$("${CDS_RUN[@]}" sh "$CDS_STAGE/dump-cds" "$CDS_STAGE/classlists" \
        "$CDS_STAGE/sysload-exporter.jar" "$CDS_STAGE/$1.jsa" 2>&1 </dev/null)
}
