#!/usr/bin/env bash
# `pnpm bench [--quick]`: every benchmark (server, then PWA in Chromium), then one table of figure, ours, same-run reference, ratio, goal, pass/fail written into BENCHMARKS.md.
# --quick: smaller sizes and shorter runs (under ~3 minutes), for a smoke check; the table then says so.
set -uo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=bench
. scripts/lib.sh

quick=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    *) die "unknown option $arg (usage: pnpm bench [--quick])" ;;
  esac
done

export TMPDIR="$PWD/.tmp"
mkdir -p "$TMPDIR" reports
export BENCH_ROWS="$PWD/reports/bench-rows.jsonl"
: > "$BENCH_ROWS"

NODE_PATH="$PWD/packages/server/node_modules" ensure_postgres
ensure_chromium
bash scripts/ceph-rgw/up.sh >&2 || log "Ceph RGW did not start: the S3 figures are skipped"

if [ -n "$quick" ]; then
  export BENCH_QUICK=1
  export BENCH_BYTES=$((256 * 1024 * 1024)) BENCH_DURATION_MS=${BENCH_DURATION_MS:-1500}
  export BENCH_FILES_ROWS=${BENCH_FILES_ROWS:-100000} BENCH_FILES_SAMPLES=${BENCH_FILES_SAMPLES:-40}
  export BENCH_HASH_MIB=${BENCH_HASH_MIB:-256}
  export BENCH_RECONCILE_OBJECTS=${BENCH_RECONCILE_OBJECTS:-20000} BENCH_VERIFY_MIB=${BENCH_VERIFY_MIB:-64}
  export BENCH_AUDIT_EVENTS=${BENCH_AUDIT_EVENTS:-50000}
fi

status=0
# The PWA bench serves the built server (packages/server/dist) and the app; the server bench needs shared built.
pnpm exec turbo run build --filter=@fieldvault/server --output-logs=errors-only >&2 || exit 1
pnpm -F @fieldvault/server bench || status=1
pnpm -F @fieldvault/pwa bench $quick || status=1
# A quick run is a smoke check: its figures are printed, never written over the full table.
if [ -n "$quick" ]; then
  node scripts/bench-table.mjs "$BENCH_ROWS" --quick
else
  node scripts/bench-table.mjs "$BENCH_ROWS" --write BENCHMARKS.md && pnpm exec prettier --write BENCHMARKS.md >/dev/null
fi
exit "$status"
