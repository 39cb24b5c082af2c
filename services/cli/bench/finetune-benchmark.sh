#!/usr/bin/env bash
# What starting from trained weights buys, offline on real data: pretrain once on Fashion-MNIST classes
# 0-4 (T-shirt/top, Trouser, Pullover, Dress, Coat), then for each seed train on a few hundred images of
# classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle boot) twice with the same recipe, epochs and seed:
# from random weights ("scratch") and from the pretrained run (`--init`, a new 5-class head:
# "fine-tuned"), optionally a third time with the pretrained body frozen up to FREEZE ("frozen").
# Every run is scored by `mlops evaluate` on the same fixed, class-balanced test images of classes 5-9.
# Prints a table (seed, Top-1 of each arm, paired difference) with the mean and standard error
# (sample SD / sqrt(n)) of each column.
#
#   services/cli/bench/finetune-benchmark.sh
#   SEEDS="0 1 2 3 4" FT_PER_CLASS=100 FT_EPOCHS=20 TEST_PER_CLASS=0 PRE_PER_CLASS=0 PRE_EPOCHS=10 \
#     services/cli/bench/finetune-benchmark.sh          # e.g. on a GPU
#
# The data: the Debian package dataset-fashion-mnist (IDX files in /usr/share/datasets/fashion-mnist,
# SOURCE=...), written as ImageFolder trees of PNGs by fashion_mnist_subset.py (Python standard library
# only). Nothing is downloaded. Each seed draws its own FT_PER_CLASS training images per class (both
# arms of a seed train on the same images); the test images (TEST_PER_CLASS per class, 0 = all 1,000)
# are one sample shared by every seed and arm. During training each epoch is validated on only
# MONITOR_TEST of them (a progress signal in metrics.csv, not the result); the result is the
# separate evaluation. Defaults fit ~40 minutes of a 2-core CPU.
#
# Rerunning with the same OUT continues it: finished trees, runs and evaluations are kept (a run whose
# settings differ is refused), so e.g. OUT=<earlier> SEEDS="0 1 2 3 4" adds two seeds to a table of three.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE="${SOURCE:-/usr/share/datasets/fashion-mnist}"
MODEL="${MODEL:-resnet50-paper-small}"
INPUT="${INPUT:-32}"
PRECISION="${PRECISION:-auto}"
SEEDS="${SEEDS:-0 1 2}"
# Pretraining (once): classes, images per class (0 = all 6,000), epochs, batch, LR, its test images per class.
PRE_CLASSES="${PRE_CLASSES:-0-4}"
PRE_PER_CLASS="${PRE_PER_CLASS:-600}"
PRE_EPOCHS="${PRE_EPOCHS:-2}"
PRE_BATCH="${PRE_BATCH:-32}"
PRE_LR="${PRE_LR:-0.1}"
PRE_TEST_PER_CLASS="${PRE_TEST_PER_CLASS:-100}"
PRE_SEED="${PRE_SEED:-0}"
# The comparison: classes, training images per class, epochs, batch, LR, head LR multiplier (fine-tuned
# arms only; 1 = the same LR everywhere), FREEZE (empty = no frozen arm).
FT_CLASSES="${FT_CLASSES:-5-9}"
FT_PER_CLASS="${FT_PER_CLASS:-60}"
FT_EPOCHS="${FT_EPOCHS:-8}"
FT_BATCH="${FT_BATCH:-32}"
FT_LR="${FT_LR:-0.05}"
HEAD_LR="${HEAD_LR:-1}"
FREEZE="${FREEZE-stage3}"
TEST_PER_CLASS="${TEST_PER_CLASS:-400}"
TEST_SEED="${TEST_SEED:-0}"
MONITOR_TEST="${MONITOR_TEST:-100}"
EVAL_BATCH="${EVAL_BATCH:-64}"
# Train-time augmentation (pad-crop-flip) for every run: off by default, as in the demo, where at a few
# hundred optimizer steps it cost 9 points (docs/benchmarks.md, "How much budget the demo needs").
AUGMENT="${AUGMENT:-0}"
OUT="${OUT:-$ROOT/runs/finetune-benchmark-$(date +%Y%m%d-%H%M%S)}"

