#!/usr/bin/env bash
# `pnpm soak [--runs N] [--seed S] [--backend fs|s3|both] [--long] [--only RUN] [--without KIND,…] [--report FILE]`: the fault-injection soak (issue 9).
# Drives the real sync engine (Node, fake-indexeddb, real fetch) against the built server on PostgreSQL through
# fault proxies, with device crashes and server kill -9; fails when any invariant is violated. `pnpm test` runs
# the short variant (30 runs, both backends); `--long` uses bigger files (to 40 MiB), more captures and faults.
set -uo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=soak
. scripts/lib.sh

runs=30 seed="" backend=both profile=short report="$PWD/reports/soak.json" build=1 only="" without=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --long) profile=long; shift ;;
    --only) only="$2"; shift 2 ;;
    --without) without="$2"; shift 2 ;;
    --report) report="$(realpath -m "$2")"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) die "unknown option $1 (usage: pnpm soak [--runs N] [--seed S] [--backend fs|s3|both] [--long] [--report FILE])" ;;
  esac
done
case "$backend" in fs|s3|both) ;; *) die "--backend must be fs, s3 or both" ;; esac
[ -n "$seed" ] || seed=$(( (RANDOM << 16 | RANDOM) ))

export TMPDIR="$PWD/.tmp"
mkdir -p "$TMPDIR" "$(dirname "$report")"
NODE_PATH="$PWD/packages/server/node_modules" ensure_postgres
if [ "$build" = 1 ]; then
  pnpm exec turbo run build --filter=@fieldvault/server... --output-logs=errors-only || die "server build failed"
fi

command="pnpm soak --runs $runs --seed $seed --backend $backend$([ "$profile" = long ] && echo ' --long')$([ -n "$without" ] && echo " --without $without")"
log "seed $seed — replay with: $command"
cd e2e && SOAK_RUNS="$runs" SOAK_SEED="$seed" SOAK_ONLY="$only" SOAK_WITHOUT="$without" SOAK_BACKEND="$backend" SOAK_PROFILE="$profile" \
  SOAK_REPORT="$report" SOAK_COMMAND="$command" \
  exec pnpm exec vitest run --config soak/vitest.config.ts \
  --reporter=default --reporter=json --outputFile.json="$(dirname "$report")/vitest-soak.json"
