#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suites: Debian's postgresql binaries, a fresh cluster in a
# temporary directory, listening on a free 127.0.0.1 port only (trust authentication, no durability).
#
#   bash test/postgres.sh start DIR   # creates DIR, starts the server, prints its admin connection string
#   bash test/postgres.sh stop DIR    # stops the server and deletes DIR
#
# The connection string (Npgsql form) is also written to DIR/connection-string. When initdb is not found and
# we run as root (CI), Debian's `postgresql` package is installed first. initdb refuses to run as root, so as
# root the cluster belongs to the `postgres` user (created by the package; created here when missing).
set -euo pipefail

find_bin() {
  local dir
  for dir in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" /usr/lib/postgresql/*/bin /usr/local/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

case "$cmd" in
  start)
    if ! bin=$(find_bin); then
      if [ "$(id -u)" = "0" ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
        bin=$(find_bin) || { echo "postgresql was installed but initdb is still not found" >&2; exit 1; }
      else
        echo "PostgreSQL binaries (initdb, pg_ctl) are missing: sudo apt-get install postgresql" >&2; exit 1
      fi
    fi
    if [ "$(id -u)" = "0" ] && ! getent passwd postgres > /dev/null; then
      useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = "0" ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
      start > /dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$bin" > "$dir/bin"
    cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "$cs" > "$dir/connection-string"
    echo "$cs"
    ;;
  stop)
    if [ -f "$dir/bin" ] && [ -d "$dir/data" ]; then
      as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop > /dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
