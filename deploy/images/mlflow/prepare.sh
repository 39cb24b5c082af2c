#!/usr/bin/env bash
# Copies the project's MLflow pins (deploy/local/mlflow/requirements.txt, the ones the local stack
# installs) into this build context, so the image and the local stack run the same MLflow:
#   deploy/images/mlflow/prepare.sh && podman build -t localhost/resnetops/mlflow:dev deploy/images/mlflow
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp "$here/../../local/mlflow/requirements.txt" "$here/requirements.txt"
echo "mlflow: $(grep -E '^[A-Za-z]' "$here/requirements.txt" | tr '\n' ' ')-> $here/requirements.txt"
