#!/usr/bin/env bash
# The GPU images, for ./mlops images --gpu (called by build.sh after the CPU images; see
# deploy/images/cuda/README.md). Not run by default: the CUDA libraries make them 3 to 6 GB.
#   trainer-cuda     the trainer (Maven profile cuda: no libtorch CPU natives) on cuda-libtorch, whose
#                    libtorch 2.7.1+cu126 DJL loads: trains on the GPU (fp16 mixed precision) when the
#                    container has one, else on the CPU
#   inference-cuda   the inference service (profile gpu: onnxruntime_gpu) on cuda-runtime: ONNX Runtime's
#                    CUDA execution provider when the container has a GPU, else the CPU one
# Both bases come from deploy/images/cuda/Containerfile (CUDA libraries from PyPI wheels), are saved as
# tarballs for Jib like the JRE, and the images get build.sh's tags and OCI labels. Then
# deploy/images/cuda/check.sh checks them as far as a machine without a GPU can.
#
#   build-gpu.sh NAME...     NAME: trainer-cuda, inference-cuda
# From build.sh's environment: MLOPS_HOME, VERSION, COMMIT_TAG, REVISION, SOURCE, BASE_IMAGE, JRE_IMAGE
# (podman already set up), LOG (the build log, appended to).
# MLOPS_PIP_CA: the CA bundle pip trusts in the build (default: PIP_CERT, else the system bundle), for
# machines whose HTTPS to PyPI goes through a TLS-intercepting proxy; it is not stored in the images.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
say() { echo "mlops images: $*" >&2; }
: "${VERSION:?} ${COMMIT_TAG:?} ${REVISION:?} ${SOURCE:?} ${BASE_IMAGE:?} ${JRE_IMAGE:?} ${LOG:?} ${MLOPS_HOME:?}"

REGISTRY=localhost/resnetops
RUNTIME_IMAGE="$REGISTRY/cuda-runtime:12.6"
LIBTORCH_IMAGE="$REGISTRY/cuda-libtorch:2.7.1"
IMAGES_DIR="$MLOPS_HOME/images"

. "$ROOT/deploy/podman/podman.sh"
. "$HERE/build-steps.sh"

trainer=0 inference=0
for name in "$@"; do
  case "$name" in
    trainer-cuda) trainer=1 ;;
    inference-cuda) inference=1 ;;
    *) say "unknown GPU image '$name' (known: trainer-cuda inference-cuda)"; exit 1 ;;
  esac
done

pip_ca="${MLOPS_PIP_CA:-${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}}"
secret=()
[[ -f "$pip_ca" ]] && secret=(--secret "id=pip-ca,src=$pip_ca")
cuda_build() {
  local target="$1" image="$2"
  step "$image: CUDA libraries from PyPI on the JRE (the first time ~3 GB of wheels, about 10 minutes)" \
    podman build "${secret[@]}" --build-arg "BASE=$BASE_IMAGE" --build-arg "JRE=$JRE_IMAGE" --target "$target" \
    -t "$image" "$HERE/cuda"
}

maven_image() {
  local name="$1" module="$2" profiles="$3" base_tar="$4"
  step "$name: Maven + Jib on $(basename "$base_tar" .tar) (a few minutes)" \
    "$ROOT/mvnw" -f "$ROOT/pom.xml" -B -ntp "-P$profiles" -DskipTests -pl "$module" -am package \
    "-Dresnetops.base-image=tar://$base_tar" "-Dresnetops.podman=$(command -v podman)" \
    "-Dresnetops.revision=$REVISION" "-Dresnetops.source=$SOURCE" "-Dresnetops.image-commit-tag=$COMMIT_TAG"
}

cuda_build runtime "$RUNTIME_IMAGE"
((trainer)) && cuda_build libtorch "$LIBTORCH_IMAGE"

if ((inference)); then
  save_for_jib "$RUNTIME_IMAGE" "$IMAGES_DIR/cuda-runtime.tar"
  maven_image inference-cuda services/inference images,gpu "$IMAGES_DIR/cuda-runtime.tar"
fi
if ((trainer)); then
  save_for_jib "$LIBTORCH_IMAGE" "$IMAGES_DIR/cuda-libtorch.tar"
  maven_image trainer-cuda services/trainer images,cuda "$IMAGES_DIR/cuda-libtorch.tar"
fi

if ((trainer && inference)); then
  step "checking trainer-cuda and inference-cuda without a GPU (deploy/images/cuda/check.sh)" \
    "$HERE/cuda/check.sh" "$COMMIT_TAG"
fi
