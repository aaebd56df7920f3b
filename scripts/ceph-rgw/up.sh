#!/usr/bin/env bash
# Bring up a throw-away single-node Ceph cluster (1 mon + 1 bluestore OSD +
# radosgw/beast) bound to 127.0.0.1 only, for the storage integration tests.
# Adapted from ../shared/tools/ceph-rgw (see its FINDINGS.md for why each setting is there);
# run by packages/server/src/test/ceph-global-setup.ts, or by hand: scripts/ceph-rgw/up.sh
# No systemd, no root-owned state outside $BASE. Debian bookworm packages:
#   apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common
#
# Idempotent: if our gateway already answers, exit 0 without changes;
# otherwise tear down leftovers (down.sh) and build a fresh cluster.
# Every step is bounded by READY_TIMEOUT (overall deadline); on failure the
# daemons are stopped and logs are kept in $BASE/log.
#
# Env knobs:
#   BASE          (default <repo>/.ceph-rgw, gitignored)
#   RGW_PORT      (default 7480)
#   OSD_STORE     bluestore (default; sparse block file of OSD_SIZE_GB, ~6 s bring-up) | memstore (~1.5 s, but its used-bytes counter goes negative after deletes and the OSD then reports itself full and stalls writes)
#   OSD_SIZE_GB   size of the sparse bluestore file (default 16: a full test run plus benchmarks writes
#                 several GiB — 2 GiB filled up and the OSD refused all writes; sparse, so only used bytes cost disk)
#   WITH_MGR      0 (default) | 1   -- mgr is NOT needed for S3 (costs ~300 MB RSS)
#   ACCESS_KEY / SECRET_KEY  fixed S3 credentials for user "tester"
#   READY_TIMEOUT overall bring-up deadline in seconds (default 60)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
BASE="${BASE:-$(cd "$HERE/../.." && pwd)/.ceph-rgw}"
RGW_PORT="${RGW_PORT:-7480}"
OSD_STORE="${OSD_STORE:-bluestore}"
WITH_MGR="${WITH_MGR:-0}"
OSD_SIZE_GB="${OSD_SIZE_GB:-16}"
ACCESS_KEY="${ACCESS_KEY:-TESTACCESSKEY0000001}"
SECRET_KEY="${SECRET_KEY:-testsecretkey0000000000000000000000000001}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
FSID="${FSID:-6f1d8a9e-2b7c-4c1e-9a55-0c0ffee00001}"
CONF="$BASE/ceph.conf"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3

# --- install the Debian packages when missing (root only) --------------------------
if ! command -v radosgw >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "[up] ERROR: radosgw missing; run as root or: apt-get install ceph-mon ceph-osd radosgw ceph-common" >&2; exit 1; }
  echo "[up] installing ceph-mon ceph-osd radosgw ceph-common (about 25 s, 290 MB)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ceph-mon ceph-osd radosgw ceph-common curl python3 >/dev/null
fi

T0=$(date +%s.%N)
DEADLINE=$(( $(date +%s) + READY_TIMEOUT ))
log()  { printf '[up %6.2fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{print a-b}')" "$*"; }
left() { local l=$(( DEADLINE - $(date +%s) )); [ "$l" -gt 0 ] && echo "$l" || echo 1; }
fail() { echo "[up] ERROR: $*" >&2; exit 1; }
rgw_pid() { cat "$BASE/run/client.rgw.a.pid" 2>/dev/null || true; }
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }

# --- already up? ---------------------------------------------------------------
p=$(rgw_pid)
if [ -n "$p" ] && alive "$p" && curl -s -o /dev/null -m 2 "http://127.0.0.1:$RGW_PORT/"; then
  log "radosgw (pid $p) already answering on 127.0.0.1:$RGW_PORT - nothing to do"
  exit 0
fi

