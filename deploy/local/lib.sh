#!/usr/bin/env bash
# Shared helpers of the local stack (sourced by infra.sh and test-harness.sh, never run directly):
# the state folder layout, configured ports, pid files, readiness waits and error messages.
#
# Every process a part starts runs in its own session (setsid), so a Ctrl-C in the terminal does not
# reach it and `down` can stop the part with everything it forked (MLflow's uvicorn workers) by
# signalling one process group. A pid file is trusted only while /proc/<pid>/cmdline still names
# this state folder: a recycled pid never gets a signal from us.

say() { echo "mlops: $*" >&2; }
die() { say "$*"; exit 1; }

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
. "$(dirname "${BASH_SOURCE[0]}")/stale-build.sh"
export MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
# The state folder of one stack: data, logs, pids, infra.env. The test harness uses its own.
STATE="${MLOPS_INFRA_STATE:-$MLOPS_HOME/infra}"
LOGS="$STATE/logs"
RUN="$STATE/run"
# Downloads shared by every state folder of this clone, so a throwaway test stack installs nothing.
KAFKA_LIBS="$MLOPS_HOME/kafka-libs"
MLFLOW_VENV="$MLOPS_HOME/mlflow-venv"

KAFKA_PORT="${MLOPS_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${MLOPS_KAFKA_CONTROLLER_PORT:-9093}"
PG_PORT="${MLOPS_PG_PORT:-5433}"
MLFLOW_PORT="${MLOPS_MLFLOW_PORT:-5000}"
# The CLI's default API token of the stack in this state folder (an admin token signed with the key in
# $STATE/keys, renewed at every up; deploy/local/tokens.sh). The process stack and the container stack
# (deploy/compose/stack.sh) both write it; neither prints it.
TOKEN_FILE="$STATE/api-token"
api_token() {
  [[ -s "$TOKEN_FILE" ]] || die "no API token in $TOKEN_FILE yet: ./mlops up writes it"
  cat "$TOKEN_FILE"
}

# The MLOPS_* environment on stderr, values of tokens, passwords and secrets masked by name (the test
# harness's MLOPS_TEST_DEBUG=1): a debug log is pasted into issues and CI output.
print_mlops_environment() {
  env | grep '^MLOPS_' | sort | sed -E 's/^(MLOPS_[A-Z0-9_]*(TOKEN|PASSWORD|SECRET)[A-Z0-9_]*)=.+$/\1=(hidden)/' \
    | sed 's/^/    /' >&2
}

# Where the services keep datasets and shards.
DATA_ROOT="${MLOPS_DATA_ROOT:-$STATE/../data}"

# Readiness timeouts in seconds (the first MLflow start creates its schema, hence the larger one).
PG_TIMEOUT="${MLOPS_PG_TIMEOUT:-30}"
KAFKA_TIMEOUT="${MLOPS_KAFKA_TIMEOUT:-60}"
MLFLOW_TIMEOUT="${MLOPS_MLFLOW_TIMEOUT:-180}"
SERVICE_TIMEOUT="${MLOPS_SERVICE_TIMEOUT:-90}"
STOP_TIMEOUT="${MLOPS_STOP_TIMEOUT:-20}"

# Trainer workers the stack runs (MLOPS_TRAINERS, default 1). Extra workers are the parts trainer-2,
# trainer-3, ... with the trainer's jar on ports MLOPS_TRAINER_PORT+10, +20, ... Without the variable,
# the count is that of the running stack (its pid files), so status and down see every worker.
[[ -z "${MLOPS_TRAINERS:-}" || "$MLOPS_TRAINERS" =~ ^[1-9][0-9]?$ ]] \
  || die "MLOPS_TRAINERS must be a number from 1 to 99, not '$MLOPS_TRAINERS'"
trainer_count() {
  if [[ -n "${MLOPS_TRAINERS:-}" ]]; then
    echo "$MLOPS_TRAINERS"
    return
  fi
  local file k highest=1
  for file in "$RUN"/trainer-*.pid; do
    [[ -e "$file" ]] || continue
    k="${file##*/trainer-}"
    k="${k%.pid}"
    [[ "$k" =~ ^[0-9]+$ ]] && ((k > highest)) && highest="$k"
  done
  echo "$highest"
}

