#!/usr/bin/env bash
# ./mlops images: every OCI image of the platform, into podman's local image store, without a Docker
# daemon and without a container registry (docs/deployment.md):
#   1. base      a minimal Debian from Debian packages (base/build.sh: mmdebstrap + podman import),
#                built once; --rebuild-base builds it again (e.g. for security updates)
#   2. jre       Debian's OpenJDK 17 JRE on it (jre/Containerfile), saved as a tarball for Jib
#   3. kafka, postgres, mlflow   what the platform needs locally (Containerfiles FROM base or jre)
#   4. the five services (Quarkus's Jib extension) and the CLI (jib-maven-plugin), in one Maven build
# Every image is tagged <version> and <version>-g<commit> (with -dirty for uncommitted changes) and
# labelled org.opencontainers.image.{version,revision,source,title}.
#
#   build.sh [--only NAME,...] [--rebuild-base] [--oci-dir DIR] [--gpu]
#     --only      build just these images (base and jre are built when missing, whatever the list)
#     --gpu       also trainer-cuda and inference-cuda (with trainer, inference): their CUDA variants,
#                 several GB each, by build-gpu.sh (deploy/images/cuda/README.md); never by default,
#                 but --only may name them too (--only trainer-cuda builds just that one)
#     --oci-dir   also write each image as an OCI archive DIR/<name>-<tag>.tar (to copy to a registry:
#                 skopeo copy oci-archive:DIR/x.tar docker://registry/resnetops/x:tag)
# MLOPS_IMAGE_SOURCE overrides the source label (default: the git remote origin, else the clone's path).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
say() { echo "mlops images: $*" >&2; }
die() { say "$*"; exit 1; }
. "$ROOT/deploy/podman/podman.sh"
. "$HERE/build-steps.sh"

SERVICE_IMAGES=(orchestrator ingestion trainer evaluator inference)
INFRA_IMAGES=(kafka postgres mlflow)
ALL_IMAGES=("${INFRA_IMAGES[@]}" "${SERVICE_IMAGES[@]}" cli)
GPU_IMAGES=(trainer-cuda inference-cuda)
REGISTRY=localhost/resnetops
BASE_IMAGE="$REGISTRY/debian:bookworm"
JRE_IMAGE="$REGISTRY/jre:17"
IMAGES_DIR="$MLOPS_HOME/images"
JRE_TAR="$IMAGES_DIR/jre.tar"
LOG="$IMAGES_DIR/build.log"

only="" rebuild_base=0 oci_dir="" gpu=0
while (($#)); do
  case "$1" in
    --only) only="${2:?--only needs a list, e.g. --only trainer,inference}"; shift 2 ;;
    --rebuild-base) rebuild_base=1; shift ;;
    --oci-dir) oci_dir="${2:?--oci-dir needs a folder}"; shift 2 ;;
    --gpu) gpu=1; shift ;;
    -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
wanted=()
if [[ -n "$only" ]]; then
  IFS=, read -r -a wanted <<<"$only"
  for name in "${wanted[@]}"; do
    [[ " ${ALL_IMAGES[*]} ${GPU_IMAGES[*]} " == *" $name "* ]] \
      || die "unknown image '$name' (known: ${ALL_IMAGES[*]} ${GPU_IMAGES[*]})"
  done
else
  wanted=("${ALL_IMAGES[@]}")
fi
wants() { [[ " ${wanted[*]} " == *" $1 "* ]]; }
gpu_images=()
for name in trainer inference; do
  if ((gpu)) && wants "$name" && ! wants "$name-cuda"; then wanted+=("$name-cuda"); fi
  if wants "$name-cuda"; then gpu_images+=("$name-cuda"); fi
