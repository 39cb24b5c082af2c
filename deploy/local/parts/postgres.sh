#!/usr/bin/env bash
# PostgreSQL from the Debian package, with its own data folder and port under the state folder.
# Sourced by infra.sh. As root, initdb/pg_ctl must run as the postgres user (PostgreSQL refuses
# root), so the data, socket and log live in paths that user owns; otherwise they run as the caller.

PG_DATA="$STATE/postgres/data"
PG_SOCKET="$RUN/postgres-socket"
PG_ROLE=resnetops
PG_DATABASES=(resnetops mlflow)

pg_bin() {
  local dir
  # The newest installed major version (sort -V: 9.6 < 15 < 16).
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
    say "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)."
    say "  install it: ./deploy/local/install-prerequisites.sh (as root), or apt-get install postgresql"
    return 1
  fi
  echo "$dir"
}

pg_owner() { if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi; }

# Runs a PostgreSQL server binary as the right user, from a directory that user can read.
pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

postgres_healthy() {
  local bin port
  bin="$(pg_bin 2>/dev/null)" || return 1
  port="$(part_port postgres "$PG_PORT")"
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 2
}

postgres_init() {
  local bin="$1" owner
  owner="$(pg_owner)"
  mkdir -p "$STATE/postgres" "$PG_SOCKET" "$LOGS"
  touch "$LOGS/postgres.log"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { say "there is no postgres user: reinstall the postgresql package"; return 1; }
    chown postgres: "$STATE/postgres" "$PG_SOCKET" "$LOGS/postgres.log"
    if ! runuser -u postgres -- test -w "$STATE/postgres"; then
      say "the postgres user cannot reach $STATE/postgres: every parent folder needs o+x"
      say "  (chmod o+x on them), or point MLOPS_HOME at a folder outside a private home directory"
      return 1
    fi
  fi
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  say "postgres: creating the database cluster in $PG_DATA (first start)"
  # Trust on loopback only: this is a single-user development database bound to 127.0.0.1.
  if ! pg_as_owner "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=trust >>"$LOGS/postgres.log" 2>&1; then
    start_failed postgres "initdb failed (as user $owner)"
    return 1
  fi
  cat >"$PG_DATA/pg_hba.conf" <<'EOF'
# Written by deploy/local/parts/postgres.sh: local development only, loopback IPv4 + unix socket.
local   all   all                  trust
host    all   all   127.0.0.1/32   trust
EOF
  [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DATA/pg_hba.conf"
  return 0
}

postgres_bootstrap() {
  local bin="$1" port="$2" db
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -tA)
  if [[ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" ]]; then
    "${psql[@]}" -c "CREATE ROLE $PG_ROLE LOGIN SUPERUSER" || return 1
  fi
  for db in "${PG_DATABASES[@]}"; do
    if [[ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      "${psql[@]}" -c "CREATE DATABASE $db OWNER $PG_ROLE" || return 1
    fi
  done
}

postgres_up() {
  local bin pid
  bin="$(pg_bin)" || return 1
  postgres_adopt
  if pid="$(part_pid postgres)"; then
    if postgres_healthy; then
      say "postgres: already running (pid $pid, 127.0.0.1:$(part_port postgres "$PG_PORT"))"
      postgres_bootstrap "$bin" "$(part_port postgres "$PG_PORT")" || return 1
      return 0
    fi
    say "postgres: running (pid $pid) but not accepting connections; restarting it"
    postgres_down
  fi
  require_free_port "$PG_PORT" MLOPS_PG_PORT postgres || return 1
  postgres_init "$bin" || return 1
  # A postmaster.pid left by a crash (or a killed machine) would block the start; pg_ctl handles
  # it itself when the pid in it is dead.
  say "postgres: starting on 127.0.0.1:$PG_PORT"
  echo "=== mlops: starting postgres at $(date -Is) ===" >>"$LOGS/postgres.log"
  if ! pg_as_owner "$bin/pg_ctl" start -D "$PG_DATA" -w -t "$PG_TIMEOUT" -l "$LOGS/postgres.log" \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$PG_SOCKET'" >/dev/null 2>>"$LOGS/postgres.log"; then
    start_failed postgres "pg_ctl start did not report the server ready within ${PG_TIMEOUT}s"
    pg_as_owner "$bin/pg_ctl" stop -D "$PG_DATA" -m immediate >/dev/null 2>&1 || true
    return 1
  fi
  mkdir -p "$RUN"
  head -n1 "$PG_DATA/postmaster.pid" >"$(pid_file postgres)"
  echo "$PG_PORT" >"$RUN/postgres.port"
  if ! postgres_bootstrap "$bin" "$PG_PORT" >>"$LOGS/postgres.log" 2>&1; then
    say "postgres: creating the role $PG_ROLE and databases ${PG_DATABASES[*]} failed"
    log_tail postgres 30
    return 1
  fi
}

# An interrupted `up` (Ctrl-C during pg_ctl start) leaves a server without our pid file; its own
# postmaster.pid still names it.
postgres_adopt() {
  [[ -f "$(pid_file postgres)" || ! -f "$PG_DATA/postmaster.pid" ]] && return 0
  mkdir -p "$RUN"
  head -n1 "$PG_DATA/postmaster.pid" >"$(pid_file postgres)"
  part_pid postgres >/dev/null 2>&1 || rm -f "$(pid_file postgres)"
  return 0
}

postgres_down() {
  local bin pid
  postgres_adopt
  pid="$(part_pid postgres)" || { say "postgres: not running"; return 0; }
  say "postgres: stopping (pid $pid)"
  bin="$(pg_bin 2>/dev/null)" || true
  if [[ -n "$bin" ]] && pg_as_owner "$bin/pg_ctl" stop -D "$PG_DATA" -m fast -w -t "$STOP_TIMEOUT" >/dev/null 2>&1; then
    rm -f "$(pid_file postgres)" "$RUN/postgres.port"
  else
    stop_pid postgres "$pid"
  fi
}
