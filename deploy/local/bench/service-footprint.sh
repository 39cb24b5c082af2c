#!/usr/bin/env bash
# Each service's footprint: packaged size (target/quarkus-app), whether it carries libtorch or ONNX
# Runtime, and the time from `java -jar` to a 200 from its readiness check (inference: liveness, it is
# only ready once a champion model exists), median of RUNS starts.
#
#   ./mlops up --infra-only                                   # PostgreSQL, Kafka, MLflow
#   deploy/local/bench/service-footprint.sh [CHECKOUT ...]    # default: this checkout
#
# Several checkouts (e.g. a `git worktree` of an older commit, built with ./mvnw -DskipTests package)
# are measured against the same infrastructure in turns (A B A B ...), so a change in the machine's
# load hits them alike. Only the services of a checkout that are packaged are measured.
#   RUNS=3 (starts per service and checkout)  SERVICES="orchestrator ingestion trainer evaluator inference"
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
RUNS="${RUNS:-3}"
read -r -a NAMES <<<"${SERVICES:-orchestrator ingestion trainer evaluator inference}"
# MLOPS_INFRA_ENV: the infra.env of another stack, e.g. the test harness's .mlops/test-infra/infra.env.
ENV_FILE="${MLOPS_INFRA_ENV:-${MLOPS_HOME:-$ROOT/.mlops}/infra/infra.env}"
((${#@})) && CHECKOUTS=("$@") || CHECKOUTS=("$ROOT")

[[ -f "$ENV_FILE" ]] || { echo "no $ENV_FILE: start the infrastructure first (./mlops up --infra-only)" >&2; exit 1; }
set -a
. "$ENV_FILE"
set +a

free_port() {
  local port
  while :; do
    port=$((30000 + RANDOM % 2000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Seconds (3 decimals) from the JVM's start to the first healthy answer; the service is stopped after.
time_to_ready() {
  local checkout="$1" name="$2" port heap check=ready pid start now log
  port="$(free_port)"
  [[ "$name" == trainer || "$name" == evaluator ]] && heap=2g || heap=1g
  [[ "$name" == inference ]] && check=live
  log="$(mktemp)"
  start="$(date +%s.%N)"
  QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 MLOPS_DATA_ROOT="$(mktemp -d)" \
    java "-Xmx$heap" -Dai.djl.offline=true -jar "$checkout/services/$name/target/quarkus-app/quarkus-run.jar" \
    >"$log" 2>&1 &
  pid=$!
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/q/health/$check" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name in $checkout exited before it was ready; its log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  now="$(date +%s.%N)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
  awk -v end="$now" -v begin="$start" 'BEGIN { printf "%.2f", end - begin }'
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A TIMES
for ((run = 1; run <= RUNS; run++)); do
  for name in "${NAMES[@]}"; do
    for checkout in "${CHECKOUTS[@]}"; do
      [[ -f "$checkout/services/$name/target/quarkus-app/quarkus-run.jar" ]] || continue
      echo "run $run/$RUNS: $name ($checkout)" >&2
      TIMES["$checkout|$name"]+="$(time_to_ready "$checkout" "$name") "
    done
  done
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg) at the end; $RUNS starts each"
printf '| %-28s | %-12s | %9s | %5s | %8s | %12s | %s |\n' checkout service size jars libtorch "onnxruntime" "ready (s), median [all]"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------------" "--------------" "-----------" "-------" "----------" "--------------" "------------"
for checkout in "${CHECKOUTS[@]}"; do
  label="$(git -C "$checkout" rev-parse --short HEAD 2>/dev/null || basename "$checkout")"
  [[ -n "$(git -C "$checkout" status --porcelain --untracked-files=no 2>/dev/null)" ]] && label+="+changes"
  for name in "${NAMES[@]}"; do
    app="$checkout/services/$name/target/quarkus-app"
    [[ -f "$app/quarkus-run.jar" ]] || continue
    libs="$(ls "$app/lib/main")"
    read -r -a t <<<"${TIMES["$checkout|$name"]}"
    printf '| %-28s | %-12s | %9s | %5s | %8s | %12s | %s [%s] |\n' "$label" "$name" \
      "$(du -sh "$app" | cut -f1)" "$(grep -c . <<<"$libs")" \
      "$(grep -q 'pytorch-native' <<<"$libs" && echo yes || echo no)" \
      "$(grep -q 'onnxruntime' <<<"$libs" && echo yes || echo no)" \
      "$(median "${t[@]}")" "${t[*]}"
  done
done
