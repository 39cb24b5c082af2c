#!/usr/bin/env bash
# The local stack on loopback, without Docker: PostgreSQL, Kafka (KRaft) and MLflow, then the
# platform's services. Called by ./mlops; see docs/operations.md.
#   infra.sh up [--infra-only]   start what is not running yet (idempotent), write infra.env
#   infra.sh up --containers [--scale-out]   the platform from its images on podman instead
#                                (deploy/compose/stack.sh; down/status/logs/restart follow it)
#   infra.sh down                stop what up started: services, MLflow, Kafka, PostgreSQL
#   infra.sh status              a table of parts, addresses and health (exit 3 when not all healthy)
#   infra.sh restart <part>      stop and start one part (postgres kafka mlflow or a service)
#   infra.sh stop|start <part>   stop, or start again, one of postgres kafka mlflow alone (an outage
#                                window of the length you choose; the fault system tests use it)
#   infra.sh logs [-f] [part]    the logs (all parts, or one: kafka postgres mlflow build <service>)
#   infra.sh secrets rotate postgres   new passwords for every database role; restarts MLflow and the
#                                services that run, with theirs
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$HERE/lib.sh"
. "$HERE/tokens.sh"
. "$HERE/parts/postgres.sh"
. "$HERE/parts/kafka.sh"
. "$HERE/parts/mlflow.sh"
. "$HERE/parts/services.sh"

INFRA_PARTS=(postgres kafka mlflow)
INFRA_ENV="$STATE/infra.env"

# The database logins: the schema owner as MLOPS_PG_USER (tests and tools; the launchers give it to Flyway),
# and each service's own role, which deploy/local/parts/services.sh hands to that service as MLOPS_PG_USER.
postgres_env() {
  local service upper
  echo "MLOPS_PG_USER=$PG_OWNER"
  echo "MLOPS_PG_PASSWORD=$(pg_password "$PG_OWNER")"
  for service in "${PG_SERVICES[@]}"; do
    upper="$(echo "$service" | tr '[:lower:]' '[:upper:]')"
    echo "MLOPS_PG_${upper}_USER=$(pg_service_role "$service")"
    echo "MLOPS_PG_${upper}_PASSWORD=$(pg_password "$(pg_service_role "$service")")"
  done
}

# The addresses every service and test uses, from the ports the parts actually run on.
write_infra_env() {
  local tmp="$INFRA_ENV.tmp"
  write_default_token
  (
    umask 077
    cat >"$tmp" <<EOF
# Written by ./mlops up at $(date -Is). Load it with: set -a; . $INFRA_ENV; set +a
MLOPS_KAFKA_BOOTSTRAP=127.0.0.1:$(part_port kafka "$KAFKA_PORT")
$(kafka_logins_env)
MLOPS_PG_URL=jdbc:postgresql://127.0.0.1:$(part_port postgres "$PG_PORT")/resnetops
$(postgres_env)
MLOPS_MLFLOW_URL=http://127.0.0.1:$(part_port mlflow "$MLFLOW_PORT")
$(mlflow_credentials_env)
MLOPS_API_TOKEN=$(api_token)
MLOPS_JWT_PUBLIC_KEY=$JWT_PUBLIC_KEY
MLOPS_API_URL=$(service_url orchestrator)
MLOPS_INFERENCE_URL=$(service_url inference)
MLOPS_DATA_ROOT=$(mkdir -p "$DATA_ROOT" && cd "$DATA_ROOT" && pwd)
EOF
  )
  mv "$tmp" "$INFRA_ENV"
}

# Every port a part that is not running yet will need, checked before anything starts, so a taken
# port does not leave a half-started stack behind.
preflight_ports() {
  local infra_only="$1" failed=0 name
  part_pid postgres >/dev/null 2>&1 || require_free_port "$PG_PORT" MLOPS_PG_PORT postgres || failed=1
  if ! part_pid kafka >/dev/null 2>&1; then
    require_free_port "$KAFKA_PORT" MLOPS_KAFKA_PORT kafka || failed=1
    require_free_port "$KAFKA_CONTROLLER_PORT" MLOPS_KAFKA_CONTROLLER_PORT "kafka (controller)" || failed=1
  fi
  part_pid mlflow >/dev/null 2>&1 || require_free_port "$MLFLOW_PORT" MLOPS_MLFLOW_PORT mlflow || failed=1
  if ((infra_only == 0)); then
    while read -r name; do
      [[ -n "$name" ]] || continue
      part_pid "$name" >/dev/null 2>&1 || require_free_port "$(service_port "$name")" "$(service_port_var "$name")" "$name" || failed=1
    done < <(services_present)
  fi
  preflight_tools || failed=1
  ((failed == 0)) || say "nothing was started."
  return "$failed"
}

