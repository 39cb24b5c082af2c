#!/usr/bin/env bash
# The image stream against raw ONNX Runtime, same model, same images, same machine, same run.
#
#   services/inference/bench/stream-benchmark.sh [images-per-run] [settings...]
#   e.g. services/inference/bench/stream-benchmark.sh 1000 1:PT0S 16:PT0.01S 64:PT0.05S
#   MLOPS_BENCH_ROUNDS=3 (default 2) rounds of stream and raw, alternated, per setting
#
# Needs a running stack (./mlops up) whose inference service serves a champion (./mlops demo makes
# one). For every batch setting (max-batch-size:max-batch-wait) the inference service is restarted
# with it and warmed up (a short stream, so its JIT and ONNX Runtime's buffers are as warm as the raw
# side's), then, alternating A B A B so both see the same load on a shared machine:
#   A. saturation: all images sent at once (./mlops stream), throughput = images / (first send to
#      last answer); the service's own metrics give the share of that time its model was busy;
#   B. raw: `./mlops benchmark-classifier` on the same model file and images at the same batch size
#      (decode + preprocess + infer + top-k in one process, no Kafka);
# and once after the rounds a latency run: the same images at half the mean saturated throughput,
# evenly paced (--rate: one image every 1/rate s), end-to-end p50/p99 from the send to the
# prediction's arrival (at saturation latency only measures the queue). The table's stream/raw column
# is the mean of the rounds' ratios: the pipeline's overhead (Kafka, transactions, JSON) as a ratio.
# The inference service is restarted with its default settings at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MLOPS="$ROOT/mlops"
IMAGES="${MLOPS_BENCH_IMAGES:-/usr/share/datasets/fashion-mnist}"
ROUNDS="${MLOPS_BENCH_ROUNDS:-2}"
COUNT="${1:-1000}"
shift || true
SETTINGS=("$@")
((${#SETTINGS[@]} > 0)) || SETTINGS=(1:PT0S 16:PT0.01S 64:PT0.05S)
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "stream-benchmark: MLOPS_BENCH_ROUNDS must be a positive number, got '$ROUNDS'" >&2; exit 1; }
ENV_FILE="${MLOPS_HOME:-$ROOT/.mlops}/infra/infra.env"
[[ -f "$ENV_FILE" ]] || { echo "stream-benchmark: no $ENV_FILE: start the stack with ./mlops up (and ./mlops demo for a champion)" >&2; exit 1; }
set -a
. "$ENV_FILE"
set +a
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

ready_json() { curl -fsS --max-time 5 "$MLOPS_INFERENCE_URL/q/health/ready"; }

wait_ready() {
  local i
  for ((i = 0; i < 120; i++)); do
    ready_json >"$OUT/ready.json" 2>/dev/null && return 0
    sleep 1
  done
  echo "stream-benchmark: the inference service is not ready after 120 s (no champion? see ./mlops logs inference)" >&2
  exit 1
}

restart_inference() {
  MLOPS_INFERENCE_MAX_BATCH="$1" MLOPS_INFERENCE_MAX_WAIT="$2" "$MLOPS" restart inference >/dev/null
  wait_ready
}

# Seconds the stream's model calls took so far (the service's inference_model_time_seconds_sum{source="stream"}).
model_seconds() {
  curl -fsS --max-time 5 "$MLOPS_INFERENCE_URL/q/metrics" \
    | awk '/^inference_model_time_seconds_sum\{.*source="stream"/ { print $2; found = 1 } END { if (!found) print 0 }'
}

json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "stream-benchmark: checking the served model" >&2
wait_ready
MODEL_CHECK='[c for c in d["checks"] if c["name"] == "model"][0]'
MODEL="$(json_field "$OUT/ready.json" "$MODEL_CHECK[\"data\"][\"model\"]")"
VERSION="$(json_field "$OUT/ready.json" "$MODEL_CHECK[\"data\"][\"version\"]")"
FILE="$MLOPS_DATA_ROOT/inference-cache/$MODEL/$VERSION/model.onnx"
[[ -f "$FILE" ]] || { echo "stream-benchmark: expected the served model at $FILE" >&2; exit 1; }
load >"$OUT/load-start"

for s in "${SETTINGS[@]}"; do
  batch="${s%%:*}"
  wait="${s#*:}"
  echo "stream-benchmark: batch $batch, wait $wait: restarting inference" >&2
  restart_inference "$batch" "$wait"
  "$MLOPS" stream "$IMAGES" --limit "$((batch * 4 > 100 ? batch * 4 : 100))" --timeout 300s --json >/dev/null
  for ((round = 1; round <= ROUNDS; round++)); do
    echo "stream-benchmark: batch $batch, round $round: stream at saturation, then raw ONNX Runtime" >&2
    before="$(model_seconds)"
    "$MLOPS" stream "$IMAGES" --limit "$COUNT" --timeout 300s --json >"$OUT/sat-$batch-$round.json"
    echo "$before $(model_seconds)" >"$OUT/model-$batch-$round"
    "$MLOPS" benchmark-classifier --model "$FILE" --images "$IMAGES" --limit "$COUNT" --batch-sizes "$batch" \
      --json >"$OUT/raw-$batch-$round.json"
  done
  rate="$(python3 -c "import json,sys; r=[json.load(open(f'$OUT/sat-$batch-{i}.json'))['imagesPerSecond'] for i in range(1, $ROUNDS + 1)]; print(max(1, int(sum(r) / len(r) / 2)))")"
  echo "stream-benchmark: batch $batch: latency run at $rate img/s, evenly paced" >&2
  "$MLOPS" stream "$IMAGES" --limit "$COUNT" --rate "$rate" --timeout 300s --json >"$OUT/lat-$batch.json"
done
load >"$OUT/load-end"
echo "stream-benchmark: restoring the default settings" >&2
"$MLOPS" restart inference >/dev/null
wait_ready

python3 - "$OUT" "$MODEL" "$VERSION" "$COUNT" "$ROUNDS" "${SETTINGS[@]}" <<'PY'
import json, sys
out, model, version, count, rounds, settings = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6:]
load = lambda name: open(f"{out}/{name}").read().strip()
print(f"model {model} v{version}, {count} Fashion-MNIST test images (PNG) per run, {rounds} rounds A B A B;"
      f" load average {load('load-start')} at the start, {load('load-end')} at the end")
print("| max batch | max wait | stream img/s | raw ORT img/s | stream/raw | model busy | e2e p50 ms | e2e p99 ms | p99/p50 | at img/s | accuracy |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for s in settings:
    batch, wait = s.split(":", 1)
    sats = [json.load(open(f"{out}/sat-{batch}-{i}.json")) for i in range(1, rounds + 1)]
    raws = [json.load(open(f"{out}/raw-{batch}-{i}.json"))[0] for i in range(1, rounds + 1)]
    lat = json.load(open(f"{out}/lat-{batch}.json"))
    busy = []
    for i, sat in enumerate(sats, 1):
        before, after = map(float, load(f"model-{batch}-{i}").split())
        busy.append((after - before) / sat["seconds"] if sat["seconds"] else 0)
    problems = []
    for run in sats + [lat]:
        if run["missing"] or run["duplicates"] or run["deadLettered"]:
            problems.append(f"missing {len(run['missing'])}, duplicates {run['duplicates']}, dlq {run['deadLettered']}")
    ratios = [s["imagesPerSecond"] / r["imagesPerSecond"] for s, r in zip(sats, raws)]
    l = lat["latencyMillis"]
    fmt = lambda xs, f: " / ".join(f.format(x) for x in xs)
    print(f"| {batch} | {wait} | {fmt([s['imagesPerSecond'] for s in sats], '{:.1f}')} | "
          f"{fmt([r['imagesPerSecond'] for r in raws], '{:.1f}')} | {sum(ratios) / len(ratios):.2f} | "
          f"{fmt(busy, '{:.0%}')} | {l['p50']:.0f} | {l['p99']:.0f} | {l['p99'] / l['p50']:.2f} | "
          f"{lat['imagesPerSecond']:.1f} | {100 * sats[0]['top1']:.2f}% |" + ("  " + "; ".join(problems) if problems else ""))
PY
