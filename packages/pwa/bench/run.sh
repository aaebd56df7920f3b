#!/bin/sh
# `pnpm bench` for the PWA: build the benchmark page, then run it in Debian's Chromium. `--quick`: smaller sizes.
set -eu
cd "$(dirname "$0")/.."
for arg in "$@"; do
  case "$arg" in
    --quick) export BENCH_QUICK=1 ;;
  esac
done
vite build --config bench/vite.config.ts
exec playwright test --config bench/playwright.config.ts
