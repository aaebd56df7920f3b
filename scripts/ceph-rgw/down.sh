#!/usr/bin/env bash
# Stop the daemons started by up.sh (by PID file only) and wipe cluster state.
# Idempotent: safe to run when nothing is running.
#   GRACEFUL=1  SIGTERM + wait (each daemon needs ~2 s); default is SIGKILL,
#               which is fine because the state is thrown away anyway.
#   KEEP_DATA=1 keep $BASE (logs) instead of deleting it.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BASE="${BASE:-$(cd "$HERE/../.." && pwd)/.ceph-rgw}"
KEEP_DATA="${KEEP_DATA:-0}"
GRACEFUL="${GRACEFUL:-0}"
[ -d "$BASE/run" ] || { echo "[down] nothing to do"; exit 0; }

# alive = exists and is not a zombie (PID 1 in some sandboxes reaps slowly)
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }
stop_pid() { # name
  local f="$BASE/run/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null) || return 0
  # only signal the pid if it really is a ceph daemon started with OUR conf file
  if [ -n "$pid" ] && alive "$pid" && grep -qa -- "$BASE/ceph.conf" "/proc/$pid/cmdline" 2>/dev/null; then
    if [ "$GRACEFUL" = 1 ]; then kill -TERM "$pid"; else kill -KILL "$pid"; fi
    for _ in $(seq 1 200); do alive "$pid" || break; sleep 0.05; done
    alive "$pid" && kill -KILL "$pid"
    echo "[down] stopped $1 (pid $pid)"
  fi
  rm -f "$f"
}
# order: gateway, osd, mgr, mon
stop_pid client.rgw.a
stop_pid osd.0
stop_pid mgr.x
stop_pid mon.a
if [ "$KEEP_DATA" != 1 ]; then rm -rf "$BASE"; echo "[down] wiped $BASE"; fi
