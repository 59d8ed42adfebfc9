#!/usr/bin/env bash
# First visits: every page answered from the record (the answer cache off), one request at a
# time, so each figure is what a visitor no cache helps waits for. Prints, per path, the median
# and the slowest of REPEATS requests and the server's CPU time per request (from /proc, in
# clock ticks of 10 ms). Exits 1 on any non-200 answer.
#
#   Benchmarks/first-visit.sh BINARY DB [REPEATS]
#
# Environment: P   the paths, separated by spaces (default: every page and list endpoint)
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: Benchmarks/first-visit.sh BINARY DB [REPEATS]" >&2
  exit 64
fi
bin=$1
db=$2
n=${3:-5}
[[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 100 ]] || {
  echo "first-visit.sh: REPEATS must be 1 to 100" >&2
  exit 64
}
P=${P:-"/ /timeline /actors /actors/vladimir-putin /plans /plans/1 /articles/9791 /search?q=ceasefire /api/v1/articles /api/v1/actors /api/v1/events /api/v1/timeline /api/v1/plans /api/v1/sources /api/v1/search?q=ceasefire"}
log=$(mktemp)
env -u PARLEY_TOKEN "$bin" serve --db "$db" --port 0 --log-level warning --response-cache-mib 0 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; rm -f "$log"' EXIT
port=
for _ in $(seq 1 600); do
  port=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 | sed 's/.*://' || true)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || {
  echo "first-visit.sh: the server did not start:" >&2
  cat "$log" >&2
  exit 1
}
# The database file's pages are read once per path first: a first visit, not a cold disk.
for p in $P; do curl -s -o /dev/null "http://127.0.0.1:$port$p" || true; done
failed=0
c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
for p in $P; do
  ts=()
  for _ in $(seq 1 "$n"); do
    ts+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$port$p" |
      awk '{ if ($1 != 200) print "ERR"$1; else printf "%.0f", $2*1000 }')")
  done
  [[ " ${ts[*]} " == *ERR* ]] && failed=1
  sorted=$(printf '%s\n' "${ts[@]}" | sort -n)
  c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  cpu=$(((c1 - c0) * 10 / n))
  c0=$c1
  med=$(echo "$sorted" | sed -n "$(((n + 1) / 2))p")
  max=$(echo "$sorted" | tail -1)
  printf '%-32s median %5s ms  max %5s ms  server CPU %4s ms/request  (%s)\n' "$p" "$med" "$max" "$cpu" "${ts[*]}"
done
exit $failed
