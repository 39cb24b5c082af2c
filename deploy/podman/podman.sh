#!/usr/bin/env bash
# Podman for the project's scripts (sourced by deploy/images/build.sh and deploy/compose/stack.sh):
# installs podman and runc from Debian when they are missing (as root), points podman at the
# project's containers.conf, and installs podman-compose from PyPI into a project-local virtualenv.
# Expects say/die and ROOT/MLOPS_HOME from the caller.

PODMAN_CONF="$ROOT/deploy/podman/containers.conf"
# Our settings replace the machine's for every podman call of the scripts (and of podman-compose,
# which runs podman): the machine's /etc/containers stays untouched.
export CONTAINERS_CONF="$PODMAN_CONF"
COMPOSE_REQUIREMENTS="$ROOT/deploy/compose/requirements.txt"
COMPOSE_VENV="$MLOPS_HOME/compose-venv"

# apt_install PACKAGE...: installs the missing Debian packages as root; otherwise says what to run.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    say "missing Debian packages: ${missing[*]}"
    say "  install them as root: apt-get update && apt-get install -y ${missing[*]}"
    return 1
  fi
  say "installing ${missing[*]} (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  } || { say "apt-get could not install ${missing[*]}"; return 1; }
}

# Podman and the runtime our containers.conf names.
podman_require() {
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
    apt_install podman runc || return 1
  fi
  if ! podman info >/dev/null 2>&1; then
    say "podman is installed but does not work here; 'podman info' says:"
    podman info 2>&1 | tail -n 5 | sed 's/^/    /' >&2
    return 1
  fi
}

compose_venv_current() {
  [[ -x "$COMPOSE_VENV/bin/podman-compose" && -f "$COMPOSE_VENV/.requirements.sha256" \
    && "$(cat "$COMPOSE_VENV/.requirements.sha256")" == "$(sha256sum "$COMPOSE_REQUIREMENTS" | cut -d' ' -f1)" ]]
}

# podman-compose (PyPI, pinned in deploy/compose/requirements.txt): the Debian package is older than
# the compose features the file uses (profiles, secrets, depends_on conditions).
compose_require() {
  compose_venv_current && return 0
  local python="${MLOPS_PYTHON:-python3}"
  say "installing podman-compose into $COMPOSE_VENV (once per clone)"
  rm -rf "$COMPOSE_VENV"
  if ! "$python" -m venv "$COMPOSE_VENV" >/dev/null 2>&1 \
      || ! "$COMPOSE_VENV/bin/pip" install -q --disable-pip-version-check -r "$COMPOSE_REQUIREMENTS"; then
    say "could not install podman-compose (needs python3-venv and PyPI): apt-get install python3-venv"
    rm -rf "$COMPOSE_VENV"
    return 1
  fi
  sha256sum "$COMPOSE_REQUIREMENTS" | cut -d' ' -f1 >"$COMPOSE_VENV/.requirements.sha256"
}

# The project version (the parent pom's) and the commit, for image tags and OCI labels.
project_version() { sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -n1; }
git_revision() { git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown; }
