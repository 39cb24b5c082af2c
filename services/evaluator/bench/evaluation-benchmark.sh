#!/usr/bin/env bash
# The evaluator's test-split evaluation, before and after issue 16, on the same checkpoint and the same test
# images: DJL on the checkpoint (what the evaluator ran before) against ONNX Runtime on its gated export (what
# it runs now), each in its own JVM ('mlops evaluate --checkpoint' / '--onnx'), alternating A B A B, with the
# evaluator's settings (batch 64, 2 loader workers). Prints img/s per run, the ratio and the load average.
#   services/evaluator/bench/evaluation-benchmark.sh                  # trains a tiny checkpoint first
#   CHECKPOINT=runs/x IMAGES=0 services/evaluator/bench/evaluation-benchmark.sh   # a given run, full split
#   ENGINES="djl onnxruntime onnxruntime-parallel" BATCH=128 ...   # also one-thread runs, one batch per core
#   BEFORE=/path/to/checkout ENGINES="djl-before djl onnxruntime onnxruntime-parallel" ...
#       # djl-before: 'mlops evaluate' of another checkout (e.g. `git worktree add ../before 9724137`, the code
#       # when issue 16 was filed: DJL with autograd recording); ratios are against the first engine listed
# The weights do not change the cost of a forward pass, so a checkpoint trained at a tiny budget measures the
# same speed as the demo's; IMAGES bounds the DJL side, which takes about 11 min for the full 10,000.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MODEL="${MODEL:-resnet50-small}"        # the demo's baseline preset, 32 px
DATASET="${DATASET:-fashion-mnist}"
IMAGES="${IMAGES:-2000}"                # test images per run; 0 = the whole split
ROUNDS="${ROUNDS:-2}"
BATCH="${BATCH:-64}"                    # mlops.evaluator.batch-size
WORKERS="${WORKERS:-2}"                 # mlops.evaluator.loader-workers
THREADS="${THREADS:-0}"                 # mlops.evaluator.onnx-threads (0 = available processors)
# What is compared, in this order each round: djl (the checkpoint on DJL), onnxruntime (one batch at a time on
# THREADS intra-op threads), onnxruntime-parallel (one intra-op thread, PARALLEL batches at once), djl-before
# (the checkpoint on DJL with the 'mlops' of the checkout BEFORE).
ENGINES="${ENGINES:-djl onnxruntime}"
BEFORE="${BEFORE:-}"
PARALLEL="${PARALLEL:-$(nproc)}"
WORK="${WORK:-$ROOT/.mlops/bench/evaluation}"
MLOPS="$ROOT/mlops"

mkdir -p "$WORK"
RUN="${CHECKPOINT:-$WORK/run-$MODEL}"
if [[ -z "${CHECKPOINT:-}" && ! -f "$RUN/checkpoint/state.json" ]]; then
  echo "# training a tiny $MODEL checkpoint into $RUN (1 epoch on 256 images; only its speed matters)" >&2
  "$MLOPS" train --dataset "$DATASET" --model "$MODEL" --epochs 1 --max-train-samples 256 \
    --max-test-samples 64 --seed 0 --out "$RUN" >&2
fi
ONNX="$WORK/$(basename "$RUN").onnx"
if [[ ! -f "$ONNX" || "$ONNX" -ot "$RUN/checkpoint/state.json" ]]; then
  "$MLOPS" export --checkpoint "$RUN" --dataset "$DATASET" --parity-images 64 --out "$ONNX" >&2
fi
# The subset follows the seed; the checkpoint's own seed is 0 unless CHECKPOINT was trained with another.
SEED="$(jq -r '.config.seed // 0' "$RUN/checkpoint/state.json" 2>/dev/null || echo 0)"

# The older 'mlops evaluate' prints no timing in its JSON line: img/s comes from its summary line on stderr.
evaluate_before() {
  local line ips
  # No --seed there: it drew the subset with the checkpoint's seed, which SEED is too.
  line="$("$BEFORE/mlops" evaluate --checkpoint "$RUN" --dataset "$DATASET" --max-test-samples "$IMAGES" \
    --batch-size "$BATCH" --workers "$WORKERS" --out "$WORK/report-djl-before" --json \
    2>"$WORK/djl-before.err" | tail -n 1)"
  ips="$(sed -n 's/.*images, \([0-9.]*\) img\/s).*/\1/p' "$WORK/djl-before.err" | tail -n 1)"
  [[ -n "$ips" ]] || { echo "evaluation-benchmark: no img/s from $BEFORE/mlops evaluate:" >&2; cat "$WORK/djl-before.err" >&2; exit 1; }
  jq -c --argjson ips "$ips" '. + {images_per_second: $ips, seconds: (.test_images / $ips)}' <<<"$line"
}

evaluate() {  # engine -> one JSON line
  if [[ "$1" == djl-before ]]; then
    [[ -x "$BEFORE/mlops" ]] || { echo "evaluation-benchmark: djl-before needs BEFORE=<a built checkout>" >&2; exit 1; }
    evaluate_before
    return
  fi
  local what=(--checkpoint "$RUN")
  [[ "$1" == onnxruntime ]] && what=(--onnx "$ONNX" --threads "$THREADS")
  [[ "$1" == onnxruntime-parallel ]] && what=(--onnx "$ONNX" --threads 1 --concurrent-batches "$PARALLEL")
  "$MLOPS" evaluate "${what[@]}" --dataset "$DATASET" --max-test-samples "$IMAGES" --seed "$SEED" \
    --batch-size "$BATCH" --workers "$WORKERS" --out "$WORK/report-$1" --json 2>/dev/null | tail -n 1
}

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m); $MODEL," \
     "$DATASET, images=$IMAGES (0 = all) batch=$BATCH workers=$WORKERS onnx-threads=$THREADS parallel=$PARALLEL"
printf '%-6s %-20s %8s %10s %8s %8s %10s %7s  %s\n' round engine images seconds 'img/s' top1 loss ratio \
  'load (1/5/15 min)'
declare -A total=()
for engine in $ENGINES; do total[$engine]=0; done
read -r base _ <<<"$ENGINES"   # ratios are against the first engine listed
for round in $(seq 1 "$ROUNDS"); do
  for engine in $ENGINES; do
    line="$(evaluate "$engine")"
    read -r n s ips top1 loss < <(jq -r '[.test_images, .seconds, .images_per_second, .top1, .loss] | @tsv' <<<"$line")
    ratio=""
    if [[ "$engine" == "$base" ]]; then
      base_ips="$ips"
    else
      ratio="$(jq -rn "$ips / $base_ips * 100 | round / 100")x"
    fi
    printf '%-6s %-20s %8d %10.1f %8.1f %8.4f %10.5f %7s  %s\n' "$round" "$engine" "$n" "$s" "$ips" "$top1" "$loss" \
      "$ratio" "$(cut -d' ' -f1-3 /proc/loadavg)"
    total[$engine]="$(jq -n "${total[$engine]} + $ips")"
  done
done
for engine in $ENGINES; do
  mean="$(jq -n "${total[$engine]} / $ROUNDS | . * 10 | round / 10")"
  ratio=""
  [[ "$engine" != "$base" ]] && ratio=", $(jq -n "${total[$engine]} / ${total[$base]} | . * 100 | round / 100")x $base"
  echo "mean img/s $engine: $mean$ratio"
done
