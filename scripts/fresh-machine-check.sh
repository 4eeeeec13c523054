#!/usr/bin/env bash
# Proves the two commands on a truly fresh machine: builds a minimal Debian 12 (bookworm) root
# with debootstrap, installs only the README's prerequisites, clones this checkout into it
# (committed files only) and runs, in a chroot, `make test` (browser tests included) and
# `make run` (/healthz answers 200, the login page is Chinese), then stops it.
#
# The root reaches the same package registries as this host because the host's own apt
# sources and configuration, pip configuration and CA certificates are copied in (local
# package folders that pip's configuration names are bind-mounted read-only). Nothing here
# names a registry. Run as root on a Debian host; `--keep` leaves the root for a look inside.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

# What the README lists under "A fresh machine"; keep the two in step.
PREREQUISITES=(python3 make git ca-certificates)
SUITE=bookworm

keep=0
[ "${1:-}" = --keep ] && keep=1
if [ "$(id -u)" != 0 ]; then
    echo "fresh-machine-check: run as root (debootstrap, mount and chroot need it)" >&2
    exit 1
fi

started=$SECONDS
step() { printf '\n== [%3ds] %s\n' $((SECONDS - started)) "$*"; }

step "debootstrap"
if ! command -v debootstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
# The host's own Debian mirror for the suite, as apt sees it (sources.list or deb822 files).
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' \
         | awk -v suite="$SUITE" '$2 == suite && $3 == "main" { print $1; exit }')
if [ -z "$mirror" ]; then
    echo "fresh-machine-check: the host's apt sources have no '$SUITE main' (run apt-get update?)" >&2
    exit 1
fi

root=$(mktemp -d /var/tmp/zhongshu-fresh.XXXXXX)
chmod 755 "$root"  # mktemp makes it 0700: apt's _apt user must get in
run_pid=
log=$root.log

mounted_under_root() { awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts; }

