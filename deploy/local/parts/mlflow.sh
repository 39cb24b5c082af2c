#!/usr/bin/env bash
# The MLflow tracking server (UI + REST API) from PyPI in a project-local virtualenv; runs and
# registered models in the `mlflow` PostgreSQL database, artifacts served over HTTP
# (--serve-artifacts) from the state folder. Sourced by infra.sh, after postgres.sh.

MLFLOW_REQUIREMENTS="$ROOT/deploy/local/mlflow/requirements.txt"
MLFLOW_STAMP="$MLFLOW_VENV/.mlops-requirements.sha256"
MLFLOW_ARTIFACTS="$STATE/mlflow-artifacts"

mlflow_venv_current() {
  [[ -x "$MLFLOW_VENV/bin/mlflow" && -f "$MLFLOW_STAMP" \
    && "$(cat "$MLFLOW_STAMP")" == "$(sha256sum "$MLFLOW_REQUIREMENTS" | cut -d' ' -f1)" ]] \
    && "$MLFLOW_VENV/bin/python" -c '' 2>/dev/null
}

# Creates the virtualenv and installs the pinned MLflow once per clone (again when the pins change).
mlflow_install() {
  local python="${MLOPS_PYTHON:-python3}"
  mlflow_venv_current && return 0
  command -v "$python" >/dev/null || {
    say "mlflow: no $python found. Install it: ./deploy/local/install-prerequisites.sh (as root), or apt-get install python3 python3-venv"
    return 1
  }
  mkdir -p "$LOGS"
  say "mlflow: installing $(grep -E '^[a-z]' "$MLFLOW_REQUIREMENTS" | tr '\n' ' ')into $MLFLOW_VENV (once per clone, about a minute)"
  rm -rf "$MLFLOW_VENV"
  if ! "$python" -m venv "$MLFLOW_VENV" >"$LOGS/mlflow-install.log" 2>&1; then
    say "mlflow: '$python -m venv' failed; on Debian/Ubuntu the venv module is a separate package:"
    say "  ./deploy/local/install-prerequisites.sh (as root), or apt-get install python3-venv"
    tail -n 10 "$LOGS/mlflow-install.log" | sed 's/^/    /' >&2
    rm -rf "$MLFLOW_VENV"
    return 1
  fi
  if ! "$MLFLOW_VENV/bin/pip" install -q --disable-pip-version-check -r "$MLFLOW_REQUIREMENTS" >>"$LOGS/mlflow-install.log" 2>&1; then
    say "mlflow: pip install failed (is PyPI reachable?); the last lines of $LOGS/mlflow-install.log:"
    tail -n 30 "$LOGS/mlflow-install.log" | sed 's/^/    /' >&2
    rm -rf "$MLFLOW_VENV"
    return 1
  fi
  sha256sum "$MLFLOW_REQUIREMENTS" | cut -d' ' -f1 >"$MLFLOW_STAMP"
  [[ -s "$LOGS/mlflow-install.log" ]] || rm -f "$LOGS/mlflow-install.log"
}

mlflow_url() { echo "http://127.0.0.1:$(part_port mlflow "$MLFLOW_PORT")"; }

mlflow_healthy() { http_ok "$(mlflow_url)/health"; }

mlflow_up() {
  local pid rc=0
  if pid="$(part_pid mlflow)"; then
    if wait_until 15 "$pid" mlflow_healthy; then
      say "mlflow: already running (pid $pid, $(mlflow_url))"
      return 0
    fi
    say "mlflow: running (pid $pid) but /health does not answer; restarting it"
    mlflow_down
  fi
  require_free_port "$MLFLOW_PORT" MLOPS_MLFLOW_PORT mlflow || return 1
  command -v curl >/dev/null || { say "curl is missing: ./deploy/local/install-prerequisites.sh, or apt-get install curl"; return 1; }
  with_install_lock mlflow_install || return 1
  mkdir -p "$MLFLOW_ARTIFACTS"
  say "mlflow: starting on http://127.0.0.1:$MLFLOW_PORT"
  echo "=== mlops: starting mlflow at $(date -Is) ===" >>"$LOGS/mlflow.log"
  # - one worker: a local server with a handful of clients; each extra worker costs ~200 MB.
  # - --allowed-hosts: loopback names on any port (the server only listens on 127.0.0.1, and a client
  #   may reach it through a local port forward or proxy, whose port is in the Host header); listed
  #   explicitly instead of relying on the default of a given MLflow release. Foreign names get 403.
  # - postgresql+psycopg2: SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3, which we do not install.
  # - no job runner (GenAI scorers/prompt optimisation we do not use; it forks huey consumers), no
  #   telemetry (the machines have no internet).
  # - its own role, owner of the mlflow database (parts/postgres.sh). libpq reads the password from
  #   PGPASSWORD: no URL-encoding in the store URI, and it stays off the command line (ps shows that to
  #   every user; a process's environment only to its own user).
  PGPASSWORD="$(pg_password "$PG_MLFLOW_ROLE")" spawn mlflow "$MLFLOW_PORT" env \
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true PYTHONUNBUFFERED=1 \
    "$MLFLOW_VENV/bin/mlflow" server --host 127.0.0.1 --port "$MLFLOW_PORT" --workers 1 \
    --backend-store-uri "postgresql+psycopg2://$PG_MLFLOW_ROLE@127.0.0.1:$(part_port postgres "$PG_PORT")/mlflow" \
    --serve-artifacts --artifacts-destination "$MLFLOW_ARTIFACTS/" \
    --allowed-hosts "127.0.0.1,127.0.0.1:*,localhost,localhost:*"
  pid="$(cat "$(pid_file mlflow)")"
  wait_until "$MLFLOW_TIMEOUT" "$pid" mlflow_healthy || rc=$?
  ((rc == 0)) || { start_failed mlflow "$rc" "$pid"; return 1; }
}

mlflow_down() {
  local pid
  pid="$(part_pid mlflow)" || { say "mlflow: not running"; return 0; }
  say "mlflow: stopping (pid $pid)"
  stop_pid mlflow "$pid"
}
