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

# Quick sizes: a smoke check of every figure in under 3 minutes on 2 cores (issue 9); the ratios stay
# meaningful (same-run references at the same size) but are noisier than the full run's.
if [ -n "$quick" ]; then
  export BENCH_QUICK=1
  export BENCH_BYTES=${BENCH_BYTES:-$((64 * 1024 * 1024))} BENCH_DURATION_MS=${BENCH_DURATION_MS:-1000}
  export BENCH_FILES_ROWS=${BENCH_FILES_ROWS:-20000} BENCH_FILES_SAMPLES=${BENCH_FILES_SAMPLES:-20}
  export BENCH_HASH_MIB=${BENCH_HASH_MIB:-64}
  export BENCH_RECONCILE_OBJECTS=${BENCH_RECONCILE_OBJECTS:-5000} BENCH_VERIFY_MIB=${BENCH_VERIFY_MIB:-32}
  export BENCH_AUDIT_EVENTS=${BENCH_AUDIT_EVENTS:-10000} BENCH_OFFICE_FILES=${BENCH_OFFICE_FILES:-5000}
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
# The wall time (issue 9: the full run under 15 minutes, --quick under 3) with the load it ran under.
echo "bench wall time: ${SECONDS} s ($([ -n "$quick" ] && echo quick || echo full)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
