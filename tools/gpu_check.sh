#!/usr/bin/env bash
# Proves the CUDA backend on a machine with an NVIDIA GPU, in one go, each part under its own time
# limit, and prints a summary line per part at the end (also in OUT/summary.txt, with every
# part's log beside it). Exits 1 if any part failed; without a GPU it says so and exits 0 at once.
#
#   tools/gpu_check.sh [--bundle FILE.tar.xz | --build DIR] [--out DIR] [--dry-run]
#
# Parts:
#   1 gpu-tests    the GPU test binaries (what `ctest -L gpu` runs: every op and gradient against
#                  the CPU backend, the runtime, a training run against the CPU's loss curve)
#   2 ops          `landmark compare-devices`: the largest relative error per op, CUDA vs CPU
#   3 quickstart   configs/quickstart.yaml trained on cuda and on the CPU; both loss curves in
#                  one SVG (quickstart.svg) and their final losses side by side
#   4 bench        `landmark bench train` on cuda, ListOps Nystrom and softmax, fp32 and bf16,
#                  next to bench/pytorch_reference.py on the same GPU and shapes (bench.tsv);
#                  `landmark bench attention` on cuda, n = 1k .. 64k (attention.tsv)
#
# Binaries come from a bundle made by tools/gpu_pack.sh (default .gpu/landmark-gpu.tar.xz when it
# exists) or a build directory (default build-cuda). The CUDA libraries are found in the GPU
# machine's CUDA toolkit and NVIDIA's Python wheels. --dry-run runs every part on the CPU with
# short settings (no GPU needed): it checks the script, the bundle and the commands.
# Time limits (seconds, default "140 80 140 160": 8.7 minutes, leaving a margin inside one
# 10-minute command) can be changed with GPU_CHECK_LIMITS="tests ops quickstart bench";
# PYTHON names the Python that has PyTorch (default python3).
set -uo pipefail
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
here="$(dirname "$(dirname "$self")")"
# paths given relative to where the script was started from
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
need_value() { [ $# -ge 2 ] || { echo "gpu_check: $1 needs a value (see --help)" >&2; exit 2; }; }
bundle=""
build=""
out="gpu-check-$(date +%Y%m%d-%H%M%S)"
dry=0
only_part=""  # internal: this script runs each part as `gpu_check.sh --part NAME` under timeout
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) need_value "$@"; bundle="$(absolute "$2")"; shift 2 ;;
        --build) need_value "$@"; build="$(absolute "$2")"; shift 2 ;;
        --out) need_value "$@"; out="$(absolute "$2")"; shift 2 ;;
        --dry-run) dry=1; shift ;;
        --part) need_value "$@"; only_part="$2"; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "gpu_check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
out="$(absolute "$out")"
cd "$here"
python="${PYTHON:-python3}"  # the GPU machine's python3 holds PyTorch
read -r limit_tests limit_ops limit_quick limit_bench extra <<< "${GPU_CHECK_LIMITS:-140 80 140 160}"
for l in "$limit_tests" "$limit_ops" "$limit_quick" "$limit_bench"; do
    [[ "$l" =~ ^[0-9]+$ ]] && [ -z "${extra:-}" ] || {
        echo "gpu_check: GPU_CHECK_LIMITS must be 4 whole numbers of seconds (tests ops" \
            "quickstart bench), got '${GPU_CHECK_LIMITS:-}'" >&2
        exit 2
    }
done

have_gpu() {
    # (grep without -q: an early exit would SIGPIPE nvidia-smi, failing the pipeline)
    command -v nvidia-smi > /dev/null && nvidia-smi -L 2> /dev/null | grep '^GPU' > /dev/null
}

