#!/usr/bin/env bash
# Row-level security bench (docs/design/organizations.md §4 "Measured").
#   tools/bench/rls/run.sh seed    creates rls_bench (seed.sql + rls.sql), ~2 min on 2 cores
#   tools/bench/rls/run.sh checks  superuser bypass, isolation, unset context, the definer search (checks.sql)
#   tools/bench/rls/run.sh plans   EXPLAIN (ANALYZE, BUFFERS) of every case, owner vs roster_tenant, generic plans
#   tools/bench/rls/run.sh bench   requests/s and latency per case: a (owner), b (RLS), c (checked rows)
#   tools/bench/rls/run.sh pgbench the unfiltered pages through pgbench -M prepared: a; b with the prelude as three
#                                  prepared commands (5 round trips, an upper bound: the API sends one simple-protocol
#                                  prelude); p, b's commands in one pipeline (1 round trip: the server's share)
#   tools/bench/rls/run.sh serial  one client, modes interleaved (a, n = a inside BEGIN/COMMIT, b, c): the per-request
#                                  difference with the machine's drift shared (interleaved.mjs)
#   tools/bench/rls/run.sh measure plans + bench + pgbench (~9 min)
#   tools/bench/rls/run.sh drop    drops rls_bench and the roster_tenant role (cluster-wide) rls.sql made
# Cases: cases/*.sql, pgbench-style :variables (values below), @COLUMNS@ = cases/_columns.sql (the page's
# columns, as users-query.ts selects them, on memberships). request.mjs / explain.mjs / interleaved.mjs run them.
# Each command holds flock /tmp/roster-heavy.lock for its whole run (measurements then share the machine
# with nothing heavy; taking it per run would queue behind every other job each time).
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${RLS_LOCKED:-}" ] && [[ "${1:-}" =~ ^(seed|checks|plans|bench|pgbench|serial|measure)$ ]]; then exec env RLS_LOCKED=1 flock /tmp/roster-heavy.lock "$0" "$@"; fi
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
export BENCH_URL="$PGURL/rls_bench"
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
ROUNDS=${ROUNDS:-1}

# The big org (500k members) and a small one (50); cursors at the middle of each (250,000th / 25th
# row by email and by last name); a rare term (one person's 8 hex) and a common one (5 % of people).
BIG=(org=d448b959-3670-3db7-d092-3122172fb13c cursor_email=jo.ffff31b8.262349@acme9.example
     cursor_name=7f26399 cursor_id=852a9984-3c85-1cd7-2b01-947fe9edb24e rare=%f1887d3f%)
SMALL=(org=042aec8b-8d22-ba46-cd42-8a16b50f640b cursor_email=lea.7251154f.999951@acme11.example
       cursor_name=74ca10b cursor_id=ee9ac5c5-2eff-e68a-01ce-d449d23adcdf rare=%cf874aad%)
COMMON=%@acme7.%

# case file, modes, the variables it needs
CASES=(
  "page_email a,b,c"
  "page_last_name a,b"
  "deep_email a,b,c"
  "deep_last_name a,b"
  "rare_search a,b"
  "rare_search_definer a,b"
  "common_walk a,b"
)

vars_for() { # org-set case → name=value...
  local -n set=$1
  local out=("${set[@]}")
  case $2 in
    rare_search*) out+=("pattern=$(printf '%s\n' "${set[@]}" | sed -n 's/^rare=//p')") ;;
    common_walk) out+=("pattern=$COMMON") ;;
  esac
  printf '%s\n' "${out[@]}" | grep -v '^rare='
}

case ${1:-} in
  seed)
    psql "$PGURL/postgres" -c 'CREATE DATABASE rls_bench'
    psql "$BENCH_URL" -v ON_ERROR_STOP=1 -q -f seed.sql
    psql "$BENCH_URL" -v ON_ERROR_STOP=1 -q -f rls.sql ;;
  checks) psql "$BENCH_URL" -v ON_ERROR_STOP=1 -f checks.sql ;;
  plans)
    for set in BIG SMALL; do for line in "${CASES[@]}"; do
      read -r name modes <<<"$line"; mapfile -t v < <(vars_for $set "$name")
      for mode in a b; do echo "### $set"; node explain.mjs "cases/$name.sql" $mode generic "${v[@]}"; done
    done; done ;;
  bench)
    echo "set case mode workers tps mean_ms p50_ms p95_ms rows"
    for set in BIG SMALL; do for line in "${CASES[@]}"; do
      read -r name modes <<<"$line"; mapfile -t v < <(vars_for $set "$name")
      for workers in 8 1; do for round in $(seq "$ROUNDS"); do for mode in ${modes//,/ }; do
        r=$(WORKERS=$workers node request.mjs "cases/$name.sql" $mode "$SECONDS_PER_RUN" "${v[@]}")
        echo "$set $name $mode $workers $(node -e 'const r=JSON.parse(process.argv[1]);console.log(r.tps,r.mean_ms,r.p50_ms,r.p95_ms,r.rows)' "$r")"
      done; done; done
    done; done ;;
  pgbench)
    PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}; tmp=$(mktemp -d)
    echo "set case mode tps mean_ms"
    for set in BIG SMALL; do for name in ${PGBENCH_CASES:-page_email page_last_name deep_email deep_last_name}; do
      mapfile -t v < <(vars_for $set "$name"); org=$(printf '%s\n' "${v[@]}" | sed -n 's/^org=//p')
      # the case with its columns; pgbench keeps :name as a parameter of the prepared statement
      python3 -c 'import sys; c=open("cases/_columns.sql").read().strip(); print(open(sys.argv[1]).read().replace("@COLUMNS@", c))' \
        "cases/$name.sql" > "$tmp/a.sql"
      { echo 'BEGIN;'; echo 'SET LOCAL ROLE roster_tenant;'; echo "SET LOCAL roster.organization_id = '$org';"
        cat "$tmp/a.sql"; echo 'COMMIT;'; } > "$tmp/b.sql"
      # p: the same five commands in one pipeline (one round trip): what the wall costs the server alone
      { echo '\startpipeline'; cat "$tmp/b.sql"; echo '\endpipeline'; } > "$tmp/p.sql"
      for round in $(seq "$ROUNDS"); do for mode in ${PGBENCH_MODES:-a b p}; do
        out=$("$PGBENCH" -n -f "$tmp/$mode.sql" -c 8 -j 2 -T "${PGBENCH_SECONDS:-10}" -M prepared "${v[@]/#/-D}" "$BENCH_URL")
        echo "$set $name $mode $(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out") $(sed -n 's/^latency average = \([0-9.]*\).*/\1/p' <<<"$out")"
      done; done
    done; done; rm -r "$tmp" ;;
  serial)
    echo "set case result"
    for set in BIG SMALL; do for line in "${CASES[@]}"; do
      read -r name modes <<<"$line"; mapfile -t v < <(vars_for $set "$name")
      echo "$set $name $(node interleaved.mjs "cases/$name.sql" "${modes/a,/a,n,}" "${SERIAL_SECONDS:-4}" "${v[@]}")"
    done; done ;;
  measure) "$0" plans > plans.out; "$0" bench > bench.out; "$0" pgbench > pgbench.out ;;
  drop) psql "$PGURL/postgres" -c 'DROP DATABASE IF EXISTS rls_bench' -c 'DROP ROLE IF EXISTS roster_tenant' ;;
  *) sed -n '2,17p' "$0"; exit 1 ;;
esac
