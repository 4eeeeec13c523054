#!/usr/bin/env bash
# Re-extract messages into each catalogue: the foundation's (portal/translations, everything
# outside portal/blueprints/<module>/ that has its own) and one per module that has a
# translations/ folder. Then translate the new entries in the .po files and run `make test`.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
B=.venv/bin/pybabel
ignored=""
for dir in portal/blueprints/*/translations; do
    mod=$(dirname "$dir")
    ignored="$ignored $(basename "$mod")"
    job="jobs/$(basename "$mod").py"
    [ -f "$job" ] || job=""
    $B extract -F babel.cfg -k _l -k N_ -o "$dir/messages.pot" "$mod" $job
    $B update -i "$dir/messages.pot" -d "$dir" --no-fuzzy-matching --ignore-obsolete
done
jobs=$(ls jobs/*.py | grep -v -E "jobs/($(echo $ignored | tr ' ' '|'))\.py$")
$B extract -F babel.cfg -k _l -k N_ --ignore-dirs="$ignored" -o portal/translations/messages.pot portal $jobs
$B update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete
# Extraction stamps every catalogue with today's date; keep the ones where nothing else changed.
for f in $(git diff --name-only -- '*.po' '*.pot'); do
    changed=$(git diff -U0 -- "$f" | grep -E '^[-+][^-+]' | grep -v 'Creation-Date' || true)
    [ -n "$changed" ] || git checkout -q -- "$f"
done
for dir in portal/translations portal/blueprints/*/translations; do
    $B compile -d "$dir" >/dev/null
done
