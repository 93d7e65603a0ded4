#!/usr/bin/env bash
# The project's own installer of what building and testing needs, idempotent:
#   scripts/setup.sh [GROUP...]     (default: native)
# Groups of Debian packages:
#   native     gcc, libc, Boehm GC: build and run the emitted C natively; clang-14, which
#              the tests use to check that the emitted C is warning-free for clang too
#   wasi       clang/lld 14 and wasi-libc: the wasm32-wasi target
#   baremetal  arm-none-eabi gcc, picolibc, QEMU: the Cortex-M target
#   bench      python3 (the peer `make bench` compares against) and GNU time
# It installs only what dpkg says is missing (apt-get, with sudo when not root) and
# prints one line when everything is there. It also checks for cargo, and tells when
# cargo-nextest is missing (`make test` then falls back to `cargo test`).
set -euo pipefail

packages_of() {
    case "$1" in
        native) echo "gcc libc6-dev libgc-dev pkg-config clang-14" ;;
        wasi) echo "clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32" ;;
        baremetal) echo "gcc-arm-none-eabi picolibc-arm-none-eabi qemu-system-arm" ;;
        bench) echo "python3 time" ;;
        *) return 1 ;;
    esac
}

groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
    groups=(native)
fi

wanted=()
for group in "${groups[@]}"; do
    if ! list=$(packages_of "$group"); then
        echo "setup.sh: unknown group '$group' (groups: native wasi baremetal bench)" >&2
        exit 2
    fi
    for pkg in $list; do
        wanted+=("$pkg")
    done
done

missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup.sh: all packages present (${groups[*]})"
else
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    echo "setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300)
    echo "+ ${apt[*]} update"
    "${apt[@]}" update
    echo "+ ${apt[*]} install -y --no-install-recommends ${missing[*]}"
    "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "setup.sh: cargo not found: install Rust (rustup, or the distribution's cargo) first" >&2
    exit 1
fi
if ! cargo nextest --version >/dev/null 2>&1; then
    echo "setup.sh: cargo-nextest not found: make test will fall back to cargo test"
fi
