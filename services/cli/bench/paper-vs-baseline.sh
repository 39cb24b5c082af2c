#!/usr/bin/env bash
# The paper's recipe against the baseline on Fashion-MNIST, with the settings of
# shared/reference/fashion-mnist-pytorch.md (batch 512, LR 0.2, 1 warm-up epoch, Nesterov, wd 5e-4,
# small stem, pad-crop-flip at 32 px). The reference runs 10 epochs on all 60k images on a GPU;
# set EPOCHS=10 TRAIN=0 TEST=0 to do the same. The defaults are a reduced budget for 2 CPU cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
EPOCHS="${EPOCHS:-10}"
TRAIN="${TRAIN:-0}"
TEST="${TEST:-0}"
BATCH="${BATCH:-512}"
LR="${LR:-0.2}"
SEED="${SEED:-0}"
OUT="${OUT:-$ROOT/runs/paper-vs-baseline-$(date +%Y%m%d-%H%M%S)}"
common=(--dataset fashion-mnist --epochs "$EPOCHS" --batch-size "$BATCH" --lr "$LR" --warmup-epochs 1
        --momentum 0.9 --nesterov --weight-decay 5e-4 --seed "$SEED" --max-train-samples "$TRAIN"
        --max-test-samples "$TEST" --json)

echo "# $(date -u +%FT%TZ) on $(nproc) cores; epochs=$EPOCHS train=$TRAIN test=$TEST batch=$BATCH lr=$LR seed=$SEED"
baseline=$("$ROOT/mlops" train "${common[@]}" --model resnet50-small --label-smoothing 0 --schedule step \
           --precision auto --out "$OUT/baseline" | tail -n 1)
paper=$("$ROOT/mlops" train "${common[@]}" --model resnet50-paper-small --label-smoothing 0.1 --schedule cosine \
        --precision auto --out "$OUT/paper" | tail -n 1)

python3 - "$baseline" "$paper" <<'PY'
import json, sys
b, p = (json.loads(s) for s in sys.argv[1:3])
print(f"| run | model | Top-1 | Top-5 | train img/s | precision |")
print(f"|---|---|---|---|---|---|")
for name, r in (("baseline (step, eps 0)", b), ("paper (avg-pool S4, eps 0.1, cosine)", p)):
    print(f"| {name} | {r['model']} | {100*r['top1']:.2f} | {100*r['top5']:.2f} | {r['train_img_per_s']:.1f} | {r['precision']} |")
print(f"| difference | | {100*(p['top1']-b['top1']):+.2f} | {100*(p['top5']-b['top5']):+.2f} | | |")
PY
