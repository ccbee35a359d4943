#!/usr/bin/env bash
# Short libFuzzer campaign over landmark's readers of untrusted input (issue 11).
#
#   tools/fuzz.sh [SECONDS] [TARGET...]
#
# Configures a clang build with -DLANDMARK_FUZZ=ON (libFuzzer + AddressSanitizer +
# UndefinedBehaviorSanitizer; no CUDA, no tests, no benchmarks), builds the fuzz targets and runs
# each one for SECONDS (default 60) on a scratch copy of its seeds, tests/fuzz/corpus/<target>/
# plus tests/fuzz/regressions/<target>/. The checked-in directories are never written to, except
# that every crash / leak / timeout / out-of-memory input libFuzzer finds is copied into
# tests/fuzz/regressions/<target>/, where tests/train/fuzz_regression_test.cpp replays it in the
# normal test suite once the bug is fixed. Prints, per target, libFuzzer's executed-units count
# (stat::number_of_executed_units) and the findings; exits 1 when anything was found.
#
# Targets: safetensors sidecar npy config text idx (tests/fuzz/fuzz_<target>.cpp); default all.
#
# Environment:
#   LANDMARK_FUZZ_SECONDS    seconds per target when no argument is given   (default 60)
#   LANDMARK_FUZZ_BUILD_DIR  clang build directory                          (default build-fuzz)
#   LANDMARK_FUZZ_WORK_DIR   scratch corpora, artifacts and logs   (default <build dir>/fuzz-work)
#   LANDMARK_FUZZ_JOBS       parallel build jobs                            (default 2)
#   LANDMARK_FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 10)
#   LANDMARK_FUZZ_RSS_MB     memory limit (RSS and single allocation), MiB  (default 2048)
#   LANDMARK_FUZZ_ARGS       extra libFuzzer flags, e.g. "-seed=1 -use_value_profile=1"
#   LANDMARK_FUZZ_NO_BUILD=1 skip configure and build: run the binaries already in
#                            <build dir>/fuzz (e.g. a copy taken while the tree keeps changing)
#
# Idempotent: the build directory is reused (only stale objects rebuild), each run starts from a
# fresh copy of the seeds, and a finding already kept under regressions/ is not copied twice
# (libFuzzer names artifacts by the SHA-1 of their contents).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${LANDMARK_FUZZ_BUILD_DIR:-$here/build-fuzz}"
work_dir="${LANDMARK_FUZZ_WORK_DIR:-$build_dir/fuzz-work}"
jobs="${LANDMARK_FUZZ_JOBS:-2}"
timeout_s="${LANDMARK_FUZZ_TIMEOUT:-10}"
rss_mb="${LANDMARK_FUZZ_RSS_MB:-2048}"
all_targets=(safetensors sidecar npy config text idx)

seconds="${LANDMARK_FUZZ_SECONDS:-60}"
if [ $# -gt 0 ]; then
    seconds="$1"
    shift
fi
case "$seconds" in
    '' | *[!0-9]* | 0*)  # 0 would mean "run forever" to libFuzzer's -max_total_time
        echo "fuzz.sh: SECONDS must be a positive integer, got '$seconds'" >&2
        exit 2
        ;;
esac
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    if [ ! -f "$here/tests/fuzz/fuzz_$t.cpp" ]; then
        echo "fuzz.sh: unknown target '$t' (known: ${all_targets[*]})" >&2
        exit 2
    fi
done

# ---- configure (once) and build -------------------------------------------------------------
if [ "${LANDMARK_FUZZ_NO_BUILD:-0}" != 1 ]; then
    cache="$build_dir/CMakeCache.txt"
    if [ -f "$cache" ] && ! grep -q '^LANDMARK_FUZZ:BOOL=ON' "$cache"; then
        echo "fuzz.sh: $build_dir is a build without -DLANDMARK_FUZZ=ON;" \
            "remove it or set LANDMARK_FUZZ_BUILD_DIR" >&2
        exit 2
    fi
    if [ ! -f "$cache" ]; then
        command -v clang++ >/dev/null || {
            echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2
            exit 2
        }
        generator=()
        command -v ninja >/dev/null && generator=(-G Ninja)
        cmake -S "$here" -B "$build_dir" "${generator[@]}" \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
            -DLANDMARK_FUZZ=ON -DLANDMARK_CUDA=OFF \
            -DLANDMARK_BUILD_TESTS=OFF -DLANDMARK_BUILD_BENCH=OFF
    fi
    build_targets=()
    for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
    cmake --build "$build_dir" --parallel "$jobs" --target "${build_targets[@]}"
