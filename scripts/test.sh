#!/usr/bin/env bash
# Run the whole suite on real services: SQLite first, then a throw-away PostgreSQL cluster.
# Installs PostgreSQL, Redis and Chromium from Debian's packages when they are missing,
# and starts the services on loopback only, in a temporary directory removed at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
RUN_DIR=$(mktemp -d /tmp/veille-services.XXXXXX)
chmod 755 "$RUN_DIR"
free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# PostgreSQL refuses to run as root: run the cluster as the postgres user when we are root.
pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_PORT=$(free_port)
mkdir -p "$RUN_DIR/pg"
[ "$(id -u)" = 0 ] && chown postgres "$RUN_DIR/pg"
pg "$PG_BIN/initdb" -D "$RUN_DIR/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg "$PG_BIN/pg_ctl" -D "$RUN_DIR/pg/data" -l "$RUN_DIR/pg/log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $RUN_DIR/pg -c fsync=off" >/dev/null

REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$RUN_DIR/redis.pid" --dir "$RUN_DIR" >/dev/null

cleanup() {
    pg "$PG_BIN/pg_ctl" -D "$RUN_DIR/pg/data" -m fast stop >/dev/null 2>&1 || true
    [ -f "$RUN_DIR/redis.pid" ] && kill "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null || true
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT
export VEILLE_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export VEILLE_DATA_DIR="$RUN_DIR/data"

echo "== suite on SQLite (the embedded default)"
"$BIN/pytest" -q "$@"

echo "== database tests on PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')"
VEILLE_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/veille" \
    "$BIN/pytest" -q -m "not browser and not own_database" "$@"
