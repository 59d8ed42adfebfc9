#!/usr/bin/env bash
# Load benchmark of the JSON API: requests/s and p99 latency of the timeline under 64 concurrent
# connections, on loopback only, bounded in time. Fails (exit 1) on any non-2xx answer or socket
# error, and when the server does not stop cleanly on SIGTERM.
#
#   Benchmarks/load.sh DB_FILE [SECONDS]
#
# Environment: PARLEY_SCRATCH   build folder (default .build; the binary is $PARLEY_SCRATCH/release/parley)
#              LOG_LEVEL        the server's log level (default info: one log line per request, as in production)
#              LOAD_PATH        the request path (default /api/v1/timeline?limit=50)
#              LOAD_REVALIDATE  1: every request sends If-None-Match with the page's ETag, as a
#                               browser revisiting an unchanged page does (the answer is 304)
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! $1 =~ ^[^-] ]]; then
  echo "usage: Benchmarks/load.sh DB_FILE [SECONDS]" >&2
  exit 64
fi
db=$1
duration=${2:-20}
[[ $duration =~ ^[0-9]+$ && $duration -ge 1 && $duration -le 600 ]] || {
  echo "load.sh: SECONDS must be 1 to 600" >&2
  exit 64
}
[[ -f $db ]] || {
  echo "load.sh: $db: no such database (make one with: parley ingest --db $db ARTICLES...)" >&2
  exit 64
}
db=$(cd "$(dirname "$db")" && pwd)/$(basename "$db")
cd "$(dirname "$0")/.."
scratch=${PARLEY_SCRATCH:-.build}
path=${LOAD_PATH:-/api/v1/timeline?limit=50}

if ! command -v wrk >/dev/null; then
  echo "load.sh: installing wrk" >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

# Incremental: quick when the release build is up to date.
swift build -c release --product parley --scratch-path "$scratch" >&2
binary=$scratch/release/parley

work=$(mktemp -d)
server_log=$work/server.log
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the server picks a free port and prints it, so two runs never collide. No token: the
# benchmark server is read-only.
env -u PARLEY_TOKEN "$binary" serve --db "$db" --port 0 --log-level "${LOG_LEVEL:-info}" 2>"$server_log" &
pid=$!
port=
for _ in $(seq 1 300); do
  port=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$server_log" | head -n 1 | sed 's/.*://' || true)
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || {
    echo "load.sh: the server exited before listening:" >&2
    cat "$server_log" >&2
    exit 1
  }
  sleep 0.1
done
[[ -n $port ]] || {
  echo "load.sh: the server did not start listening within 30 s" >&2
  exit 1
}
url="http://127.0.0.1:$port$path"
curl -fsS -o /dev/null "$url" || {
  echo "load.sh: $url does not answer 200" >&2
  exit 1
}

headers=()
if [[ ${LOAD_REVALIDATE:-0} == 1 ]]; then
  etag=$(curl -fsS -D - -o /dev/null "$url" | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}')
  [[ -n $etag ]] || {
    echo "load.sh: $url carries no ETag to revalidate with" >&2
    exit 1
  }
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url") == 304 ]] || {
    echo "load.sh: $url does not answer 304 to its own ETag" >&2
    exit 1
  }
  headers=(-H "If-None-Match: $etag")
fi

echo "load.sh: wrk -t2 -c64 -d${duration}s --timeout 10s --latency ${headers[*]} $url" >&2
wrk -t2 -c64 -d"${duration}s" --timeout 10s --latency "${headers[@]}" "$url" | tee "$work/wrk.txt"

requests=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/wrk.txt")
non2xx=${non2xx:-0}
socket=$(awk -F'[ ,]+' '/Socket errors:/ {print $4 + $6 + $8 + $10}' "$work/wrk.txt")
socket=${socket:-0}

kill -TERM "$pid"
status=0
for _ in $(seq 1 150); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  echo "load.sh: the server did not stop within 15 s of SIGTERM" >&2
  status=1
else
  wait "$pid" || status=$?
fi
pid=

echo
echo "requests/s:     $requests"
echo "p99 latency:    $p99"
echo "non-2xx:        $non2xx"
echo "socket errors:  $socket"
echo "clean shutdown: $([[ $status -eq 0 ]] && echo yes || echo "no (exit $status)")"
if [[ $non2xx -ne 0 || $socket -ne 0 || $status -ne 0 ]]; then
  tail -n 20 "$server_log" >&2
  exit 1
fi