processes_in_root() {
    local link pid
    for link in /proc/[0-9]*/root; do
        pid=${link#/proc/}; pid=${pid%/root}
        [ "$(readlink "$link" 2>/dev/null)" = "$root" ] && echo "$pid"
    done
    return 0
}

cleanup() {
    set +e
    # Whatever still runs inside the root was started by this script: TERM, then KILL.
    [ -n "$run_pid" ] && kill -TERM -- "-$run_pid" 2>/dev/null
    for pid in $(processes_in_root); do kill -TERM "$pid" 2>/dev/null; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        [ -z "$(processes_in_root)" ] && break
        sleep 1
    done
    for pid in $(processes_in_root); do kill -KILL "$pid" 2>/dev/null; done
    # Ours and any debootstrap left when interrupted; the deepest first.
    for target in $(mounted_under_root | sort -r); do
        umount "$target" 2>/dev/null || umount -l "$target"
    done
    if [ "$keep" = 1 ]; then
        echo "fresh-machine-check: root kept in $root (unmounted)"
    elif [ -z "$(mounted_under_root)" ]; then
        rm -rf "$root" "$log" "$root.run.log"
    else
        echo "fresh-machine-check: still mounted under $root, not removing it:" >&2
        mounted_under_root >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$log" 2>&1 &
if ! wait $!; then
    tail -n 30 "$log" >&2
    exit 1
fi

step "host apt sources, apt configuration, CA certificates"
rm -f "$root/etc/apt/sources.list"
for path in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
            /etc/apt/trusted.gpg /etc/apt/trusted.gpg.d/* /etc/apt/keyrings/* \
            /etc/apt/apt.conf.d/* /etc/apt/auth.conf /etc/apt/auth.conf.d/* /etc/apt/preferences.d/*; do
    [ -f "$path" ] && cp -a "$path" "$root$path"
done
# Keyrings that the sources name with Signed-By and the root does not have yet.
for key in $(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^Signed-By:/ { print $2 }'); do
    [ -f "$key" ] && [ ! -e "$root$key" ] && install -D -m 644 "$key" "$root$key"
done
cp /etc/resolv.conf /etc/hosts "$root/etc/"
mkdir -p "$root/usr/local/share/ca-certificates"
cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true

# A login-less root shell: no host environment except pip's and the proxy settings.
chroot_env=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
while IFS= read -r var; do chroot_env+=("$var"); done \
    < <(env | grep -E '^(PIP_[A-Z_]+|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)=' || true)
chroot_run() {
    # In the background and waited for, so that Ctrl-C or a CI timeout reaches the trap at once.
    chroot "$root" /usr/bin/env -i "${chroot_env[@]}" "$@" &
    wait $!
}

mount_in_root() {  # mount_in_root TARGET MOUNT-ARGUMENTS...
    local target=$root$1
    shift
    mkdir -p "$target"
    mount "$@" "$target"
}
mount_in_root /proc -t proc proc
mount_in_root /dev --bind /dev
mount --make-rslave "$root/dev"  # nothing mounted below it reaches the host's /dev
mount_in_root /dev/pts --bind /dev/pts
mount_in_root /dev/shm -t tmpfs -o mode=1777,nosuid,nodev shm
mount_in_root /tmp -t tmpfs -o mode=1777,nosuid,nodev tmp

step "prerequisites: ${PREREQUISITES[*]}"
chroot_run apt-get update -qq
chroot_run env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${PREREQUISITES[@]}" >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; exit 1; }
# A CA that is only in the host's bundle (not under /usr/local/share/ca-certificates).
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
chroot_run python3 --version

step "host pip configuration"
home_dir=${HOME:-/root}
for path in /etc/pip.conf /etc/xdg/pip "$home_dir/.config/pip" "$home_dir/.pip" ${PIP_CONFIG_FILE:-}; do
    [ -e "$path" ] || continue
    target=$root$path
    case $path in "$home_dir"/*) target=$root/root${path#"$home_dir"} ;; esac
    mkdir -p "$(dirname "$target")"
    cp -a "$path" "$target"
done
# Folders and files that the pip configuration names: find-links, constraints, certificates,
# and file:// indexes, whose pages may link beside them (../../files/...), so their parent.
pip_paths=$(python3 - <<'EOF'
import configparser, os, urllib.parse
home = os.environ.get("HOME", "/root")
files = ["/etc/pip.conf", "/etc/xdg/pip/pip.conf", f"{home}/.config/pip/pip.conf",
         f"{home}/.pip/pip.conf", os.environ.get("PIP_CONFIG_FILE", "")]
settings = [(k[4:].lower().replace("_", "-"), v) for k, v in os.environ.items()
            if k.startswith("PIP_")]
for name in files:
    if name and os.path.isfile(name):
        parser = configparser.RawConfigParser()
        parser.read(name)
        settings += [item for section in parser.sections() for item in parser[section].items()]
for key, value in settings:
    for word in value.split():
        path = urllib.parse.urlparse(word).path if word.startswith("file:") else word
        if key in ("index-url", "extra-index-url") and path.startswith("/"):
            path = os.path.dirname(path.rstrip("/")) or path
        if path.startswith("/") and path != "/" and os.path.exists(path):
            print(path)
EOF
)
for path in $(echo "$pip_paths" | sort -u); do
    [ -e "$root$path" ] && continue
    if [ -d "$path" ]; then
        mount_in_root "$path" --bind "$path"
        mount -o remount,ro,bind "$root$path"
    else
        install -D -m 644 "$path" "$root$path"
    fi
done

step "git clone of $(git rev-parse --short HEAD) (committed files only)"
git clone -q "$repo" "$root/root/zhongshu"

step "make test"
chroot_run sh -c 'cd /root/zhongshu && make test'

step "make run"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
setsid chroot "$root" /usr/bin/env -i "${chroot_env[@]}" HOST=127.0.0.1 PORT="$port" \
    sh -c 'cd /root/zhongshu && exec make run' >"$root.run.log" 2>&1 &
run_pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 300); do
    curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
    kill -0 "$run_pid" 2>/dev/null || { cat "$root.run.log" >&2; exit 1; }
    sleep 1
done
status=$(curl -sS -o /dev/null -w '%{http_code}' "$base/healthz")
login=$(curl -sS "$base/login")
tail -n 8 "$root.run.log"
echo "/healthz: $status"
if ! grep -q A0001 "$root.run.log"; then
    echo "fresh-machine-check: make run printed no demo logins" >&2
    exit 1
fi
if [ "$status" != 200 ]; then
    echo "fresh-machine-check: /healthz answered $status" >&2
    exit 1
fi
if ! grep -q '<html lang="zh-CN"' <<<"$login" || ! grep -q '登录' <<<"$login"; then
    echo "fresh-machine-check: the login page is not in Chinese:" >&2
    head -c 600 <<<"$login" >&2
    exit 1
fi
echo "login page: Chinese ($(grep -o '<title>[^<]*</title>' <<<"$login"))"
kill -TERM -- "-$run_pid"
wait "$run_pid" || true
run_pid=
rm -f "$root.run.log"

step "passed: both commands work on a fresh Debian 12 ($((SECONDS - started)) s)"
