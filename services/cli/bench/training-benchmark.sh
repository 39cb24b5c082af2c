#!/usr/bin/env bash
# Training throughput and peak memory of the baseline and the paper's ResNet-50 at 32 and 224 px,
# each configuration in its own JVM so its peak resident memory is its own.
#   services/cli/bench/training-benchmark.sh            # this machine's defaults (CPU-sized)
#   STEPS=20 BATCH_224=64 services/cli/bench/training-benchmark.sh   # e.g. on a GPU
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
STEPS="${STEPS:-4}"
WARMUP="${WARMUP:-2}"
BATCH_32="${BATCH_32:-64}"
BATCH_224="${BATCH_224:-16}"
PRECISION="${PRECISION:-auto}"
FP16_PROBE="${FP16_PROBE:-1}"

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m);" \
     "steps=$STEPS warmup=$WARMUP precision=$PRECISION"
header=1
run() {
  local args=(benchmark --model "$1" --input-size "$2" --batch-size "$3" --steps "$STEPS" --warmup-steps "$WARMUP" --precision "${6:-$PRECISION}" --classes "$4" --channels "$5")
  [[ $header -eq 1 ]] || args+=(--no-header)
  header=0
  "$ROOT/mlops" "${args[@]}"
}
# 32 px: the small-image stem (Fashion-MNIST/CIFAR setting), 10 classes; 224 px: ImageNet stem, 1000 classes.
run resnet50-small        32  "$BATCH_32"  10 3
run resnet50-paper-small  32  "$BATCH_32"  10 3
run resnet50              224 "$BATCH_224" 1000 3
run resnet50-paper        224 "$BATCH_224" 1000 3
# fp16 against fp32 on a deliberately small configuration: on a CPU, fp16 convolutions are so slow
# that the ResNet-50 rows above would take hours in fp16 (why 'auto' means fp32 on CPUs).
if [[ "$FP16_PROBE" == 1 ]]; then
  run resnet18-small 16 8 10 1 fp32
  run resnet18-small 16 8 10 1 fp16
fi
