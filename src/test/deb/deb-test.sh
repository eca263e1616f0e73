#!/bin/bash
# Package test for sysload-exporter. Run as root from anywhere in a checkout:
#
#   bash src/test/deb/deb-test.sh [SUITE [JDK]]
#
# SUITE is the Debian release to install on (default bookworm; trixie is Debian 13), JDK the
# OpenJDK feature version to run on (default: the one the suite's default-jre-headless
# depends on, 17 on bookworm, 21 on trixie). A JDK other than the default is installed first
# (openjdk-JDK-jre-headless) and made the default java with update-alternatives, as an
# operator would; the package must then take it as its Java runtime and pull in no other.
# .ci/run runs bookworm 17, trixie 21 and trixie 25.
#
# 1. builds the .deb with dpkg-buildpackage from a copy of the checkout (unless DEB_TEST_DEB
#    names one already built), and the .deb of the version below the top one in
#    debian/changelog from the last commit that had it on top, exported with git archive
#    (unless DEB_TEST_PREVIOUS_DEB names one, or one built from that commit is in
#    $DEB_TEST_WORK),
# 2. runs lintian on it (fails on errors), systemd-analyze security on
#    systemd/sysload-exporter.service (fails if the exposure is above 4.0), and checks that
#    dpkg refuses it beside a JVM older than its flags need (Breaks),
# 3. bootstraps a minimal Debian root of SUITE and boots it with systemd as PID 1 in
#    systemd-nspawn, on a private network so that nothing clashes with the host's port 9858,
# 4. installs the .deb there with apt and checks: the Java runtime is OpenJDK JDK and the only
#    one, every flag of the installed flags file accepted by it without a warning, the user,
#    the unit enabled and active as that user, systemd-analyze verify and security, /metrics
#    answering with sysload_sysload, every flag of the installed flags file on the JVM, no
#    warning of the JVM in the journal (and no start without flags, nor with a flag the JVM
#    rejects), the class-data-sharing archive built quietly and mapped by the service's JVM,
#    rebuilt when the JVM's package is reinstalled (trigger),
# 5. runs a round of hostile clients against the service (src/test/perf/hostile-clients.py,
#    by the host's python3 inside the container's network namespace, all on its loopback):
#    64 half requests, 1,000 clients trickling a header, 1,000 silent connections and a flood
#    of 10,000, 15 s each, while a scraper asks every 0.5 s; the service must have "Max open
#    files" 8192 (LimitNOFILE), answer every scrape (p99 at most 1 s, resident set at most
#    48 MB above idle: CI's machine is shared), answer again within 10 s of the flood's end
#    and still be the same process; the table of each round is printed,
# 6. checks a restart by systemd after SIGKILL, a restart on reinstallation, flags taken from
#    /etc/default/sysload-exporter, exit 0 on SIGTERM,
# 7. then removes and purges, leaving nothing behind, the archive included,
# 8. installs the previous version's .deb, changes /etc/default/sysload-exporter and adds a web
#    configuration that it names, upgrades to the new .deb and checks: both files kept as they
#    were (no conffile question), the service restarted on the new jar (MainPID, the version
#    in sysload_build_info, the jar the JVM holds open) with both in effect, the class-data
#    archive dumped anew and mapped by the new JVM; then purges again, leaving nothing.
#
# Needs (Debian packages): debhelper maven default-jdk-headless (or
# openjdk-17-jdk-headless) lintian debootstrap systemd-container systemd git
# python3 (Python 3.11 or later, as /usr/bin/python3, for step 5),
# plus the Maven dependencies in ~/.m2 or access to Maven Central, and the
# Debian mirror that apt is configured with.
#
# Environment:
#   DEB_TEST_SUITE, DEB_TEST_JDK  SUITE and JDK when not given as arguments
#   DEB_TEST_DEB       install this .deb instead of building one; the checks of the build
#                      (lintian, systemd-analyze security of the unit) are left to the run
#                      that built it, as .ci/run does for the second and third combination
#   DEB_TEST_PREVIOUS_DEB  upgrade from this .deb instead of building the previous version's
#                      from git; .ci/run builds it in its first run and passes it to the others
#   DEB_TEST_WORK      working directory (default: target/deb-test in the checkout)
#   DEB_TEST_CACHE=0   do not keep the bootstrapped root of SUITE as a tarball, nor the
#                      packages fetched for it, under $DEB_TEST_WORK/cache for the next run,
#                      and build the previous version's .deb even if it was built before
#   DEB_TEST_MIRROR    Debian mirror URI (default: apt's entry for SUITE, else for bookworm)
#   DEB_TEST_KEEP=1    leave the container running and the root in place on exit
set -euo pipefail
# shellcheck source=src/test/shell/lib.sh
. "$(dirname "$0")/../shell/lib.sh"
# shellcheck source=src/test/shell/debian-root.sh
. "$REPO/src/test/shell/debian-root.sh"
# What this test keeps for the next run and for reading after it (lib.sh's WORK is removed).
OUT=${DEB_TEST_WORK:-$REPO/target/deb-test}
CACHE_DIR=$OUT/cache
SUITE=${1:-${DEB_TEST_SUITE:-bookworm}}
JDK=${2:-${DEB_TEST_JDK:-}}
PKG=sysload-exporter
PORT=9858
MAX_EXPOSURE=4.0
PATH_IN=/usr/sbin:/usr/bin:/sbin:/bin

NSPAWN_PID=
INIT_PID=
ROOT=

# Each step's heading says when it began, in seconds since the start: where the time goes.
say() { printf '\n=== %s (at %d s)\n' "$*" "$SECONDS"; }
ok() { printf 'ok: %s\n' "$*"; }

# fail MESSAGE: dies, showing first the end of the service's journal if the container runs.
fail() {
    if [ -n "$INIT_PID" ] && kill -0 "$INIT_PID" 2>/dev/null; then
        echo "--- journal of $PKG.service in the container:" >&2
        in_root journalctl --no-pager -n 40 -u "$PKG.service" >&2 || true
    fi
    die "FAIL: $*"
}