fi

# ---- fuzz -------------------------------------------------------------------------------------
# Leaks are findings (libFuzzer's -detect_leaks=1 default); UB aborts with a stack trace
# (the build uses -fno-sanitize-recover=all).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

summary=()
found_total=0
for t in "${targets[@]}"; do
    run_dir="$work_dir/$t"
    rm -rf "$run_dir"
    mkdir -p "$run_dir/corpus" "$run_dir/artifacts"
    # Seeds and earlier findings; libFuzzer adds the inputs that reach new coverage here.
    cp -pR "$here/tests/fuzz/corpus/$t/." "$run_dir/corpus/"
    if [ -d "$here/tests/fuzz/regressions/$t" ]; then
        cp -pR "$here/tests/fuzz/regressions/$t/." "$run_dir/corpus/"
    fi
    seeds=$(find "$run_dir/corpus" -type f | wc -l)

    echo "=== fuzz_$t: ${seconds}s from $seeds seeds (log: $run_dir/fuzz.log)"
    status=0
    # shellcheck disable=SC2086  # LANDMARK_FUZZ_ARGS is a list of flags, split on purpose
    "$build_dir/fuzz/fuzz_$t" \
        -max_total_time="$seconds" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" \
        -print_final_stats=1 -artifact_prefix="$run_dir/artifacts/" \
        ${LANDMARK_FUZZ_ARGS:-} \
        "$run_dir/corpus" >"$run_dir/fuzz.log" 2>&1 || status=$?

    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run_dir/fuzz.log" | tail -n 1)
    [ -n "$execs" ] || execs="?"
    units=$(find "$run_dir/corpus" -type f | wc -l)

    # Keep every finding (crash-*, leak-*, timeout-*, oom-*, slow-unit-* is only a warning).
    findings=()
    while IFS= read -r -d '' artifact; do
        findings+=("$artifact")
    done < <(find "$run_dir/artifacts" -type f ! -name 'slow-unit-*' -print0)
    kept=()
    if [ ${#findings[@]} -gt 0 ]; then
        mkdir -p "$here/tests/fuzz/regressions/$t"
        for artifact in "${findings[@]}"; do
            dest="$here/tests/fuzz/regressions/$t/$(basename "$artifact")"
            [ -e "$dest" ] || cp "$artifact" "$dest"
            kept+=("${dest#"$here"/}")
        done
    fi
    if [ "$status" -ne 0 ] && [ ${#findings[@]} -eq 0 ]; then
        # libFuzzer failed without leaving an artifact (bad flag, startup crash, ...).
        findings+=("exit status $status, see $run_dir/fuzz.log")
    fi
    found_total=$((found_total + ${#findings[@]}))

    if [ ${#findings[@]} -eq 0 ]; then
        result="ok"
    else
        result="${#findings[@]} finding(s)"
        echo "--- fuzz_$t failed (exit status $status); last lines of the log:"
        tail -n 40 "$run_dir/fuzz.log"
        for k in "${kept[@]}"; do echo "    kept $k"; done
    fi
    summary+=("$(printf '%-12s %12s %8s  %s' "$t" "$execs" "$units" "$result")")
done

echo
echo "=== fuzz summary (${seconds}s per target)"
printf '%-12s %12s %8s  %s\n' target executions corpus result
for line in "${summary[@]}"; do echo "$line"; done
if [ "$found_total" -gt 0 ]; then
    echo "fuzz.sh: $found_total finding(s); reproduce with" \
        "$build_dir/fuzz/fuzz_<target> tests/fuzz/regressions/<target>/<file>," \
        "fix the reader, then rerun (the regression test replays the kept inputs)" >&2
    exit 1
fi