# Sets and exports what the parts use: GPU_CHECK_{OUT,LANDMARK,TESTS,DEVICE,DRY}, LANDMARK_BIN,
# LD_LIBRARY_PATH.
setup() {
    if [ "$dry" = 0 ] && ! have_gpu; then
        echo "gpu_check: no NVIDIA GPU here (nvidia-smi lists none): nothing to check." \
            "Use --dry-run to try the script on the CPU."
        exit 0
    fi
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    if [ -z "$build" ] && [ -z "$bundle" ] && [ -f .gpu/landmark-gpu.tar.xz ]; then
        bundle=.gpu/landmark-gpu.tar.xz
    fi
    local libs="" landmark tests
    if [ -n "$bundle" ]; then
        local unpacked="$out/bundle"
        mkdir -p "$unpacked"
        tar -C "$unpacked" -xJf "$bundle" || { echo "gpu_check: cannot unpack $bundle" >&2; exit 2; }
        landmark="$unpacked/landmark-gpu/bin/landmark"
        tests="$unpacked/landmark-gpu/bin/cuda_tests $unpacked/landmark-gpu/bin/cuda_train_tests"
        libs="$unpacked/landmark-gpu/lib"
    else
        build="${build:-build-cuda}"
        if [ ! -d "$build" ]; then
            echo "gpu_check: build directory '$build' does not exist (build with CUDA, or pass" \
                "--bundle from tools/gpu_pack.sh)" >&2
            exit 2
        fi
        landmark="$(cd "$build" && pwd)/bin/landmark"
        tests="$(cd "$build" && pwd)/tests/cuda_tests $(cd "$build" && pwd)/tests/cuda_train_tests"
    fi
    # CUDA libraries: the toolkit's, and those of NVIDIA's wheels next to the machine's PyTorch.
    local cuda_dirs wheel_dirs
    cuda_dirs="$(ls -d /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib 2>/dev/null | tr '\n' ':')"
    wheel_dirs="$("$python" - 2>/dev/null <<'PY'
import pathlib
try:
    import nvidia
    dirs = {str(p.parent) for d in nvidia.__path__ for p in pathlib.Path(d).rglob("*.so*")}
    print(":".join(sorted(dirs)))
except ImportError:
    pass
PY
)"
    local path="${libs:+$libs:}${cuda_dirs}${wheel_dirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    path="${path//::/:}"
    export LD_LIBRARY_PATH="${path%:}"
    export LANDMARK_BIN="$landmark"  # the CLI tests run this binary, not the path built in
    export GPU_CHECK_OUT="$out" GPU_CHECK_LANDMARK="$landmark" GPU_CHECK_TESTS="$tests"
    export GPU_CHECK_DRY="$dry" GPU_CHECK_DEVICE=cuda
    [ "$dry" = 1 ] && GPU_CHECK_DEVICE=cpu
    {
        echo "landmark: $landmark"
        echo "commit: $(cat "$(dirname "$landmark")/../commit.txt" 2>/dev/null || git rev-parse --short HEAD 2>/dev/null)"
        echo "LD_LIBRARY_PATH: $LD_LIBRARY_PATH"
        nvidia-smi 2>&1 || echo "(no nvidia-smi)"
        ldd "$landmark" 2>&1
    } > "$out/environment.txt"
    if [ ! -x "$landmark" ] || ldd "$landmark" | grep -q "not found"; then
        echo "gpu_check: $landmark is missing or lacks libraries (see $out/environment.txt):" >&2
        ldd "$landmark" 2>&1 | grep "not found" >&2
        exit 2
    fi
}

# Settings of the parts: the GPU's, or short CPU ones for --dry-run.
settings() {
    out="$GPU_CHECK_OUT"
    landmark="$GPU_CHECK_LANDMARK"
    read -r -a tests <<< "$GPU_CHECK_TESTS"
    dry="$GPU_CHECK_DRY"
    device="$GPU_CHECK_DEVICE"
    threads=16
    quick_sets=()
    bench_steps=(--steps 5 --warmup 2)
    pt_steps=(--steps 5 --warmup 2)
    seqs="1024,2048,4096,8192,16384,32768,65536"
    if [ "$dry" = 1 ]; then
        threads="$(nproc)"
        quick_sets=(--set train.steps=20 --set eval.every=10 --set schedule.warmup_steps=5
                    --set task.train_size=300 --set task.validation_size=50
                    --set task.test_size=50)
        bench_steps=(--steps 1 --warmup 0 --set train.batch_size=2 --set task.train_size=16
                     --set task.validation_size=8 --set task.test_size=8 --set task.min_length=50
                     --set task.max_length=250)
        pt_steps=(--steps 1 --warmup 0 --batch 2 --seq 256)
        seqs="256,512"
    fi
}

# ---- the parts (each runs as `gpu_check.sh --part NAME` under its time limit)

part_gpu_tests() {  # what `ctest -L gpu` runs
    local rc=0 t
    for t in "${tests[@]}"; do
        "$t" --gtest_brief=1 || rc=1
    done
    return $rc
}

part_ops() {
    "$landmark" compare-devices --device "$device"
}

part_quickstart() {
    "$landmark" train configs/quickstart.yaml --run-dir "$out/quickstart-device" \
        --set run.device="$device" "${quick_sets[@]}" || return 1
    "$landmark" train configs/quickstart.yaml --run-dir "$out/quickstart-cpu" \
        --set run.device=cpu "${quick_sets[@]}" || return 1
    "$landmark" plot "$out/quickstart-device" "$out/quickstart-cpu" --name "$device" \
        --name cpu --title quickstart --out "$out/quickstart.svg" || return 1
    "$python" - "$out/quickstart-device" "$out/quickstart-cpu" <<'PY'
import json, sys
for run in sys.argv[1:]:
    recs = [json.loads(l) for l in open(run + "/metrics.jsonl")]
    train = [r for r in recs if r.get("split") == "train"]
    test = [r for r in recs if r.get("split") == "test"]
    print("%-40s final train loss %.4f, test accuracy %.4f" % (
        run.rsplit("/", 1)[-1], train[-1]["loss"], test[-1]["accuracy"] if test else float("nan")))
PY
}

