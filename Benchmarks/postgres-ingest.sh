#!/usr/bin/env bash
# Ingest throughput: SQLite vs PostgreSQL with one and with two processes, on the same generated
# corpus with the same binary. Run it under the throwaway server:
#
#   swift build -c release --traits PostgreSQL
#   PARLEY=.build/release/parley N=1000 .ci/postgres.sh bash Benchmarks/postgres-ingest.sh
set -u
export PGPASSWORD=$PARLEY_TEST_POSTGRES_PASSWORD
P=${PARLEY:-.build/debug/parley}
N=${N:-300}
D=${D:-/tmp/pgbench-corpus}
mkdir -p $D
C=$D/articles-$N-seed-1.jsonl
[ -f $C ] || $P bench-record --articles $N --dir $D --seed 1 --json > /tmp/pgbench-sqlite-bench.json 2>/dev/null
ls -la $C
rm -f /tmp/pgbench.sqlite*
s=$(date +%s.%N); $P ingest --db /tmp/pgbench.sqlite $C --json > /tmp/b1.json 2>/dev/null; e=$(date +%s.%N)
echo "sqlite 1 process: $(echo "$e - $s" | bc) s, $(grep -o '"new" : [0-9]*' /tmp/b1.json)"
base=${PARLEY_TEST_POSTGRES_URL%/*}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
for db in bench1 bench2; do $PGBIN/createdb -h 127.0.0.1 -p ${base##*:} -U parley $db; done
s=$(date +%s.%N); $P ingest --db $base/bench1 $C --json > /tmp/b2.json 2>/dev/null; e=$(date +%s.%N)
echo "postgres 1 process: $(echo "$e - $s" | bc) s, $(grep -o '"new" : [0-9]*' /tmp/b2.json)"
split -n l/2 -d $C $D/half-
mv $D/half-00 $D/half-00.jsonl; mv $D/half-01 $D/half-01.jsonl
s=$(date +%s.%N)
$P ingest --db $base/bench2 $D/half-00.jsonl --json > /tmp/b3.json 2>/dev/null &
$P ingest --db $base/bench2 $D/half-01.jsonl --json > /tmp/b4.json 2>/dev/null &
wait
e=$(date +%s.%N)
echo "postgres 2 processes: $(echo "$e - $s" | bc) s, $(grep -o '"new" : [0-9]*' /tmp/b3.json /tmp/b4.json | tr '\n' ' ')"
for db in bench1 bench2; do echo "$db size: $($PGBIN/psql -h 127.0.0.1 -p ${base##*:} -U parley -d $db -Atc "select pg_size_pretty(pg_database_size('$db'))")"; done
ls -la /tmp/pgbench.sqlite
