#!/usr/bin/env bash
# Installs the Debian packages the project needs on a fresh machine (idempotent; quick when present).
#   dataset-fashion-mnist  the real data of the demo and of the real-data tests
# Java 17+ must already be there; Maven comes from ./mvnw.
set -euo pipefail

packages=(dataset-fashion-mnist)
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
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
}