part_bench() {
    local rc=0 att prec
    printf 'system\tattention\tprecision\tmedian_step_s\tpadded_tokens_per_s\tpeak_memory_mib\n' \
        > "$out/bench.tsv"
    for att in nystrom softmax; do
        for prec in fp32 bf16; do
            "$landmark" bench train --config "configs/listops/$att.yaml" "${bench_steps[@]}" \
                --threads "$threads" --set run.device="$device" --set train.precision="$prec" \
                --json "$out/landmark-$att-$prec.json" || rc=1
            if [ "$dry" = 1 ] && ! "$python" -c "import torch" 2>/dev/null; then
                echo "(dry run: $python has no torch, PyTorch rows left out)"
                echo '{"system": "pytorch (not installed)", "median_step_s": 0, "tokens_per_s": 0, "peak_rss_mib": 0}' \
                    > "$out/pytorch-$att-$prec.json"
            else
                "$python" bench/pytorch_reference.py --attention "$att" --device "$device" \
                    --precision "$prec" --threads "$threads" "${pt_steps[@]}" \
                    > "$out/pytorch-$att-$prec.json" || rc=1
            fi
            "$python" - "$out" "$att" "$prec" >> "$out/bench.tsv" <<'PY' || rc=1
import json, sys
out, att, prec = sys.argv[1:]
for system in ("landmark", "pytorch"):
    r = json.loads(open("%s/%s-%s-%s.json" % (out, system, att, prec)).read().splitlines()[-1])
    memory = r.get("peak_device_mib", r.get("peak_tensor_mib", r["peak_rss_mib"]))
    if r.get("device", "cpu") == "cpu" and system == "pytorch":
        memory = r["peak_rss_mib"]
    print("%s\t%s\t%s\t%.4f\t%.0f\t%.1f" % (r["system"], att, prec, r["median_step_s"],
                                            r["tokens_per_s"], memory))
PY
        done
    done
    "$landmark" bench attention --type nystrom,softmax --seq "$seqs" --device "$device" \
        --csv "$out/attention.csv" --svg "$out/attention.svg" || rc=1
    return $rc
}

if [ -n "$only_part" ]; then
    settings
    "part_${only_part//-/_}"
    exit $?
fi

setup
settings
summary=()
status=0
echo "gpu_check: $([ "$dry" = 1 ] && echo "dry run on the CPU" || nvidia-smi -L 2>/dev/null | head -n 1)" \
    > "$out/summary.txt"
# killed from outside: take the running part down too (timeout leads its own process group)
part_pid=""
trap '[ -n "$part_pid" ] && kill -TERM -- "-$part_pid" 2>/dev/null; echo "interrupted" >> "$out/summary.txt"; exit 143' TERM INT
# run_part NAME LIMIT WHAT: the part in its own process, output in OUT/NAME.log.
run_part() {
    local name="$1" limit="$2" what="$3" t0=$SECONDS rc result="ok"
    echo "== $name (limit ${limit}s): $what"
    # in the background, so that a TERM to this script runs its trap at once (see below)
    timeout --kill-after=5 "$limit" "$self" --part "$name" > "$out/$name.log" 2>&1 &
    part_pid=$!
    wait "$part_pid"
    rc=$?
    part_pid=""
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        result="TIMED OUT"
    elif [ $rc -ne 0 ]; then
        result="FAILED (exit $rc)"
    fi
    [ $rc -ne 0 ] && status=1
    summary+=("$(printf '%-11s %-16s %5ss  %s' "$name" "$result" "$((SECONDS - t0))" "$what")")
    printf '%s\n' "${summary[-1]}" >> "$out/summary.txt"  # kept if the whole run is cut short
}

run_part gpu-tests "$limit_tests" "GPU test binaries (ctest -L gpu)"
grep -hE "^\[  (PASSED|FAILED|SKIPPED) |tests? ran" "$out/gpu-tests.log" | sed 's/^/    /'
run_part ops "$limit_ops" "compare-devices: largest relative error per op"
sed 's/^/    /' "$out/ops.log" | tail -n 15
run_part quickstart "$limit_quick" "quickstart on $device and on the CPU (quickstart.svg)"
tail -n 2 "$out/quickstart.log" | sed 's/^/    /'
run_part bench "$limit_bench" "ListOps step vs PyTorch (bench.tsv), attention 1k-64k"
column -t -s $'\t' "$out/bench.tsv" 2>/dev/null | sed 's/^/    /'
tail -n 16 "$out/bench.log" | grep -E "^(nystrom|softmax|type) " | sed 's/^/    /'

if [ $status -eq 0 ]; then echo "all parts passed"; else echo "some parts FAILED (logs in $out)"; fi \
    >> "$out/summary.txt"
cat "$out/summary.txt"
exit $status
