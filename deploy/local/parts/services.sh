#!/usr/bin/env bash
# The platform's Quarkus services (SERVICES in lib.sh, in start order, as deploy/services.conf
# declares them), started after the infrastructure with the addresses of infra.env. A service whose
# module does not exist yet is skipped without a word. Sourced by infra.sh.

service_jar() { echo "$ROOT/$(service_module "$1")/target/quarkus-app/quarkus-run.jar"; }

services_present() {
  local name
  for name in "${SERVICES[@]}"; do
    [[ -f "$ROOT/$(service_module "$name")/pom.xml" ]] && echo "$name"
  done
  return 0
}

# Stale: no runnable jar, or a build input newer than it (build_stale, shared with ./mlops).
service_stale() { build_stale "$ROOT" "$(service_jar "$1")"; }

# Builds every present service that is stale, in one Maven call.
services_build() {
  local name modules=()
  for name in "$@"; do
    # trainer-2 shares the trainer's module: build it once.
    service_stale "$name" && [[ " ${modules[*]} " != *" $(service_module "$name") "* ]] \
      && modules+=("$(service_module "$name")")
  done
  ((${#modules[@]} == 0)) && return 0
  mkdir -p "$LOGS"
  say "services: building ${modules[*]} (log: $LOGS/build.log)"
  if ! (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am package >"$LOGS/build.log" 2>&1); then
    say "services: the build failed; the last lines of $LOGS/build.log:"
    tail -n 30 "$LOGS/build.log" | sed 's/^/    /' >&2
    return 1
  fi
}

# Intra-op threads by the declared rule: a split service's workers share the cores instead of each
# taking all of them (two trainers with two threads each on two cores run slower than with one
# each). OMP_NUM_THREADS set by the caller wins.
service_threads() {
  local cores workers=1
  cores="$(nproc 2>/dev/null || echo 1)"
  # Only the trainer runs several workers (MLOPS_TRAINERS).
  [[ "$(service_kind "$1")" == trainer ]] && workers="$(trainer_count)"
  if [[ -n "${OMP_NUM_THREADS:-}" ]]; then
    echo "$OMP_NUM_THREADS"
  elif [[ "${SERVICE_THREADS[$(service_kind "$1")]}" == split ]]; then
    echo $((cores > workers ? cores / workers : 1))
  else
    echo "$cores"
  fi
}

# With the kernel's autogroups (sched_autogroup_enabled, on in most distributions) a nice value only
# ranks a process among those of its own session, and spawn() gives every service a session of its
# own: the evaluator at nice 10 still took half the cores from the trainer (measured in the demo: the
# trainer at 3.6 img/s beside it, 22 img/s once the session's autogroup was niced too). So the
# session's autogroup gets the same nice; where the file is missing (no autogroups) nice alone works.
session_nice() {
  local pid="$1" nice="$2"
  ((nice > 0)) && [[ -w "/proc/$pid/autogroup" ]] || return 0
  echo "$nice" >"/proc/$pid/autogroup" 2>/dev/null \
    || say "note: could not lower the CPU priority of $pid's session (/proc/$pid/autogroup)"
}

service_url() { echo "http://127.0.0.1:$(part_port "$1" "$(service_port "$1")")"; }

# The declared started path answers 200 (live, not ready, for inference: see deploy/services.conf).
service_healthy() {
  curl -fsS -o /dev/null --max-time 3 -w '%{http_code}' "$(service_url "$1")${SERVICE_STARTED[$(service_kind "$1")]}" \
    2>/dev/null | grep -qx 200
}

# The service's background loops from its readiness check, under its status row: every loop's state on one
# line, then a line per loop that is not plain RUNNING (DEAD, STUCK, RESTARTING with its error), per failed
# item it survived, and per queue with parked rows (docs/operations.md, "Loops and parked rows").
service_loops() {
  local body
  body="$(curl -sS --max-time 3 "$(service_url "$1")/q/health/ready" 2>/dev/null)" || return 0
  "${MLOPS_PYTHON:-python3}" -c '
import json, sys
try:
    checks = json.loads(sys.argv[1]).get("checks", [])
except ValueError:
    sys.exit(0)
states, details = [], []
for check in checks:
    data = check.get("data") or {}
    if check.get("name") == "background-loops":
        for loop, summary in data.items():
            if loop.endswith(".lastFailure"):
                details.append("%s last failed item: %s" % (loop[:-len(".lastFailure")], summary))
                continue
            state = str(summary).split(":")[0].split(" ")[0]
            states.append("%s=%s" % (loop, state))
            if state not in ("RUNNING", "DISABLED"):
                details.append("%s: %s" % (loop, summary))
    if isinstance(data.get("parked"), int) and data["parked"] > 0:
        details.append("%s: %d parked row(s); see docs/operations.md (Parked rows)" % (check.get("name"), data["parked"]))
if states:
    print("  loops: " + " ".join(states))
for d in details:
    print("  ! " + d)
' "$body"
}

# The database login of a service (infra.env has one per service, parts/postgres.sh makes them): its own
# role as MLOPS_PG_USER/MLOPS_PG_PASSWORD, which every service reads; the orchestrator, which applies the
# Flyway migrations, also gets the schema owner's as MLOPS_PG_MIGRATION_USER/MLOPS_PG_MIGRATION_PASSWORD.
service_pg_env() {
  local kind upper user_var password_var
  kind="$(service_kind "$1")"
  upper="$(echo "$kind" | tr '[:lower:]' '[:upper:]')"
  user_var="MLOPS_PG_${upper}_USER"
  password_var="MLOPS_PG_${upper}_PASSWORD"
  if [[ -z "${!user_var:-}" || -z "${!password_var:-}" ]]; then
    say "$1: $INFRA_ENV has no $user_var/$password_var (written by an older ./mlops up): ./mlops down && ./mlops up"
    return 1
  fi
  echo "MLOPS_PG_USER=${!user_var}"
  echo "MLOPS_PG_PASSWORD=${!password_var}"
  if [[ "$kind" == orchestrator ]]; then
    echo "MLOPS_PG_MIGRATION_USER=$MLOPS_PG_USER"
    echo "MLOPS_PG_MIGRATION_PASSWORD=$MLOPS_PG_PASSWORD"
  fi
}

# Gives the service about to start its own MLflow account from infra.env (MLOPS_MLFLOW_<KIND>_USER and
# _PASSWORD exported as MLOPS_MLFLOW_USER and _PASSWORD) in place of the admin's, and none of the other
# accounts' passwords; a service without an account (ingestion never calls MLflow) gets none. Call it in
# the subshell that starts the service: exported variables, never command-line arguments, which every
# local user could read in the process list.
use_mlflow_account() {
  local kind user password var
  kind="$(service_kind "$1")"
  user="MLOPS_MLFLOW_${kind^^}_USER"
  password="MLOPS_MLFLOW_${kind^^}_PASSWORD"
  user="${!user:-}"
  password="${!password:-}"
  for var in $(compgen -v MLOPS_MLFLOW_); do
    [[ "$var" =~ _(USER|PASSWORD)$ ]] && unset "$var"
  done
  if [[ -n "$user" ]]; then
    export MLOPS_MLFLOW_USER="$user" MLOPS_MLFLOW_PASSWORD="$password"
  fi
}

service_up() {
  local name="$1" port pid java rc=0 pg_env user_var password_var nice
  port="$(service_port "$name")"
  if pid="$(part_pid "$name")"; then
    if wait_until 15 "$pid" service_healthy "$name"; then
      say "$name: already running (pid $pid, $(service_url "$name"))"
      return 0
    fi
    say "$name: running (pid $pid) but not ready; restarting it"
    service_down "$name"
  fi
  require_free_port "$port" "$(service_port_var "$name")" "$name" || return 1
  java="$(java_bin)"
  [[ -n "$java" ]] || { say "no Java found: install a JDK 17+ or set JAVA_HOME"; return 1; }
  pg_env="$(service_pg_env "$name")" || return 1
  mkdir -p "$DATA_ROOT"
  say "$name: starting on http://127.0.0.1:$port"
  echo "=== mlops: starting $name at $(date -Is) ===" >>"$LOGS/$name.log"
  # The infra.env addresses come from the environment infra.sh exported; -Dresnetops.stack marks the
  # process as ours for part_pid. The service sees its own database login, MLflow account and Kafka
  # principal only (a trainer worker logs in as trainer): the other roles' (and the owner's and admin's)
  # passwords are removed from its environment. Logins go through the environment, never the JVM's
  # command line, which ps shows to every user.
  user_var="MLOPS_KAFKA_$(service_kind "$name" | tr '[:lower:]' '[:upper:]')_USER"
  password_var="${user_var%_USER}_PASSWORD"
  [[ -n "${!user_var:-}" ]] || { say "$name: no $user_var in $INFRA_ENV (./mlops up writes it)"; return 1; }
  nice="${SERVICE_NICE[$(service_kind "$name")]}"
  (
    kafka_user="${!user_var}"
    kafka_password="${!password_var}"
    unset $(compgen -v MLOPS_PG_ | grep -E '_(USER|PASSWORD)$') $(compgen -v MLOPS_KAFKA_ | grep -E '_(USER|PASSWORD)$')
    mapfile -t service_env <<<"$pg_env"
    export "${service_env[@]}"
    export MLOPS_KAFKA_USER="$kafka_user" MLOPS_KAFKA_PASSWORD="$kafka_password"
    use_mlflow_account "$name"
    QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 MLOPS_DATA_ROOT="$(cd "$DATA_ROOT" && pwd)" \
      OMP_NUM_THREADS="$(service_threads "$name")" spawn "$name" "$port" \
      nice -n "$nice" "$java" "-Xmx$(service_heap "$name")" \
      -Dai.djl.offline=true -Dresnetops.stack="$STATE/" -jar "$(service_jar "$name")"
  )
  pid="$(cat "$(pid_file "$name")")"
  session_nice "$pid" "$nice"
  wait_until "$SERVICE_TIMEOUT" "$pid" service_healthy "$name" || rc=$?
  ((rc == 0)) || { start_failed "$name" "$rc" "$pid"; return 1; }
}

service_down() {
  local pid
  pid="$(part_pid "$1")" || return 0
  say "$1: stopping (pid $pid)"
  stop_pid "$1" "$pid"
}

services_up() {
  local present name to_build=()
  mapfile -t present < <(services_present)
  ((${#present[@]} == 0)) && return 0
  # A running service keeps its jar: rebuilding under a live JVM would pull classes from under it.
  for name in "${present[@]}"; do
    if part_pid "$name" >/dev/null 2>&1; then
      service_stale "$name" && say "$name: its sources changed since the running build; ./mlops down && ./mlops up picks them up"
    else
      to_build+=("$name")
    fi
  done
  ((${#to_build[@]} == 0)) || services_build "${to_build[@]}" || return 1
  for name in "${present[@]}"; do
    service_up "$name" || return 1
  done
}

services_down() {
  local i file extra
  # Stop every known service, present or not (a folder may have gone since it was started).
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    service_down "${SERVICES[i]}"
  done
  # Trainer workers beyond today's MLOPS_TRAINERS (started with a larger count).
  for file in "$RUN"/trainer-*.pid; do
    [[ -e "$file" ]] || continue
    extra="${file##*/}"
    service_down "${extra%.pid}"
  done
}