done
if ((gpu && ${#gpu_images[@]} == 0)); then die "--gpu adds the CUDA variants of trainer and inference: neither is wanted"; fi

version="$(project_version)"
revision="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
commit_tag="$version-g${revision:0:12}"
if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  commit_tag+="-dirty"
  revision+="-dirty"
fi
source="${MLOPS_IMAGE_SOURCE:-$(git -C "$ROOT" remote get-url origin 2>/dev/null || echo "file://$ROOT")}"

podman_require || exit 1
mkdir -p "$IMAGES_DIR"
: >"$LOG"
started=$SECONDS


image_exists() { podman image exists "$1"; }

# 1. The Debian base, from Debian packages.
if ((rebuild_base)) || ! image_exists "$BASE_IMAGE"; then
  apt_install mmdebstrap || exit 1
  step "base: minimal Debian bookworm from Debian packages (mmdebstrap, about 2 minutes)" \
    "$HERE/base/build.sh" "$BASE_IMAGE"
fi

labels=(--label "org.opencontainers.image.version=$version" --label "org.opencontainers.image.revision=$revision"
  --label "org.opencontainers.image.source=$source")

# 2. The JRE, and its tarball for Jib (saved again only when the image changed).
step "jre: OpenJDK 17 JRE on the base" podman build --build-arg "BASE=$BASE_IMAGE" -t "$JRE_IMAGE" "$HERE/jre"
save_for_jib "$JRE_IMAGE" "$JRE_TAR"

# 3. Kafka, PostgreSQL, MLflow: Containerfiles whose prepare.sh (when there is one) fills the build
# context with what comes from a package registry (the broker's jars, MLflow's pinned requirements).
# Where HTTPS goes through a TLS-intercepting proxy (as on the project's machines), pip inside a build
# trusts only the image's CA store: the host's bundle is lent to the build as a secret (pip-ca), used
# by pip and not stored in the image.
ca_secret=()
[[ -r /etc/ssl/certs/ca-certificates.crt ]] && ca_secret=(--secret id=pip-ca,src=/etc/ssl/certs/ca-certificates.crt)
for name in "${INFRA_IMAGES[@]}"; do
  wants "$name" || continue
  dir="$HERE/$name"
  [[ -x "$dir/prepare.sh" ]] && step "$name: preparing the build context" "$dir/prepare.sh"
  step "$name: building" podman build --build-arg "BASE=$BASE_IMAGE" --build-arg "JRE=$JRE_IMAGE" "${labels[@]}" "${ca_secret[@]}" \
    --label "org.opencontainers.image.title=resnetops-$name" \
    -t "$REGISTRY/$name:$version" -t "$REGISTRY/$name:$commit_tag" "$dir"
done

# 4. The services and the CLI: Jib, in one Maven build of the wanted modules.
modules=()
for name in "${SERVICE_IMAGES[@]}" cli; do
  wants "$name" && modules+=("services/$name")
done
if ((${#modules[@]})); then
  step "services: ${modules[*]#services/} (Maven + Jib, a few minutes)" \
    "$ROOT/mvnw" -f "$ROOT/pom.xml" -B -ntp -Pimages -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am package \
    "-Dresnetops.base-image=tar://$JRE_TAR" "-Dresnetops.podman=$(command -v podman)" \
    "-Dresnetops.revision=$revision" "-Dresnetops.source=$source" "-Dresnetops.image-commit-tag=$commit_tag"
fi

# 5. With --gpu: trainer-cuda and inference-cuda (build-gpu.sh), with the same tags and labels.
if ((${#gpu_images[@]})); then
  VERSION="$version" COMMIT_TAG="$commit_tag" REVISION="$revision" SOURCE="$source" BASE_IMAGE="$BASE_IMAGE" \
    JRE_IMAGE="$JRE_IMAGE" LOG="$LOG" "$HERE/build-gpu.sh" "${gpu_images[@]}"
fi

if [[ -n "$oci_dir" ]]; then
  mkdir -p "$oci_dir"
  for name in "${wanted[@]}"; do
    rm -f "$oci_dir/$name-$commit_tag.tar"
    step "$name: OCI archive $oci_dir/$name-$commit_tag.tar" \
      podman save --format oci-archive -o "$oci_dir/$name-$commit_tag.tar" "$REGISTRY/$name:$commit_tag"
  done
fi

say "done in $((SECONDS - started)) s; tags $version and $commit_tag:"
printf '    %-34s %s\n' IMAGE SIZE >&2
for name in "${wanted[@]}"; do
  printf '    %-34s %s\n' "$REGISTRY/$name" "$(podman image inspect --format '{{.Size}}' "$REGISTRY/$name:$commit_tag" \
    | awk '{ printf "%.0f MB", $1 / 1e6 }')" >&2
done
