#!/usr/bin/env bash
# How much training budget the demo needs for a given Top-1: trains the demo's two recipes (or one)
# on Fashion-MNIST with `./mlops train` for each budget and prints budget, optimizer steps, training
# time, img/s and Top-1/Top-5 on a fixed seeded test subset.
#
#   services/cli/bench/demo-budget-sweep.sh [budget...]
#   budget = epochs:train-images:batch:lr:warmup-epochs[:augment|noaugment]
#   e.g. services/cli/bench/demo-budget-sweep.sh 2:1536:64:0.05:0.5 2:3072:32:0.1:0.5
#
# RECIPES=paper (default), baseline or "baseline paper": the demo's recipes (baseline = resnet50-small,
# step schedule, eps 0; paper = resnet50-paper-small, cosine, eps 0.1). TEST=2000 test images (the
# standard error of a Top-1 near 70% is then ~1 point; the demo itself evaluates all 10,000). SEED=0.
# Top-1 does not depend on the machine's load; the seconds do: read them with the load in the header.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
TEST="${TEST:-2000}"
SEED="${SEED:-0}"
RECIPES="${RECIPES:-paper}"
OUT="${OUT:-$ROOT/runs/demo-budget-sweep-$(date +%Y%m%d-%H%M%S)}"
BUDGETS=("$@")
((${#BUDGETS[@]} > 0)) || BUDGETS=(2:1536:64:0.05:0.5)

recipe_flags() {
  case "$1" in
    baseline) echo "--model resnet50-small --schedule step --label-smoothing 0" ;;
    paper) echo "--model resnet50-paper-small --schedule cosine --label-smoothing 0.1" ;;
    *) echo "demo-budget-sweep: unknown recipe '$1' (baseline or paper)" >&2; exit 2 ;;
  esac
}

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); test images $TEST, seed $SEED"
mkdir -p "$OUT"
results="$OUT/results.jsonl"
: >"$results"
for budget in "${BUDGETS[@]}"; do
  IFS=: read -r epochs train batch lr warmup augment <<<"$budget"
  [[ -n "$warmup" ]] || { echo "demo-budget-sweep: '$budget' is not epochs:train:batch:lr:warmup[:augment|noaugment]" >&2; exit 2; }
  augment_flag=--augment
  [[ "${augment:-augment}" == noaugment ]] && augment_flag=--no-augment
  for recipe in $RECIPES; do
    run="$OUT/$recipe-${budget//:/-}"
    echo "demo-budget-sweep: $recipe $budget (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    # shellcheck disable=SC2046 # the recipe's flags are words
    line=$("$ROOT/mlops" train --dataset fashion-mnist $(recipe_flags "$recipe") --epochs "$epochs" \
      --max-train-samples "$train" --batch-size "$batch" --lr "$lr" --warmup-epochs "$warmup" "$augment_flag" \
      --max-test-samples "$TEST" --seed "$SEED" --out "$run" --json | tail -n 1)
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(recipe=sys.argv[2], budget=sys.argv[3]); print(json.dumps(d))' \
      "$line" "$recipe" "$budget" >>"$results"
  done
done

python3 - "$results" <<'PY'
import json, math, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| recipe | epochs x images | batch | lr | warm-up | augment | steps | images seen | train s | img/s | Top-1 | Top-5 |")
print("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    epochs, train, batch, lr, warmup, *aug = r["budget"].split(":")
    seen = int(epochs) * int(train)
    steps = int(epochs) * math.ceil(int(train) / int(batch))
    train_s = seen / r["train_img_per_s"] if r["train_img_per_s"] else float("nan")
    print(f"| {r['recipe']} | {epochs} x {train} | {batch} | {lr} | {warmup} | {(aug or ['augment'])[0]} | {steps} | {seen} "
          f"| {train_s:.0f} | {r['train_img_per_s']:.1f} | {100 * r['top1']:.2f} | {100 * r['top5']:.2f} |")
PY