# The programs the parts need, checked before anything starts.
preflight_tools() {
  local failed=0 python="${MLOPS_PYTHON:-python3}"
  pg_bin >/dev/null || failed=1
  [[ -n "$(java_bin)" ]] || { say "no Java found: install a JDK 17+ (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"; failed=1; }
  command -v curl >/dev/null || { say "curl is missing: ./deploy/local/install-prerequisites.sh (as root), or apt-get install curl"; failed=1; }
  # The API token-signing key and the default token (tokens.sh) are made after the parts started.
  command -v openssl >/dev/null || { say "openssl is missing (it signs the API tokens): ./deploy/local/install-prerequisites.sh (as root), or apt-get install openssl"; failed=1; }
  if ! mlflow_venv_current && ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    say "MLflow needs a Python 3 with the venv module, and '$python' has none:"
    say "  ./deploy/local/install-prerequisites.sh (as root), or apt-get install python3 python3-venv (or set MLOPS_PYTHON)"
    failed=1
  fi
  return "$failed"
}

cmd_up() {
  local infra_only=0 arg
  for arg in "$@"; do
    case "$arg" in
      --infra-only) infra_only=1 ;;
      *) die "up: unknown option '$arg' (known: --infra-only, --containers [--scale-out])" ;;
    esac
  done
  mkdir -p "$LOGS" "$RUN"
  say "state folder $STATE; ports (change with the variable before ./mlops up):"
  printf '    %-13s 127.0.0.1:%-6s %s\n' postgres "$PG_PORT" "MLOPS_PG_PORT (default 5433)" \
    kafka "$KAFKA_PORT" "MLOPS_KAFKA_PORT (default 9092)" \
    "kafka control" "$KAFKA_CONTROLLER_PORT" "MLOPS_KAFKA_CONTROLLER_PORT (default 9093)" \
    mlflow "$MLFLOW_PORT" "MLOPS_MLFLOW_PORT (default 5000)" >&2
  if ((infra_only == 0)); then
    local name note
    for name in "${SERVICES[@]}"; do
      if [[ "$name" =~ ^trainer-([0-9]+)$ ]]; then
        note="$(service_port_var "$name")+$((10 * (BASH_REMATCH[1] - 1)))"
      else
        note="$(service_port_var "$name") (default ${SERVICE_DEFAULT_PORT[$name]})"
      fi
      printf '    %-13s 127.0.0.1:%-6s %s\n' "$name" "$(service_port "$name")" "$note" >&2
    done
  fi
  postgres_adopt
  preflight_ports "$infra_only" || exit 1
  local part
  for part in "${INFRA_PARTS[@]}"; do
    if ! "${part}_up"; then
      say "up failed at $part; parts started before it are still running (./mlops down stops them)."
      exit 1
    fi
  done
  write_infra_env
  if ((infra_only == 0)); then
    set -a
    . "$INFRA_ENV"
    set +a
    services_up || { say "up failed while starting the services; ./mlops down stops what runs."; exit 1; }
  fi
  # Never the token itself: terminal output ends up in scroll-back, CI logs and screen shares.
  say "API token: the CLI reads an admin token of $(id -un 2>/dev/null || echo you) from $TOKEN_FILE;"
  say "  others: ./mlops token create --role viewer|submitter|admin [--subject NAME] (docs/security.md)"
  say "addresses for services and tests: $INFRA_ENV"
  cmd_status || true
}

