#!/bin/sh
# `pnpm bench` for the PWA: build the benchmark page, then run it in Debian's Chromium. `--quick`: smaller sizes.
# Other arguments pick bench files (`pnpm -F @fieldvault/pwa bench office` runs bench/office.bench.ts only).
set -eu
cd "$(dirname "$0")/.."
files=""
for arg in "$@"; do
  case "$arg" in
    --quick) export BENCH_QUICK=1 ;;
    *) files="$files $arg" ;;
  esac
done
vite build --config bench/vite.config.ts
# shellcheck disable=SC2086 # word splitting of the file filters is intended
exec playwright test --config bench/playwright.config.ts $files
