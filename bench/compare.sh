#!/usr/bin/env bash
# landmark against the PyTorch reference (bench/pytorch_reference.py, Debian's python3-torch) on
# the LRA ListOps model: n = 2048, batch 32, 2 layers of dim 64, same threads. Prints both and
# the ratio of padded tokens/s (positions processed per second) and of peak RSS.
#
#   bench/compare.sh [nystrom|softmax] [threads] [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
attention="${1:-nystrom}"
threads="${2:-2}"
steps="${3:-5}"
landmark="${LANDMARK:-build/bin/landmark}"
python="${PYTHON:-/usr/bin/python3}"
if ! "$python" -c "import torch" 2>/dev/null; then
    echo "compare.sh: $python has no torch; install it with LANDMARK_WITH_PYTORCH=1 bash tools/setup.sh" >&2
    exit 2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "== landmark ($attention, $threads threads, $steps steps)"
"$landmark" bench train --config "configs/listops/$attention.yaml" --threads "$threads" \
    --steps "$steps" --warmup 1 --json "$out/landmark.json" \
    --set task.train_size=1024 --set task.validation_size=64 --set task.test_size=64
echo "== pytorch"
OMP_NUM_THREADS="$threads" "$python" bench/pytorch_reference.py --attention "$attention" \
    --threads "$threads" --steps "$steps" --warmup 1 | tee "$out/pytorch.json"
"$python" - "$out/landmark.json" "$out/pytorch.json" <<'PY'
import json, sys
lm, pt = (json.loads(open(p).read().strip().splitlines()[-1]) for p in sys.argv[1:3])
print(f"\nmedian step   landmark {lm['median_step_s']:.3f} s   pytorch {pt['median_step_s']:.3f} s")
print(f"tokens/s      landmark {lm['tokens_per_s']:.0f}   pytorch {pt['tokens_per_s']:.0f}   "
      f"ratio {lm['tokens_per_s'] / pt['tokens_per_s']:.2f}x")
print(f"peak RSS      landmark {lm['peak_rss_mib']:.0f} MiB   pytorch {pt['peak_rss_mib']:.0f} MiB   "
      f"ratio {lm['peak_rss_mib'] / pt['peak_rss_mib']:.2f}")
PY