# Runs a command inside the booted container, with a clean environment.
in_root() {
    nsenter -t "$INIT_PID" -a env -i PATH="$PATH_IN" LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# Runs a command in the (not booted) root with the host's network; its output as it is (no
# terminal of nspawn's between, which would end each line with a carriage return).
in_chroot() {
    systemd-nspawn -q -D "$ROOT" --register=no --keep-unit --as-pid2 --console=pipe \
        --setenv=DEBIAN_FRONTEND=noninteractive "$@"
}

prop() { in_root systemctl show -P "$1" "$PKG.service"; }

# unless_kept COMMAND...: on_exit COMMAND, unless DEB_TEST_KEEP=1 leaves the container and
# its root for a look.
unless_kept() { [ "${DEB_TEST_KEEP:-0}" = 1 ] || on_exit "$@"; }
kept() { echo "DEB_TEST_KEEP=1: the container (nspawn pid $NSPAWN_PID, init pid $INIT_PID) and $ROOT are left in place"; }
[ "${DEB_TEST_KEEP:-0}" != 1 ] || on_exit kept

[ "$(id -u)" = 0 ] || fail "must run as root (debootstrap, systemd-nspawn, nsenter)"
need dpkg-buildpackage dh mvn lintian debootstrap systemd-nspawn systemd-analyze nsenter tar awk
[ -x /usr/bin/python3 ] || fail "/usr/bin/python3 not found; see the package list at the top of $0"
[[ $SUITE =~ ^[a-z]+$ ]] || fail "SUITE is a Debian codename such as bookworm or trixie, not '$SUITE'"
[[ $JDK =~ ^[0-9]*$ ]] || fail "JDK is an OpenJDK feature version such as 21, not '$JDK'"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# This combination's logs and root; the build and the caches are shared.
RUN=$OUT/$SUITE-jdk${JDK:-default}
mkdir -p "$RUN"
echo "deb-test: Debian $SUITE, OpenJDK ${JDK:-of the suite by default}; logs in $RUN"

# --- 1. build --------------------------------------------------------------
# given_deb FILE VARIABLE: the absolute path of FILE, a .deb of this package named by the
# environment's VARIABLE.
given_deb() {
    [ -f "$1" ] || fail "$2=$1 is not a file"
    local path
    path=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    [ "$(dpkg-deb -f "$path" Package)" = "$PKG" ] || fail "$2: $path is not a $PKG package"
    echo "$path"
}

# build_deb TREE VERSION LOG: builds the .deb of VERSION from the source tree TREE, a
# directory named $PKG (dpkg-buildpackage writes to its parent), and copies it to OUT; its
# output in LOG. Prints the .deb's path.
build_deb() {
    local tree=$1 deb=${PKG}_$2_all.deb log=$3
    (cd "$tree" && dpkg-buildpackage -us -uc -b) > "$log" 2>&1 ||
        { tail -40 "$log" >&2; fail "dpkg-buildpackage in $tree failed (log: $log)"; }
    [ -f "$tree/../$deb" ] || fail "$deb was not built in $tree/.."
    cp "$tree/../$deb" "$OUT/$deb"
    echo "$OUT/$deb"
}

VERSION=$(dpkg-parsechangelog -l "$REPO/debian/changelog" -S Version)
# The entry below the top one: the package an upgrade starts from (step 8).
PREVIOUS_VERSION=$(dpkg-parsechangelog -l "$REPO/debian/changelog" --offset 1 --count 1 -S Version)
[ -n "$PREVIOUS_VERSION" ] || fail "debian/changelog has one entry: no previous version to upgrade from"
if [ -n "${DEB_TEST_DEB:-}" ]; then
    say "the .deb: $DEB_TEST_DEB"
    DEB_PATH=$(given_deb "$DEB_TEST_DEB" DEB_TEST_DEB)
    VERSION=$(dpkg-deb -f "$DEB_PATH" Version)
    DEB=$(basename "$DEB_PATH")
    ok "built before; lintian and the unit's security were checked by the run that built it"
else
    say "build the .deb"
    DEB=${PKG}_${VERSION}_all.deb
    # A copy of the checkout as it is, uncommitted changes included.
    BUILD=$OUT/build
    rm -rf "$BUILD"
    mkdir -p "$BUILD/$PKG"
    tar -C "$REPO" --exclude=./.git --exclude=./target -cf - . | tar -C "$BUILD/$PKG" -xf -
    DEB_PATH=$(build_deb "$BUILD/$PKG" "$VERSION" "$OUT/build.log")
    ok "built $DEB_PATH"
    dpkg-deb -c "$DEB_PATH" | awk '{print "  " $1, $6}'

    # --- 2. static checks --------------------------------------------------
    say "lintian"
    lintian_rc=0
    lintian_out=$(lintian -I --fail-on error "$DEB_PATH" 2>&1) || lintian_rc=$?
    echo "$lintian_out" | grep -v 'running with root privileges' || true
    [ "$lintian_rc" = 0 ] || fail "lintian reports errors (exit status $lintian_rc)"
    ok "lintian: no errors"

    say "systemd-analyze security (offline) on systemd/$PKG.service"
    security=$(systemd-analyze security --offline=true "$REPO/systemd/$PKG.service" 2>&1) ||
        { echo "$security"; fail "systemd-analyze security failed"; }
    echo "$security" | grep -F '✗' || true
    exposure=$(echo "$security" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    [ -n "$exposure" ] || { echo "$security"; fail "no exposure level in the output"; }
    echo "$security" | tail -1
    awk -v e="$exposure" -v max="$MAX_EXPOSURE" 'BEGIN { exit !(e <= max) }' ||
        fail "exposure $exposure is above $MAX_EXPOSURE"
    ok "exposure $exposure <= $MAX_EXPOSURE"
fi

# top_version REV: the version of the top entry of debian/changelog at commit REV; empty if
# REV has none.
top_version() {
    git -C "$REPO" show "$1:debian/changelog" 2>/dev/null | dpkg-parsechangelog -l - -S Version 2>/dev/null || true
}

# previous_commit VERSION: the last commit whose debian/changelog has VERSION on top: HEAD
# while the newer entry is not committed yet, else the parent of the commit that put a newer
# one on top, on HEAD's first-parent line (a merge that brought the new entry counts as the
# commit that put it there).
previous_commit() {
    local c
    if [ "$(top_version HEAD)" = "$1" ]; then
        git -C "$REPO" rev-parse HEAD
        return
    fi
    for c in $(git -C "$REPO" rev-list --first-parent HEAD -- debian/changelog); do
        if [ "$(top_version "$c^")" = "$1" ]; then
            git -C "$REPO" rev-parse "$c^"
            return
        fi
    done
    return 1
}

PREVIOUS_DEB=${PKG}_${PREVIOUS_VERSION}_all.deb
if [ -n "${DEB_TEST_PREVIOUS_DEB:-}" ]; then
    say "the .deb of the previous version: $DEB_TEST_PREVIOUS_DEB"
    PREVIOUS_PATH=$(given_deb "$DEB_TEST_PREVIOUS_DEB" DEB_TEST_PREVIOUS_DEB)
    PREVIOUS_DEB=$(basename "$PREVIOUS_PATH")
    PREVIOUS_VERSION=$(dpkg-deb -f "$PREVIOUS_PATH" Version)
    ok "built before, of version $PREVIOUS_VERSION"
else
    say "build the .deb of the previous version, $PREVIOUS_VERSION, from the git history"
    need git
    if ! commit=$(previous_commit "$PREVIOUS_VERSION"); then
        [ "$(git -C "$REPO" rev-parse --is-shallow-repository)" != true ] ||
            fail "this clone is shallow: the upgrade from $PREVIOUS_VERSION needs the history that built it"
        fail "no commit of HEAD's history has $PREVIOUS_VERSION on top of debian/changelog"
    fi
    described=$(git -C "$REPO" log -1 --format='%h %s' "$commit")
    # That commit's tree never changes: a .deb built from it before (the commit is noted
    # beside it) is the same package, and the build takes a minute.
    PREVIOUS_PATH=$OUT/$PREVIOUS_DEB
    if [ "${DEB_TEST_CACHE:-1}" != 0 ] && [ -f "$PREVIOUS_PATH" ] &&
        [ "$(cat "$PREVIOUS_PATH.commit" 2>/dev/null)" = "$commit" ]; then
        ok "$PREVIOUS_PATH, built before from $described"
    else
        rm -f "$PREVIOUS_PATH.commit"
        mkdir -p "$WORK/previous/$PKG"
        git -C "$REPO" archive "$commit" | tar -C "$WORK/previous/$PKG" -xf -
        PREVIOUS_PATH=$(build_deb "$WORK/previous/$PKG" "$PREVIOUS_VERSION" "$OUT/build-previous.log")
        echo "$commit" > "$PREVIOUS_PATH.commit"
        ok "built $PREVIOUS_PATH from $described"
    fi
fi

say "Breaks: no install beside a JVM older than the flags need"
# The flags need OpenJDK 17.0.9 or 21.0.1 (TrimNativeHeapInterval), which a dependency on a
# virtual package cannot say; debian/control's Breaks does. dpkg, given a database holding
# only the JVM, must refuse the package beside the versions before those and take it beside
# them (the first two are Debian's version strings of those releases).
echo "  $(dpkg-deb -f "$DEB_PATH" Breaks)"
for jvm in openjdk-17-jre-headless=17.0.9+9-1~deb12u1=no openjdk-17-jre-headless=17.0.8+7-1~deb12u1=yes \
    openjdk-21-jre-headless=21.0.1+12-1=no openjdk-21-jre-headless=21.0.0+35-1=yes \
    openjdk-25-jre-headless=25.0.1+8-1=no; do
    IFS='=' read -r jvm_pkg jvm_version refused <<<"$jvm"
    admin=$WORK/dpkg-admin
    rm -rf "$admin"
    mkdir -p "$admin/info" "$admin/updates" "$admin/triggers"
    touch "$admin/available"
    printf 'Package: %s\nStatus: install ok installed\nVersion: %s\nArchitecture: all\nMaintainer: none <none@example.org>\nDescription: none\n' \
        "$jvm_pkg" "$jvm_version" > "$admin/status"
    breaks_out=$(dpkg --admindir="$admin" --force-not-root --simulate --install "$DEB_PATH" 2>&1 || true)
    if grep -q "would break $jvm_pkg" <<<"$breaks_out"; then got=yes; else got=no; fi
    [ "$got" = "$refused" ] || { echo "$breaks_out"; fail "beside $jvm_pkg $jvm_version: refused=$got, wanted $refused"; }
    ok "beside $jvm_pkg $jvm_version: $([ "$got" = yes ] && echo refused || echo accepted)"
done

# --- 3. a clean Debian root of SUITE, booted -------------------------------
say "a minimal Debian $SUITE root"
ROOT=$RUN/root
debian_root_remove "$ROOT"
unless_kept debian_root_remove "$ROOT"
debian_root "$SUITE" "$ROOT" "$CACHE_DIR" "$RUN/debootstrap.log" || fail "no $SUITE root"

# The package's dependencies (the Java runtime, adduser) come from the mirror.
# They are fetched now, while the root still has the host's network; the
# container then boots without one and apt installs from what was fetched
# (it would fail if anything were missing). What earlier runs on this suite
# fetched is put in apt's cache first, so that only what changed is fetched.
mkdir -p "$ROOT/opt/deb-test"
cp "$DEB_PATH" "$PREVIOUS_PATH" "$ROOT/opt/deb-test/"
chmod -R a+rX "$ROOT/opt/deb-test"
DEBS_CACHE=$CACHE_DIR/$SUITE-debs
ARCHIVES=$ROOT/var/cache/apt/archives
if [ "${DEB_TEST_CACHE:-1}" != 0 ] && [ -d "$DEBS_CACHE" ]; then
    find "$DEBS_CACHE" -maxdepth 1 -name '*.deb' -exec cp -t "$ARCHIVES" {} +
fi
in_chroot apt-get -q update > "$RUN/apt.log" 2>&1 ||
    { tail -20 "$RUN/apt.log"; fail "apt-get update in the root failed"; }
# The suite's default JDK: the openjdk-N-jre-headless its default-jre-headless depends on.
default_jdk=$(in_chroot apt-cache depends default-jre-headless 2>>"$RUN/apt.log" |
    sed -n 's/^ *Depends: openjdk-\([0-9][0-9]*\)-jre-headless$/\1/p' | head -n 1)
[ -n "$default_jdk" ] || fail "no openjdk-N-jre-headless behind default-jre-headless in $SUITE"
JDK=${JDK:-$default_jdk}
JRE=openjdk-$JDK-jre-headless
in_chroot apt-cache show "$JRE" > /dev/null 2>&1 || fail "$SUITE has no package $JRE"
EXTRA_JRE=
if [ "$JDK" != "$default_jdk" ]; then EXTRA_JRE=$JRE; fi
for d in "$DEB" "$PREVIOUS_DEB"; do
    in_chroot apt-get -q install -y --download-only ${EXTRA_JRE:+"$EXTRA_JRE"} "/opt/deb-test/$d" >> "$RUN/apt.log" 2>&1 ||
        { tail -20 "$RUN/apt.log"; fail "could not fetch the dependencies of $d"; }
done
in_chroot apt-get -q autoclean >> "$RUN/apt.log" 2>&1 || true
debs=("$ARCHIVES"/*.deb)
if [ "${DEB_TEST_CACHE:-1}" != 0 ]; then
    rm -rf "$DEBS_CACHE.tmp"
    mkdir -p "$DEBS_CACHE.tmp"
    cp -t "$DEBS_CACHE.tmp" "${debs[@]}"
    rm -rf "$DEBS_CACHE"
    mv "$DEBS_CACHE.tmp" "$DEBS_CACHE"
fi
ok "dependencies fetched: ${#debs[@]} packages (Debian $SUITE's default JDK is $default_jdk; this run's is $JDK)"

say "boot the root with systemd-nspawn"
systemd-nspawn -D "$ROOT" --boot --register=no --keep-unit --console=pipe \
    --private-network --machine=sysload-deb-test > "$RUN/nspawn.log" 2>&1 &
NSPAWN_PID=$!
# nspawn passes SIGTERM on to the container's systemd as a shut-down request.
unless_kept stop_process "$NSPAWN_PID" 30

# The container's PID 1 is the child of nspawn whose innermost pid is 1.
find_init() {
    local s
    for s in /proc/[0-9]*/status; do
        if awk -v p="$NSPAWN_PID" '
            /^PPid:/ { pp = $2 } /^NSpid:/ { last = $NF }
            END { exit !(pp == p && last == 1) }' "$s" 2>/dev/null; then
            INIT_PID=$(basename "$(dirname "$s")")
            return 0
        fi
    done
    return 1
}
wait_until 30 find_init || { cat "$RUN/nspawn.log"; fail "no systemd in the container"; }
state=$(timeout 90 nsenter -t "$INIT_PID" -a systemctl is-system-running --wait 2>/dev/null || true)
case "$state" in
    running) ok "systemd is PID 1 in the container (host pid $INIT_PID): $state" ;;
    degraded) in_root systemctl --failed --no-pager || true
              ok "systemd is PID 1 in the container (host pid $INIT_PID): $state" ;;
    *) cat "$RUN/nspawn.log"; fail "container did not boot: '$state'" ;;
