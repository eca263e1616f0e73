#!/bin/bash
# Package test for sysload-exporter. Run as root from anywhere in a checkout:
#
#   bash src/test/deb/deb-test.sh
#
# 1. builds the .deb with dpkg-buildpackage from a copy of the checkout,
# 2. runs lintian on it (fails on errors) and systemd-analyze security on
#    systemd/sysload-exporter.service (fails if the exposure is above 4.0),
# 3. bootstraps a minimal Debian 12 root and boots it with systemd as PID 1 in
#    systemd-nspawn, on a private network so that nothing clashes with the
#    host's port 9858,
# 4. installs the .deb there with apt and checks: the user, the unit enabled and
#    active as that user, systemd-analyze verify, /metrics answering with
#    sysload_sysload, every flag of the installed flags file on the JVM (and
#    no start without flags), the class-data-sharing archive built quietly
#    and mapped by the service's JVM, rebuilt when the JVM's package is
#    reinstalled (trigger), a restart by systemd after SIGKILL, a restart on
#    reinstallation, flags taken from /etc/default/sysload-exporter, exit 0 on
#    SIGTERM, then remove and purge leaving nothing behind, the archive
#    included.
#
# Needs (Debian packages): debhelper maven default-jdk-headless (or
# openjdk-17-jdk-headless) lintian debootstrap systemd-container systemd,
# plus the Maven dependencies in ~/.m2 or access to Maven Central, and the
# Debian mirror that apt is configured with.
#
# Environment:
#   DEB_TEST_WORK      working directory (default: target/deb-test in the checkout)
#   DEB_TEST_CACHE=0   do not keep the bootstrapped root as a tarball under
#                      $DEB_TEST_WORK/cache for the next run
#   DEB_TEST_MIRROR    Debian mirror URI (default: the bookworm entry in apt's sources)
#   DEB_TEST_KEEP=1    leave the container running and the root in place on exit
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
WORK=${DEB_TEST_WORK:-$REPO/target/deb-test}
CACHE_DIR=$WORK/cache
SUITE=bookworm
PKG=sysload-exporter
PORT=9858
MAX_EXPOSURE=4.0
PATH_IN=/usr/sbin:/usr/bin:/sbin:/bin

NSPAWN_PID=
INIT_PID=
ROOT=

say() { printf '\n=== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    if [ -n "$INIT_PID" ] && kill -0 "$INIT_PID" 2>/dev/null; then
        echo "--- journal of $PKG.service in the container:" >&2
        in_root journalctl --no-pager -n 40 -u "$PKG.service" >&2 || true
    fi
    exit 1
}

# Runs a command inside the booted container, with a clean environment.
in_root() {
    nsenter -t "$INIT_PID" -a env -i PATH="$PATH_IN" LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# Runs a command in the (not booted) root with the host's network.
in_chroot() {
    systemd-nspawn -q -D "$ROOT" --register=no --keep-unit --as-pid2 \
        --setenv=DEBIAN_FRONTEND=noninteractive "$@"
}

prop() { in_root systemctl show -P "$1" "$PKG.service"; }

# wait_until SECONDS COMMAND...: retries COMMAND every 0.5 s.
wait_until() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

cleanup() {
    local rc=$?
    if [ "${DEB_TEST_KEEP:-0}" = 1 ]; then
        echo "DEB_TEST_KEEP=1: container (nspawn pid $NSPAWN_PID, init pid $INIT_PID) and $ROOT left in place"
        exit "$rc"
    fi
    if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
        # nspawn passes SIGTERM on to the container's systemd as a shut-down request.
        kill -TERM "$NSPAWN_PID" 2>/dev/null || true
        local _
        for _ in $(seq 60); do
            kill -0 "$NSPAWN_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$NSPAWN_PID" 2>/dev/null || true
        wait "$NSPAWN_PID" 2>/dev/null || true
    fi
    if [ -n "$ROOT" ] && [ -d "$ROOT" ]; then
        # debootstrap may leave /proc or /sys mounted when it fails.
        awk -v r="$ROOT/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r |
            while read -r m; do umount -l "$m" || true; done
        rm -rf --one-file-system "$ROOT"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The Debian mirror apt uses for bookworm, from one-line or deb822 sources.
find_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v suite="$SUITE" '
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i + 1) == suite) { print $i; exit }
            }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v suite="$SUITE" '
            function flush() {
                if (isdeb && hassuite && uri != "" && enabled) { print uri; found = 1; exit }
                isdeb = 0; hassuite = 0; uri = ""; enabled = 1
            }
            BEGIN { enabled = 1 }
            /^[[:space:]]*$/ { flush(); next }
            /^#/ { next }
            tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") isdeb = 1 }
            tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hassuite = 1 }
            tolower($1) == "uris:" { uri = $2 }
            tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
            END { if (!found) flush() }' "$f"
    done
}