# --- another up.sh (other folder) already runs one on this port? reuse it ----------
if [ -z "$p" ] && curl -s -m 2 "http://127.0.0.1:$RGW_PORT/" 2>/dev/null | grep -q ListAllMyBucketsResult; then
  log "an S3 gateway already answers on 127.0.0.1:$RGW_PORT (started from another folder) - using it"
  exit 0
fi

# --- clean slate -----------------------------------------------------------------
BASE="$BASE" "$HERE/down.sh" >/dev/null 2>&1 || true
for port in 3300 6789 "$RGW_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "127.0.0.1:$port already in use by someone else"; fi
done
mkdir -p "$BASE"/{run,log,mon.a,osd.0,rgw.a}
on_exit() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    echo "[up] bring-up failed (rc=$rc); last log lines:" >&2
    tail -n 5 "$BASE"/log/*.log >&2 2>/dev/null || true
    KEEP_DATA=1 BASE="$BASE" "$HERE/down.sh" >&2 || true
    echo "[up] daemons stopped, logs kept in $BASE/log" >&2
  fi
}
trap on_exit EXIT

cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon_host = v2:127.0.0.1:3300,v1:127.0.0.1:6789
public_addr = 127.0.0.1
public_network = 127.0.0.1/32
ms_bind_ipv6 = false
# no cephx: loopback-only throw-away cluster
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
# Daemons (radosgw counts as one) default to ms_mon_client_mode=secure, which
# auth=none cannot provide -> rgw loops on "get_initial_auth_request returned -13".
ms_mon_client_mode = crc secure
run_dir = $BASE/run
admin_socket = $BASE/run/\$name.asok
pid_file = $BASE/run/\$name.pid
log_file = $BASE/log/\$name.log
mon_cluster_log_file = $BASE/log/cluster.log
# one replica, no warnings about it
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_allow_pool_delete = true
osd_crush_chooseleaf_type = 0
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_max_pg_per_osd = 1000
# Commit osdmap changes fast. Default paxos_propose_interval=1s makes every
# pool rgw creates cost ~2 s (startup 12.7 s -> ~1.5 s with this).
paxos_propose_interval = 0.05
paxos_min_wait = 0.01

[mon]
mon_data = $BASE/mon.a
mon_data_avail_warn = 2
mon_data_avail_crit = 1

[osd]
osd_data = $BASE/osd.0
osd_objectstore = $OSD_STORE
memstore_device_bytes = 2147483648
bluestore_block_path = $BASE/osd.0/block.file
bluestore_block_create = true
bluestore_block_size = $((OSD_SIZE_GB * 1024 * 1024 * 1024))
bluestore_cache_autotune = false
bluestore_cache_size = 67108864
osd_memory_target = 536870912

[mgr]
mgr_data = $BASE/mgr.x

[client.rgw.a]
rgw_data = $BASE/rgw.a
rgw_frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw_dns_name = localhost
rgw_thread_pool_size = 64
EOF

CEPH() { timeout "$(left)" ceph -c "$CONF" --connect-timeout "$(left)" "$@"; }

# Daemonized mon/osd keep whatever stdout they were given: never the caller's
# (a test runner waiting for its pipe to close would hang), hence the redirects.

# --- monitor ---------------------------------------------------------------------
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:3300,v1:127.0.0.1:6789]" "$BASE/monmap" >/dev/null
timeout "$(left)" ceph-mon -c "$CONF" --mkfs -i a --monmap "$BASE/monmap" >"$BASE/log/mkfs-mon.log" 2>&1
timeout "$(left)" ceph-mon -c "$CONF" -i a >>"$BASE/log/mon.stdout" 2>>"$BASE/log/mon.stderr" </dev/null
log "mon started (pid $(cat "$BASE/run/mon.a.pid"))"

# --- optional manager ------------------------------------------------------------
if [ "$WITH_MGR" = 1 ]; then
  mkdir -p "$BASE/mgr.x"
  timeout "$(left)" ceph-mgr -c "$CONF" -i x >>"$BASE/log/mgr.stdout" 2>>"$BASE/log/mgr.stderr" </dev/null
  log "mgr started"
fi

# --- OSD -------------------------------------------------------------------------
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(CEPH osd new "$OSD_UUID")
[ "$OSD_ID" = 0 ] || fail "unexpected osd id '$OSD_ID'"
timeout "$(left)" ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$BASE/log/mkfs-osd.log" 2>&1
timeout "$(left)" ceph-osd -c "$CONF" -i 0 >>"$BASE/log/osd.stdout" 2>>"$BASE/log/osd.stderr" </dev/null
log "osd started ($OSD_STORE, pid $(cat "$BASE/run/osd.0.pid"))"
until CEPH osd dump 2>/dev/null | grep -q '^osd.0 up'; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "timeout waiting for osd.0 up"
  sleep 0.2
done
log "osd.0 up"

# --- radosgw -----------------------------------------------------------------------
# Foreground mode (-f) in our own background process: the daemonizing radosgw
# parent blocks until init is done, and -f does not write a pid file itself.
setsid radosgw -c "$CONF" -n client.rgw.a -f >"$BASE/log/rgw.stdout" 2>&1 </dev/null &
echo $! >"$BASE/run/client.rgw.a.pid"
log "radosgw started (pid $!)"
until curl -s -o /dev/null -m 2 "http://127.0.0.1:$RGW_PORT/"; do
  alive "$(rgw_pid)" || fail "radosgw exited during startup (see $BASE/log/client.rgw.a.log)"
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "timeout waiting for radosgw on :$RGW_PORT"
  sleep 0.2
done
log "radosgw answering HTTP"

# --- S3 user with fixed keys ---------------------------------------------------------
timeout "$(left)" radosgw-admin -c "$CONF" user create --uid=tester --display-name="Test User" \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$BASE/log/user-create.json" 2>"$BASE/log/user-create.err"
log "user tester created (access key $ACCESS_KEY)"

# --- readiness: a SigV4-signed S3 ListBuckets must return 200 -------------------------
"$PY" - "$RGW_PORT" "$ACCESS_KEY" "$SECRET_KEY" "$(left)" <<'PY' || fail "signed S3 request never succeeded"
import sys, time, hmac, hashlib, datetime, urllib.request
port, ak, sk, tmo = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
def h(key, msg): return hmac.new(key, msg.encode(), hashlib.sha256).digest()
end = time.time() + tmo
while True:
    t = datetime.datetime.now(datetime.timezone.utc); amz = t.strftime('%Y%m%dT%H%M%SZ'); d = amz[:8]
    host = f'127.0.0.1:{port}'; ph = hashlib.sha256(b'').hexdigest()
    creq = f"GET\n/\n\nhost:{host}\nx-amz-content-sha256:{ph}\nx-amz-date:{amz}\n\nhost;x-amz-content-sha256;x-amz-date\n{ph}"
    scope = f"{d}/us-east-1/s3/aws4_request"
    sts = f"AWS4-HMAC-SHA256\n{amz}\n{scope}\n{hashlib.sha256(creq.encode()).hexdigest()}"
    sig = hmac.new(h(h(h(h(('AWS4' + sk).encode(), d), 'us-east-1'), 's3'), 'aws4_request'), sts.encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(f'http://{host}/', headers={'x-amz-date': amz, 'x-amz-content-sha256': ph,
        'Authorization': f'AWS4-HMAC-SHA256 Credential={ak}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}'})
    try:
        with urllib.request.urlopen(req, timeout=3) as r:
            r.read()
            if r.status == 200: sys.exit(0)
    except Exception as e:
        if time.time() > end: print(e, file=sys.stderr); sys.exit(1)
    time.sleep(0.2)
PY
log "READY: signed S3 ListBuckets OK at http://127.0.0.1:$RGW_PORT (path-style, region us-east-1)"
