#!/usr/bin/env bash
# sozialdash for a room: N Streamlit processes behind HAProxy on one machine, all reading the same store.
#
#   deploy/serve.sh [PROCESSES] [PORT]      (defaults: one process per core, port 8501)
#
# Streamlit runs every session of a process in that one process, and its scripts share one interpreter lock, so
# one process uses about one core however many people click. Here each core gets a process; HAProxy (Debian:
# apt-get install haproxy) spreads new sessions over them (least connections) and keeps each browser on its
# process with a cookie, because a session, its websocket and its downloads live in one process. The store is a
# read-only DuckDB file: any number of processes read it at once, and a rebuilt file swapped in is picked up by
# each on its next click. The processes share one cookie secret, so XSRF protection holds whichever answers.
# SOZIALDASH_DB chooses the store (default data/sozialdash.duckdb, built once here if missing);
# SOZIALDASH_ADDRESS the proxy's address (default 0.0.0.0: the room's phones reach it over the LAN).
# Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROCESSES=${1:-$(nproc)}
PORT=${2:-8501}
ADDRESS=${SOZIALDASH_ADDRESS:-0.0.0.0}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
[ -x "$HAPROXY" ] || { echo "HAProxy fehlt (Debian: apt-get install haproxy)." >&2; exit 1; }
[ -x .venv/bin/streamlit ] || { echo "Erst die App einrichten (README, erster Befehl)." >&2; exit 1; }

RUN=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT
trap 'exit 0' INT TERM

# glibc gives every thread its own malloc arena, and a room of sessions makes many threads: at 10,000 areas ten
# sessions grew a process from 392 to 551 MB, with two arenas to 450 MB (bench/load.py; no change on the demo).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export STREAMLIT_SERVER_COOKIE_SECRET=${STREAMLIT_SERVER_COOKIE_SECRET:-$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')}
# One build before the processes start, not one per process racing for the same file.
.venv/bin/python -c 'from sozialdash import config; import sys; sys.exit(0 if config.db_path().exists() else 1)' \
  || .venv/bin/python -m sozialdash build-demo

SERVERS=""
for i in $(seq 1 "$PROCESSES"); do
  APP_PORT=$((PORT + i))
  .venv/bin/streamlit run app.py --server.port "$APP_PORT" --server.address 127.0.0.1 > "$RUN/app$i.log" 2>&1 &
  PIDS+=($!)
  SERVERS+="    server app$i 127.0.0.1:$APP_PORT check cookie app$i"$'\n'
done

cat > "$RUN/haproxy.cfg" <<CONFIG
global
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 8h
frontend sozialdash
    bind $ADDRESS:$PORT
    default_backend apps
backend apps
    balance leastconn
    cookie SOZIALDASH_PROCESS insert indirect nocache httponly
    option httpchk GET /_stcore/health
$SERVERS
CONFIG

.venv/bin/python - "$PORT" "$PROCESSES" <<'WAIT'
import sys, time, urllib.request
port, processes = int(sys.argv[1]), int(sys.argv[2])
for i in range(1, processes + 1):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port + i}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
WAIT
"$HAPROXY" -db -f "$RUN/haproxy.cfg" &
PIDS+=($!)
echo "sozialdash: http://$ADDRESS:$PORT mit $PROCESSES Prozessen"
wait