esac

# --- 4. install ------------------------------------------------------------
if [ -n "$EXTRA_JRE" ]; then
    say "install $EXTRA_JRE and make it the default java"
    in_root apt-get -q install -y "$EXTRA_JRE" > "$RUN/jre.log" 2>&1 ||
        { cat "$RUN/jre.log"; fail "apt-get install $EXTRA_JRE failed"; }
    alt=$(in_root update-alternatives --list java | grep "/java-$JDK-openjdk[^/]*/bin/java\$" | head -n 1) ||
        fail "$EXTRA_JRE installed no java alternative"
    in_root update-alternatives --set java "$alt" || fail "update-alternatives --set java $alt failed"
    ok "update-alternatives --set java $alt"
fi

say "install"
in_root apt-get -q install -y "/opt/deb-test/$DEB" > "$RUN/install.log" 2>&1 ||
    { cat "$RUN/install.log"; fail "apt-get install failed"; }
grep -E '^(Setting up|Created symlink)' "$RUN/install.log" || true

say "the Java runtime: OpenJDK $JDK, and the JVM's flags on it"
# shellcheck disable=SC2016 # expanded by the shell in the container
java_bin=$(in_root sh -c 'readlink -f "$(command -v java)"')
case $java_bin in
    /usr/lib/jvm/java-"$JDK"-openjdk*/bin/java) ;;
    *) fail "the default java is $java_bin, not OpenJDK $JDK" ;;
