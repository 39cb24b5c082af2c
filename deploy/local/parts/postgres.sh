#!/usr/bin/env bash
# PostgreSQL from the Debian package, with its own data folder and port under the state folder.
# Sourced by infra.sh. As root, initdb/pg_ctl must run as the postgres user (PostgreSQL refuses
# root), so the data, socket and log live in paths that user owns; otherwise they run as the caller.
#
# Roles (docs/security.md, "PostgreSQL"): every login needs its password over TCP (scram-sha-256).
#   postgres                  the superuser: this script's bootstrap, and an operator's tool
#   resnetops                 owns the resnetops database and its schema; runs the Flyway migrations
#   resnetops_<service>       one per service, LOGIN only; its table privileges come from the migration
#                             migrations/R__service_role_grants.sql
#   mlflow                    owns the mlflow database (MLflow's backend store)
# Each password is generated once into $STATE/secrets/pg-<role> (folder 700, files 600); infra.env
# hands them to the services and tests, and deploy/local/parts/services.sh gives each service its own.

PG_DATA="$STATE/postgres/data"
PG_SOCKET="$RUN/postgres-socket"
PG_SECRETS="$STATE/secrets"
PG_OWNER=resnetops
PG_MLFLOW_ROLE=mlflow
# The service -> role map; the services of deploy/services.conf (extra trainer workers share the trainer's).
declare -A PG_SERVICE_ROLE=([orchestrator]=resnetops_orchestrator [ingestion]=resnetops_ingestion
  [trainer]=resnetops_trainer [evaluator]=resnetops_evaluator [inference]=resnetops_inference)
PG_SERVICES=(orchestrator ingestion trainer evaluator inference)

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
  if ! pg_as_owner "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >>"$LOGS/postgres.log" 2>&1; then
    start_failed postgres "initdb failed (as user $owner)"
    return 1
  fi
  postgres_write_hba
  return 0
}

# Who may connect how. Written at initdb and again by every bootstrap, which is how a cluster made
# before passwords (trust everywhere) is upgraded. Returns 1 when the file was already right.
postgres_write_hba() {
  local wanted
  # The unix socket lets the superuser in without a password: the bootstrap needs a way in before any
  # password exists (a cluster from before passwords, a deleted secrets folder). Only the OS user that
  # owns the cluster (and root) can open it: the server creates it with mode 0700
  # (unix_socket_permissions in postgres_up), and that user can read the data folder and the secrets anyway.
  wanted="# Written by deploy/local/parts/postgres.sh: local development, loopback IPv4 + unix socket.
local   all   postgres                 trust
host    all   all     127.0.0.1/32     scram-sha-256"
  [[ "$(cat "$PG_DATA/pg_hba.conf" 2>/dev/null)" == "$wanted" ]] && return 1
  echo "$wanted" >"$PG_DATA/pg_hba.conf"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DATA/pg_hba.conf"
  return 0
}

pg_secret_file() { echo "$PG_SECRETS/pg-$1"; }

# A role's password: generated on first use (24 random bytes as hex, safe in a URL or a properties file
# unquoted), then read back. The folder is private, the file readable by its owner only.
pg_password() {
  local file
  file="$(pg_secret_file "$1")"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$PG_SECRETS"
    chmod 700 "$PG_SECRETS"
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$file.tmp" && mv "$file.tmp" "$file")
  fi
  cat "$file"
}

pg_service_role() { echo "${PG_SERVICE_ROLE[$1]}"; }

