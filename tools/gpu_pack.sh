#!/usr/bin/env bash
# Packs what tools/gpu_check.sh needs on a GPU machine that has no Debian libraries and no
# network: the CUDA build's landmark binary and GPU test binaries, and every shared library they
# load that such a machine lacks (OpenBLAS, yaml-cpp, spdlog, fmt, SentencePiece, FFTW, Open MPI
# ...). The CUDA libraries (cudart, cuBLAS, cuFFT, cuDNN, NCCL) are left out: the GPU machine has its
# own (CUDA toolkit, NVIDIA's Python wheels), which gpu_check.sh finds. One xz tarball, small
# enough to travel with the working tree (64 MiB).
#
#   tools/gpu_pack.sh [BUILD_DIR] [OUT]     (defaults: build-cuda, .gpu/landmark-gpu.tar.xz)
#
# The build directory is configured with CUDA on (and built) when it does not exist yet.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build-cuda}"
out="${2:-$here/.gpu/landmark-gpu.tar.xz}"

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANDMARK_CUDA=ON
fi
cmake --build "$build" --target landmark cuda_tests cuda_train_tests
if ! ldd "$build/bin/landmark" | grep -q libcudart; then
    echo "gpu_pack: $build/bin/landmark is not linked with CUDA (configure with -DLANDMARK_CUDA=ON)" >&2
    exit 2
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/landmark-gpu/bin" "$stage/landmark-gpu/lib"
cp "$build/bin/landmark" "$stage/landmark-gpu/bin/"
cp "$build/tests/cuda_tests" "$build/tests/cuda_train_tests" "$stage/landmark-gpu/bin/"
strip --strip-unneeded "$stage/landmark-gpu/bin/"*

# Libraries every Linux has (glibc, libstdc++, libgcc) and the CUDA ones the GPU machine brings.
skip='^(linux-vdso|ld-linux|libc\.|libm\.|libdl\.|librt\.|libpthread\.|libstdc\+\+|libgcc_s|libcuda\.|libcudart|libcublas|libcufft|libcudnn|libnccl|libnvrtc|libnvJitLink|libcurand)'
for exe in "$stage/landmark-gpu/bin/"*; do
    ldd "$exe" | awk '$3 ~ /^\// { print $1, $3 }'
done | sort -u | while read -r name path; do
    if [[ ! "$name" =~ $skip ]]; then cp -L "$path" "$stage/landmark-gpu/lib/$name"; fi
done
# What the CUDA libraries must provide there (gpu_check.sh reports any it cannot find).
for exe in "$stage/landmark-gpu/bin/"*; do ldd "$exe" | awk '{ print $1 }'; done | sort -u |
    grep -E "^(libcudart|libcublas|libcufft|libcudnn|libnccl)" > "$stage/landmark-gpu/cuda-libs.txt" || true
git -C "$here" rev-parse --short HEAD > "$stage/landmark-gpu/commit.txt" 2>/dev/null || true

mkdir -p "$(dirname "$out")"
tar -C "$stage" -cJf "$out.tmp" landmark-gpu
mv "$out.tmp" "$out"
echo "gpu_pack: $(du -h "$out" | cut -f1) in $out ($(ls "$stage/landmark-gpu/lib" | wc -l) libraries;" \
    "needs from the GPU machine: $(tr '\n' ' ' < "$stage/landmark-gpu/cuda-libs.txt"))"
