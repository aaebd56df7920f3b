# Shared helpers for the project's shell scripts: logging and "install or explain" checks.
# shellcheck shell=bash

log() { printf '[%s] %s\n' "${SCRIPT_NAME:-fieldvault}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${SCRIPT_NAME:-fieldvault}" "$*" >&2; exit 1; }

# apt-install PACKAGES... when root; otherwise fail with one line that says what is missing.
apt_install() {
  if [ "$(id -u)" != 0 ]; then die "missing Debian packages: $* (run: sudo apt-get install $*)"; fi
  log "installing $* from Debian (one-time)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Chromium for the e2e suite (Playwright cannot download browsers here; it drives Debian's).
ensure_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$path" ] && return 0
  apt_install chromium
  [ -x "$path" ] || die "Chromium not found at $path after install (set CHROMIUM_PATH)"
}

# PostgreSQL for the integration tests: TEST_DATABASE_URL, default the local server's database "test".
ensure_postgres() {
  local url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
  pg_ready "$url" && return 0
  if [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    log "PostgreSQL is not answering; starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do pg_ready "$url" && return 0; sleep 0.2; done
  fi
  die "PostgreSQL not reachable at $url (start it, or set TEST_DATABASE_URL)"
}

pg_ready() {
  node -e "
    const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
    c.connect().then(() => c.query('select 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));
  " "$1" 2>/dev/null
}