esac
# The package's Depends is met by the JRE there was (or by the suite's default one): apt
# pulled in no other.
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
jres=$(in_root dpkg-query -W -f='${db:Status-Status} ${Package} ${Version}\n' 'openjdk-*-jre-headless' |
    awk '$1 == "installed" { print $2, $3 }')
[ "$(awk '{ print $1 }' <<<"$jres")" = "$JRE" ] ||
    fail "JREs installed: $(tr '\n' ';' <<<"$jres") (wanted $JRE alone)"
ok "java is $java_bin, of $jres, the only JRE installed"
# Every flag of the installed file, as the launcher passes them, on this JVM: a flag it does
# not know, or no longer, stops it; one it deprecates or ignores makes it warn.
jvm_flags=$(in_root sed 's/#.*//' "/usr/share/$PKG/jvm-flags" | tr '\n' ' ')
# shellcheck disable=SC2086 # the flags are a list of words
java_out=$(in_root java $jvm_flags -version 2>&1) ||
    { echo "$java_out"; fail "OpenJDK $JDK refuses the flags of /usr/share/$PKG/jvm-flags"; }
if grep -Ei 'warning|unrecognized|ignoring|obsolete|deprecated|experimental|must be enabled' <<<"$java_out"; then
    fail "OpenJDK $JDK warns about the flags of /usr/share/$PKG/jvm-flags"
fi
java_build=$(sed -n 's/.*(build \([^,)]*\).*/\1/p' <<<"$java_out" | tail -n 1)
ok "OpenJDK $java_build takes every flag of /usr/share/$PKG/jvm-flags without a word"

say "the package and its service"
pw=$(in_root getent passwd "$PKG") || fail "no user $PKG"
IFS=: read -r _ _ uid gid _ home shell <<< "$pw"
echo "  passwd: $pw"
[ "$uid" -lt 1000 ] || fail "$PKG is not a system user (uid $uid)"
[ "$home" = /nonexistent ] || fail "home of $PKG is $home"
[ "$shell" = /usr/sbin/nologin ] || fail "shell of $PKG is $shell"
[ -d "$ROOT/nonexistent" ] && fail "a home directory was created"
in_root getent group "$PKG" >/dev/null || fail "no group $PKG"
ok "system user and group $PKG ($uid:$gid), no login, no home"

[ "$(in_root systemctl is-enabled "$PKG.service")" = enabled ] || fail "unit not enabled"
is_active() { [ "$(prop ActiveState)" = active ]; }
wait_until 20 is_active || fail "unit not active: $(prop ActiveState)/$(prop SubState)"
ok "unit enabled and active"

cmp -s "$REPO/systemd/$PKG.service" "$ROOT/lib/systemd/system/$PKG.service" ||
    fail "installed unit differs from systemd/$PKG.service"
# The container's own systemd judges the unit: the host's may be older than the suite's and
# know fewer settings. The container has no man(1); the page the unit names is checked here.
verify_rc=0
verify_out=$(in_root systemd-analyze verify --man=no "$PKG.service" 2>&1) || verify_rc=$?
if [ "$verify_rc" != 0 ] || [ -n "$verify_out" ]; then
    echo "$verify_out"
    fail "systemd-analyze verify in the container: status $verify_rc"
