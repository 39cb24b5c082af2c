#!/usr/bin/env bash
# The platform from its images on podman (deploy/compose/compose.yaml through podman-compose): what
# `./mlops up --containers`, and then `./mlops down|status|logs|restart`, run (deploy/local/infra.sh
# hands over to this script while a container stack is up). See docs/deployment.md.
#   stack.sh up [--scale-out]   check everything first (podman, images, ports), then start in order,
#                               waiting for each part; writes infra.env and the API token like `up`
#   stack.sh down [--volumes]   stop and remove the containers (volumes, i.e. data, are kept unless
#                               --volumes)
#   stack.sh status             a table of containers, addresses and health (exit 3 when not all healthy)
#   stack.sh logs [-f] [part]   container logs
#   stack.sh restart <part>     restart one container
# The state folder, ports and timeouts are those of deploy/local/lib.sh (MLOPS_*_PORT, MLOPS_HOME).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/deploy/local/lib.sh"
. "$ROOT/deploy/local/tokens.sh"
# The Kafka principals' passwords and their infra.env lines (kafka_ensure_secrets, kafka_logins_env).
. "$ROOT/deploy/local/parts/kafka.sh"
. "$ROOT/deploy/podman/podman.sh"

COMPOSE_FILE="$HERE/compose.yaml"
# The marker of a running container stack: its settings, read back by down/status/logs.
STACK_ENV="$STATE/containers.env"
SECRETS="$STATE/secrets"
INFRA_ENV="$STATE/infra.env"
PROJECT="${MLOPS_COMPOSE_PROJECT:-resnetops}"

# The parts in start order, with the port each publishes on the host.
INFRA_PARTS=(postgres kafka mlflow)
SERVICE_PARTS=(orchestrator ingestion trainer evaluator inference)
SCALE_OUT_PARTS=(trainer-2 inference-2)
# The database roles compose.yaml's secrets name (pg-<role>): the schema owner, one per service, MLflow's.
PG_ROLES=(resnetops $(printf 'resnetops_%s ' "${SERVICE_PARTS[@]}") mlflow)

host_port() {
  case "$1" in
    postgres) echo "$PG_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
    mlflow) echo "$MLFLOW_PORT" ;;
    trainer-2) echo "${MLOPS_TRAINER_2_PORT:-$(($(service_port trainer) + 10))}" ;;
    inference-2) echo "${MLOPS_INFERENCE_2_PORT:-$(($(service_port inference) + 10))}" ;;
    *) service_port "$1" ;;
  esac
}

# The declared service a part runs (trainer-2 is a trainer), for its health path.
part_service() { echo "${1%-2}"; }

compose() {
  local profiles=()
  [[ "${MLOPS_SCALE_OUT:-0}" == 1 ]] && profiles=(--profile scale-out)
  "$COMPOSE_VENV/bin/podman-compose" --project-name "$PROJECT" -f "$COMPOSE_FILE" "${profiles[@]}" "$@"
}

container() { echo "${PROJECT}_$1_1"; }

# The containers of this compose project, running or not (podman-compose labels them).
project_containers() {
  podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}' 2>/dev/null
}

# Exported for compose: the published ports, the image tag, the secrets and dataset folders.
export_compose_env() {
  export MLOPS_IMAGE_TAG="${MLOPS_IMAGE_TAG:-$(project_version)}" MLOPS_SECRETS="$SECRETS"
  export MLOPS_PG_PORT="$PG_PORT" MLOPS_KAFKA_PORT="$KAFKA_PORT" MLOPS_MLFLOW_PORT="$MLFLOW_PORT"
  local part var
  for part in "${SERVICE_PARTS[@]}"; do
    var="$(service_port_var "$part")"
    export "$var=$(host_port "$part")"
  done
  export MLOPS_TRAINER_2_PORT="$(host_port trainer-2)" MLOPS_INFERENCE_2_PORT="$(host_port inference-2)"
  export MLOPS_DATASETS="${MLOPS_DATASETS:-/usr/share/datasets}"
  # Two trainers on one machine share its cores instead of each taking all of them.
  local cores
  cores="$(nproc 2>/dev/null || echo 2)"
  if [[ "${MLOPS_SCALE_OUT:-0}" == 1 ]]; then
    export MLOPS_TRAINER_THREADS="${MLOPS_TRAINER_THREADS:-$((cores > 1 ? cores / 2 : 1))}"
  else
    export MLOPS_TRAINER_THREADS="${MLOPS_TRAINER_THREADS:-$cores}"
  fi
}

