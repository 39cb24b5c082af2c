#!/usr/bin/env bash
# The trainer service against the bare training loop on the same job, on this machine:
#   - img/s of the job's epochs through the platform (API -> Kafka -> worker -> MLflow tracking) and
#     with `mlops train` (the foundation's loop, no platform), same configuration, same data;
#   - time from POST /jobs to the job's first training step (its first progress report) and to RUNNING.
# Needs a running stack with a trainer (./mlops up) and the fashion-mnist dataset registered
# (./mlops datasets add fashion-mnist /usr/share/datasets/fashion-mnist --wait).
#   services/trainer/bench/trainer-overhead.sh
#   MODEL=resnet50-paper MAX_TRAIN=20000 EPOCHS=2 services/trainer/bench/trainer-overhead.sh   # e.g. on a GPU
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MODEL="${MODEL:-resnet50-paper-small}"
EPOCHS="${EPOCHS:-2}"
MAX_TRAIN="${MAX_TRAIN:-640}"
MAX_TEST="${MAX_TEST:-200}"
BATCH="${BATCH:-64}"
ENV_FILE="${MLOPS_HOME:-$ROOT/.mlops}/infra/infra.env"
[[ -f "$ENV_FILE" ]] || { echo "no $ENV_FILE: start the stack with ./mlops up" >&2; exit 1; }
set -a; . "$ENV_FILE"; set +a
FLAGS=(--model "$MODEL" --epochs "$EPOCHS" --batch-size "$BATCH" --max-train-samples "$MAX_TRAIN"
       --max-test-samples "$MAX_TEST" --warmup-epochs 0 --seed 7)

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }
now() { date +%s.%N; }

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $MODEL, $EPOCHS epochs x $MAX_TRAIN images, batch $BATCH" >&2

# 1. Through the platform. Submitted with curl, so the clock does not include a JVM start of the CLI.
body=$(python3 -c "import json,sys; print(json.dumps({'dataset': 'fashion-mnist', 'config': {'model': sys.argv[1],
  'epochs': int(sys.argv[2]), 'batchSize': int(sys.argv[3]), 'maxTrainSamples': int(sys.argv[4]),
  'maxTestSamples': int(sys.argv[5]), 'warmupEpochs': 0, 'seed': 7}}))" "$MODEL" "$EPOCHS" "$BATCH" "$MAX_TRAIN" "$MAX_TEST")
t0=$(now)
job=$(curl -sf -X POST "$MLOPS_API_URL/jobs" -H "Authorization: Bearer $MLOPS_API_TOKEN" \
  -H 'Content-Type: application/json' -d "$body" | json "d['id']")
running="" first_step=""
while :; do
  view=$(curl -sf "$MLOPS_API_URL/jobs/$job")
  state=$(echo "$view" | json "d['state']")
  [[ -z "$running" && "$state" != QUEUED ]] && running=$(now)
  [[ -z "$first_step" ]] && [[ "$(echo "$view" | json "(d.get('run') or {}).get('progress') is not None")" == True ]] && first_step=$(now)
  case "$state" in COMPLETED) break ;; FAILED | CANCELLED) echo "job $job ended $state" >&2; exit 1 ;; esac
  sleep 0.5
done
service_ips=$(curl -sf "$MLOPS_API_URL/jobs/$job/metrics" | json "sum(e['imagesPerSecond'] for e in d)/len(d)")

# 2. The bare loop, same configuration and data (the local CLI imports the same IDX files).
out="$ROOT/runs/bench-bare-$(date +%s)"
bare_ips=$("$ROOT/mlops" train --dataset fashion-mnist "${FLAGS[@]}" --out "$out" --json 2>/dev/null | tail -1 \
  | json "d['train_img_per_s']")

python3 - "$service_ips" "$bare_ips" "$t0" "$running" "$first_step" <<'PY'
import sys
service, bare, t0, running, first = map(float, sys.argv[1:])
print(f"| measure | value |")
print(f"|---|---|")
print(f"| trainer service, img/s (mean of epochs) | {service:.2f} |")
print(f"| bare loop (mlops train), img/s | {bare:.2f} |")
print(f"| service / bare | {service / bare:.3f} |")
print(f"| POST /jobs -> RUNNING (s) | {running - t0:.2f} |")
print(f"| POST /jobs -> first progress report (s) | {first - t0:.2f} |")
PY
