#!/usr/bin/env bash
# Two training workers on one machine against one: the training-step benchmark in one JVM, then in two
# JVMs started together, at each batch size. Two threads settings for the pair: cores / 2 each (what
# the launchers give each of two trainer workers, deploy/services.conf 'split') and all cores each (every
# worker taking the whole machine). Rows are per JVM; the summary sums each pair.
#   services/cli/bench/two-workers.sh
#   BATCHES="64" STEPS=3 services/cli/bench/two-workers.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MODEL="${MODEL:-resnet50-small}"
BATCHES="${BATCHES:-64 128}"
STEPS="${STEPS:-4}"
WARMUP="${WARMUP:-2}"
CORES="$(nproc)"
HALF=$((CORES > 1 ? CORES / 2 : 1))

bench() { # threads batch
  "$ROOT/mlops" benchmark --model "$MODEL" --input-size 32 --classes 10 --channels 3 --precision fp32 \
    --batch-size "$2" --threads "$1" --steps "$STEPS" --warmup-steps "$WARMUP" --no-header
}

echo "# $(date -u +%FT%TZ) on $CORES cores, $(free -g | awk '/Mem:/{print $2}') GiB, no GPU; $MODEL 32 px fp32," \
     "$WARMUP warm-up + $STEPS measured steps; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-24s %-22s %5s %5s %-10s %-13s %7s %8s %8s %9s %10s %8s %12s\n' setup model px batch precision layout \
  threads img/s s/step forward backward update "peak RSS MiB"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for batch in $BATCHES; do
  echo "one-worker        $(bench "$CORES" "$batch")" | tee -a "$results"
  for threads in "$HALF" "$CORES"; do
    a="$(mktemp)"; b="$(mktemp)"
    bench "$threads" "$batch" >"$a" & first=$!
    bench "$threads" "$batch" >"$b" & second=$!
    wait "$first" "$second"
    echo "two-workers-${threads}t       $(cat "$a")" | tee -a "$results"
    echo "two-workers-${threads}t       $(cat "$b")" | tee -a "$results"
    rm -f "$a" "$b"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Columns: 1 setup, 4 batch, 8 img/s, 13 peak RSS.
awk '
  { key = $1 " batch " $4; sum[key] += $8; n[key]++; if ($13 > rss[key]) rss[key] = $13 }
  END {
    for (k in sum) printf "# %-30s summed %7.2f img/s over %d JVM(s), largest peak RSS %d MiB\n", k, sum[k], n[k], rss[k]
  }' "$results" | sort