[ "$(id -u)" = 0 ] || fail "must run as root (debootstrap, systemd-nspawn, nsenter)"
for cmd in dpkg-buildpackage dh mvn lintian debootstrap systemd-nspawn systemd-analyze nsenter tar awk; do
    command -v "$cmd" >/dev/null || fail "$cmd not found; see the package list at the top of $0"
done

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# --- 1. build --------------------------------------------------------------
say "build the .deb"
VERSION=$(dpkg-parsechangelog -l "$REPO/debian/changelog" -S Version)
DEB=${PKG}_${VERSION}_all.deb
# dpkg-buildpackage writes to the parent directory, so build in a copy whose
# parent is ours.
BUILD=$WORK/build
rm -rf "$BUILD"
mkdir -p "$BUILD/$PKG"
tar -C "$REPO" --exclude=./.git --exclude=./target -cf - . | tar -C "$BUILD/$PKG" -xf -
(cd "$BUILD/$PKG" && dpkg-buildpackage -us -uc -b) > "$WORK/build.log" 2>&1 ||
    { tail -40 "$WORK/build.log"; fail "dpkg-buildpackage failed (log: $WORK/build.log)"; }
[ -f "$BUILD/$DEB" ] || fail "$DEB was not built"
cp "$BUILD/$DEB" "$WORK/$DEB"
ok "built $WORK/$DEB"
dpkg-deb -c "$WORK/$DEB" | awk '{print "  " $1, $6}'

# --- 2. static checks ------------------------------------------------------
say "lintian"
lintian_rc=0
lintian_out=$(lintian -I --fail-on error "$WORK/$DEB" 2>&1) || lintian_rc=$?
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

# --- 3. a clean Debian 12 root, booted -------------------------------------
say "bootstrap a minimal Debian $SUITE root"
ROOT=$WORK/root
if [ -d "$ROOT" ]; then rm -rf --one-file-system "$ROOT"; fi
MIRROR=${DEB_TEST_MIRROR:-$(find_mirror | head -1)}
[ -n "$MIRROR" ] || fail "no $SUITE mirror in /etc/apt/sources.list*; set DEB_TEST_MIRROR"
TARBALL=$CACHE_DIR/$SUITE-minbase.tar
if [ "${DEB_TEST_CACHE:-1}" != 0 ] && [ -f "$TARBALL" ]; then
    mkdir -p "$ROOT"
    tar -C "$ROOT" -xpf "$TARBALL"
    ok "root unpacked from $TARBALL"