fi
[ -f "$ROOT/usr/share/man/man1/$PKG.1.gz" ] || fail "no manual page $PKG(1), which the unit names"
ok "systemd-analyze verify in the container: clean (installed unit = systemd/$PKG.service), $PKG(1) installed"
# And rates its exposure.
exposure_in=$(in_root systemd-analyze security "$PKG.service" |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$exposure_in" ] || fail "no exposure level from systemd-analyze security in the container"
awk -v e="$exposure_in" -v max="$MAX_EXPOSURE" 'BEGIN { exit !(e <= max) }' ||
    fail "exposure $exposure_in in the container is above $MAX_EXPOSURE"
ok "systemd-analyze security in the container ($(in_root systemctl --version | head -n 1)): exposure $exposure_in <= $MAX_EXPOSURE"

metrics() { in_root curl -fsS --max-time 5 "http://127.0.0.1:${1:-$PORT}/metrics"; }
# grep reads the whole page (no -q): curl writing after grep has quit would die of SIGPIPE,
# which pipefail counts as no sample.
has_sysload() { metrics "$@" 2>/dev/null | grep '^sysload_sysload[ {]' >/dev/null; }
wait_until 30 has_sysload || { metrics || true; fail "no sysload_sysload on 127.0.0.1:$PORT/metrics"; }
metrics | grep '^sysload_sysload[ {]' || true
ok "127.0.0.1:$PORT/metrics serves sysload_sysload"

# The installed command's terminal view, beside the running service (it opens no port).
watch_out=$(in_root sysload-exporter watch --count 2) || fail "sysload-exporter watch --count 2 failed"
echo "$watch_out"
[ "$(printf '%s\n' "$watch_out" | grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] ')" = 2 ] \
    || fail "sysload-exporter watch --count 2: not two lines of values"
ok "sysload-exporter watch --count 2: a header and two lines, beside the service"

pid=$(prop MainPID)
pstatus=$(in_root cat "/proc/$pid/status")
puid=$(echo "$pstatus" | awk '/^Uid:/ { print $2 }')
[ "$puid" = "$uid" ] || fail "main process runs as uid $puid, not $uid"
exe=$(in_root readlink "/proc/$pid/exe")
[ "$exe" = "$java_bin" ] || fail "main process runs $exe, not the default java $java_bin"
ok "main process (pid $pid in the container) runs $exe as $PKG;$(echo "$pstatus" | grep -E '^(VmRSS|Threads)' | tr -s '\t ' ' ' | tr '\n' ';')"
# The launcher read its flags from the installed flags file: each flag of it is on the JVM's
# command line.
cmdline=$(in_root cat "/proc/$pid/cmdline" | tr '\0' ' ')
for flag in $(in_root sed 's/#.*//' "/usr/share/$PKG/jvm-flags"); do
    case " $cmdline " in *" $flag "*) ;; *) fail "flag $flag of /usr/share/$PKG/jvm-flags not on the JVM's command line: $cmdline" ;; esac
done
ok "the JVM runs with every flag of /usr/share/$PKG/jvm-flags"
# Without flags (no file, or one of comments only) the launcher says so in one line and
# fails, rather than start a JVM sized for a server.
in_root sh -c "grep '^#' /usr/share/$PKG/jvm-flags > /tmp/comments-only"
for flags_file in /nonexistent /tmp/comments-only; do
    launcher_rc=0
    launcher_err=$(in_root env SYSLOAD_EXPORTER_JVM_FLAGS="$flags_file" "$PKG" --version 2>&1) || launcher_rc=$?
    if [ "$launcher_rc" != 1 ] || [ "$(wc -l <<<"$launcher_err")" != 1 ]; then
        fail "flags file $flags_file: status $launcher_rc, output: $launcher_err"
    fi
    ok "flags file $flags_file: status 1, '$launcher_err'"
done
in_root rm -f /tmp/comments-only
# Nothing from the JVM itself in the journal: no "VM warning" about a flag or the archive,
# no "WARNING:" of a JDK about something it deprecates that the exporter's code uses.
vm_warnings=$(in_root journalctl --no-pager -o cat -u "$PKG.service" | grep -E 'VM warning|^WARNING' || true)
[ -z "$vm_warnings" ] || fail "the JVM warns in the journal: $vm_warnings"
ok "no warning of the JVM in the journal"

say "class-data-sharing archive"
JSA=/var/cache/$PKG/$PKG.jsa
# postinst prints a warning only when it could not build the archive.
grep -F "$PKG: warning" "$RUN/install.log" && fail "postinst warned (log: $RUN/install.log)"
jsa_stat=$(in_root stat -c '%U:%G %a %s' "$JSA" 2>/dev/null) || fail "no $JSA after install"
[ "${jsa_stat% *}" = "root:root 644" ] || fail "$JSA is $jsa_stat, wanted root:root 644"
[ "${jsa_stat##* }" -gt 1000000 ] || fail "$JSA has only ${jsa_stat##* } bytes"
ok "$JSA: $jsa_stat bytes, postinst quiet"
# The JVM maps an archive it accepted; one it rejects (another JVM build, another jar) is
# not mapped, and then the JVM runs without any class-data sharing.
maps_jsa() { in_root grep -F "$JSA" "/proc/$1/maps"; }
mapped=$(maps_jsa "$pid") || fail "the service's JVM (pid $pid) does not map $JSA"
ok "the service's JVM maps $JSA: $(echo "$mapped" | wc -l) mappings"

say "reinstall the JVM's package: the trigger rebuilds the archive"
# shellcheck disable=SC2016 # expanded by the shell in the container
java_bin=$(in_root sh -c 'readlink -f "$(command -v java)"')
libjvm=${java_bin%/bin/java}/lib/server/libjvm.so
jre_pkg=$(in_root dpkg-query -S "$libjvm" | cut -d: -f1) || fail "no package owns $libjvm"
jsa_before=$(in_root stat -c '%i %Y' "$JSA")
in_root apt-get -q install -y --reinstall "$jre_pkg" > "$RUN/trigger.log" 2>&1 ||
    { tail -20 "$RUN/trigger.log"; fail "apt-get install --reinstall $jre_pkg failed"; }
grep -q "^Processing triggers for $PKG " "$RUN/trigger.log" ||
    { cat "$RUN/trigger.log"; fail "reinstalling $jre_pkg did not trigger $PKG"; }
grep -F "$PKG: warning" "$RUN/trigger.log" && fail "postinst warned (log: $RUN/trigger.log)"
jsa_after=$(in_root stat -c '%i %Y' "$JSA") || fail "no $JSA after the trigger"
[ "$jsa_after" != "$jsa_before" ] || fail "$JSA was not rebuilt (inode, mtime: $jsa_after)"
in_root test "$JSA" -nt "$libjvm" || fail "$JSA is not newer than $libjvm"
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
[ "$(in_root dpkg-query -W -f='${db:Status-Status}' "$PKG")" = installed ] ||
    fail "$PKG is not in state installed after the trigger"
