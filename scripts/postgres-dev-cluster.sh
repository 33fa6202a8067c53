#!/bin/sh
# A throw-away PostgreSQL cluster for trying the duban PostgreSQL schema (see Sources/DubanStore/PostgresSchema.swift).
#   scripts/postgres-dev-cluster.sh start   creates and starts a cluster, prints its Unix socket directory
#   scripts/postgres-dev-cluster.sh stop    stops it and deletes it
#   scripts/postgres-dev-cluster.sh dir     prints the socket directory of the running cluster
# Run as root: initdb refuses root, so the cluster belongs to the `postgres` OS account (DUBAN_PG_USER to change).
# Only a Unix socket, no TCP; pg_hba.conf is `local all all peer`: an OS account connects as the role of its name.
# The cluster lives in DUBAN_PG_DIR (default /tmp/duban-pg-dev); PostgreSQL 15 from DUBAN_PG_BIN.
# DUBAN_PG_SHARED_BUFFERS (e.g. 2GB) sizes the buffer cache as a province server's would be (benchmarks); the default
# stays PostgreSQL's own 128MB, enough for the tests.
set -eu
bin="${DUBAN_PG_BIN:-/usr/lib/postgresql/15/bin}"
base="${DUBAN_PG_DIR:-/tmp/duban-pg-dev}"
owner="${DUBAN_PG_USER:-postgres}"
as_owner() { runuser -u "$owner" -- "$@"; }

case "${1:-start}" in
start)
    if [ -f "$base/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$base/data" status >/dev/null 2>&1; then
        echo "$base/sock"; exit 0
    fi
    rm -rf "$base"
    mkdir -p "$base/sock"
    chown -R "$owner" "$base"
    # Other OS accounts must reach the socket: the directories are searchable, the socket itself is 0777 (default).
    chmod 755 "$base" "$base/sock"
    as_owner "$bin/initdb" -D "$base/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=reject >"$base/initdb.log" 2>&1 \
        || { cat "$base/initdb.log" >&2; exit 1; }
    printf 'local all all peer\n' >"$base/data/pg_hba.conf"
    cat >>"$base/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$base/sock'
log_min_error_statement = error
shared_buffers = ${DUBAN_PG_SHARED_BUFFERS:-128MB}
CONF
    as_owner "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w start >/dev/null \
        || { cat "$base/server.log" >&2; exit 1; }
    echo "$base/sock"
    ;;
stop)
    if [ -d "$base/data" ]; then
        as_owner "$bin/pg_ctl" -D "$base/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$base"
    ;;
dir)
    echo "$base/sock"
    ;;
*)
    echo "usage: $0 start|stop|dir" >&2; exit 2
    ;;
esac
