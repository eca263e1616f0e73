#!/usr/bin/env bash
# Regenerates the lists of classes that the package's postinst dumps into its two
# class-data-sharing archives in /var/cache/sysload-exporter (see the comment in
# debian/sysload-exporter.launcher): debian/classlists/VERSION/sysload-exporter.classlist,
# what a plain HTTP start loads, and sysload-exporter-tls.classlist, what a start with a TLS
# and basic-auth web config loads, for each Java feature VERSION a runtime is given for.
#
#   mvn -B -q package -DskipTests && bash src/test/cds/update-classlist.sh [RUNTIME...]
#
# RUNTIME (default host): host, a JDK directory or SUITE:VERSION, as src/test/cds/cds.sh
# says; the package's lists come from "host trixie:21 trixie:25" on Debian 12 (Java 17), the
# Java runtimes Debian 12 and 13 install it with. Each list must come from the Java version it
# is for: one made on another names classes and lambdas that version lacks or spells otherwise.
#
# It builds nothing: it runs target/sysload-exporter.jar (JAR) through the package's launcher,
# with the packaged JVM flags and -XX:DumpLoadedClassList, no archive (so that every class is
# loaded and listed), on a free loopback port, its stderr standing for the journal as under
# systemd (JOURNAL_STREAM naming it: no log timestamps); waits until the first sample is
# served; scrapes it as cds_scrape does, over https with the password for the TLS start; stops
# it with SIGTERM and writes what it loaded. Run it after a change in what the exporter loads
# (new code, new or upgraded libraries, another JDK build); check-archives.sh, and so
# ClassListIT, fails when a list falls behind.
#
# Needs: curl, openssl; for SUITE:VERSION root, debootstrap and systemd-nspawn.
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"
# shellcheck source=src/test/shell/debian-root.sh
. "$REPO/src/test/shell/debian-root.sh"
# shellcheck source=src/test/cds/cds.sh
. "$REPO/src/test/cds/cds.sh"

JAR=${JAR:-target/sysload-exporter.jar}
need curl openssl
[ -s "$JAR" ] || die "$JAR missing (mvn -B -q package -DskipTests)"

# record NAME KIND WHAT: runs the exporter (KIND plain or tls, a WHAT start), scrapes it and
# writes the classes it loaded to the list NAME of the runtime's Java version.
record() {
    local name=$1 kind=$2 what=$3 out
    out=$CDS_LISTS/$CDS_JAVA_VERSION/$name.classlist
    rm -f "$CDS_HOST_STAGE/$name.lst"
    cds_start "$name" "$kind" --setenv=JAVA_OPTS="-XX:DumpLoadedClassList=$CDS_STAGE/$name.lst" \
        --setenv=SYSLOAD_EXPORTER_CDS_ARCHIVE=
    cds_scrape
    cds_stop "$name"
    [ -s "$CDS_HOST_STAGE/$name.lst" ] || die "the JVM wrote no class list"

    # The JVM's own header is replaced by ours. Left out, as the dump could not use them and
    # would warn: dynamic proxies ($ProxyN), generated at run time; JFR's event classes
    # (jdk/internal/event/), never archived; and Java 25's @cp lines, the constant pool entries
    # to resolve at dump time: given by index, they fit one build of the JDK only (Debian's
    # 25.0.5 and Temurin's 25.0.3 differ), and resolving those of picocli's classes, which are
    # Java 5 class files, links them, after which they cannot be archived at all.
    mkdir -p "${out%/*}"
    {
        echo "# Classes that sysload-exporter loads in a $what start, written by src/test/cds/update-classlist.sh"
        echo "# from a run of target/sysload-exporter.jar on Java $CDS_JAVA_BUILD."
        echo "# postinst dumps them into /var/cache/sysload-exporter/$name.jsa"
        echo "# (java -Xshare:dump -XX:SharedClassListFile=...). Regenerate it with:"
        echo "#   mvn -B -q package -DskipTests && bash src/test/cds/update-classlist.sh RUNTIME"
        # shellcheck disable=SC2016 # a literal $ in a regular expression
        grep -v -E -e '^#' -e '/\$Proxy[0-9]+( |$)' -e '^jdk/internal/event/' -e '^@cp ' "$CDS_HOST_STAGE/$name.lst"
    } >"$WORK/$name.classlist"
    mv "$WORK/$name.classlist" "$out"
    echo "update-classlist: ${out#"$REPO"/}: $(grep -vc '^#' "$out") entries ($(grep -c '^@' "$out") of them lambda lines)"
}

for runtime in "${@:-host}"; do
    cds_runtime "$runtime" "$WORK/stage-${runtime//[:\/]/_}"
    record sysload-exporter plain plain
    record sysload-exporter-tls tls "TLS and basic-auth"
done