ok "$jre_pkg reinstalled: $JSA rebuilt (inode, mtime: $jsa_before -> $jsa_after), newer than $libjvm"

# --- 5. hostile clients ----------------------------------------------------
say "hostile clients: 64 half requests, 1,000 slow and 1,000 silent clients, a flood of 10,000"
# src/test/perf/hostile-clients.py, run by the host's python3 in the container's network
# namespace (the only place where the service's port is), attacks the service on its
# loopback and measures it through its PID as the host sees it, alone (no node_exporter beside
# it, which the script would start if the host has one). Its goals (100 ms p99, 32 MB
# of growth) are for a quiet machine; on CI's shared one, looser bounds, but every scrape
# answered, one within 10 s of the flood's end, and the same process afterwards.
# host_pid PID: the host's PID of the container's process PID.
host_pid() {
    local ns s
    ns=$(readlink "/proc/$INIT_PID/ns/pid") || return 1
    for s in /proc/[0-9]*/status; do
        awk -v p="$1" '/^NSpid:/ { found = ($NF == p) } END { exit !found }' "$s" 2>/dev/null || continue
        [ "$(readlink "${s%/status}/ns/pid" 2>/dev/null)" = "$ns" ] || continue
        basename "${s%/status}"
        return 0
    done
    return 1
}
svc_pid=$(prop MainPID); svc_restarts=$(prop NRestarts)
svc_host_pid=$(host_pid "$svc_pid") || fail "no process of the host is the service's MainPID $svc_pid"
[ "$(cat "/proc/$svc_host_pid/comm")" = java ] ||
    fail "host pid $svc_host_pid (MainPID $svc_pid) is $(cat "/proc/$svc_host_pid/comm"), not java"
# LimitNOFILE: the JVM cannot raise its soft limit itself (SystemCallFilter refuses setrlimit),
# and at 1024 the 1,000 clients would take every file it may open.
nofile=$(awk '/^Max open files/ { print $4 "/" $5 }' "/proc/$svc_host_pid/limits")
[ "${nofile%/*}" = 8192 ] || fail "the service's soft limit of open files is ${nofile%/*}, not 8192 (LimitNOFILE)"
ok "MainPID $svc_pid is host pid $svc_host_pid; open files at most $nofile (soft/hard)"
round_start=$(date +%s)
hostile_rc=0
(
    # Room for the flood's 10,000 sockets in the clients' process.
    hard=$(ulimit -Hn)
    [ "$hard" = unlimited ] || [ "$hard" -ge 10100 ] || ulimit -n 10100
    exec nsenter -t "$INIT_PID" -n /usr/bin/python3 -u "$REPO/src/test/perf/hostile-clients.py" \
        --target "http://127.0.0.1:$PORT/metrics" --pid "$svc_host_pid" --name "$PKG, OpenJDK $java_build" \
        --no-node-exporter --rounds half64,slow1000,silent1000,flood10000 --seconds 15 \
        --assert --max-p99 1000 --max-growth 48 --json "$RUN/hostile-clients.json"
) 2>&1 | tee "$RUN/hostile-clients.log" || hostile_rc=$?
case $hostile_rc in
    0) ;;
    1) fail "hostile clients on OpenJDK $JDK: $(awk '/^FAILED / { sub(/^FAILED /, ""); printf "%s%s", sep, $0; sep = "; " }' "$RUN/hostile-clients.log")" ;;
    *) fail "hostile-clients.py stopped with status $hostile_rc: $(grep '^hostile-clients: ' "$RUN/hostile-clients.log" | tail -n 1)" ;;
esac
if [ "$(prop MainPID)" != "$svc_pid" ] || [ "$(prop NRestarts)" != "$svc_restarts" ] || ! is_active; then
    fail "the service did not outlive the round: MainPID $svc_pid -> $(prop MainPID), NRestarts $svc_restarts -> $(prop NRestarts), $(prop ActiveState)/$(prop SubState)"
fi
wait_until 10 has_sysload "$PORT" ||
    { metrics "$PORT" >/dev/null || true; fail "no sysload_sysload on 127.0.0.1:$PORT/metrics within 10 s of the round"; }
round_journal=$(in_root journalctl --no-pager -o cat -u "$PKG.service" --since "@$round_start")
[ -z "$round_journal" ] || printf 'the journal during the round:\n%s\n' "$round_journal"
ok "every scrape answered, one within 10 s of the flood's end; MainPID $svc_pid, NRestarts $svc_restarts, active, serving ($(grep -E '^VmRSS' "/proc/$svc_host_pid/status" | tr -s '\t ' ' '))"

# --- 6. restarts -----------------------------------------------------------
say "SIGKILL: systemd restarts it"
pid1=$(prop MainPID); n1=$(prop NRestarts)
# The main process alone: signalling the whole cgroup (the default) can fail with EIO or
# EINVAL when the JVM's threads vanish while systemd walks them, although the kill took.
in_root systemctl kill --kill-whom=main --signal=SIGKILL "$PKG.service" ||
    fail "systemctl kill --signal=SIGKILL failed"
restarted() { local p; p=$(prop MainPID); [ "$p" != 0 ] && [ "$p" != "$pid1" ] && is_active; }
wait_until 20 restarted || fail "not restarted after SIGKILL: $(prop ActiveState)/$(prop SubState)"
n2=$(prop NRestarts)
[ "$n2" = $((n1 + 1)) ] || fail "NRestarts went from $n1 to $n2"
wait_until 30 has_sysload || fail "no metrics after the restart"
ok "MainPID $pid1 -> $(prop MainPID), NRestarts $n1 -> $n2, metrics served again"

say "reinstall (as an upgrade would): the service is restarted"
pid1=$(prop MainPID)
in_root dpkg -i "/opt/deb-test/$DEB" > "$RUN/reinstall.log" 2>&1 ||
    { cat "$RUN/reinstall.log"; fail "dpkg -i failed"; }
wait_until 20 restarted || fail "not restarted by the reinstallation"
ok "MainPID $pid1 -> $(prop MainPID)"
# postinst replaced the archive before the service was restarted, so the new JVM maps the
# new file, not the old one that the previous JVM had mapped.
mapped=$(maps_jsa "$(prop MainPID)") || fail "the restarted JVM does not map $JSA"
echo "$mapped" | grep -q '(deleted)' && fail "the restarted JVM maps a deleted archive"
ok "the restarted JVM maps the rebuilt $JSA"

