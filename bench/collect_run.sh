#!/usr/bin/env bash
# Keeps the small results of a finished training run in the repository (never checkpoints):
# its metrics.jsonl, summary.json and config.yaml go to docs/results/DEST/, with the command that
# produced it (command.txt) and its curves drawn by `landmark plot` (curves.svg).
#
#   bench/collect_run.sh RUN_DIR DEST "COMMAND"
#
# For a sweep directory (runs/<name>/<attention>-seed<k>/ plus results.md), every run is kept as
# DEST/<attention>-seed<k>/ and the sweep's results.md and validation_curves.svg beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
run="$1"
dest="docs/results/$2"
command="$3"
landmark="${LANDMARK:-build/bin/landmark}"

keep_run() {  # RUN_DIR DEST_DIR
    mkdir -p "$2"
    for f in metrics.jsonl summary.json config.yaml; do cp "$1/$f" "$2/$f"; done
    "$landmark" plot "$1" --name "$(basename "$2")" --out "$2/curves.svg" \
        --title "$(basename "$(dirname "$2")")" > /dev/null
}

if [ -f "$run/summary.json" ]; then
    keep_run "$run" "$dest"
else
    for r in "$run"/*-seed*/; do
        [ -f "$r/summary.json" ] && keep_run "$r" "$dest/$(basename "$r")"
    done
    for f in results.md validation_curves.svg; do [ -f "$run/$f" ] && cp "$run/$f" "$dest/$f"; done
fi
printf '%s\n' "$command" > "$dest/command.txt"
echo "kept $run in $dest"
