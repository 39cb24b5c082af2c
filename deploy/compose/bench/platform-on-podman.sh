#!/usr/bin/env bash
# Benchmark: the size of every image and the time from `./mlops up --containers` to a ready platform,
# as a table for docs/benchmarks.md. Builds the images first when asked (--build), then RUNS times
# (default 3): down (containers only; the volumes stay, as for a user's restart), up, and the time
# each part needed to become ready. Uses its own state folder and compose project, on free ports.
#   deploy/compose/bench/platform-on-podman.sh [--build] [--scale-out]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
export MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
export MLOPS_INFRA_STATE="$MLOPS_HOME/bench-containers" MLOPS_COMPOSE_PROJECT=resnetops-bench
export CONTAINERS_CONF="$ROOT/deploy/podman/containers.conf"
runs="${RUNS:-3}" build=0 up_args=()
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    --scale-out) up_args+=(--scale-out) ;;
    *) echo "unknown option $arg (known: --build --scale-out)" >&2; exit 2 ;;
  esac
done
say() { echo "platform-on-podman: $*" >&2; }
. "$ROOT/deploy/local/free-ports.sh"
for var in MLOPS_PG_PORT MLOPS_KAFKA_PORT MLOPS_MLFLOW_PORT MLOPS_ORCHESTRATOR_PORT MLOPS_INGESTION_PORT \
    MLOPS_TRAINER_PORT MLOPS_TRAINER_2_PORT MLOPS_EVALUATOR_PORT MLOPS_INFERENCE_PORT MLOPS_INFERENCE_2_PORT; do
  export_free_port "$var"
done

if ((build)); then
  start=$SECONDS
  "$ROOT/deploy/images/build.sh"
  echo "images built in $((SECONDS - start)) s"
fi
cleanup() { "$ROOT/deploy/compose/stack.sh" down --volumes >/dev/null 2>&1 || true; rm -rf "$MLOPS_INFRA_STATE"; }
trap cleanup EXIT

declare -A ready
totals=()
for ((i = 1; i <= runs; i++)); do
  [[ -f "$MLOPS_INFRA_STATE/containers.env" ]] && "$ROOT/deploy/compose/stack.sh" down >/dev/null 2>&1
  start=$SECONDS
  "$ROOT/deploy/compose/stack.sh" up "${up_args[@]}" 2>"$MLOPS_HOME/bench-up.log" >/dev/null \
    || { tail -n 30 "$MLOPS_HOME/bench-up.log" >&2; exit 1; }
  totals+=($((SECONDS - start)))
  while read -r part secs; do ready[$part]+="$secs "; done \
    < <(sed -n 's/^mlops: \([a-z0-9-]*\): ready after \([0-9]*\) s.*/\1 \2/p' "$MLOPS_HOME/bench-up.log")
done

version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -n1)"
echo
echo "| image | size |"
echo "|---|---|"
for name in debian jre kafka postgres mlflow orchestrator ingestion trainer evaluator inference cli; do
  tag="$version"
  [[ "$name" == debian ]] && tag=bookworm
  [[ "$name" == jre ]] && tag=17
  size="$(podman image inspect --format '{{.Size}}' "localhost/resnetops/$name:$tag" 2>/dev/null || echo 0)"
  echo "| resnetops/$name:$tag | $(awk -v s="$size" 'BEGIN { printf "%.0f MB", s / 1e6 }') |"
done
echo
echo "| part | ready after (s), each run: the part's own wait, after the parts before it |"
echo "|---|---|"
for part in postgres kafka mlflow orchestrator ingestion trainer trainer-2 evaluator inference inference-2; do
  [[ -n "${ready[$part]:-}" ]] && echo "| $part | ${ready[$part]% } |"
done
echo "| **up to ready, total** | ${totals[*]} |"
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