say "flags from /etc/default/$PKG"
in_root sed -i 's/^ARGS=.*/ARGS="--web.listen-address=127.0.0.1:9900"/' "/etc/default/$PKG"
in_root systemctl restart "$PKG.service"
wait_until 30 has_sysload 9900 || fail "ARGS in /etc/default/$PKG not used (nothing on :9900)"
metrics "$PORT" >/dev/null 2>&1 && fail "still listening on :$PORT"
ok "ARGS=--web.listen-address=127.0.0.1:9900 moved the exporter to :9900"

say "TLS archive: dumped silently, mapped by a TLS start"
JSA_TLS=/var/cache/$PKG/$PKG-tls.jsa
# A warning about a JDK class (a JDK update since the lists were made) is not counted.
jdk='(Cannot find|ClassNotFoundException:|entry can be found for class|Skipping) (java|javax|jdk|sun|com[./]sun)[./]'
for a in "$PKG" "$PKG-tls"; do
    out=$(in_root "/usr/lib/$PKG/dump-cds" "/usr/share/$PKG/classlists" "/usr/share/$PKG/$PKG.jar" "/tmp/$a.jsa" 2>&1) ||
        fail "dump of $a.jsa: $out"
    own=$(grep -iE 'warn|error' <<<"$out" | grep -vE "$jdk" || true)
    [ -z "$own" ] || fail "dump of $a.jsa warns: $own"
    in_root rm -f "/tmp/$a.jsa"
done
ok "both lists of this Java dump without a warning about the package's classes"
tls_dir=$ROOT/etc/$PKG
mkdir -p "$tls_dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" 2>/dev/null ||
    fail "openssl req"
# the password is deb-test
printf 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prometheus: %s\n' \
    "'\$2y\$10\$q4bfW9J8.6bw.W1qw9p06O9h17u7p0FjUoILj2PaUVbHqyO1qcaIC'" >"$tls_dir/web.yml"
chmod -R a+rX "$tls_dir"
set_args() {
    in_root sed -i "s|^ARGS=.*|ARGS=\"--web.listen-address=127.0.0.1:9900$1\"|" "/etc/default/$PKG"
    in_root systemctl restart "$PKG.service"
}
tls_up() {
    in_root curl -fsS --max-time 5 --cacert "/etc/$PKG/cert.pem" -u prometheus:deb-test https://127.0.0.1:9900/metrics |
        grep '^sysload_sysload ' >/dev/null
}
set_args " --web.config.file=/etc/$PKG/web.yml"
wait_until 30 tls_up || fail "no sample over https on :9900"
{ in_root grep -qF "$JSA_TLS" "/proc/$(prop MainPID)/maps" && ! maps_jsa "$(prop MainPID)" >/dev/null; } ||
    fail "a TLS start does not map $JSA_TLS alone"
ok "a TLS start maps $JSA_TLS"
set_args ""
wait_until 30 has_sysload 9900 || fail "plain HTTP on :9900 not back"
rm -rf "$tls_dir"

say "a JVM flag the JVM rejects: the service does not start"
# What "active" above proves: had this JVM refused a flag of the package's, the unit would
# fail like this. JAVA_OPTS in /etc/default adds the flag.
bad_flag=-XX:+SysloadDebTestNoSuchFlag
in_root sh -c "echo 'JAVA_OPTS=\"$bad_flag\"' >> /etc/default/$PKG"
in_root systemctl restart "$PKG.service"
start_failed() { [ "$(prop ExecMainStatus)" = 1 ] && [ "$(prop ActiveState)" != active ]; }
wait_until 20 start_failed ||
    fail "with $bad_flag: $(prop ActiveState)/$(prop SubState), exit status $(prop ExecMainStatus)"
in_root journalctl --no-pager -o cat -u "$PKG.service" |
    grep -F "Unrecognized VM option '${bad_flag#-XX:+}'" >/dev/null ||
    fail "no 'Unrecognized VM option' in the journal"
ok "with $bad_flag: $(prop ActiveState)/$(prop SubState), exit status $(prop ExecMainStatus)"
in_root sed -i '/^JAVA_OPTS=/d' "/etc/default/$PKG"
in_root systemctl reset-failed "$PKG.service"
in_root systemctl restart "$PKG.service"
wait_until 30 has_sysload 9900 || fail "does not start again without $bad_flag"
ok "without it: active again"

say "SIGTERM: the exporter exits 0"
start=$(date +%s%N)
in_root systemctl stop "$PKG.service"
ms=$((($(date +%s%N) - start) / 1000000))
result=$(prop Result); status=$(prop ExecMainStatus)
if [ "$result" != success ] || [ "$status" != 0 ]; then
    fail "stop gave Result=$result ExecMainStatus=$status (wanted success, 0)"
fi
ok "stopped in $ms ms, Result=$result, exit status $status"
in_root systemctl start "$PKG.service"
wait_until 20 is_active || fail "does not start again"

# --- 7. remove and purge ---------------------------------------------------
say "remove"
in_root apt-get -q remove -y "$PKG" > "$RUN/remove.log" 2>&1 ||
    { cat "$RUN/remove.log"; fail "apt-get remove failed"; }
[ "$(prop ActiveState)" != active ] || fail "still active after remove"
[ -e "$ROOT/usr/share/$PKG/$PKG.jar" ] && fail "jar left after remove"
[ -e "$ROOT/usr/bin/$PKG" ] && fail "launcher left after remove"
[ -f "$ROOT/etc/default/$PKG" ] || fail "remove deleted the conffile (only purge should)"
[ -e "$ROOT/var/cache/$PKG" ] && fail "/var/cache/$PKG left after remove"
ok "stopped, files and /var/cache/$PKG removed, conffile and user kept until purge"

# purge_and_check LOG: purges the package (its output in LOG) and checks that nothing of it is
# left: user, group, unit, conffile, archive, any file named after it or owned by its user.
purge_and_check() {
    local log=$1 pw uid gid status leftovers
    pw=$(in_root getent passwd "$PKG") || fail "no user $PKG before the purge"
    IFS=: read -r _ _ uid gid _ <<< "$pw"
    in_root apt-get -q purge -y "$PKG" > "$log" 2>&1 ||
        { cat "$log"; fail "apt-get purge failed"; }
    in_root getent passwd "$PKG" >/dev/null && fail "user $PKG left after purge"
    in_root getent group "$PKG" >/dev/null && fail "group $PKG left after purge"
    [ -e "$ROOT/etc/default/$PKG" ] && fail "/etc/default/$PKG left after purge"
    [ -e "$ROOT/var/cache/$PKG" ] && fail "/var/cache/$PKG left after purge"
    [ "$(prop LoadState)" = not-found ] || fail "unit still known to systemd: $(prop LoadState)"
    # shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
    status=$(in_root dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null || true)
    [ -z "$status" ] || [ "$status" = not-installed ] || fail "dpkg status after purge: $status"
    leftovers=$(in_root find / -xdev \( -name "*$PKG*" -o -uid "$uid" -o -gid "$gid" \) \
        -not -path /opt/deb-test -not -path "/opt/deb-test/*" 2>/dev/null || true)
    leftovers+=$(in_root find /run /tmp /var/tmp -name "*$PKG*" 2>/dev/null || true)
    [ -z "$leftovers" ] || fail "left after purge:"$'\n'"$leftovers"
    ok "user, group, unit, conffile, /var/cache/$PKG and every file named $PKG or owned by $uid:$gid are gone"
}

