#!/usr/bin/env bash
# ./mlops test: the test suite against real infrastructure. CI runs exactly this (.ci/run).
#   1. installs the Debian prerequisites (idempotent),
#   2. starts PostgreSQL, Kafka and MLflow (not the services: tests start what they need) on free
#      ports in a throwaway state folder, $MLOPS_HOME/test-infra, wiped at every start,
#   3. exports the infra.env addresses and runs ./mvnw -B -ntp verify "$@",
#   4. always stops that infrastructure again, and exits with Maven's status (non-zero too when the
#      Helm chart's offline checks, deploy/helm/check.sh, run alongside, failed).
# Without arguments (the whole suite, as CI runs it) the vision modules, whose tests need no
# infrastructure, are built and tested while 2 starts; the rest of the build then skips their tests
# (infra-free-tests-done) instead of running them twice.
# MLOPS_TEST_INFRA=0 skips 2 and 4 and uses the stack of a running `./mlops up` instead.
# MLOPS_TEST_DEBUG=1 prints the MLOPS_* environment handed to Maven, secrets (tokens, passwords) masked.
# ./mlops test --containers runs the opt-in container tier instead (deploy/compose/test-containers.sh).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
say() { echo "mlops test: $*" >&2; }

# The opt-in container tier: images, the compose stack scaled out, kills (docs/deployment.md).
if [[ "${1:-}" == --containers ]]; then
  shift
  exec "$ROOT/deploy/compose/test-containers.sh" "$@"
fi

. "$HERE/free-ports.sh"

"$HERE/install-prerequisites.sh"

# The Helm chart's offline checks (lint, template, Kubernetes and CRD schemas, refused values) run
# beside the infrastructure's start and the Maven build; their table is printed at the end. The first
# run on a machine builds helm from the Go module proxy (minutes); later runs take seconds.
HELM_LOG="$MLOPS_HOME/helm-check.log"
# The modules whose tests need neither PostgreSQL, Kafka nor MLflow (each sets skipTests from
# infra-free-tests-done in its pom); -am adds what they are built from.
INFRA_FREE_MODULES=services/vision/core,services/vision/training,services/vision/onnx-runtime,services/vision/onnx-export
mkdir -p "$MLOPS_HOME"
# Its own process group (setsid), so a clean-up can stop it with the helm build it may be running.
setsid "$ROOT/deploy/helm/check.sh" >"$HELM_LOG" 2>&1 &
HELM_PID=$!
helm_result() {
  local rc=0
  wait "$HELM_PID" || rc=$?
  say "Helm chart checks (deploy/helm/check.sh, log $HELM_LOG):"
  sed 's/^/    /' "$HELM_LOG" >&2
  return "$rc"
}

if [[ "${MLOPS_TEST_INFRA:-1}" == 0 ]]; then
  ENV_FILE="$MLOPS_HOME/infra/infra.env"
  [[ -f "$ENV_FILE" ]] || { say "MLOPS_TEST_INFRA=0 reuses the stack of ./mlops up, but $ENV_FILE does not exist: run ./mlops up --infra-only first"; exit 1; }
  MLOPS_INFRA_STATE="$MLOPS_HOME/infra" "$HERE/infra.sh" status >/dev/null \
    || say "warning: not every part of the running stack is healthy (see ./mlops status)"
  say "using the running stack of ./mlops up ($ENV_FILE)"
else
  export MLOPS_INFRA_STATE="$MLOPS_HOME/test-infra"
  # A previous run killed before its trap ran may have left its stack behind: stop it by its pid
  # files before wiping them.
  [[ -d "$MLOPS_INFRA_STATE/run" ]] && "$HERE/infra.sh" down >/dev/null 2>&1 || true
  rm -rf "$MLOPS_INFRA_STATE"
  mkdir -p "$MLOPS_INFRA_STATE"
  # The infrastructure's ports, and the services' (their port variables as deploy/services.conf
  # declares them), so a test stack never answers on a port of the dev stack.
  for var in MLOPS_KAFKA_PORT MLOPS_KAFKA_CONTROLLER_PORT MLOPS_PG_PORT MLOPS_MLFLOW_PORT \
      $(awk '!/^[[:space:]]*(#|$)/ { print $4 }' "$ROOT/deploy/services.conf"); do
    export_free_port "$var"
  done
  export MLOPS_DATA_ROOT="$MLOPS_INFRA_STATE/data"
  stop_infra() {
    # A second Ctrl-C must not cut the clean-up short (the children inherit the ignore).
    trap '' INT TERM
    # The chart checks, when the run ends before their result was read (a failed start, Ctrl-C).
    kill -TERM -- "-$HELM_PID" 2>/dev/null || true
    # A start still under way (the whole suite starts it in the background): its parts' pid files
    # let `down` stop what it got to.
    if [[ -n "${INFRA_PID:-}" ]]; then kill -TERM "$INFRA_PID" 2>/dev/null || true; wait "$INFRA_PID" 2>/dev/null || true; fi
    say "stopping the test infrastructure"
    "$HERE/infra.sh" down >/dev/null 2>&1 || "$HERE/infra.sh" down || true
  }
  trap stop_infra EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  say "starting the test infrastructure in $MLOPS_INFRA_STATE"
  ENV_FILE="$MLOPS_INFRA_STATE/infra.env"
  if (($# == 0)); then
    # The whole suite: the infrastructure starts (installing MLflow and the Kafka jars on a fresh clone)
    # while Maven builds and tests the modules that do not need it. Its own log, printed when it is up,
    # so the two outputs do not interleave.
    INFRA_LOG="$MLOPS_HOME/test-infra-start.log"
    # The Maven wrapper installs Maven on its first call; the Kafka part calls it too, so it is
    # installed here first rather than by two processes at once.
    (cd "$ROOT" && ./mvnw -q -v >/dev/null)
    "$HERE/infra.sh" up --infra-only >"$INFRA_LOG" 2>&1 &
    INFRA_PID=$!
    cd "$ROOT"
    say "meanwhile: the vision modules, whose tests need no infrastructure (${INFRA_FREE_MODULES})"
    infra_free_status=0
    ./mvnw -B -ntp verify -pl "$INFRA_FREE_MODULES" -am || infra_free_status=$?
    infra_status=0
    wait "$INFRA_PID" || infra_status=$?
    sed 's/^/    /' "$INFRA_LOG" >&2
    if ((infra_status != 0)); then
      say "the test infrastructure did not start (above); the infrastructure's tests were not run"
      helm_result || true
      exit 1
    fi
    if ((infra_free_status != 0)); then
      say "the vision modules' build failed (above); the rest was not run"
      helm_result || true
      exit "$infra_free_status"
    fi
    set -- -Dinfra-free-tests-done=true
  elif ! "$HERE/infra.sh" up --infra-only; then
    say "the test infrastructure did not start; no tests were run"
    exit 1
  fi
fi

set -a
. "$ENV_FILE"
set +a
say "infrastructure: Kafka $MLOPS_KAFKA_BOOTSTRAP, PostgreSQL $MLOPS_PG_URL, MLflow $MLOPS_MLFLOW_URL"
if [[ "${MLOPS_TEST_DEBUG:-0}" == 1 ]]; then
  (. "$HERE/lib.sh" && print_mlops_environment)
fi

cd "$ROOT"
status=0
./mvnw -B -ntp verify "$@" || status=$?
helm_result || { say "the Helm chart checks failed (above)"; ((status != 0)) || status=1; }
exit "$status"
