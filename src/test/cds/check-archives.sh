#!/usr/bin/env bash
# Checks that the package's class-data archives are exact for the jar and the Java runtime,
# as postinst dumps them and the launcher maps them; fails when a committed class list has
# fallen behind the code or the archive is not used.
#
#   bash src/test/cds/check-archives.sh [RUNTIME...]
#
# RUNTIME (default host): host, a JDK directory or SUITE:VERSION, as src/test/cds/cds.sh
# says; ClassListIT runs it on the JDK of mvn -B verify (and on -Dcds.java.home), and
# "trixie:21 trixie:25" checks the lists for Debian 13 (as root). On each it:
#
# 1. dumps both archives with debian/sysload-exporter.dump-cds from the lists of that Java
#    version and JAR (default target/sysload-exporter.jar): any warning fails (a class or
#    lambda the list names that the jar or the JDK lacks or spells otherwise, a class the dump
#    cannot archive, no lists for that version), but one about a JDK class from a build of
#    Java other than the list's (its header names it) is only counted: JDK updates change
#    their internals, and the lists are made on Debian's builds;
# 2. starts the exporter through the launcher, once plain and once with a TLS and basic-auth
#    web config, the archives where the launcher looks for them (SYSLOAD_EXPORTER_CDS_DIR)
#    and -Xshare:on, which stops the JVM if an archive it is given cannot be mapped; checks in
#    /proc/PID/maps that each maps its own archive, and not the other one;
# 3. scrapes each as update-classlist.sh does, with -XX:DumpLoadedClassList, and fails if the
#    committed list lacks more than 5 % of the project's and its libraries' classes and
#    lambdas that the run loaded (the JDK's own vary too much from run to run to compare).
#
# Needs: curl, openssl; for SUITE:VERSION, root, debootstrap and systemd-nspawn.
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
REGENERATE="regenerate the lists: bash src/test/cds/update-classlist.sh RUNTIME (after mvn -B -q package -DskipTests)"

# own LIST: the project's and its libraries' entries of a class list: class names, and whole
# lambda lines of their classes.
own() {
    grep -E '^(@lambda-proxy )?(io/github/sysloadexporter|picocli|io/prometheus|org/slf4j|org/eclipse/jetty|org/yaml|at/favre)/' "$1" |
        sed -E 's/^([^@ ][^ ]*) .*/\1/' | sort -u
}

failed=0
fail() {
    echo "check-archives: FAIL: $*" >&2
    failed=1
}

for runtime in "${@:-host}"; do
    cds_runtime "$runtime" "$WORK/stage-${runtime//[:\/]/_}"
    what="$runtime (Java $CDS_JAVA_BUILD)"
    [ -d "$CDS_LISTS/$CDS_JAVA_VERSION" ] || fail "$what: no class lists in ${CDS_LISTS#"$REPO"/}/$CDS_JAVA_VERSION; $REGENERATE"

    for name in "${CDS_ARCHIVES[@]}"; do
        status=0
        cds_dump "$name" || status=$?
        warnings=$(printf '%s\n' "$CDS_DUMP_OUT" | grep -i -E 'warn|error' || true)
        # The build of Java the list was made on, from its header.
        jdk_only=
        made_on=$(sed -n 's/^# from a run of .* on Java \(.*\)\.$/\1/p' "$CDS_LISTS/$CDS_JAVA_VERSION/$name.classlist" 2>/dev/null)
        if [ -n "$warnings" ] && [ -n "$made_on" ] && [ "$made_on" != "$CDS_JAVA_BUILD" ]; then
            # Another build of the same Java version (an update, another vendor's) may lack or
            # spell otherwise some of the JDK's own classes and lambdas; those warnings say
            # nothing about the jar. Any other warning still fails.
            jdk_only=$(printf '%s\n' "$warnings" | grep -E '(Cannot find|ClassNotFoundException:|entry can be found for class|Skipping) (java|javax|jdk|sun|com[./]sun)[./]' || true)
            warnings=$(printf '%s\n' "$warnings" | grep -v -F -x -e "$jdk_only" || true)
            [ -z "$jdk_only" ] ||
                echo "check-archives: $what: $name.jsa: $(printf '%s\n' "$jdk_only" | grep -c .) warnings about the JDK's own classes not counted: the list was made on Java $made_on"
        fi
        if [ "$status" != 0 ]; then
            fail "$what: the dump of $name.jsa failed (status $status): $(printf '%s\n' "$CDS_DUMP_OUT" | tail -n 5)"
        elif [ -n "$warnings" ]; then
            fail "$what: the dump of $name.jsa warns; $REGENERATE:"$'\n'"$warnings"
        elif [ -n "$jdk_only" ]; then
            echo "check-archives: $what: $name.jsa dumped with no other warning"
        else
            echo "check-archives: $what: $name.jsa dumped without a warning"
        fi
    done

    for name in "${CDS_ARCHIVES[@]}"; do
        kind=$([ "$name" = sysload-exporter ] && echo plain || echo tls)
        other=$([ "$name" = sysload-exporter ] && echo sysload-exporter-tls || echo sysload-exporter)
        [ -s "$CDS_HOST_STAGE/$name.jsa" ] || continue
        rm -f "$CDS_HOST_STAGE/$name.lst"
        cds_start "$name" "$kind" --setenv=SYSLOAD_EXPORTER_CDS_DIR="$CDS_STAGE" \
            --setenv=JAVA_OPTS="-Xshare:on -XX:DumpLoadedClassList=$CDS_STAGE/$name.lst"
        if ! grep -qF "$CDS_STAGE/$name.jsa" "/proc/$CDS_PID/maps"; then
            fail "$what: the $kind start does not map $name.jsa; it maps: $(grep -o '[^ ]*\.jsa$' "/proc/$CDS_PID/maps" | sort -u | paste -sd ' ')"
        elif grep -qF "$CDS_STAGE/$other.jsa" "/proc/$CDS_PID/maps"; then
            fail "$what: the $kind start maps $other.jsa"
        else
            echo "check-archives: $what: the $kind start maps $name.jsa"
        fi
        cds_scrape
        cds_stop "$name"

        own "$CDS_HOST_STAGE/$name.lst" >"$WORK/loaded"
        own "$CDS_LISTS/$CDS_JAVA_VERSION/$name.classlist" >"$WORK/committed" 2>/dev/null || : >"$WORK/committed"
        loaded=$(wc -l <"$WORK/loaded")
        missing=$(comm -23 "$WORK/loaded" "$WORK/committed")
        lacking=$(printf '%s' "$missing" | grep -c . || true)
        if [ "$loaded" -lt 50 ]; then
            fail "$what: only $loaded of the project's classes recorded in the $kind start; is the check broken?"
        elif [ $((lacking * 100)) -gt $((loaded * 5)) ]; then
            fail "$what: $name.classlist lacks $lacking of the $loaded project and library entries a $kind start loads; $REGENERATE:"$'\n'"$missing"
        else
            echo "check-archives: $what: $name.classlist has $((loaded - lacking)) of the $loaded project and library entries a $kind start loads"
        fi
    done
done
[ "$failed" = 0 ] || exit 1
echo "check-archives: OK"