cmd_down() {
  [[ $# -eq 0 ]] || die "down takes no arguments"
  services_down
  mlflow_down
  kafka_down
  postgres_down
}

# One status row: part, address, pid, state.
status_row() {
  local part="$1" addr="$2" healthy_fn="$3" pid state
  shift 3
  local had_pid_file=0
  [[ -f "$(pid_file "$part")" ]] && had_pid_file=1
  if pid="$(part_pid "$part" 2>/dev/null)"; then
    if "$healthy_fn" "$@"; then state="running/healthy"; else state="running/unhealthy"; fi
  else
    pid="-"
    state="stopped"
    ((had_pid_file)) && state="stopped (process gone; stale pid file removed)"
    port_open "${addr##*:}" && state="stopped (port taken by another process)"
  fi
  printf '%-13s %-28s %-8s %s\n' "$part" "$addr" "$pid" "$state"
  [[ "$state" == running/healthy ]]
}

cmd_status() {
  local all=0 name
  postgres_adopt
  printf '%-13s %-28s %-8s %s\n' PART ADDRESS PID STATE
  status_row postgres "127.0.0.1:$(part_port postgres "$PG_PORT")" postgres_healthy || all=1
  status_row kafka "127.0.0.1:$(part_port kafka "$KAFKA_PORT")" kafka_healthy || all=1
  status_row mlflow "$(mlflow_url)" mlflow_healthy || all=1
  while read -r name; do
    [[ -n "$name" ]] || continue
    status_row "$name" "$(service_url "$name")" service_healthy "$name" || all=1
    service_loops "$name"
  done < <(services_present)
  echo
  echo "MLflow UI:  $(mlflow_url)"
  if [[ -f "$INFRA_ENV" ]]; then echo "infra.env:  $INFRA_ENV"; fi
  echo "logs:       $LOGS  (./mlops logs [-f] [part])"
  return $((all == 0 ? 0 : 3))
}

# Stops and starts one part with the same state and ports (e.g. a broker restart under load).
cmd_restart() {
  [[ $# -eq 1 ]] || die "usage: restart <part> (postgres kafka mlflow or a service)"
  local part="$1"
  postgres_adopt
  case "$part" in
    postgres | kafka | mlflow) "${part}_down" && "${part}_up" ;;
    *)
      [[ -n "$(service_port "$part")" ]] || die "restart: unknown part '$part' (known: postgres kafka mlflow ${SERVICES[*]})"
      [[ -f "$INFRA_ENV" ]] || die "restart: no $INFRA_ENV yet (./mlops up first)"
      set -a
      . "$INFRA_ENV"
      set +a
      service_down "$part"
      services_build "$part" && service_up "$part"
      ;;
  esac
}

# One part of the infrastructure down (or back) alone, with the same state and port: an outage whose
# length the caller decides, which restart cannot give.
cmd_part() {
  local action="$1"
  shift
  [[ $# -eq 1 ]] || die "usage: $action postgres|kafka|mlflow"
  case "$1" in
    postgres | kafka | mlflow) ;;
    *) die "$action: '$1' is not postgres, kafka or mlflow (a service: restart <service>)" ;;
  esac
  postgres_adopt
  if [[ "$action" == stop ]]; then "${1}_down"; else "${1}_up"; fi
}

# New passwords for every database role (docs/security.md, "Rotating the database passwords"): the old
# ones are moved aside, the bootstrap sets new ones through the superuser's socket (no password needed),
# infra.env is rewritten, and MLflow and the running services restart with theirs. A process that
# still has the old password (a shell that loaded infra.env) gets "password authentication failed".
cmd_secrets() {
  [[ "$*" == "rotate postgres" ]] || die "usage: ./mlops secrets rotate postgres"
  local bin pid name file restart=()
  postgres_adopt
  pid="$(part_pid postgres)" || die "secrets rotate: postgres is not running (./mlops up first)"
  bin="$(pg_bin)" || exit 1
  for file in "$PG_SECRETS"/pg-*; do
    [[ -e "$file" && "$file" != *.previous ]] && mv "$file" "$file.previous"
  done
  if ! postgres_bootstrap "$bin" "$(part_port postgres "$PG_PORT")"; then
    say "secrets rotate: setting the new passwords failed; the old ones are in $PG_SECRETS/*.previous,"
    say "  and ./mlops secrets rotate postgres (or ./mlops up) sets whatever $PG_SECRETS holds again"
    exit 1
  fi
  rm -f "$PG_SECRETS"/pg-*.previous
  say "postgres: every role has a new password (in $PG_SECRETS)"
  write_infra_env
  set -a
  . "$INFRA_ENV"
  set +a
  # Pools keep their open connections, but the next one would fail: restart whoever logs in.
  if part_pid mlflow >/dev/null 2>&1; then mlflow_down && mlflow_up || exit 1; fi
  for name in "${SERVICES[@]}"; do
    part_pid "$name" >/dev/null 2>&1 && restart+=("$name")
  done
  for name in "${restart[@]}"; do
    service_down "$name"
    service_up "$name" || exit 1
  done
}

cmd_logs() {
  local follow=0 lines=40 part="" files=() arg
  for arg in "$@"; do
    case "$arg" in
      -f | --follow) follow=1 ;;
      -*) die "logs: unknown option '$arg' (known: -f)" ;;
      *) part="$arg" ;;
    esac
  done
  if [[ -n "$part" ]]; then
    [[ -f "$LOGS/$part.log" ]] || die "no log for '$part' in $LOGS (there are: $(cd "$LOGS" 2>/dev/null && ls *.log 2>/dev/null | sed 's/\.log$//' | tr '\n' ' '))"
    files=("$LOGS/$part.log")
  else
    shopt -s nullglob
    files=("$LOGS"/*.log)
    ((${#files[@]} > 0)) || die "no logs yet in $LOGS (./mlops up writes them)"
    lines=15
  fi
  if ((follow)); then exec tail -n "$lines" -F "${files[@]}"; fi
  tail -n "$lines" "${files[@]}"
}

# A container stack (./mlops up --containers, deploy/compose/stack.sh) in this state folder takes every
# command; `up --containers` starts one.
if [[ -f "$STATE/containers.env" || ( "${1:-}" == up && " ${*:2} " == *" --containers "* ) ]]; then
  if [[ "${1:-}" == up && " ${*:2} " != *" --containers "* ]]; then
    say "a container stack runs in $STATE (./mlops up --containers); nothing to start."
    "$ROOT/deploy/compose/stack.sh" status || true
    exit 0
  fi
  exec "$ROOT/deploy/compose/stack.sh" "$@"
fi

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  logs) shift; cmd_logs "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  stop | start) cmd_part "$@" ;;
  secrets) shift; cmd_secrets "$@" ;;
  *) die "usage: ./mlops up [--infra-only | --containers [--scale-out]] | down | status | restart <part> | stop|start postgres|kafka|mlflow | logs [-f] [part] | secrets rotate postgres" ;;
esac
