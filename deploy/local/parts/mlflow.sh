#!/usr/bin/env bash
# The MLflow tracking server (UI + REST API) from PyPI in a project-local virtualenv; runs and
# registered models in the `mlflow` PostgreSQL database, artifacts served over HTTP
# (--serve-artifacts) from the state folder. Sourced by infra.sh, after postgres.sh.
#
# MLflow's own authentication is on (`--app-name basic-auth`, docs/security.md): every request needs a
# user and password. The admin and the service accounts (trainer, evaluator, orchestrator, inference;
# deploy/local/mlflow/mlflow_accounts.py) have generated passwords in $STATE/secrets/mlflow-<account>
# (folder 700, files 600), made once and kept; users and grants live in $STATE/mlflow-auth.db.

MLFLOW_REQUIREMENTS="$ROOT/deploy/local/mlflow/requirements.txt"
MLFLOW_STAMP="$MLFLOW_VENV/.mlops-requirements.sha256"
MLFLOW_ARTIFACTS="$STATE/mlflow-artifacts"
MLFLOW_SECRETS="$STATE/secrets"
MLFLOW_AUTH_CONFIG="$STATE/mlflow-auth.ini"
MLFLOW_ACCOUNTS=(admin trainer evaluator orchestrator inference)

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
  say "mlflow: installing $(grep -E '^[A-Za-z]' "$MLFLOW_REQUIREMENTS" | tr '\n' ' ')into $MLFLOW_VENV (once per clone, about a minute)"
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

# A password per account (and the key that signs the UI's CSRF tokens), created once: 48 hex digits
# from the kernel's random source, files readable by this user only.
mlflow_secrets() {
  local name file
  mkdir -p "$MLFLOW_SECRETS"
  chmod 700 "$MLFLOW_SECRETS"
  for name in "${MLFLOW_ACCOUNTS[@]/#/mlflow-}" mlflow-flask-secret; do
    file="$MLFLOW_SECRETS/$name"
    [[ -s "$file" ]] && continue
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$file.tmp") && mv "$file.tmp" "$file"
  done
  chmod 600 "$MLFLOW_SECRETS"/mlflow-*
}

# The basic-auth app's settings. default_permission NO_PERMISSIONS: an account may do only what its
# grants allow (mlflow_accounts.py), and what it created itself. The admin password is read from the
# environment only on the first start against an empty user store (MLflow ignores it afterwards).
mlflow_auth_config() {
  (umask 077 && cat >"$MLFLOW_AUTH_CONFIG" <<EOF
# Written by ./mlops up (deploy/local/parts/mlflow.sh); rewritten at every start.
[mlflow]
default_permission = NO_PERMISSIONS
database_uri = sqlite:///$STATE/mlflow-auth.db
admin_username = admin
authorization_function = mlflow.server.auth:authenticate_request_basic_auth
# A checked password is trusted for 60 s instead of hashing it (PBKDF2) on every request; with one
# worker, a password changed through the API takes effect at once all the same.
auth_cache_ttl_seconds = 60
EOF
  )
}

# The service accounts and their grants, made or updated as the admin (idempotent).
mlflow_accounts() {
  if ! "$MLFLOW_VENV/bin/python" "$ROOT/deploy/local/mlflow/mlflow_accounts.py" "$(mlflow_url)" "$MLFLOW_SECRETS" \
      >>"$LOGS/mlflow.log" 2>&1; then
    say "mlflow: could not set up the service accounts; the last lines of $LOGS/mlflow.log:"
    tail -n 5 "$LOGS/mlflow.log" | sed 's/^/    /' >&2
    return 1
  fi
}

# infra.env's MLflow credentials: MLOPS_MLFLOW_USER/_PASSWORD are the admin's (tests and tools),
# MLOPS_MLFLOW_<SERVICE>_USER/_PASSWORD each service's, which services.sh hands to that service as
# MLOPS_MLFLOW_USER/_PASSWORD.
mlflow_credentials_env() {
  local account
  echo "MLOPS_MLFLOW_USER=admin"
  echo "MLOPS_MLFLOW_PASSWORD=$(cat "$MLFLOW_SECRETS/mlflow-admin")"
  for account in "${MLFLOW_ACCOUNTS[@]:1}"; do
    echo "MLOPS_MLFLOW_${account^^}_USER=$account"
    echo "MLOPS_MLFLOW_${account^^}_PASSWORD=$(cat "$MLFLOW_SECRETS/mlflow-$account")"
  done
}

mlflow_url() { echo "http://127.0.0.1:$(part_port mlflow "$MLFLOW_PORT")"; }

mlflow_healthy() { http_ok "$(mlflow_url)/health"; }

mlflow_up() {
  local pid rc=0
  if pid="$(part_pid mlflow)"; then
    if wait_until 15 "$pid" mlflow_healthy; then
      say "mlflow: already running (pid $pid, $(mlflow_url))"
      # A password file removed to rotate it gets a new password here (docs/security.md).
      mlflow_secrets
      mlflow_accounts
      return
    fi
    say "mlflow: running (pid $pid) but /health does not answer; restarting it"
    mlflow_down
  fi
  require_free_port "$MLFLOW_PORT" MLOPS_MLFLOW_PORT mlflow || return 1
  command -v curl >/dev/null || { say "curl is missing: ./deploy/local/install-prerequisites.sh, or apt-get install curl"; return 1; }
  with_install_lock mlflow_install || return 1
  mkdir -p "$MLFLOW_ARTIFACTS"
  mlflow_secrets
  mlflow_auth_config
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
  #   PGPASSWORD: no URL-encoding in the store URI.
  # - the secrets reach the server through its environment, read from the files here: never on the
  #   command line, where every local user could read them in the process list.
  PGPASSWORD="$(pg_password "$PG_MLFLOW_ROLE")" \
    MLFLOW_AUTH_ADMIN_PASSWORD="$(cat "$MLFLOW_SECRETS/mlflow-admin")" \
    MLFLOW_FLASK_SERVER_SECRET_KEY="$(cat "$MLFLOW_SECRETS/mlflow-flask-secret")" \
    MLFLOW_AUTH_CONFIG_PATH="$MLFLOW_AUTH_CONFIG" \
    spawn mlflow "$MLFLOW_PORT" env MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false MLFLOW_DISABLE_TELEMETRY=true \
    DO_NOT_TRACK=true PYTHONUNBUFFERED=1 \
    "$MLFLOW_VENV/bin/mlflow" server --app-name basic-auth --host 127.0.0.1 --port "$MLFLOW_PORT" --workers 1 \
    --backend-store-uri "postgresql+psycopg2://$PG_MLFLOW_ROLE@127.0.0.1:$(part_port postgres "$PG_PORT")/mlflow" \
    --serve-artifacts --artifacts-destination "$MLFLOW_ARTIFACTS/" \
    --allowed-hosts "127.0.0.1,127.0.0.1:*,localhost,localhost:*"
  pid="$(cat "$(pid_file mlflow)")"
  wait_until "$MLFLOW_TIMEOUT" "$pid" mlflow_healthy || rc=$?
  ((rc == 0)) || { start_failed mlflow "$rc" "$pid"; return 1; }
  mlflow_accounts
}

mlflow_down() {
  local pid
  pid="$(part_pid mlflow)" || { say "mlflow: not running"; return 0; }
  say "mlflow: stopping (pid $pid)"
  stop_pid mlflow "$pid"
}