parts() {
  echo "${INFRA_PARTS[@]}" "${SERVICE_PARTS[@]}"
  [[ "${MLOPS_SCALE_OUT:-0}" == 1 ]] && echo "${SCALE_OUT_PARTS[@]}"
  return 0
}

running() { [[ "$(podman inspect --format '{{.State.Running}}' "$(container "$1")" 2>/dev/null)" == true ]]; }

# Healthy, judged from the host on the published port (podman runs compose health checks only under
# systemd, which these machines lack), except PostgreSQL, asked inside its container.
healthy() {
  local part="$1" port
  port="$(host_port "$part")"
  case "$part" in
    postgres) podman exec "$(container postgres)" pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1 ;;
    kafka) port_open "$port" && podman exec "$(container kafka)" kafka-ready >/dev/null 2>&1 ;;
    mlflow) http_ok "http://127.0.0.1:$port/health" ;;
    inference | inference-2) http_ok "http://127.0.0.1:$port/q/health/live" ;;
    *) http_ok "http://127.0.0.1:$port/q/health/ready" ;;
  esac
}

# Waits for a part, or shows why not and fails.
await() {
  local part="$1" timeout="$2" deadline since=$SECONDS
  deadline=$((SECONDS + timeout))
  until healthy "$part"; do
    if ! running "$part"; then
      say "$part: its container stopped during start-up; its last log lines:"
      podman logs --tail 30 "$(container "$part")" 2>&1 | sed 's/^/    /' >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      say "$part: not ready after ${timeout}s (raise MLOPS_$(echo "${part%-2}" | tr '[:lower:]' '[:upper:]')_TIMEOUT if the machine is just slow); its last log lines:"
      podman logs --tail 30 "$(container "$part")" 2>&1 | sed 's/^/    /' >&2
      return 1
    fi
    sleep 1
  done
  say "$part: ready after $((SECONDS - since)) s ($(part_address "$part"))"
}

part_address() {
  case "$1" in
    postgres | kafka) echo "127.0.0.1:$(host_port "$1")" ;;
    *) echo "http://127.0.0.1:$(host_port "$1")" ;;
  esac
}

