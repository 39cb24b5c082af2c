#!/usr/bin/env bash
# Regenerates src/test/resources/pretrained/ with PyTorch, torchvision, timm and safetensors from
# PyPI, in a virtualenv of its own ($MLOPS_HOME/torch-venv, shared with the training benchmark).
# Never needed by the tests: its outputs are committed.
#   services/vision/training/src/test/python/make-pretrained-fixtures.sh [--training-only]
# --training-only rewrites just training-steps*.json; the full run also rewrites the readers' binary
# fixtures, whose bytes (not meaning) change from run to run.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../../../../.." && pwd)"
MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
VENV="$MLOPS_HOME/torch-venv"
# torch matches the libtorch inside DJL's pytorch-native-cpu (pom.xml); the others are its companions
PACKAGES=(torch==2.7.1 torchvision==0.22.1 timm==1.0.15 safetensors==0.5.3 numpy)
if ! "$VENV/bin/python" -c "import torch, torchvision, timm, safetensors" 2>/dev/null; then
  echo "# installing ${PACKAGES[*]} into $VENV (first use; several minutes)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "${PACKAGES[@]}" >&2
fi
"$VENV/bin/python" "$HERE/make_pretrained_fixtures.py" "$@" \
  "$ROOT/services/vision/core/src/test/resources/pretrained" "$HERE/../resources/pretrained"
