#!/usr/bin/env bash
# landmark against the PyTorch reference (bench/pytorch_reference.py, Debian's python3-torch) on
# the LRA ListOps model: n = 2048, batch 32, 2 layers of dim 64, same threads. Runs the two
# alternately RUNS times (each run: 1 warmup step, then the median of STEPS steps) and prints
# every run, then the medians over the runs and their ratios: padded tokens/s (positions
# processed per second) and peak RSS.
#
#   bench/compare.sh [nystrom|softmax] [threads] [steps] [runs]
#
# LANDMARK_ARGS adds options to landmark's side, e.g. LANDMARK_ARGS="--set
# model.skip_padding=false" times the padded computation, as PyTorch does it.
set -euo pipefail
cd "$(dirname "$0")/.."
attention="${1:-nystrom}"
threads="${2:-2}"
steps="${3:-5}"
runs="${4:-1}"
landmark="${LANDMARK:-build/bin/landmark}"
python="${PYTHON:-/usr/bin/python3}"
if ! "$python" -c "import torch" 2>/dev/null; then
    echo "compare.sh: $python has no torch; install it with LANDMARK_WITH_PYTORCH=1 bash tools/setup.sh" >&2
    exit 2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for run in $(seq 1 "$runs"); do
    echo "== run $run/$runs: landmark ($attention, $threads threads, $steps steps)"
    "$landmark" bench train --config "configs/listops/$attention.yaml" --threads "$threads" \
        --steps "$steps" --warmup 1 --json "$out/landmark.json" \
        --set task.train_size=1024 --set task.validation_size=64 --set task.test_size=64 \
        ${LANDMARK_ARGS:-}
    tail -n 1 "$out/landmark.json" >> "$out/landmark.runs"
    echo "== run $run/$runs: pytorch"
    OMP_NUM_THREADS="$threads" "$python" bench/pytorch_reference.py --attention "$attention" \
        --threads "$threads" --steps "$steps" --warmup 1 | tee "$out/pytorch.json"
    tail -n 1 "$out/pytorch.json" >> "$out/pytorch.runs"
done
"$python" - "$out/landmark.runs" "$out/pytorch.runs" <<'PY'
import json, statistics, sys
lm, pt = ([json.loads(l) for l in open(p) if l.strip()] for p in sys.argv[1:3])
med = lambda runs, key: statistics.median(r[key] for r in runs)
print(f"\n{len(lm)} run(s) each; per run tokens/s: landmark "
      f"{[round(r['tokens_per_s']) for r in lm]}, pytorch {[round(r['tokens_per_s']) for r in pt]}")
print(f"median step   landmark {med(lm, 'median_step_s'):.3f} s   pytorch {med(pt, 'median_step_s'):.3f} s")
print(f"tokens/s      landmark {med(lm, 'tokens_per_s'):.0f}   pytorch {med(pt, 'tokens_per_s'):.0f}   "
      f"ratio {med(lm, 'tokens_per_s') / med(pt, 'tokens_per_s'):.2f}x")
print(f"peak RSS      landmark {med(lm, 'peak_rss_mib'):.0f} MiB   pytorch {med(pt, 'peak_rss_mib'):.0f} MiB   "
      f"ratio {med(lm, 'peak_rss_mib') / med(pt, 'peak_rss_mib'):.2f}")
PY