# Everything checked before anything starts: podman, podman-compose, the images, the ports, and that
# the process stack of ./mlops up is not running in the same state folder.
preflight() {
  local failed=0 part image missing=()
  if ! command -v podman >/dev/null && [[ $(id -u) -ne 0 ]]; then
    say "podman is not installed. Install it (Debian/Ubuntu: sudo apt-get install podman runc), then run this again."
    return 1
  fi
  podman_require || return 1
  compose_require || return 1
  # The compose project is one namespace for the whole machine: a second state folder (or a user's own
  # podman-compose) with the same project would replace the containers of a running stack.
  local foreign
  foreign="$(project_containers)"
  if [[ -n "$foreign" && ! -f "$STACK_ENV" ]]; then
    say "the compose project $PROJECT already has containers ($(echo $foreign)), not started from $STATE."
    say "  stop them where they were started (./mlops down with that MLOPS_INFRA_STATE, or"
    say "  podman-compose -p $PROJECT down), or use another project: MLOPS_COMPOSE_PROJECT=<name>"
    return 1
  fi
  if ls "$RUN"/*.pid >/dev/null 2>&1; then
    say "the process stack of ./mlops up runs in $STATE ($(cd "$RUN" && ls *.pid | sed 's/\.pid$//' | tr '\n' ' '))."
    say "  stop it first (./mlops down), or use another state folder (MLOPS_INFRA_STATE=...)."
    return 1
  fi
  for part in "${INFRA_PARTS[@]}" "${SERVICE_PARTS[@]}"; do
    image="localhost/resnetops/$part:$MLOPS_IMAGE_TAG"
    podman image exists "$image" || missing+=("$image")
  done
  if ((${#missing[@]})); then
    say "images missing from podman's store: ${missing[*]}"
    say "  build them: ./mlops images (or pick another tag: MLOPS_IMAGE_TAG=<tag> ./mlops up --containers)"
    failed=1
  fi
  ((${#missing[@]})) || warn_stale_images
  for part in $(parts); do
    running "$part" && continue
    require_free_port "$(host_port "$part")" "$(port_var_of "$part")" "$part" "./mlops up --containers" || failed=1
  done
  ((failed == 0)) || say "nothing was started."
  return "$failed"
}

# Images are not rebuilt behind the user's back (a build takes minutes): a warning when the
# orchestrator's image was built from another commit than the clone's.
warn_stale_images() {
  local built head
  built="$(podman image inspect --format '{{index .Labels "org.opencontainers.image.revision"}}' \
    "localhost/resnetops/orchestrator:$MLOPS_IMAGE_TAG" 2>/dev/null || true)"
  head="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || true)"
  [[ -n "$head" && -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] && head+="-dirty"
  if [[ -n "$built" && -n "$head" && "$built" != "$head" ]]; then
    say "note: the images were built from ${built:0:12}, the clone is at ${head:0:12}: ./mlops images rebuilds them"
  fi
  return 0
}

port_var_of() {
  case "$1" in
    postgres) echo MLOPS_PG_PORT ;;
    kafka) echo MLOPS_KAFKA_PORT ;;
    mlflow) echo MLOPS_MLFLOW_PORT ;;
    trainer-2) echo MLOPS_TRAINER_2_PORT ;;
    inference-2) echo MLOPS_INFERENCE_2_PORT ;;
    *) service_port_var "$1" ;;
  esac
}

# The public key that verifies API tokens, the database passwords and MLflow's passwords (the admin's,
# one per service account, the UI's CSRF key), as files for compose secrets: the folder is the user's
# alone (700); the files are world-readable (644) so the containers' own users can read their
# bind-mounted copies. The signing key stays in $STATE/keys; the CLI's default token is
# renewed in $STATE/api-token, as ./mlops up does (deploy/local/tokens.sh).
write_secrets() {
  mkdir -p "$STATE"
  (umask 077 && mkdir -p "$SECRETS")
  chmod 700 "$SECRETS"
  ensure_signing_keys
  cp "$JWT_PUBLIC_KEY" "$SECRETS/jwt-public.pem"
  write_default_token
  rm -f "$SECRETS/api-token" # the shared secret of releases before signed tokens
  # The owner's password of a stack from before the per-service roles keeps working under its new name.
  [[ -s "$SECRETS/pg-password" && ! -e "$SECRETS/pg-resnetops" ]] && mv "$SECRETS/pg-password" "$SECRETS/pg-resnetops"
  local role name
  for role in "${PG_ROLES[@]}"; do
    [[ -s "$SECRETS/pg-$role" ]] || od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$SECRETS/pg-$role"
    chmod 644 "$SECRETS/pg-$role"
  done
  for name in mlflow-admin mlflow-trainer mlflow-evaluator mlflow-orchestrator mlflow-inference mlflow-flask-secret; do
    [[ -s "$SECRETS/$name" ]] || od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$SECRETS/$name"
  done
  # The Kafka principals' passwords, the same files the process stack uses (deploy/local/parts/kafka.sh).
  kafka_ensure_secrets
  chmod 644 "$SECRETS/jwt-public.pem" "$SECRETS"/mlflow-* "$SECRETS"/kafka-*
}

write_infra_env() {
  local tmp="$INFRA_ENV.tmp"
  (
    umask 077
    cat >"$tmp" <<EOF
# Written by ./mlops up --containers at $(date -Is). Load it with: set -a; . $INFRA_ENV; set +a
MLOPS_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
$(kafka_logins_env)
MLOPS_PG_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/resnetops
MLOPS_PG_USER=resnetops
MLOPS_PG_PASSWORD=$(cat "$SECRETS/pg-resnetops")
$(for part in "${SERVICE_PARTS[@]}"; do
    echo "MLOPS_PG_${part^^}_USER=resnetops_$part"
    echo "MLOPS_PG_${part^^}_PASSWORD=$(cat "$SECRETS/pg-resnetops_$part")"
  done)
MLOPS_MLFLOW_URL=http://127.0.0.1:$MLFLOW_PORT
MLOPS_MLFLOW_USER=admin
MLOPS_MLFLOW_PASSWORD=$(cat "$SECRETS/mlflow-admin")
MLOPS_API_TOKEN=$(api_token)
MLOPS_API_URL=http://127.0.0.1:$(host_port orchestrator)
MLOPS_INFERENCE_URL=http://127.0.0.1:$(host_port inference)
MLOPS_CONTAINERS=1
EOF
  )
  mv "$tmp" "$INFRA_ENV"
}

cmd_up() {
  local arg
  MLOPS_SCALE_OUT="${MLOPS_SCALE_OUT:-0}"
  for arg in "$@"; do
    case "$arg" in
      --scale-out) MLOPS_SCALE_OUT=1 ;;
      --containers) ;;
      *) die "up --containers: unknown option '$arg' (known: --scale-out)" ;;
    esac
  done
  # A stack that runs keeps its ports, tag and size (an extra --scale-out adds the second instances).
  if [[ -f "$STACK_ENV" ]]; then
    local scale_out="$MLOPS_SCALE_OUT"
    # shellcheck disable=SC1090
    . "$STACK_ENV"
    ((scale_out == 1)) && MLOPS_SCALE_OUT=1
  fi
  export MLOPS_SCALE_OUT
  export_compose_env
  local started=$SECONDS
  say "the platform from images tagged $MLOPS_IMAGE_TAG on podman (compose project $PROJECT), state folder $STATE"
  preflight || exit 1
  write_secrets
  mkdir -p "$LOGS" "$RUN"
  # Written before the first container starts, so `down` finds a stack that failed half-way.
  declare -p MLOPS_IMAGE_TAG MLOPS_SCALE_OUT PG_PORT KAFKA_PORT MLFLOW_PORT PROJECT MLOPS_TRAINER_2_PORT \
    MLOPS_INFERENCE_2_PORT $(for part in "${SERVICE_PARTS[@]}"; do service_port_var "$part"; done) 2>/dev/null \
    | sed 's/^declare -[a-z-]* //' >"$STACK_ENV"
  # In dependency order, each waited for: the others validate the schema the orchestrator migrates.
  # Parts that already run are left alone (up is idempotent; compose would recreate them).
  local stage part missing
  for stage in "postgres kafka" "mlflow" "orchestrator" "ingestion trainer evaluator inference$([[ $MLOPS_SCALE_OUT == 1 ]] && echo " ${SCALE_OUT_PARTS[*]}")"; do
    missing=""
    for part in $stage; do
      if running "$part"; then say "$part: already running ($(container "$part"))"; else missing+=" $part"; fi
    done
    # shellcheck disable=SC2086
    if [[ -n "$missing" ]] && ! compose up -d --no-deps $missing >>"$LOGS/compose.log" 2>&1; then
      say "podman-compose could not start:$missing; the last lines of $LOGS/compose.log:"
      tail -n 20 "$LOGS/compose.log" | sed 's/^/    /' >&2
      say "./mlops down removes what started."
      exit 1
    fi
    for part in $stage; do
      await "$part" "$(timeout_of "$part")" || { say "./mlops down removes what started."; exit 1; }
    done
  done
  write_infra_env
  say "up in $((SECONDS - started)) s. The CLI reads an admin token from $TOKEN_FILE; others: ./mlops token create --role ROLE"
  cmd_status || true
}

timeout_of() {
  case "$1" in
    postgres) echo "$PG_TIMEOUT" ;;
    kafka) echo "$KAFKA_TIMEOUT" ;;
    mlflow) echo "$MLFLOW_TIMEOUT" ;;
    *) echo "$SERVICE_TIMEOUT" ;;
  esac
}

load_stack_env() {
  [[ -f "$STACK_ENV" ]] || die "no container stack in $STATE (./mlops up --containers starts one)"
  # shellcheck disable=SC1090
  . "$STACK_ENV"
  export MLOPS_SCALE_OUT MLOPS_IMAGE_TAG
  export_compose_env
}

cmd_down() {
  local volumes=()
  case "${1:-}" in
    "") ;;
    --volumes) volumes=(--volumes) ;;
    *) die "down: unknown option '$1' (known: --volumes, which deletes the data too)" ;;
  esac
  load_stack_env
  compose_require || exit 1
  if ((${#volumes[@]})); then
    say "removing the containers and volumes (all data) of $PROJECT"
  else
    say "stopping the containers of $PROJECT (volumes, i.e. the data, stay: podman volume ls)"
  fi
  mkdir -p "$LOGS"
  # Every profile, so a scale-out stack goes too.
  MLOPS_SCALE_OUT=1 compose down "${volumes[@]}" >>"$LOGS/compose.log" 2>&1 || {
    say "podman-compose down failed; the last lines of $LOGS/compose.log:"
    tail -n 20 "$LOGS/compose.log" | sed 's/^/    /' >&2
    exit 1
  }
  rm -f "$STACK_ENV" "$INFRA_ENV"
}

cmd_status() {
  load_stack_env
  local all=0 part state
  printf '%-13s %-28s %-31s %s\n' PART ADDRESS CONTAINER STATE
  for part in $(parts); do
    if ! running "$part"; then
      state="stopped"
      all=1
    elif healthy "$part"; then
      state="running/healthy"
    else
      state="running/unhealthy"
      all=1
    fi
    printf '%-13s %-28s %-31s %s\n' "$part" "$(part_address "$part")" "$(container "$part")" "$state"
  done
  echo
  echo "MLflow UI:  http://127.0.0.1:$MLFLOW_PORT"
  echo "infra.env:  $INFRA_ENV"
  echo "logs:       ./mlops logs [-f] [part]  (podman logs)"
  return $((all == 0 ? 0 : 3))
}

cmd_logs() {
  load_stack_env
  local follow=() part="" arg
  for arg in "$@"; do
    case "$arg" in
      -f | --follow) follow=(-f) ;;
      -*) die "logs: unknown option '$arg' (known: -f)" ;;
      *) part="$arg" ;;
    esac
  done
  if [[ -n "$part" ]]; then
    [[ " $(parts) " == *" $part "* ]] || die "logs: unknown part '$part' (known: $(parts))"
    exec podman logs --tail 40 "${follow[@]}" "$(container "$part")"
  fi
  for part in $(parts); do
    echo "==> $part <=="
    podman logs --tail 15 "$(container "$part")" 2>&1 || true
  done
}

cmd_restart() {
  [[ $# -eq 1 ]] || die "usage: restart <part> ($(parts))"
  load_stack_env
  [[ " $(parts) " == *" $1 "* ]] || die "restart: unknown part '$1' (known: $(parts))"
  podman restart "$(container "$1")" >/dev/null
  await "$1" "$(timeout_of "$1")"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  *) die "usage: stack.sh up [--scale-out] | down [--volumes] | status | logs [-f] [part] | restart <part>" ;;
esac
