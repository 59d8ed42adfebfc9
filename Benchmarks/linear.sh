#!/usr/bin/env bash
# Extraction time of text with no sentence end, at doubling sizes: the growth must be linear
# (issue 9: 1 MB with no sentence end under 10 s). Usage: Benchmarks/linear.sh [PARLEY]
set -euo pipefail
parley=${1:-.build/release/parley}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%-10s %10s %12s\n' "bytes" "seconds" "us/byte"
for kib in 128 256 512 1024; do
  python3 -c "import sys; s='the talks went on and on, '*((${kib}*1024)//26+1); sys.stdout.write(s[:${kib}*1024])" > "$dir/t.txt"
  start=$(date +%s.%N)
  "$parley" extract --format jsonl "$dir/t.txt" > /dev/null
  end=$(date +%s.%N)
  python3 -c "b=${kib}*1024; t=${end}-${start}; print(f'{b:<10} {t:10.2f} {t/b*1e6:12.3f}')"
done
