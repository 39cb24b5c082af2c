#!/usr/bin/env bash
# Checks trainer-cuda and inference-cuda as far as the machine allows (deploy/images/cuda/README.md):
#   1. libraries  ldd inside the images on every library under /opt/cuda (libtorch, CUDA) and on ONNX
#                 Runtime's CUDA provider (from the image's onnxruntime_gpu jar): nothing missing (the
#                 driver's libcuda.so.1, which the NVIDIA container toolkit mounts, is loaded at run time
#                 by the CUDA runtime, not linked);
#   2. trainer    check/TrainerCheck.java in trainer-cuda: DJL's engine from the image's CUDA libtorch,
#                 the device and precision the trainer's code picks, three real training steps there;
#   3. inference  check/InferenceCheck.java in inference-cuda: a small model through the service's
#                 OnnxSession, and the execution provider that ran it.
# Without --gpu: CUDA must be loadable but unused, the trainer on the CPU in fp32, inference on the CPU
# provider (with the warning saying why). With --gpu the containers get the GPUs (CDI:
# --device nvidia.com/gpu=all; MLOPS_GPU_DEVICE_ARGS overrides, e.g. "--gpus all") and must use them:
# the trainer on gpu(0) in fp16 mixed precision, inference on the CUDA provider.
#
#   check.sh [--gpu] [TAG]      TAG: of localhost/resnetops/{trainer,inference}-cuda, default the version
# Needs a JDK (javac, jar) to compile the checks against the images' own jars.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
export MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
say() { echo "check: $*" >&2; }
die() { say "$*"; exit 1; }
. "$ROOT/deploy/podman/podman.sh"

gpu=0
if [[ "${1:-}" == --gpu ]]; then
  gpu=1
  shift
fi
tag="${1:-$(project_version)}"
trainer="localhost/resnetops/trainer-cuda:$tag"
inference="localhost/resnetops/inference-cuda:$tag"
device=()
((gpu)) && read -r -a device <<<"${MLOPS_GPU_DEVICE_ARGS:---device nvidia.com/gpu=all}"
for image in "$trainer" "$inference"; do
  podman image exists "$image" || die "$image does not exist (./mlops images --gpu --only trainer,inference)"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
expect() { # expect WHAT REGEX OUTPUT
  if grep -qE -- "$2" <<<"$3"; then
    echo "  ok    $1"
  else
    echo "  FAIL  $1: no line matches /$2/"
    failed=1
  fi
}
run() { podman run --rm "${device[@]}" -v "$work:/check:ro" --entrypoint bash "$@"; }

# The checks compile against the jars in the images, and ldd looks at the provider in the image's jar.
for name in trainer-cuda inference-cuda; do
  container="$(podman create "localhost/resnetops/$name:$tag")"
  podman cp "$container:/deployments/lib" "$work/$name" && podman rm "$container" >/dev/null
done
trainer_lib="$work/trainer-cuda/main" inference_lib="$work/inference-cuda/main"
mkdir -p "$work/classes" "$work/ort"
javac -d "$work/classes" -cp "$trainer_lib/*" "$HERE/check/TrainerCheck.java"
javac -d "$work/classes" -cp "$inference_lib/*" "$HERE/check/InferenceCheck.java"
cp "$HERE/check/logging.properties" "$work/classes/"
(cd "$work/ort" && jar xf "$(ls "$inference_lib"/com.microsoft.onnxruntime.onnxruntime_gpu-*.jar)" \
  ai/onnxruntime/native/linux-x64)
chmod -R a+rX "$work"

# Outside Quarkus: the image's jars, its logging (without Quarkus's boot-time log buffering), its flags.
java='cp=$(ls /deployments/lib/boot/*.jar | grep -v quarkus-bootstrap-runner | tr "\n" :);
  exec java -Dai.djl.offline=true -XX:-UsePerfData -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$cp/deployments/lib/main/*:/check/classes"'
missing='sed -n "s/^[[:space:]]*\([^ ]*\) => not found/\1/p" | sort -u | tr "\n" " "'

echo "1. libraries"
out="$(run "$trainer" -c "ldd /opt/cuda/torch/lib/libtorch_cuda.so | grep -E 'cud|cublas|nccl'; \
  echo \"missing: \$(find /opt/cuda -name '*.so*' -type f -exec ldd {} + | $missing)\"")"
echo "$out" | sed 's/^/    /'
expect "trainer-cuda: libtorch's and the CUDA libraries resolve" "^missing: \$" "$out"
out="$(run "$inference" -c "cd /check/ort/ai/onnxruntime/native/linux-x64; ldd libonnxruntime_providers_cuda.so \
  | grep -E 'cud|cublas|cufft|curand|nvrtc'; echo \"missing: \$(ldd libonnxruntime_providers_cuda.so | $missing)\"")"
echo "$out" | sed 's/^/    /'
expect "inference-cuda: ONNX Runtime's CUDA provider resolves" "^missing: \$" "$out"

echo "2. trainer-cuda"
out="$(run "$trainer" -c "$java TrainerCheck" 2>&1)" || out+=$'\n'"(TrainerCheck exited with status $?)"
echo "$out" | sed 's/^/    /'
expect "DJL loads the image's CUDA libtorch" "^check: engine PyTorch 2\.7\.1 from /opt/cuda/torch/lib" "$out"
expect "libtorch's CUDA libraries are loaded" "CUDA libraries in this process: .*libcudnn\.so\.9.*libtorch_cuda\.so" "$out"
expect "DJL finds the CUDA 12.6 runtime" "CUDA runtime loaded by DJL: CUDA 126" "$out"
if ((gpu)); then
  expect "libtorch can use the GPU and cuDNN" "is_available\): true, cuDNN usable: true" "$out"
  expect "trains on the GPU in fp16 mixed precision" "^check: trained .* on gpu\(0\) in fp16-mixed" "$out"
else
  expect "libtorch sees no GPU" "is_available\): false" "$out"
  expect "trains on the CPU in fp32 (no GPU)" "^check: trained .* on cpu\(\) in fp32" "$out"
fi

echo "3. inference-cuda"
out="$(run "$inference" -c "$java InferenceCheck" 2>&1)" || out+=$'\n'"(InferenceCheck exited with status $?)"
echo "$out" | sed 's/^/    /'
expect "onnxruntime_gpu has the CUDA provider" "providers in this build: .*CUDA" "$out"
if ((gpu)); then
  expect "runs on the CUDA provider" "^check: provider=CUDA " "$out"
else
  expect "says why not CUDA" "no NVIDIA GPU is visible to this process.*falling back to CPU" "$out"
  expect "runs on the CPU provider (no GPU)" "^check: provider=CPU " "$out"
fi

((failed == 0)) || die "some checks failed"
say "all passed ($( ((gpu)) && echo "with the GPUs" || echo "without a GPU"))"
