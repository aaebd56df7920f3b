#!/usr/bin/env bash
# `pnpm test`: every unit and integration test of every package, then the e2e suite, then the short soak, then one summary line.
# Installs or starts what it needs (Chromium, Ceph RGW via the storage tests, local PostgreSQL) or says what is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=test
. scripts/lib.sh

export TMPDIR="$PWD/.tmp"
mkdir -p "$TMPDIR"
rm -rf reports && mkdir -p reports

NODE_PATH="$PWD/packages/server/node_modules" ensure_postgres
ensure_chromium

status=0
# The e2e build (tsc of shared and server, Vite build of the PWA) runs beside the unit tests, which leave a core
# mostly idle (one vitest worker waiting on PostgreSQL, Ceph and child processes); e2e.sh's own build below is
# then a turbo cache hit. Unit tests read sources, never dist/.
pnpm exec turbo run build --filter=@fieldvault/server... --filter=@fieldvault/pwa --output-logs=errors-only \
  >"$TMPDIR/test-build.log" 2>&1 &
build_pid=$!
pnpm exec turbo run test --concurrency=1 --continue --output-logs=full || status=1
wait "$build_pid" || { cat "$TMPDIR/test-build.log"; log "the early build failed; e2e.sh builds again"; }
bash scripts/e2e.sh || status=1
# The short fault-injection soak (~30 runs, both backends, every fault kind incl. kill -9 inside `complete`);
# e2e.sh has just built the server. A fixed seed (green on a clean clone) keeps `pnpm test` reproducible;
# random seeds and `--runs 1000` are `pnpm soak`'s job.
bash scripts/soak.sh --runs 30 --seed 1037571142 --no-build || status=1

node scripts/test-summary.mjs reports || status=1
exit "$status"
