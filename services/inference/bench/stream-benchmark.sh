#!/usr/bin/env bash
# The image stream against raw ONNX Runtime, same model, same images, same machine, same run.
#
#   services/inference/bench/stream-benchmark.sh [images-per-run] [settings...]
#   e.g. services/inference/bench/stream-benchmark.sh 2000 1:PT0S 8:PT0.005S 32:PT0.02S 64:PT0.05S
#
# Needs a running stack (./mlops up) whose inference service serves a champion (./mlops demo makes
# one). For every batch setting (max-batch-size:max-batch-wait) the inference service is restarted
# with it, then:
#   1. saturation: all images sent at once (./mlops stream), throughput = images / (first send to
#      last answer);
#   2. latency: the same images again at half that throughput (--rate), end-to-end p50/p99 from the
#      send to the prediction's arrival (at saturation latency only measures the queue);
# and `./mlops benchmark-classifier` measures in-process ONNX Runtime (decode + preprocess + infer) on
# the same model file and images at the same batch sizes. The table's last column is stream
# throughput / raw throughput: the pipeline's overhead (Kafka, transactions, JSON) as a ratio.
# The inference service is restarted with its default settings at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MLOPS="$ROOT/mlops"
IMAGES="${MLOPS_BENCH_IMAGES:-/usr/share/datasets/fashion-mnist}"
COUNT="${1:-2000}"
shift || true
SETTINGS=("$@")
((${#SETTINGS[@]} > 0)) || SETTINGS=(1:PT0S 8:PT0.005S 32:PT0.02S 64:PT0.05S)
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

json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

echo "stream-benchmark: checking the served model" >&2
wait_ready
MODEL_CHECK='[c for c in d["checks"] if c["name"] == "model"][0]'
MODEL="$(json_field "$OUT/ready.json" "$MODEL_CHECK[\"data\"][\"model\"]")"
VERSION="$(json_field "$OUT/ready.json" "$MODEL_CHECK[\"data\"][\"version\"]")"
FILE="$MLOPS_DATA_ROOT/inference-cache/$MODEL/$VERSION/model.onnx"
[[ -f "$FILE" ]] || { echo "stream-benchmark: expected the served model at $FILE" >&2; exit 1; }

batches=()
for s in "${SETTINGS[@]}"; do
  batch="${s%%:*}"
  wait="${s#*:}"
  batches+=("$batch")
  echo "stream-benchmark: batch $batch, wait $wait: restarting inference" >&2
  restart_inference "$batch" "$wait"
  "$MLOPS" stream "$IMAGES" --limit "$COUNT" --timeout 300s --json >"$OUT/sat-$batch.json"
  rate="$(json_field "$OUT/sat-$batch.json" 'max(1, int(d["imagesPerSecond"] / 2))')"
  echo "stream-benchmark: batch $batch: latency run at $rate img/s" >&2
  "$MLOPS" stream "$IMAGES" --limit "$COUNT" --rate "$rate" --timeout 300s --json >"$OUT/lat-$batch.json"
done
echo "stream-benchmark: restoring the default settings" >&2
"$MLOPS" restart inference >/dev/null
wait_ready

echo "stream-benchmark: raw ONNX Runtime on $FILE" >&2
"$MLOPS" benchmark-classifier --model "$FILE" --images "$IMAGES" --limit "$COUNT" \
  --batch-sizes "$(IFS=,; echo "${batches[*]}")" --json >"$OUT/raw.json"

python3 - "$OUT" "$MODEL" "$VERSION" "$COUNT" "${SETTINGS[@]}" <<'PY'
import json, sys
out, model, version, count, settings = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
raw = {r["batchSize"]: r for r in json.load(open(f"{out}/raw.json"))}
print(f"model {model} v{version}, {count} Fashion-MNIST test images (PNG) per run")
print(f"| max batch | max wait | stream img/s | e2e p50 ms | e2e p99 ms | at img/s | accuracy | raw ORT img/s | stream/raw |")
print(f"|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for s in settings:
    batch, wait = s.split(":", 1)
    sat = json.load(open(f"{out}/sat-{batch}.json"))
    lat = json.load(open(f"{out}/lat-{batch}.json"))
    r = raw[int(batch)]
    problems = []
    for run in (sat, lat):
        if run["missing"] or run["duplicates"] or run["deadLettered"]:
            problems.append(f"missing {len(run['missing'])}, duplicates {run['duplicates']}, dlq {run['deadLettered']}")
    l = lat["latencyMillis"]
    print(f"| {batch} | {wait} | {sat['imagesPerSecond']:.1f} | {l['p50']:.0f} | {l['p99']:.0f} | "
          f"{lat['imagesPerSecond']:.1f} | {100 * sat['top1']:.2f}% | {r['imagesPerSecond']:.1f} | "
          f"{sat['imagesPerSecond'] / r['imagesPerSecond']:.2f} |" + ("  " + "; ".join(problems) if problems else ""))
PY
