# shellcheck shell=bash
# Minimal Debian roots of any suite, for the scripts that run the package or the exporter on
# a Debian release other than the host's: src/test/deb/deb-test.sh (the package on bookworm
# and trixie) and src/test/perf/resource-use.sh (the exporter on each Debian OpenJDK). Sourced;
# needs debootstrap, systemd-nspawn and tar, and root.
#
#   DEB_TEST_MIRROR    Debian mirror URI (default: apt's entry for the suite, see debian_mirror)
#   DEB_TEST_CACHE=0   bootstrap afresh instead of unpacking (and writing) the cached tarball

# debian_mirror SUITE: the URI of the Debian archive that apt's sources (one-line or deb822)
# name for SUITE. A Debian 12 host has no entry for trixie, so failing that, the URI of its
# bookworm or trixie entry: one archive serves every suite. Empty if there is none.
debian_mirror() {
    local want f uri
    for want in "$1" bookworm trixie; do
        uri=
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -f "$f" ] || continue
            uri=$(awk -v suite="$want" '
                $1 == "deb" {
                    i = 2
                    if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                    if ($(i + 1) == suite) { print $i; exit }
                }' "$f")
            [ -z "$uri" ] || break
        done
        if [ -z "$uri" ]; then
            for f in /etc/apt/sources.list.d/*.sources; do
                [ -f "$f" ] || continue
                uri=$(awk -v suite="$want" '
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
                    END { if (!found) flush() }' "$f")
                [ -z "$uri" ] || break
            done
        fi
        if [ -n "$uri" ]; then
            echo "$uri"
            return 0
        fi
    done
}

# debian_root SUITE DIR CACHE_DIR LOG: makes DIR (which must not exist) a minimal SUITE root
# with systemd, dbus and curl: unpacked from CACHE_DIR/SUITE-minbase.tar when that exists,
# otherwise bootstrapped from the mirror (debootstrap's output in LOG) and then kept there as
# that tarball, so that every later run on the same suite skips the bootstrap. Prints one line
# saying which; returns non-zero, with the end of LOG on stderr, if debootstrap fails.
debian_root() {
    local suite=$1 dir=$2 cache=$3 log=$4 mirror tarball
    tarball=$cache/$suite-minbase.tar
    if [ "${DEB_TEST_CACHE:-1}" != 0 ] && [ -f "$tarball" ]; then
        mkdir -p "$dir"
        tar -C "$dir" -xpf "$tarball" || return 1
        echo "root unpacked from $tarball"
        return 0
    fi
    mirror=${DEB_TEST_MIRROR:-$(debian_mirror "$suite")}
    if [ -z "$mirror" ]; then
        echo "no Debian mirror in /etc/apt/sources.list*; set DEB_TEST_MIRROR" >&2
        return 1
    fi
    if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl \
        "$suite" "$dir" "$mirror" >"$log" 2>&1; then
        tail -20 "$log" >&2
        echo "debootstrap $suite failed (log: $log)" >&2
        return 1
    fi
    rm -f "$dir"/var/cache/apt/archives/*.deb
    if [ "${DEB_TEST_CACHE:-1}" != 0 ]; then
        mkdir -p "$cache"
        tar -C "$dir" -cpf "$tarball.tmp.$$" . && mv "$tarball.tmp.$$" "$tarball"
    fi
    echo "root bootstrapped from $mirror"
}

# debian_root_remove DIR: unmounts whatever is still mounted under DIR (a failed debootstrap
# may leave /proc or /sys) and removes it.
debian_root_remove() {
    local dir=$1 m
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    awk -v r="$dir/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r |
        while read -r m; do umount -l "$m" || true; done
    rm -rf --one-file-system "$dir"
}

# Roots whose only java is one Debian OpenJDK, for the scripts that run the exporter on each
# (resource-use.sh, update-classlist.sh, check-archives.sh): made once, under JDK_ROOTS_DIR
# (default target/jdk-roots), from the suite tarballs that deb-test.sh caches.
JDK_ROOTS_DIR=${JDK_ROOTS_DIR:-$REPO/target/jdk-roots}

# in_jdk_root ROOT COMMAND...: runs COMMAND in ROOT (not booted) with the host's network.
in_jdk_root() {
    local root=$1
    shift
    systemd-nspawn -q -D "$root" --register=no --keep-unit --as-pid2 --console=pipe \
        --setenv=DEBIAN_FRONTEND=noninteractive "$@"
}

# jdk_root SUITE VERSION: prints the path of a root of SUITE whose only java is Debian's
# OpenJDK VERSION, made the first time (its output in the root's directory, .log).
jdk_root() {
    local suite=$1 version=$2 root
    root=$JDK_ROOTS_DIR/$suite-jdk$version
    if [ ! -f "$root/.jdk-root-ready" ]; then
        debian_root_remove "$root"
        mkdir -p "$JDK_ROOTS_DIR"
        debian_root "$suite" "$root" "${DEB_TEST_WORK:-$REPO/target/deb-test}/cache" "$root.log" >&2 ||
            die "no Debian $suite root"
        {
            in_jdk_root "$root" apt-get -q update &&
                in_jdk_root "$root" apt-get -q install -y --no-install-recommends "openjdk-$version-jre-headless" &&
                in_jdk_root "$root" apt-get -q clean
        } >>"$root.log" 2>&1 || die "could not install openjdk-$version-jre-headless in $root (log: $root.log)"
        touch "$root/.jdk-root-ready"
    fi
    echo "$root"
}

# Descendants of PID (children first), one a line.
descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1"); do
        echo "$child"
        descendants "$child"
    done
}

# java_under PID: the java process among PID's descendants (the launcher execs it, under a
# background subshell or systemd-nspawn); dies if there is none.
java_under() {
    local child java=
    for child in $(descendants "$1"); do
        if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = java ]; then java=$child; fi
    done
    [ -n "$java" ] || die "no java process under pid $1"
    echo "$java"
}
