#!/usr/bin/env bash
# Installs the Debian packages the project needs on a fresh machine (idempotent; quick when present).
#   dataset-fashion-mnist  the real data of the demo and of the real-data tests
#   postgresql             the database server of the local stack (./mlops up, ./mlops test)
#   python3-venv           the virtualenv MLflow is installed into (from PyPI, by ./mlops up)
#   curl                   readiness checks of MLflow and the services
#   openssl                the API token-signing key and the tokens (./mlops up, ./mlops token create)
# Java 17+ must already be there; Maven comes from ./mvnw; Kafka's jars come from Maven Central.
set -euo pipefail

packages=(dataset-fashion-mnist postgresql python3-venv curl openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else
    echo "install-prerequisites: missing Debian packages: ${missing[*]}" >&2
    echo "  run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "install-prerequisites: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d: the postgresql package would otherwise start (and keep running) its own default
# cluster on port 5432; the project runs its own server with its own data folder and port.
policy_created=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  policy_created=1
fi
cleanup() { if ((policy_created)); then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
}
