#!/usr/bin/env bash
# `pnpm e2e`: build the server and the PWA, then run the Playwright suite in Debian's Chromium against the real server.
set -uo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=e2e
. scripts/lib.sh

export TMPDIR="$PWD/.tmp"
mkdir -p "$TMPDIR" reports
ensure_chromium
pnpm exec turbo run build --filter=@fieldvault/server... --filter=@fieldvault/pwa --output-logs=errors-only \
  || die "build failed"
pnpm --filter @fieldvault/e2e e2e "$@"
