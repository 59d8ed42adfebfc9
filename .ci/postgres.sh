#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server, for Parley's PostgreSQL tests:
#
#   .ci/postgres.sh swift test --traits PostgreSQL
#
# Creates a cluster in a temporary folder (initdb), starts it on a free loopback port with
# password authentication (scram-sha-256) and TLS (a self-signed certificate, when openssl is
# there), creates the database `parley_test`, exports
#
#   PARLEY_TEST_POSTGRES_URL       postgresql://parley@127.0.0.1:PORT/parley_test
#   PARLEY_TEST_POSTGRES_PASSWORD  the password of the user `parley` (a superuser of this cluster)
#   PARLEY_TEST_POSTGRES_CA        the server's certificate, to verify it with sslmode=require
#
# runs the command, and stops the server and deletes the folder when the command ends, also
# when it fails or the script is interrupted. Exits with the command's status.
# POSTGRES_SH_SERVER_OPTIONS adds server settings (for a measurement:
# "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on").
# Needs Debian's `postgresql` package (apt-get install -y postgresql); PostgreSQL refuses to
# run as root, so as root the server runs as the package's `postgres` user.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 64
fi

bindir=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do bindir="$dir"; done
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "postgres.sh: no PostgreSQL server found in /usr/lib/postgresql/*/bin; apt-get install -y postgresql" >&2
  exit 69
fi

work=$(mktemp -d /tmp/parley-pg.XXXXXX)
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  as_server=(runuser -u postgres --)
  chown postgres: "$work"
fi

started=0
cleanup() {
  local status=$?
  if [ "$started" -eq 1 ]; then
    # immediate: a test run is over, nothing in this cluster needs to survive.
    "${as_server[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
    echo "==> postgres.sh: server stopped" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$password" >"$work/pwfile"
chmod 600 "$work/pwfile"
[ "${#as_server[@]}" -eq 0 ] || chown postgres: "$work/pwfile"

"${as_server[@]}" "$bindir/initdb" -D "$work/data" -U parley --pwfile="$work/pwfile" -A scram-sha-256 \
  -E UTF8 --no-locale --no-sync >"$work/initdb.log" 2>&1 || {
  cat "$work/initdb.log" >&2
  exit 1
}

ssl_options=()
if command -v openssl >/dev/null 2>&1; then
  # Valid for localhost and 127.0.0.1, so that sslmode=require (full verification) can be tested.
  if openssl req -new -x509 -days 2 -nodes -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$work/data/server.key" -out "$work/data/server.crt" >/dev/null 2>&1; then
    chmod 600 "$work/data/server.key"
    [ "${#as_server[@]}" -eq 0 ] || chown postgres: "$work/data/server.key" "$work/data/server.crt"
    cp "$work/data/server.crt" "$work/ca.crt"
    chmod 644 "$work/ca.crt"
    ssl_options=(-c ssl=on)
  fi
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Another process may take the port between the probe and the start: try a few.
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  # fsync off: a crashed test cluster is thrown away anyway, and it makes the tests faster.
  if "${as_server[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${ssl_options[*]} ${POSTGRES_SH_SERVER_OPTIONS:-}" \
    start >/dev/null; then
    started=1
    break
  fi
  echo "==> postgres.sh: start on port $port failed (attempt $attempt):" >&2
  tail -5 "$work/server.log" >&2 || true
done
if [ "$started" -ne 1 ]; then
  echo "postgres.sh: the server did not start" >&2
  exit 1
fi

PGPASSWORD="$password" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U parley parley_test

export PARLEY_TEST_POSTGRES_URL="postgresql://parley@127.0.0.1:$port/parley_test"
export PARLEY_TEST_POSTGRES_PASSWORD="$password"
if [ -f "$work/ca.crt" ]; then export PARLEY_TEST_POSTGRES_CA="$work/ca.crt"; fi
echo "==> postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $PARLEY_TEST_POSTGRES_URL" \
  "(TLS: $([ -f "$work/ca.crt" ] && echo on || echo off))" >&2

# Not exec: the trap must run when the command ends.
set +e
"$@"
status=$?
set -e
exit "$status"