augment_flag=--no-augment
[[ "$AUGMENT" == 1 ]] && augment_flag=--augment
mkdir -p "$OUT"
cache="$OUT/datasets"
results="$OUT/results.jsonl"
: >"$results"
start=$SECONDS
load() { cut -d' ' -f1-3 /proc/loadavg; }
say() { echo "finetune-benchmark: $(date -u +%TZ) (load $(cut -d' ' -f1 /proc/loadavg)) $*" >&2; }

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); load $(load);" \
     "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# $MODEL at $INPUT px, precision $PRECISION, augment $AUGMENT; pretrain classes $PRE_CLASSES:" \
     "$PRE_PER_CLASS/class x $PRE_EPOCHS epochs, batch $PRE_BATCH, lr $PRE_LR, seed $PRE_SEED;" \
     "compare on classes $FT_CLASSES: $FT_PER_CLASS/class x $FT_EPOCHS epochs, batch $FT_BATCH, lr $FT_LR," \
     "head-lr x$HEAD_LR, freeze '${FREEZE:-none}'; test $TEST_PER_CLASS/class (0 = all), seeds $SEEDS; out $OUT"

# train <run folder> <dataset tree> <flags...>: one training, its JSON line kept beside its log. A run
# folder that already holds a finished run (a rerun with the same OUT) is handed to the CLI again, which
# refuses it if the settings differ and otherwise only re-validates it; the first JSON line is kept.
train() {
  local run="$1" data="$2" json
  shift 2
  mkdir -p "$(dirname "$run")"
  json="$run.train.json"
  [[ -s "$json" ]] && { say "$run: finished before; checking that its settings are these"; json="$run.rerun.json"; }
  "$ROOT/mlops" train --dataset "$data" --data-cache "$cache" --model "$MODEL" --input-size "$INPUT" \
    --precision "$PRECISION" "$augment_flag" --out "$run" --json "$@" 2>>"$run.log" | tail -n 1 >"$json" \
    || { echo "finetune-benchmark: training $run failed; the end of $run.log:" >&2; tail -n 30 "$run.log" >&2; exit 1; }
}

# evaluate <run folder> <dataset tree> <seed> <arm>: Top-1 on every test image of the tree (kept in
# <run>/final-evaluation/metrics.json; a rerun with the same OUT reads it from there).
evaluate() {
  local run="$1" data="$2" seed="$3" arm="$4"
  if [[ ! -s "$run/final-evaluation/metrics.json" ]]; then
    "$ROOT/mlops" evaluate --checkpoint "$run" --dataset "$data" --data-cache "$cache" --max-test-samples 0 \
      --batch-size "$EVAL_BATCH" --out "$run/final-evaluation" 2>>"$run.evaluate.log" >>"$run.evaluate.log" \
      || { echo "finetune-benchmark: evaluating $run failed; the end of $run.evaluate.log:" >&2
           tail -n 30 "$run.evaluate.log" >&2; exit 1; }
  fi
  python3 -c 'import json, sys
e, t = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print(json.dumps({"seed": int(sys.argv[3]), "arm": sys.argv[4], "top1": e["top1"], "test_images": e["count"],
                  "train_img_per_s": t["train_img_per_s"], "train_seconds": t["seconds"], "epochs": t["epochs"]}))' \
    "$run/final-evaluation/metrics.json" "$run.train.json" "$seed" "$arm" >>"$results"
  say "$arm seed $seed: Top-1 $(tail -n 1 "$results" | python3 -c 'import json, sys; print("%.2f%%" % (100 * json.load(sys.stdin)["top1"]))')"
}

say "writing the pretraining tree (classes $PRE_CLASSES)"
python3 "$HERE/fashion_mnist_subset.py" --source "$SOURCE" --out "$OUT/data/pretrain" --classes "$PRE_CLASSES" \
  --train-per-class "$PRE_PER_CLASS" --test-per-class "$PRE_TEST_PER_CLASS" --seed "$PRE_SEED" --reuse
say "pretraining on classes $PRE_CLASSES"
train "$OUT/pretrain" "$OUT/data/pretrain" --epochs "$PRE_EPOCHS" --batch-size "$PRE_BATCH" --lr "$PRE_LR" \
  --seed "$PRE_SEED" --max-test-samples 0
pre=$(cat "$OUT/pretrain.train.json")
say "pretrained: $(python3 -c 'import json, sys; d = json.loads(sys.argv[1])
print("Top-1 %.2f%% on %d test images of its classes, %.1f img/s, %.0f s"
      % (100 * d["top1"], d["test_images"], d["train_img_per_s"], d["seconds"]))' "$pre")"

