#!/usr/bin/env bash
# Prints the first of the project's own sources (Java, Verilog primitives, resources, POMs) that is
# newer than JAR, or nothing. Files that bcflow wrote into output folders inside the checkout
# (bcflow-out/rtl/*.v ...) are not sources and never trigger a build.
#   scripts/stale-sources.sh ROOT JAR
set -uo pipefail
root=$1 jar=$2
paths=("$root/pom.xml" "$root/hw/rtl")
for m in core trainer rtlgen hw sim synth cli tests bench; do
    paths+=("$root/$m/pom.xml" "$root/$m/src")
done
existing=()
for p in "${paths[@]}"; do [ -e "$p" ] && existing+=("$p"); done
[ ${#existing[@]} -eq 0 ] && exit 0
find "${existing[@]}" -type f -newer "$jar" -print -quit
