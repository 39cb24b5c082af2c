#!/usr/bin/env bash
# ./mlops test --containers: the container tier, opt-in (not part of ./mlops test or CI).
#   1. builds every image (./mlops images),
#   2. starts the platform from them, scaled out (two trainers, two inference instances), as the
#      compose project resnetops-test on free loopback ports in a throwaway state folder,
#   3. runs ContainerScaleOutSystemTest against it (services/system-tests), plus any -D/-P Maven
#      arguments given after --containers,
#   4. always removes that stack again, its volumes included, and exits with Maven's status.
# MLOPS_KEEP_STACK=1 keeps the stack (and its state folder) for a look afterwards.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
say() { echo "mlops test --containers: $*" >&2; }

started=$SECONDS
"$ROOT/deploy/local/install-prerequisites.sh"
"$ROOT/deploy/images/build.sh"

export MLOPS_INFRA_STATE="$MLOPS_HOME/test-containers"
export MLOPS_COMPOSE_PROJECT=resnetops-test
# Free ports for everything the stack publishes.
. "$ROOT/deploy/local/free-ports.sh"
for var in MLOPS_PG_PORT MLOPS_KAFKA_PORT MLOPS_MLFLOW_PORT MLOPS_ORCHESTRATOR_PORT MLOPS_INGESTION_PORT \
    MLOPS_TRAINER_PORT MLOPS_TRAINER_2_PORT MLOPS_EVALUATOR_PORT MLOPS_INFERENCE_PORT MLOPS_INFERENCE_2_PORT; do
  export_free_port "$var"
done
# The evaluator tests on 300 images instead of the full split: the tier checks the platform, not accuracy.
export MLOPS_EVALUATOR_MAX_TEST_SAMPLES=300

remove_stack() {
  trap '' INT TERM
  if [[ "${MLOPS_KEEP_STACK:-0}" == 1 ]]; then
    say "keeping the stack (MLOPS_KEEP_STACK=1): MLOPS_INFRA_STATE=$MLOPS_INFRA_STATE ./mlops status"
    return
  fi
  say "removing the test stack and its volumes"
  "$HERE/stack.sh" down --volumes >/dev/null 2>&1 || "$HERE/stack.sh" down --volumes || true
  rm -rf "$MLOPS_INFRA_STATE"
}
# A stack left by a run killed before its trap ran.
[[ -f "$MLOPS_INFRA_STATE/containers.env" ]] && "$HERE/stack.sh" down --volumes >/dev/null 2>&1 || true
rm -rf "$MLOPS_INFRA_STATE"
trap remove_stack EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stack_started=$SECONDS
"$HERE/stack.sh" up --scale-out || { say "the container stack did not start; no tests were run"; exit 1; }
say "stack up in $((SECONDS - stack_started)) s"

set -a
. "$MLOPS_INFRA_STATE/infra.env"
set +a
export MLOPS_CONTAINER_PROJECT="$MLOPS_COMPOSE_PROJECT"
status=0
(cd "$ROOT" && ./mvnw -B -ntp verify -pl services/system-tests -am -Dtest=ContainerScaleOutSystemTest \
  -Dsurefire.failIfNoSpecifiedTests=false "$@") || status=$?
say "finished in $((SECONDS - started)) s (Maven exit status $status)"
exit "$status"
