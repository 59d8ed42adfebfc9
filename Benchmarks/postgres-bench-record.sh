#!/usr/bin/env bash
# `parley bench-record` into PostgreSQL with 1 and with 2 writers, back to back on the same
# generated corpus, each into a new database, with the machine's load beside each run. Run it
# under the throwaway server:
#
#   swift build -c release --traits PostgreSQL
#   PARLEY=.build/release/parley N=10000 .ci/postgres.sh bash Benchmarks/postgres-bench-record.sh
#
# N articles (default 1000), WRITERS the writer counts to run (default "1 2"), DIR the corpus
# folder (reused by later runs), OUT where the JSON results go.
set -eu
export PGPASSWORD=$PARLEY_TEST_POSTGRES_PASSWORD
P=${PARLEY:-.build/release/parley}
N=${N:-1000}
DIR=${DIR:-/tmp/parley-bench-corpus}
OUT=${OUT:-/tmp/parley-bench-results}
mkdir -p "$DIR" "$OUT"
base=${PARLEY_TEST_POSTGRES_URL%/*}
port=${base##*:}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
for w in ${WRITERS:-1 2}; do
  db=bench_${N}_w${w}_$$
  "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U parley "$db"
  echo "== $N articles, $w writer(s), into $db; load before: $(uptime | sed 's/.*load average: //')"
  "$P" bench-record --articles "$N" --seed 1 --dir "$DIR" --db "$base/$db" --writers "$w" --runs 5 \
    > "$OUT/bench-$N-w$w.txt"
  grep -E "articles read|ingest time|throughput|first / last|tenths|writing|write lock|database size|record|RSS" "$OUT/bench-$N-w$w.txt"
  echo "   load after: $(uptime | sed 's/.*load average: //')"
done
