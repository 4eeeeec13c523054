#!/usr/bin/env bash
# Re-extract messages into each catalogue: one per listed module (its whole folder: routes,
# templates, jobs.py), the pwa's, and the foundation's (portal/translations: portal/ and jobs/
# without those folders). Then translate the new entries in the .po files and run `make test`.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
B=.venv/bin/pybabel
# The folders with a catalogue of their own: each listed module's (portal/modules.py) and the
# foundation's pwa; portal/translations takes everything else (portal/ and jobs/).
own=$(.venv/bin/python -c "import os; from portal.i18n import catalogue_folders
print(' '.join(os.path.relpath(f.parent) for f in catalogue_folders()[:-1]))")
ignored=""
for folder in $own; do
    ignored="$ignored $(basename "$folder")"
    $B extract -F babel.cfg -k _l -k N_ -o "$folder/translations/messages.pot" "$folder"
    # A new module's first run: an empty translations/ folder gets its Chinese catalogue.
    [ -f "$folder/translations/zh_Hans_CN/LC_MESSAGES/messages.po" ] ||
        $B init -i "$folder/translations/messages.pot" -d "$folder/translations" -l zh_Hans_CN
    $B update -i "$folder/translations/messages.pot" -d "$folder/translations" --no-fuzzy-matching --ignore-obsolete
done
$B extract -F babel.cfg -k _l -k N_ --ignore-dirs="$ignored" -o portal/translations/messages.pot portal jobs
$B update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete
# Extraction stamps every catalogue with today's date; keep the ones where nothing else changed.
for f in $(git diff --name-only -- '*.po' '*.pot'); do
    changed=$(git diff -U0 -- "$f" | grep -E '^[-+][^-+]' | grep -v 'Creation-Date' || true)
    [ -n "$changed" ] || git checkout -q -- "$f"
done
for dir in portal/translations $(printf '%s/translations ' $own); do
    $B compile -d "$dir" >/dev/null
done
