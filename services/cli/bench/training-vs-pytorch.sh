#!/usr/bin/env bash
# The Java training step against PyTorch eager on the same synthetic batch, network (parameter counts
# checked), threads, batch and precision, alternating Java and PyTorch for ROUNDS rounds so that load
# from other work on the machine hits both alike. Each row is its own process, so peak RSS (VmHWM) is
# that configuration's alone. Ratios are Java / PyTorch over the means of the rounds.
#   services/cli/bench/training-vs-pytorch.sh
#   ROUNDS=3 BATCH=128 THREADS=1 services/cli/bench/training-vs-pytorch.sh
# PyTorch comes from PyPI into a virtualenv of its own under the state folder ($MLOPS_HOME/torch-venv,
# made on first use: the PyPI wheel for Linux x86_64 is the CUDA build, ~5 GiB with its libraries,
# of which the CPU step uses none). Nothing else in the project needs it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
MODEL="${MODEL:-resnet50-small}"
SIZE="${SIZE:-32}"
BATCH="${BATCH:-64}"
CLASSES="${CLASSES:-10}"
THREADS="${THREADS:-$(nproc)}"
STEPS="${STEPS:-4}"
WARMUP="${WARMUP:-2}"
ROUNDS="${ROUNDS:-2}"
TORCH_VERSION="${TORCH_VERSION:-2.7.1}" # the libtorch inside DJL's pytorch-native-cpu (pom.xml)
# The layouts each side runs: training uses channels-last; JAVA_FORMATS="contiguous channels_last" shows its gain.
JAVA_FORMATS="${JAVA_FORMATS:-channels_last}"
TORCH_FORMATS="${TORCH_FORMATS:-contiguous channels_last}"
VENV="$MLOPS_HOME/torch-venv"

if ! "$VENV/bin/python" -c "import torch; assert torch.__version__.startswith('$TORCH_VERSION')" 2>/dev/null; then
  echo "# installing torch==$TORCH_VERSION into $VENV (first use; several minutes)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "torch==$TORCH_VERSION" numpy >&2
fi

common=(--model "$MODEL" --input-size "$SIZE" --batch-size "$BATCH" --classes "$CLASSES" --channels 3
        --threads "$THREADS" --steps "$STEPS" --warmup-steps "$WARMUP")
torch_params="$("$VENV/bin/python" "$ROOT/services/cli/bench/pytorch_eager_step.py" "${common[@]}" --classes 10 --print-parameters)"
java_params="$("$ROOT/mlops" models | awk -v m="$MODEL" '$1 == m {gsub(",", "", $6); print $6}')"
if [[ "$java_params" != "$torch_params" ]]; then
  echo "training-vs-pytorch: $MODEL has $java_params parameters in Java (10 classes) but $torch_params in PyTorch" >&2
  exit 1
fi

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, no GPU; $MODEL ($java_params parameters" \
     "both sides), ${SIZE} px, batch $BATCH, fp32, $THREADS threads, $WARMUP warm-up + $STEPS measured steps," \
     "$ROUNDS rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-22s %5s %5s %-10s %-13s %7s %8s %8s %9s %10s %8s %12s\n' side model px batch precision layout \
  threads img/s s/step forward backward update "peak RSS MiB"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for round in $(seq 1 "$ROUNDS"); do
  for format in $JAVA_FORMATS; do
    row="$("$ROOT/mlops" benchmark "${common[@]}" --precision fp32 --memory-format "$format" --no-header)"
    echo "java     $row" | tee -a "$results"
  done
  for format in $TORCH_FORMATS; do
    row="$("$VENV/bin/python" "$ROOT/services/cli/bench/pytorch_eager_step.py" "${common[@]}" --memory-format "$format")"
    echo "pytorch  $row" | tee -a "$results"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Columns: 1 side, 6 layout, 8 img/s, 13 peak RSS.
awk '
  { key = $1 " " $6; n[key]++; ips[key] += $8; rss[key] += $13 }
  END {
    for (k in n) printf "# mean %-22s %8.2f img/s %8d MiB peak RSS\n", k, ips[k] / n[k], rss[k] / n[k]
    for (j in n) if (j ~ /^java/) for (k in n) if (k ~ /^pytorch/)
      printf "# %s / %s: %.2fx img/s, %.2fx peak RSS\n", j, k,
        (ips[j] / n[j]) / (ips[k] / n[k]), (rss[j] / n[j]) / (rss[k] / n[k])
  }' "$results"
