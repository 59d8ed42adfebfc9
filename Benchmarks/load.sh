#!/usr/bin/env bash
# Load benchmark of the JSON API: requests/s and p99 latency of the timeline under 64 concurrent
# connections, on loopback only, bounded in time. Fails (exit 1) on any non-2xx answer or socket
# error, and when the server does not stop cleanly on SIGTERM.
#
#   Benchmarks/load.sh DB_FILE [SECONDS]
#   Benchmarks/load.sh postgresql://USER@HOST:PORT/DB [SECONDS]   (password from PGPASSWORD or ~/.pgpass)
#
# A PostgreSQL URL builds parley with the PostgreSQL trait (`--traits PostgreSQL`).
# Environment: PARLEY_SCRATCH   build folder (default .build; the binary is $PARLEY_SCRATCH/release/parley)
#              PARLEY_BINARY    a parley binary to run instead of building one (e.g. a saved old build,
#                               to measure old and new back to back)
#              LOG_LEVEL        the server's log level (default info: one log line per request, as in production)
#              LOAD_PATH        the request path (default /api/v1/timeline?limit=50); several paths
#                               separated by spaces are measured one after the other on one server
#              LOAD_CONNECTIONS wrk's concurrent connections (default 64)
#              LOAD_SERVE_ARGS  extra `parley serve` options, e.g. "--response-cache-mib 0" to
#                               measure every answer made from the record (a first visit)
#              LOAD_REVALIDATE  1: every request sends If-None-Match with the page's ETag, as a
#                               browser revisiting an unchanged page does (the answer is 304)
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! $1 =~ ^[^-] ]]; then
  echo "usage: Benchmarks/load.sh DB_FILE|postgresql://USER@HOST[:PORT]/DB [SECONDS]" >&2
  exit 64
fi
db=$1
duration=${2:-20}
[[ $duration =~ ^[0-9]+$ && $duration -ge 1 && $duration -le 600 ]] || {
  echo "load.sh: SECONDS must be 1 to 600" >&2
  exit 64
}
build_args=()
if [[ $db =~ ^postgres(ql)?:// ]]; then
  build_args=(--traits PostgreSQL)
else
  [[ -f $db ]] || {
    echo "load.sh: $db: no such database (make one with: parley ingest --db $db ARTICLES...)" >&2
    exit 64
  }
  db=$(cd "$(dirname "$db")" && pwd)/$(basename "$db")
fi
cd "$(dirname "$0")/.."
scratch=${PARLEY_SCRATCH:-.build}
paths=${LOAD_PATH:-/api/v1/timeline?limit=50}
connections=${LOAD_CONNECTIONS:-64}
[[ $connections =~ ^[0-9]+$ && $connections -ge 1 && $connections -le 1024 ]] || {
  echo "load.sh: LOAD_CONNECTIONS must be 1 to 1024" >&2
  exit 64
}
read -r -a serve_args <<<"${LOAD_SERVE_ARGS:-}"

if ! command -v wrk >/dev/null; then
  echo "load.sh: installing wrk" >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

if [[ -n ${PARLEY_BINARY:-} ]]; then
  binary=$PARLEY_BINARY
else
  # Incremental: quick when the release build is up to date.
  swift build -c release --product parley --scratch-path "$scratch" "${build_args[@]}" >&2
  binary=$scratch/release/parley
fi

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
env -u PARLEY_TOKEN "$binary" serve --db "$db" --port 0 --log-level "${LOG_LEVEL:-info}" "${serve_args[@]}" \
  2>"$server_log" &
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
failed=0
results=()
for path in $paths; do
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

  echo "load.sh: wrk -t2 -c$connections -d${duration}s --timeout 10s --latency ${headers[*]} $url" >&2
  wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s --latency "${headers[@]}" "$url" | tee "$work/wrk.txt"

  requests=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/wrk.txt")
  non2xx=${non2xx:-0}
  socket=$(awk -F'[ ,]+' '/Socket errors:/ {print $4 + $6 + $8 + $10}' "$work/wrk.txt")
  socket=${socket:-0}
  results+=("$(printf '%-40s %10s req/s  p99 %8s  non-2xx %s  socket errors %s' "$path" "$requests" "$p99" "$non2xx" "$socket")")
  if [[ $non2xx -ne 0 || $socket -ne 0 ]]; then failed=1; fi
done

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
printf '%s\n' "${results[@]}"
echo "clean shutdown: $([[ $status -eq 0 ]] && echo yes || echo "no (exit $status)")"
if [[ $failed -ne 0 || $status -ne 0 ]]; then
  tail -n 20 "$server_log" >&2
  exit 1
fi
