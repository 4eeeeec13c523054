#!/usr/bin/env bash
# Installs what `make run` and `make test` need on a fresh Debian machine and nothing more.
# Idempotent: every step checks first, so a second run takes a second.
set -eu
shopt -s nullglob
cd "$(dirname "$0")/.."

need_apt=()
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v zbarimg >/dev/null || need_apt+=(zbar-tools)  # tests decode the badges' QR codes
command -v chromium >/dev/null || need_apt+=(chromium)
fc-list 2>/dev/null | grep "Noto Sans CJK SC" >/dev/null || need_apt+=(fonts-noto-cjk fontconfig)
ldconfig -p | grep libpangoft2-1.0 >/dev/null || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
python3 -c "import ensurepip, venv" 2>/dev/null || need_apt+=(python3-venv)
# Playwright's bundled node driver (browser tests) links libatomic; minimal roots lack it.
dpkg -s libatomic1 >/dev/null 2>&1 || need_apt+=(libatomic1)

if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "Missing system packages: ${need_apt[*]} (run as root, or: sudo apt-get install ${need_apt[*]})" >&2
        exit 1
    fi
    echo "Installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e ".[test]"
    touch "$stamp"
fi

# Compile the message catalogues (.po is committed, .mo is built).
for po in portal/translations/*/LC_MESSAGES/messages.po portal/blueprints/*/translations/*/LC_MESSAGES/messages.po; do
    .venv/bin/pybabel compile -i "$po" -o "${po%.po}.mo" >/dev/null 2>&1
done