# The platform's services as deploy/services.conf declares them (the system tests read the same
# file): per declared name its module, default port, port variable, heap, thread rule, nice, started path.
SERVICES_CONF="$ROOT/deploy/services.conf"
declare -A SERVICE_MODULE SERVICE_DEFAULT_PORT SERVICE_PORT_VAR SERVICE_HEAP SERVICE_THREADS SERVICE_NICE SERVICE_STARTED
DECLARED_SERVICES=()
read_services_conf() {
  local line=0 name module port port_var heap threads nice started extra
  [[ -f "$SERVICES_CONF" ]] || die "$SERVICES_CONF is missing: it declares the services ./mlops runs"
  while read -r name module port port_var heap threads nice started extra; do
    line=$((line + 1))
    [[ -z "$name" || "$name" == \#* ]] && continue
    [[ -n "$started" && -z "$extra" && "$port" =~ ^[0-9]+$ && "$threads" =~ ^(all|split)$ \
      && "$nice" =~ ^1?[0-9]$ && "$started" == /* ]] \
      || die "$SERVICES_CONF:$line: expected 'name module port port-var heap all|split nice(0-19) /health/path', not: $name $module $port $port_var $heap $threads $nice $started $extra"
    DECLARED_SERVICES+=("$name")
    SERVICE_MODULE[$name]="$module"
    SERVICE_DEFAULT_PORT[$name]="$port"
    SERVICE_PORT_VAR[$name]="$port_var"
    SERVICE_HEAP[$name]="$heap"
    SERVICE_THREADS[$name]="$threads"
    SERVICE_NICE[$name]="$nice"
    SERVICE_STARTED[$name]="$started"
  done <"$SERVICES_CONF"
}
read_services_conf

# Every service part in start order: the declared ones, the trainer followed by its extra workers.
SERVICES=()
for name in "${DECLARED_SERVICES[@]}"; do
  SERVICES+=("$name")
  if [[ "$name" == trainer ]]; then
    for ((k = 2; k <= $(trainer_count); k++)); do SERVICES+=("trainer-$k"); done
  fi
done
unset name k
# The declared service a part is: trainer-2 is a trainer; nothing for an unknown part.
service_kind() {
  local kind="$1"
  [[ "$kind" =~ ^trainer-[0-9]+$ ]] && kind=trainer
  [[ -n "${SERVICE_MODULE[$kind]:-}" ]] && echo "$kind"
}
service_module() { echo "${SERVICE_MODULE[$(service_kind "$1")]}"; }
service_port_var() { echo "${SERVICE_PORT_VAR[$(service_kind "$1")]}"; }
# The port variable's value, else the declared default; extra trainer workers at +10, +20, ...
service_port() {
  local kind var base
  kind="$(service_kind "$1")" || return 0
  var="${SERVICE_PORT_VAR[$kind]}"
  base="${!var:-${SERVICE_DEFAULT_PORT[$kind]}}"
  if [[ "$1" =~ ^trainer-([0-9]+)$ ]]; then echo $((base + 10 * (BASH_REMATCH[1] - 1))); else echo "$base"; fi
}
# JVM heap: MLOPS_<NAME>_HEAP (e.g. MLOPS_TRAINER_HEAP, for every trainer worker), else the declared one.
service_heap() {
  local kind var
  kind="$(service_kind "$1")"
  var="MLOPS_$(echo "$kind" | tr '[:lower:]' '[:upper:]')_HEAP"
  echo "${!var:-${SERVICE_HEAP[$kind]}}"
}

# --- ports ------------------------------------------------------------------------------------------

# True when something accepts connections on 127.0.0.1:$1 (also catches servers bound to 0.0.0.0).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails with a message naming the port, its variable and (when ss can tell) the process holding it;
# the optional fourth argument is the command to run again (default ./mlops up).
require_free_port() {
  local port="$1" var="$2" part="$3" command="${4:-./mlops up}" holder=""
  port_open "$port" || return 0
  if command -v ss >/dev/null; then
    holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:(([^)]*))' | head -n1 || true)"
  fi
  say "$part cannot start: port 127.0.0.1:$port is already taken${holder:+ by $holder}."
  say "  stop whatever listens there, or pick another port: $var=<free port> $command"
  return 1
}

# --- pid files --------------------------------------------------------------------------------------

pid_file() { echo "$RUN/$1.pid"; }

# The pid of a part when its process is alive and still ours (its command line names this state
# folder); otherwise nothing, and a stale pid file is removed.
part_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(head -n1 "$file" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
      && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE/"; then
    echo "$pid"
    return 0
  fi
  say "$1: removing the stale pid file $file (process ${pid:-?} is gone)"
  rm -f "$file" "$RUN/$1.port"
  return 1
}

# The port a running part was started on (ports may differ from today's environment), else the
# configured one.
part_port() {
  local part="$1" configured="$2"
  if [[ -f "$RUN/$part.port" ]]; then cat "$RUN/$part.port"; else echo "$configured"; fi
}

# Starts a command in a new session, output appended to the part's log, and records its pid.
# The command line must mention "$STATE/" (part_pid relies on it).
spawn() {
  local part="$1" port="$2"
  shift 2
  local file waited=0
  file="$(pid_file "$part")"
  mkdir -p "$LOGS" "$RUN"
  rm -f "$file"
  # The new session's leader writes its own pid and then becomes the command: $! would be wrong
  # when setsid has to fork (a caller with job control makes the background job a group leader).
  setsid bash -c 'echo "$$" >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$file" "$@" \
    >>"$LOGS/$part.log" 2>&1 </dev/null &
  while [[ ! -s "$file" ]] && ((waited++ < 100)); do sleep 0.05; done
  echo "$port" >"$RUN/$part.port"
}

# Sends TERM to a part's process group, waits up to STOP_TIMEOUT seconds, then KILL.
stop_pid() {
  local part="$1" pid="$2" target="$2" waited=0
  # Signal the whole group when the part leads one (everything spawn() started does).
  [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]] && target="-$pid"
  kill -TERM -- "$target" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null || { [[ "$target" == -* ]] && pgrep -g "$pid" >/dev/null 2>&1; }; do
    if ((waited >= STOP_TIMEOUT * 2)); then
      say "$part: still running after ${STOP_TIMEOUT}s, sending KILL"
      kill -KILL -- "$target" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  rm -f "$(pid_file "$part")" "$RUN/$part.port"
}

# --- readiness --------------------------------------------------------------------------------------

# wait_until TIMEOUT PID CHECK...: polls CHECK every half second until it succeeds (0), the process
# PID dies (1) or TIMEOUT seconds pass (2).
wait_until() {
  local timeout="$1" pid="$2" deadline
  shift 2
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  "$@" && return 0
  return 2
}

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null; }

log_tail() {
  local part="$1" lines="${2:-30}" file="$LOGS/$1.log"
  [[ -f "$file" ]] || return 0
  say "the last $lines lines of $file:"
  tail -n "$lines" "$file" | sed 's/^/    /' >&2
}

# Reports why a part failed to become ready, kills what it started, and fails.
start_failed() {
  local part="$1" reason="$2" pid="${3:-}"
  case "$reason" in
    1) say "$part exited during start-up." ;;
    2) say "$part did not become ready in time (raise MLOPS_$(echo "$part" | tr '[:lower:]' '[:upper:]')_TIMEOUT if the machine is just slow)." ;;
    *) say "$part failed to start: $reason" ;;
  esac
  log_tail "$part" 30
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && stop_pid "$part" "$pid"
  rm -f "$(pid_file "$part")" "$RUN/$part.port"
  return 1
}

# Serialises installs shared by several state folders (a dev stack and a test stack at once).
with_install_lock() {
  mkdir -p "$MLOPS_HOME"
  (
    flock 9
    "$@"
  ) 9>"$MLOPS_HOME/.install.lock"
}

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"; else command -v java || true; fi
}
