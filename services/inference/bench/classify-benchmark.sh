#!/usr/bin/env bash
# POST /classify with dynamic batching on and off: one client sending one image at a time against 32
# concurrent clients, same model, same images, same machine, same run.
#
#   services/inference/bench/classify-benchmark.sh [requests-per-run] [rounds]
#   e.g. services/inference/bench/classify-benchmark.sh 640 2
#
# Needs a running stack (./mlops up) whose inference service serves a champion (./mlops demo makes
# one). The service is restarted for each setting, with its per-caller rate limit off
# (MLOPS_CLASSIFY_RATE_PER_SECOND=0) so that the limit does not cap the clients:
#   A  batching on, the defaults (MLOPS_CLASSIFY_MAX_BATCH / MLOPS_CLASSIFY_MAX_WAIT),
#   B  batching off (MLOPS_CLASSIFY_MAX_BATCH=1): one model call per request, requests in parallel,
# alternating A B A B ... for the given rounds; each runs `./mlops benchmark-rest --concurrency 1,32`.
# The table has every run, then the medians and the ratios: 32 clients against one (the issue's target
# is >= 3 with batching on) and batching on against off at 32 clients (what batching itself gains).
# The load average is printed with it: the machine is shared, absolute numbers are only indications.
# On a busy machine wall-clock img/s also measures how much CPU the scheduler gives the service (32
# request threads running single-image inferences get more of it than one batch thread does), so
# each run also reports images per CPU-second of the inference process (/proc/<pid>/stat, user +
# system time): the cost of an image, which contention does not change.
# The inference service is restarted with its default settings at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MLOPS="$ROOT/mlops"
IMAGES="${MLOPS_BENCH_IMAGES:-/usr/share/datasets/fashion-mnist}"
COUNT="${1:-640}"
ROUNDS="${2:-2}"
ENV_FILE="${MLOPS_HOME:-$ROOT/.mlops}/infra/infra.env"
[[ -f "$ENV_FILE" ]] || { echo "classify-benchmark: no $ENV_FILE: start the stack with ./mlops up (and ./mlops demo for a champion)" >&2; exit 1; }
set -a
. "$ENV_FILE"
set +a
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

wait_ready() {
  local i
  for ((i = 0; i < 120; i++)); do
    curl -fsS --max-time 5 -o /dev/null "$MLOPS_INFERENCE_URL/q/health/ready" 2>/dev/null && return 0
    sleep 1
  done
  echo "classify-benchmark: the inference service is not ready after 120 s (no champion? see ./mlops logs inference)" >&2
  exit 1
}

# $1: the setting's name, $2: max batch size ("" for the default)
run_setting() {
  local name="$1" batch="$2" round="$3"
  echo "classify-benchmark: round $round, batching $name: restarting inference" >&2
  if [[ -n "$batch" ]]; then
    MLOPS_CLASSIFY_RATE_PER_SECOND=0 MLOPS_CLASSIFY_MAX_BATCH="$batch" "$MLOPS" restart inference >/dev/null
  else
    MLOPS_CLASSIFY_RATE_PER_SECOND=0 "$MLOPS" restart inference >/dev/null
  fi
  wait_ready
  uptime >"$OUT/load-$name-$round.txt"
  local pid clients
  pid="$(cat "${MLOPS_HOME:-$ROOT/.mlops}/infra/run/inference.pid")"
  "$MLOPS" benchmark-rest --images "$IMAGES" --limit 64 --concurrency 8 --warm-up 0 --json >/dev/null
  for clients in 1 32; do
    cpu_ticks "$pid" >"$OUT/cpu-$name-$round-$clients.before"
    "$MLOPS" benchmark-rest --images "$IMAGES" --limit "$COUNT" --concurrency "$clients" --warm-up 0 --json \
      >"$OUT/$name-$round-$clients.json"
    cpu_ticks "$pid" >"$OUT/cpu-$name-$round-$clients.after"
  done
}

# User + system CPU time of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

wait_ready
for ((round = 1; round <= ROUNDS; round++)); do
  run_setting on "" "$round"
  run_setting off 1 "$round"
done
echo "classify-benchmark: restoring the default settings" >&2
"$MLOPS" restart inference >/dev/null
wait_ready

python3 - "$OUT" "$COUNT" "$ROUNDS" "$(nproc)" "$(getconf CLK_TCK)" <<'PY'
import json, os, statistics, sys
out, count, rounds, cores, tick = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
def load(name, r):
    return open(f"{out}/load-{name}-{r}.txt").read().split("load average:")[1].strip()
print(f"POST /classify, {count} Fashion-MNIST test images (PNG) per run, {cores} cores; A = batching on (defaults), B = off")
print("| round | batching | clients | img/s | p50 ms | p99 ms | mean batch | img per CPU-s | failures | load avg (1, 5, 15 min) at start |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
runs, cpu = {}, {}
for r in range(1, rounds + 1):
    for name in ("on", "off"):
        for clients in (1, 32):
            row = json.load(open(f"{out}/{name}-{r}-{clients}.json"))[0]
            ticks = int(open(f"{out}/cpu-{name}-{r}-{clients}.after").read()) - int(open(f"{out}/cpu-{name}-{r}-{clients}.before").read())
            per_cpu = row["requests"] / (ticks / tick)
            runs.setdefault((name, clients), []).append(row["imagesPerSecond"])
            cpu.setdefault((name, clients), []).append(per_cpu)
            print(f"| {r} | {name} | {clients} | {row['imagesPerSecond']:.1f} | {row['p50Millis']:.1f} | "
                  f"{row['p99Millis']:.1f} | {row['meanBatchSize']:.1f} | {per_cpu:.1f} | {row['failures']} | {load(name, r)} |")
med = {k: statistics.median(v) for k, v in runs.items()}
medcpu = {k: statistics.median(v) for k, v in cpu.items()}
print()
print("| medians | img/s, 1 client | img/s, 32 clients | 32 / 1 | img per CPU-s, 1 client | img per CPU-s, 32 clients | 32 / 1 |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name in ("on", "off"):
    print(f"| batching {name} | {med[(name, 1)]:.1f} | {med[(name, 32)]:.1f} | {med[(name, 32)] / med[(name, 1)]:.2f}x | "
          f"{medcpu[(name, 1)]:.1f} | {medcpu[(name, 32)]:.1f} | {medcpu[(name, 32)] / medcpu[(name, 1)]:.2f}x |")
print()
print(f"32 clients with batching on / one client one image at a time: {med[('on', 32)] / med[('on', 1)]:.2f}x (target >= 3)")
print(f"32 clients, batching on / off: {med[('on', 32)] / med[('off', 32)]:.2f}x img/s, "
      f"{medcpu[('on', 32)] / medcpu[('off', 32)]:.2f}x img per CPU-s")
print(f"32 clients with batching on / one client with batching off (no wait): {med[('on', 32)] / med[('off', 1)]:.2f}x")
print(f"load average at the end: {os.getloadavg()[0]:.2f}, {os.getloadavg()[1]:.2f}, {os.getloadavg()[2]:.2f}")
PY
