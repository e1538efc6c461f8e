#!/usr/bin/env bash
# Starts or stops the throw-away PostgreSQL server of the integration tests ("postgresql" and "payara-jndi"
# runs): a new cluster from Debian's postgresql package (which .ci/run installs), listening on 127.0.0.1 only,
# with a user "tokenauth" that logs in with a password, as a real installation would, and its databases.
#   server.sh start <dir> <port> <password> <database>... | server.sh stop <dir> <port> | server.sh resume <dir> <port>
#   server.sh freeze <dir> <port> | server.sh thaw <dir> <port>   (SIGSTOP / SIGCONT of every server process: a hung
#   database, whose connections stay open and silent)
set -euo pipefail
action=$1 dir=$2 port=$3

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  initdb=$(command -v initdb) || {
    echo "PostgreSQL is not installed: apt-get install postgresql (as .ci/run does)" >&2
    exit 1
  }
  bin=$(dirname "$initdb")
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's postgres user and lives where
# that user can reach it, whatever the permissions of the directories above the build; <dir> links to it.
link=
if [ "$(id -u)" = 0 ]; then
  link=$dir
  dir=/tmp/tokenauth-it-postgresql-$port
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

stop() {
  if [ -f "$dir/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop
  fi
}

case $action in
  start)
    password=$4
    shift 4
    stop || true # a killed run may have left its server behind
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ -n "$link" ]; then
      rm -rf "$link"
      mkdir -p "$(dirname "$link")"
      ln -s "$dir" "$link"
    fi
    pwfile=$(mktemp)
    printf '%s\n' "$password" > "$pwfile"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir" "$pwfile"
    fi
    as_owner "$bin/initdb" -D "$dir" -U tokenauth --pwfile="$pwfile" -A scram-sha-256 -E UTF8 >/dev/null
    rm -f "$pwfile"
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start
    for database in "$@"; do
      PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U tokenauth "$database"
    done
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir"
    ;;
  stop)
    stop
    ;;
  resume)
    # The same cluster again, its data kept (DatabaseOutageIT stops it with "stop" and brings it back so).
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null
    ;;
  freeze|thaw)
    signal=STOP
    [ "$action" = thaw ] && signal=CONT
    postmaster=$(head -n 1 "$dir/postmaster.pid")
    # The postmaster last on freeze (it would start new backends meanwhile) and first on thaw. Its children from
    # /proc (the parent pid follows the command's closing parenthesis), not pgrep, which minimal systems lack.
    children=$(for stat in /proc/[0-9]*/stat; do
      line=$(cat "$stat" 2>/dev/null) || continue
      read -r _state ppid _ <<< "${line##*) }"
      if [ "$ppid" = "$postmaster" ]; then pid=${stat#/proc/}; echo "${pid%/stat}"; fi
    done)
    if [ "$action" = freeze ]; then
      kill -s "$signal" $children "$postmaster"
    else
      kill -s "$signal" "$postmaster" $children
    fi
    ;;
  *)
    echo "usage: $0 start <dir> <port> <password> <database>... | stop <dir> <port> | resume <dir> <port>" >&2
    exit 2
    ;;
esac
