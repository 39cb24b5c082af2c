#!/usr/bin/env bash
# Copies the project's MLflow pins (deploy/local/mlflow/requirements.txt, the ones the local stack
# installs) and its service-account script (mlflow_accounts.py) into this build context, so the image
# and the local stack run the same MLflow with the same accounts:
#   deploy/images/mlflow/prepare.sh && podman build -t localhost/resnetops/mlflow:dev deploy/images/mlflow
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp "$here/../../local/mlflow/requirements.txt" "$here/requirements.txt"
cp "$here/../../local/mlflow/mlflow_accounts.py" "$here/mlflow_accounts.py"
echo "mlflow: $(grep -E '^[A-Za-z]' "$here/requirements.txt" | tr '\n' ' ')-> $here/requirements.txt"
