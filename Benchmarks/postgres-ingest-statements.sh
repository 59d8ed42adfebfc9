#!/usr/bin/env bash
# Where a PostgreSQL ingest's time goes: one `parley bench-record` into a new database of the
# throwaway server, with pg_stat_statements loaded, then the statements it sent (count, the
# server's execution and planning time, the most frequent), the server processes' CPU and the
# client's. Run it under the throwaway server with pg_stat_statements preloaded:
#
#   swift build -c release --traits PostgreSQL
#   POSTGRES_SH_SERVER_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" \
#     PARLEY=.build/release/parley N=2000 .ci/postgres.sh bash Benchmarks/postgres-ingest-statements.sh
#
# N articles (default 2000), WRITERS (default 1), DIR the corpus folder (reused by later runs).
# The server's CPU is read from /proc for all its processes (needs a server on this machine)
# and includes the run's query phase (--runs 1).
set -eu
export PGPASSWORD=$PARLEY_TEST_POSTGRES_PASSWORD
P=${PARLEY:-.build/release/parley}
N=${N:-2000}
W=${WRITERS:-1}
DIR=${DIR:-/tmp/parley-bench-corpus}
mkdir -p "$DIR"
base=${PARLEY_TEST_POSTGRES_URL%/*}
port=${base##*:}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
psql() { "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U parley -d parley_test -Atc "$1"; }
db=statements_${N}_w${W}_$$
"$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U parley "$db"
psql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
psql "SELECT pg_stat_statements_reset()" >/dev/null
server_cpu() {
  # The postmaster's own and its reaped children's CPU, plus its living children's, in clock ticks.
  local postmaster
  postmaster=$(pgrep -o -f -- "-p $port -k" || true)
  [ -n "$postmaster" ] || { echo 0; return; }
  {
    awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat"
    for pid in $(pgrep -P "$postmaster" || true); do awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true; done
  } | awk '{s += $1} END {print s + 0}'
}
before=$(server_cpu)
echo "== $N articles, $W writer(s), into $db; load before: $(uptime | sed 's/.*load average: //')"
/usr/bin/time -f "client: %e s wall, %U s user, %S s system, peak RSS %M KB" \
  "$P" bench-record --articles "$N" --seed 1 --dir "$DIR" --db "$base/$db" --writers "$W" --runs 1 \
  2> >(grep -E "^client:" >&2) | grep -E "articles read|ingest time|throughput|writing|write lock"
after=$(server_cpu)
echo "server processes' CPU: $(( (after - before) / $(getconf CLK_TCK) )) s"
where="dbid = (SELECT oid FROM pg_database WHERE datname = '$db')"
echo "statements, server execution s, planning s:"
psql "SELECT sum(calls), round(sum(total_exec_time)::numeric / 1000, 2), round(sum(total_plan_time)::numeric / 1000, 2) FROM pg_stat_statements WHERE $where"
echo "most frequent (calls | execution ms | planning ms | statement):"
psql "SELECT calls, round(total_exec_time::numeric), round(total_plan_time::numeric), left(regexp_replace(query, '\s+', ' ', 'g'), 100) FROM pg_stat_statements WHERE $where ORDER BY calls DESC LIMIT 15"
echo "   load after: $(uptime | sed 's/.*load average: //')"