else
    debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl \
        "$SUITE" "$ROOT" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 ||
        { tail -20 "$WORK/debootstrap.log"; fail "debootstrap failed (log: $WORK/debootstrap.log)"; }
    ok "debootstrap from $MIRROR"
    rm -f "$ROOT"/var/cache/apt/archives/*.deb
    if [ "${DEB_TEST_CACHE:-1}" != 0 ]; then
        mkdir -p "$CACHE_DIR"
        tar -C "$ROOT" -cpf "$TARBALL.tmp" . && mv "$TARBALL.tmp" "$TARBALL"
    fi
fi

# The package's dependencies (the Java runtime, adduser) come from the mirror.
# They are fetched now, while the root still has the host's network; the
# container then boots without one and apt installs from what was fetched
# (it would fail if anything were missing).
mkdir -p "$ROOT/opt/deb-test"
cp "$WORK/$DEB" "$ROOT/opt/deb-test/"
chmod -R a+rX "$ROOT/opt/deb-test"
in_chroot apt-get -q update > "$WORK/apt.log" 2>&1 ||
    { tail -20 "$WORK/apt.log"; fail "apt-get update in the root failed"; }
in_chroot apt-get -q install -y --download-only "/opt/deb-test/$DEB" >> "$WORK/apt.log" 2>&1 ||
    { tail -20 "$WORK/apt.log"; fail "could not fetch the dependencies of $DEB"; }
debs=("$ROOT"/var/cache/apt/archives/*.deb)
ok "dependencies fetched: ${#debs[@]} packages"

say "boot the root with systemd-nspawn"
systemd-nspawn -D "$ROOT" --boot --register=no --keep-unit --console=pipe \
    --private-network --machine=sysload-deb-test > "$WORK/nspawn.log" 2>&1 &
NSPAWN_PID=$!

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
wait_until 30 find_init || { cat "$WORK/nspawn.log"; fail "no systemd in the container"; }
state=$(timeout 90 nsenter -t "$INIT_PID" -a systemctl is-system-running --wait 2>/dev/null || true)
case "$state" in
    running) ok "systemd is PID 1 in the container (host pid $INIT_PID): $state" ;;
    degraded) in_root systemctl --failed --no-pager || true
              ok "systemd is PID 1 in the container (host pid $INIT_PID): $state" ;;
    *) cat "$WORK/nspawn.log"; fail "container did not boot: '$state'" ;;
esac

# --- 4. install ------------------------------------------------------------
say "install"
in_root apt-get -q install -y "/opt/deb-test/$DEB" > "$WORK/install.log" 2>&1 ||
    { cat "$WORK/install.log"; fail "apt-get install failed"; }
grep -E '^(Setting up|Created symlink)' "$WORK/install.log" || true

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
MANPATH=$ROOT/usr/share/man systemd-analyze verify --root="$ROOT" "$PKG.service" ||
    fail "systemd-analyze verify reports problems"
ok "systemd-analyze verify: clean (installed unit = systemd/$PKG.service)"
in_root systemd-analyze security "$PKG.service" | tail -1

metrics() { in_root curl -fsS --max-time 5 "http://127.0.0.1:${1:-$PORT}/metrics"; }
has_sysload() { metrics "$@" 2>/dev/null | grep -q '^sysload_sysload[ {]'; }
wait_until 30 has_sysload || { metrics || true; fail "no sysload_sysload on 127.0.0.1:$PORT/metrics"; }
metrics | grep '^sysload_sysload[ {]' || true
ok "127.0.0.1:$PORT/metrics serves sysload_sysload"

pid=$(prop MainPID)
pstatus=$(in_root cat "/proc/$pid/status")
puid=$(echo "$pstatus" | awk '/^Uid:/ { print $2 }')
[ "$puid" = "$uid" ] || fail "main process runs as uid $puid, not $uid"
ok "main process (pid $pid in the container) runs as $PKG;$(echo "$pstatus" | grep -E '^(VmRSS|Threads)' | tr -s '\t ' ' ' | tr '\n' ';')"
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

say "class-data-sharing archive"
JSA=/var/cache/$PKG/$PKG.jsa
# postinst prints a warning only when it could not build the archive.
grep -F "$PKG: warning" "$WORK/install.log" && fail "postinst warned (log: $WORK/install.log)"
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
in_root apt-get -q install -y --reinstall "$jre_pkg" > "$WORK/trigger.log" 2>&1 ||
    { tail -20 "$WORK/trigger.log"; fail "apt-get install --reinstall $jre_pkg failed"; }
grep -q "^Processing triggers for $PKG " "$WORK/trigger.log" ||
    { cat "$WORK/trigger.log"; fail "reinstalling $jre_pkg did not trigger $PKG"; }
grep -F "$PKG: warning" "$WORK/trigger.log" && fail "postinst warned (log: $WORK/trigger.log)"
jsa_after=$(in_root stat -c '%i %Y' "$JSA") || fail "no $JSA after the trigger"
[ "$jsa_after" != "$jsa_before" ] || fail "$JSA was not rebuilt (inode, mtime: $jsa_after)"
in_root test "$JSA" -nt "$libjvm" || fail "$JSA is not newer than $libjvm"
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
[ "$(in_root dpkg-query -W -f='${db:Status-Status}' "$PKG")" = installed ] ||
    fail "$PKG is not in state installed after the trigger"
ok "$jre_pkg reinstalled: $JSA rebuilt (inode, mtime: $jsa_before -> $jsa_after), newer than $libjvm"

# --- 5. restarts -----------------------------------------------------------
say "SIGKILL: systemd restarts it"
pid1=$(prop MainPID); n1=$(prop NRestarts)
in_root systemctl kill --signal=SIGKILL "$PKG.service"
restarted() { local p; p=$(prop MainPID); [ "$p" != 0 ] && [ "$p" != "$pid1" ] && is_active; }
wait_until 20 restarted || fail "not restarted after SIGKILL: $(prop ActiveState)/$(prop SubState)"
n2=$(prop NRestarts)
[ "$n2" = $((n1 + 1)) ] || fail "NRestarts went from $n1 to $n2"
wait_until 30 has_sysload || fail "no metrics after the restart"
ok "MainPID $pid1 -> $(prop MainPID), NRestarts $n1 -> $n2, metrics served again"

say "reinstall (as an upgrade would): the service is restarted"
pid1=$(prop MainPID)
in_root dpkg -i "/opt/deb-test/$DEB" > "$WORK/reinstall.log" 2>&1 ||
    { cat "$WORK/reinstall.log"; fail "dpkg -i failed"; }
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

# --- 6. remove and purge ---------------------------------------------------
say "remove"
in_root apt-get -q remove -y "$PKG" > "$WORK/remove.log" 2>&1 ||
    { cat "$WORK/remove.log"; fail "apt-get remove failed"; }
[ "$(prop ActiveState)" != active ] || fail "still active after remove"
[ -e "$ROOT/usr/share/$PKG/$PKG.jar" ] && fail "jar left after remove"
[ -e "$ROOT/usr/bin/$PKG" ] && fail "launcher left after remove"
[ -f "$ROOT/etc/default/$PKG" ] || fail "remove deleted the conffile (only purge should)"
[ -e "$ROOT/var/cache/$PKG" ] && fail "/var/cache/$PKG left after remove"
ok "stopped, files and /var/cache/$PKG removed, conffile and user kept until purge"

say "purge"
in_root apt-get -q purge -y "$PKG" > "$WORK/purge.log" 2>&1 ||
    { cat "$WORK/purge.log"; fail "apt-get purge failed"; }
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

say "PASS: $DEB builds, lints, installs, runs, restarts and purges cleanly"