say "purge"
purge_and_check "$RUN/purge.log"

# --- 8. upgrade ------------------------------------------------------------
say "upgrade from $PREVIOUS_DEB, its configuration changed, to $DEB"
in_root apt-get -q install -y "/opt/deb-test/$PREVIOUS_DEB" > "$RUN/previous.log" 2>&1 ||
    { cat "$RUN/previous.log"; fail "apt-get install of $PREVIOUS_DEB failed"; }
# The upstream version the exporter says it is, from sysload_build_info's version label.
build_version() {
    metrics "$@" | sed -n 's/^sysload_build_info{\(.*,\)\{0,1\}version="\([^"]*\)".*/\2/p'
}
wait_until 30 has_sysload || fail "$PREVIOUS_VERSION serves no sysload_sysload"
[ "$(build_version)" = "${PREVIOUS_VERSION%-*}" ] ||
    fail "$PREVIOUS_DEB's exporter says it is version '$(build_version)', not ${PREVIOUS_VERSION%-*}"
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
in_root dpkg-query -W -f='${Conffiles}\n' "$PKG" | grep -q "^ /etc/default/$PKG " ||
    fail "/etc/default/$PKG is not a conffile of $PREVIOUS_DEB"
ok "$PREVIOUS_DEB installed and serving; /etc/default/$PKG is one of its conffiles"

# What an operator does: flags in the conffile, and a web configuration of their own that
# the flags name (a header is enough to see it in effect; no password to hash here).
WEB_YML=/etc/$PKG/web.yml
UPGRADE_PORT=9901
mkdir -p "$ROOT/etc/$PKG"
printf '# the deb test'"'"'s own\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n' > "$ROOT$WEB_YML"
in_root sed -i "s|^ARGS=.*|ARGS=\"--web.listen-address=127.0.0.1:$UPGRADE_PORT --web.config.file=$WEB_YML\"|" "/etc/default/$PKG"
in_root systemctl restart "$PKG.service"
# configured PORT: serving on PORT with the web configuration's header.
configured() {
    has_sysload "$1" &&
        in_root curl -fsS --max-time 5 -o /dev/null -D - "http://127.0.0.1:$1/metrics" | tr -d '\r' |
        grep -ix 'X-Frame-Options: deny' >/dev/null
}
wait_until 30 configured "$UPGRADE_PORT" ||
    fail "$PREVIOUS_VERSION does not serve on :$UPGRADE_PORT with $WEB_YML's header"
sums=$(in_root sha256sum "/etc/default/$PKG" "$WEB_YML")
pid1=$(prop MainPID)
jsa_before=$(in_root stat -c '%i %Y' "$JSA") || fail "no $JSA from $PREVIOUS_DEB"
ok "$PREVIOUS_VERSION on :$UPGRADE_PORT with $WEB_YML in effect (MainPID $pid1)"

# No answer on stdin: had the conffile changed between the versions, dpkg would ask the
# operator which to keep, and fail here.
in_root apt-get -q install -y "/opt/deb-test/$DEB" < /dev/null > "$RUN/upgrade.log" 2>&1 ||
    { cat "$RUN/upgrade.log"; fail "apt-get install of $DEB over $PREVIOUS_VERSION failed"; }
grep -F "Unpacking $PKG ($VERSION) over ($PREVIOUS_VERSION)" "$RUN/upgrade.log" ||
    { cat "$RUN/upgrade.log"; fail "$DEB was not installed as an upgrade of $PREVIOUS_VERSION"; }
grep -F "$PKG: warning" "$RUN/upgrade.log" && fail "postinst warned (log: $RUN/upgrade.log)"
[ "$(in_root sha256sum "/etc/default/$PKG" "$WEB_YML")" = "$sums" ] ||
    fail "the upgrade changed /etc/default/$PKG or $WEB_YML"
dpkg_files=$(in_root find /etc -name "*.dpkg-*" -path "*$PKG*")
[ -z "$dpkg_files" ] || fail "the upgrade left $dpkg_files"
ok "/etc/default/$PKG and $WEB_YML kept as they were, no .dpkg-* file beside them"

wait_until 20 restarted || fail "not restarted by the upgrade: MainPID $(prop MainPID)"
pid2=$(prop MainPID)
wait_until 30 configured "$UPGRADE_PORT" ||
    fail "$VERSION does not serve on :$UPGRADE_PORT with $WEB_YML's header"
[ "$(build_version "$UPGRADE_PORT")" = "${VERSION%-*}" ] ||
    fail "after the upgrade the exporter says it is version '$(build_version "$UPGRADE_PORT")', not ${VERSION%-*}"
jar=$(in_root find "/proc/$pid2/fd" -lname "*/$PKG.jar*" -printf '%l\n' | head -n 1)
[ "$jar" = "/usr/share/$PKG/$PKG.jar" ] || fail "the restarted JVM's jar is '$jar'"
ok "restarted on the new jar: MainPID $pid1 -> $pid2, sysload_build_info version ${PREVIOUS_VERSION%-*} -> ${VERSION%-*}, ARGS and $WEB_YML in effect"

jsa_after=$(in_root stat -c '%i %Y' "$JSA") || fail "no $JSA after the upgrade"
[ "$jsa_after" != "$jsa_before" ] || fail "$JSA was not dumped anew (inode, mtime: $jsa_after)"
mapped=$(maps_jsa "$pid2") || fail "the upgraded service's JVM does not map $JSA"
echo "$mapped" | grep -q '(deleted)' && fail "the upgraded service's JVM maps a deleted archive"
ok "$JSA dumped anew (inode, mtime: $jsa_before -> $jsa_after) and mapped by the new JVM"

in_root rm -r "/etc/$PKG"
say "purge after the upgrade"
purge_and_check "$RUN/purge-upgraded.log"

say "PASS: $DEB on Debian $SUITE with $JRE: installs, runs, restarts, purges and upgrades from $PREVIOUS_VERSION cleanly"
