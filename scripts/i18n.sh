#!/usr/bin/env bash
# Re-extract messages into each catalogue: one per module that has a translations/ folder (its
# whole folder: routes, templates, jobs.py) and the foundation's (portal/translations: portal/
# and jobs/ without those modules' folders). Then translate the new entries in the .po files and
# run `make test`.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
B=.venv/bin/pybabel
# The modules with a catalogue of their own, from the one list (portal/modules.py).
modules=$(.venv/bin/python -c "import os; from portal.modules import modules
print(' '.join(os.path.relpath(m.folder) for m in modules() if m.translations))")
ignored=""
for mod in $modules; do
    ignored="$ignored $(basename "$mod")"
    $B extract -F babel.cfg -k _l -k N_ -o "$mod/translations/messages.pot" "$mod"
    $B update -i "$mod/translations/messages.pot" -d "$mod/translations" --no-fuzzy-matching --ignore-obsolete
done
$B extract -F babel.cfg -k _l -k N_ --ignore-dirs="$ignored" -o portal/translations/messages.pot portal jobs
$B update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete
# Extraction stamps every catalogue with today's date; keep the ones where nothing else changed.
for f in $(git diff --name-only -- '*.po' '*.pot'); do
    changed=$(git diff -U0 -- "$f" | grep -E '^[-+][^-+]' | grep -v 'Creation-Date' || true)
    [ -n "$changed" ] || git checkout -q -- "$f"
done
for dir in portal/translations $(printf '%s/translations ' $modules); do
    $B compile -d "$dir" >/dev/null
done