for seed in $SEEDS; do
  data="$OUT/data/seed$seed"
  python3 "$HERE/fashion_mnist_subset.py" --source "$SOURCE" --out "$data" --classes "$FT_CLASSES" \
    --train-per-class "$FT_PER_CLASS" --test-per-class "$TEST_PER_CLASS" --seed "$seed" --test-seed "$TEST_SEED" --reuse
  common=(--epochs "$FT_EPOCHS" --batch-size "$FT_BATCH" --lr "$FT_LR" --seed "$seed" --max-test-samples "$MONITOR_TEST")
  say "seed $seed: from scratch"
  train "$OUT/seed$seed/scratch" "$data" "${common[@]}"
  evaluate "$OUT/seed$seed/scratch" "$data" "$seed" scratch
  say "seed $seed: fine-tuned from $OUT/pretrain"
  train "$OUT/seed$seed/finetuned" "$data" "${common[@]}" --init "$OUT/pretrain" --head-lr-multiplier "$HEAD_LR"
  evaluate "$OUT/seed$seed/finetuned" "$data" "$seed" finetuned
  if [[ -n "$FREEZE" ]]; then
    say "seed $seed: fine-tuned, frozen up to $FREEZE"
    train "$OUT/seed$seed/frozen" "$data" "${common[@]}" --init "$OUT/pretrain" --head-lr-multiplier "$HEAD_LR" \
      --freeze "$FREEZE"
    evaluate "$OUT/seed$seed/frozen" "$data" "$seed" frozen
  fi
done
wall=$((SECONDS - start))

python3 - "$results" "$pre" "$wall" "${FREEZE:-}" <<'PY'
import json, math, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
pre, wall, freeze = json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
arms = ["scratch", "finetuned"] + (["frozen"] if freeze else [])
by_seed = {}
for r in rows:
    by_seed.setdefault(r["seed"], {})[r["arm"]] = r
seeds = sorted(by_seed)
label = {"scratch": "scratch", "finetuned": "fine-tuned", "frozen": f"fine-tuned, frozen to {freeze}"}
diffs = [a for a in arms if a != "scratch"]
cols = [label[a] + " Top-1" for a in arms] + [f"{label[a]} - scratch" for a in diffs]
print("| seed | " + " | ".join(cols) + " |")
print("|---:|" + "---:|" * len(cols))
values = {c: [] for c in cols}
for s in seeds:
    cells = []
    for a in arms:
        v = 100 * by_seed[s][a]["top1"]
        values[label[a] + " Top-1"].append(v)
        cells.append(f"{v:.2f}")
    for a in diffs:
        d = 100 * (by_seed[s][a]["top1"] - by_seed[s]["scratch"]["top1"])
        values[f"{label[a]} - scratch"].append(d)
        cells.append(f"{d:+.2f}")
    print(f"| {s} | " + " | ".join(cells) + " |")
def summary(c):
    v = values[c]
    m = f"{statistics.mean(v):+.2f}" if c.endswith("scratch") else f"{statistics.mean(v):.2f}"
    return m, (f"{statistics.stdev(v) / math.sqrt(len(v)):.2f}" if len(v) > 1 else "-")
print("| mean | " + " | ".join(summary(c)[0] for c in cols) + " |")
print("| standard error | " + " | ".join(summary(c)[1] for c in cols) + " |")
test_images = {r["test_images"] for r in rows}
speed = {a: statistics.mean(r["train_img_per_s"] for r in rows if r["arm"] == a) for a in arms}
secs = {a: statistics.mean(r["train_seconds"] for r in rows if r["arm"] == a) for a in arms}
print(f"n = {len(seeds)} seeds; Top-1 in % on {'/'.join(map(str, sorted(test_images)))} test images of the compared "
      "classes (the same images for every run); standard error = sample SD / sqrt(n)")
print("pretraining: Top-1 {:.2f}% on {} test images of its own classes, {:.1f} img/s, {:.0f} s".format(
    100 * pre["top1"], pre["test_images"], pre["train_img_per_s"], pre["seconds"]))
print("training per run (mean): " + ", ".join(f"{label[a]} {secs[a]:.0f} s at {speed[a]:.1f} img/s" for a in arms))
print(f"wall time: {wall // 60}m{wall % 60:02d}s")
PY
echo "# finished $(date -u +%FT%TZ); load $(load)"
