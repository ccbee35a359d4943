#!/usr/bin/env bash
# Does a trained model predict the same label for an example alone as inside a file?
# Evaluates the first COUNT records of a JSONL/TSV file once as a whole (the run's eval batches
# and padding) and once per record (a file of that record alone), and prints how many predicted
# labels agree.
#
#   bench/alone_vs_batch.sh RUN FILE [COUNT]
#
# FILE is what `landmark eval --data` reads, e.g. from `landmark data export spam --split test`.
set -euo pipefail
cd "$(dirname "$0")/.."
run="$1"
file="$2"
count="${3:-60}"
landmark="${LANDMARK:-build/bin/landmark}"
ext="${file##*.}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

head -n "$count" "$file" > "$tmp/all.$ext"
"$landmark" eval "$run" --data "$tmp/all.$ext" --predictions "$tmp/all.tsv" > /dev/null
agree=0
total=0
while IFS= read -r record; do
    printf '%s\n' "$record" > "$tmp/one.$ext"
    "$landmark" eval "$run" --data "$tmp/one.$ext" --predictions "$tmp/one.tsv" > /dev/null 2>&1
    alone="$(tail -n 1 "$tmp/one.tsv" | cut -f 3)"
    together="$(awk -F '\t' -v i="$total" 'NR > 1 && $1 == i { print $3 }' "$tmp/all.tsv")"
    [ "$alone" = "$together" ] && agree=$((agree + 1))
    total=$((total + 1))
done < "$tmp/all.$ext"
echo "$run: $agree of $total predictions agree alone and in the file ($((total - agree)) differ)"