# The SQL that makes the roles and databases what the header says, idempotently. Passwords are read from
# the environment by psql (\getenv), never put on a command line or in a file.
postgres_roles_sql() {
  local role
  echo "\\getenv pw PG_PASSWORD_postgres"
  echo "SELECT format('ALTER ROLE postgres PASSWORD %L', :'pw') \\gexec"
  for role in "$PG_OWNER" "$PG_MLFLOW_ROLE" "${PG_SERVICE_ROLE[@]}"; do
    echo "\\getenv pw PG_PASSWORD_$role"
    echo "SELECT format('CREATE ROLE %I', '$role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') \\gexec"
    # NOSUPERUSER also demotes the owner of a cluster from before this change (it was a superuser).
    echo "SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', '$role', :'pw') \\gexec"
  done
  cat <<SQL
SELECT 'CREATE DATABASE resnetops OWNER $PG_OWNER' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'resnetops') \\gexec
SELECT 'CREATE DATABASE mlflow OWNER $PG_MLFLOW_ROLE' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'mlflow') \\gexec
ALTER DATABASE resnetops OWNER TO $PG_OWNER;
-- Who reaches which database: each owner its own, the services the platform's; nobody else (PUBLIC may
-- connect to every database and create temporary tables by default).
REVOKE ALL ON DATABASE resnetops, mlflow FROM PUBLIC;
GRANT CONNECT ON DATABASE resnetops TO $(IFS=,; echo "${PG_SERVICE_ROLE[*]}");
SQL
}

# MLflow's database belonged to resnetops before it had its own role: hand it over with everything in it
# (tables, sequences, types). REASSIGN OWNED also moves shared objects, the database resnetops among
# them, so the same transaction gives that one back.
postgres_mlflow_owner_sql() {
  cat <<SQL
BEGIN;
REASSIGN OWNED BY $PG_OWNER TO $PG_MLFLOW_ROLE;
ALTER DATABASE mlflow OWNER TO $PG_MLFLOW_ROLE;
ALTER DATABASE resnetops OWNER TO $PG_OWNER;
COMMIT;
SQL
}

postgres_bootstrap() {
  local bin="$1" port="$2" role owner_of_mlflow
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$port" -U postgres -tA)
  local env=(PG_PASSWORD_postgres="$(pg_password postgres)")
  for role in "$PG_OWNER" "$PG_MLFLOW_ROLE" "${PG_SERVICE_ROLE[@]}"; do
    env+=("PG_PASSWORD_$role=$(pg_password "$role")")
  done
  # Exported in a subshell (a builtin), not passed to env(1), whose arguments ps would show.
  (export "${env[@]}" && postgres_roles_sql | "${psql[@]}" -d postgres) || return 1
  # Anything in MLflow's database still owned by the platform's owner (a cluster from before this change).
  owner_of_mlflow="$("${psql[@]}" -d mlflow -c "SELECT 1 FROM pg_class WHERE relowner = '$PG_OWNER'::regrole LIMIT 1")" || return 1
  if [[ -n "$owner_of_mlflow" ]]; then
    say "postgres: handing MLflow's database over to the role $PG_MLFLOW_ROLE (it belonged to $PG_OWNER)"
    postgres_mlflow_owner_sql | "${psql[@]}" -d mlflow || return 1
  fi
  if postgres_write_hba; then
    say "postgres: passwords are now required on 127.0.0.1 (scram-sha-256); reloading the server's configuration"
    "${psql[@]}" -d postgres -c "SELECT pg_reload_conf()" >/dev/null || return 1
  fi
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
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$PG_SOCKET' -c unix_socket_permissions=0700" >/dev/null 2>>"$LOGS/postgres.log"; then
    start_failed postgres "pg_ctl start did not report the server ready within ${PG_TIMEOUT}s"
    pg_as_owner "$bin/pg_ctl" stop -D "$PG_DATA" -m immediate >/dev/null 2>&1 || true
    return 1
  fi
  mkdir -p "$RUN"
  head -n1 "$PG_DATA/postmaster.pid" >"$(pid_file postgres)"
  echo "$PG_PORT" >"$RUN/postgres.port"
  # On the terminal, not in the log: what it changes (an upgrade of an older cluster) is worth seeing.
  if ! postgres_bootstrap "$bin" "$PG_PORT"; then
    say "postgres: creating the roles and databases failed (psql's error above)"
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
