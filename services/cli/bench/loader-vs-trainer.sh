#!/usr/bin/env bash
# The training data pipeline (read, decode, augment, batch on the loader's worker threads) on its own,
# against what the training step consumes, alternating the two for ROUNDS rounds. The loader must deliver
# several times the step's img/s so the trainer never waits on it (issue 16 asks >= 5x).
#   services/cli/bench/loader-vs-trainer.sh
#   DATASET=mnist BATCH=128 services/cli/bench/loader-vs-trainer.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
DATASET="${DATASET:-fashion-mnist}"
MODEL="${MODEL:-resnet50-small}"
BATCH="${BATCH:-64}"
WORKERS="${WORKERS:-2}" # TrainingConfig's default loader threads
ROUNDS="${ROUNDS:-2}"
STEPS="${STEPS:-4}"

echo "# $(date -u +%FT%TZ) on $(nproc) cores, no GPU; $DATASET at 32 px with training augmentation, batch $BATCH," \
     "$WORKERS loader threads; trainer $MODEL fp32; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for round in $(seq 1 "$ROUNDS"); do
  "$ROOT/mlops" benchmark-loader --dataset "$DATASET" --input-size 32 --batch-size "$BATCH" --workers "$WORKERS" \
    --no-header | sed 's/^/loader   /' | tee -a "$results"
  "$ROOT/mlops" benchmark --model "$MODEL" --input-size 32 --batch-size "$BATCH" --classes 10 --channels 3 \
    --precision fp32 --steps "$STEPS" --warmup-steps 2 --no-header | sed 's/^/trainer  /' | tee -a "$results"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# img/s is column 6 of a loader row, 8 of a trainer row (after the side label).
awk '$1 == "loader" { l += $6; nl++ } $1 == "trainer" { t += $8; nt++ }
  END { printf "# loader %.1f img/s, trainer %.2f img/s: the loader delivers %.0fx what the trainer consumes\n",
        l / nl, t / nt, (l / nl) / (t / nt) }' "$results"
