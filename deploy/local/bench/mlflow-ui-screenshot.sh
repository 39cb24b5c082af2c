#!/usr/bin/env bash
# Screenshots of the MLflow UI of a running stack, as a browser that never used it sees it: the
# experiment's runs table and one run's overview, in headless Chromium. Docs and reviews use them to
# check what the UI shows (the model-training view, the Dataset column, the run's dataset inputs).
#
#   ./mlops up && ./mlops demo          # (or any job) so the experiment has runs
#   deploy/local/bench/mlflow-ui-screenshot.sh [--experiment NAME] [--run RUN_ID] [--out DIR] [--size WxH]
#
# Defaults: the experiment fashion-mnist (the demo's: jobs go to the experiment named after their
# dataset), its newest run, DIR docs/images, size 1400x900. Writes DIR/mlflow-experiment.png and
# DIR/mlflow-run.png and prints their paths.
#
# MLflow has basic-auth on (docs/security.md, "MLflow"). Chromium cannot be handed a header, and a
# password in the URL would sit on its command line (ps) and in its history, so the browser talks to a
# loopback proxy (mlflow_ui_proxy.py) that adds the admin's login read from the state folder; the
# password is never printed nor passed as an argument. Installs Chromium (Debian package) when missing.
# MLOPS_INFRA_STATE selects another stack's state folder (default .mlops/infra).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
STATE="${MLOPS_INFRA_STATE:-${MLOPS_HOME:-$ROOT/.mlops}/infra}"
EXPERIMENT=fashion-mnist
RUN_ID=""
OUT="$ROOT/docs/images"
SIZE=1400,900
say() { echo "mlflow-ui-screenshot: $*" >&2; }
die() { say "$*"; exit 1; }

while (($#)); do
  case "$1" in
    --experiment) EXPERIMENT="${2:?--experiment needs a name}"; shift 2 ;;
    --run) RUN_ID="${2:?--run needs a run id}"; shift 2 ;;
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    --size) [[ "${2:-}" =~ ^[0-9]+x[0-9]+$ ]] || die "--size wants WIDTHxHEIGHT, e.g. 1400x900, got '${2:-}'"
      SIZE="${2/x/,}"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

ENV_FILE="$STATE/infra.env"
PASSWORD_FILE="$STATE/secrets/mlflow-admin"
[[ -f "$ENV_FILE" ]] || die "no $ENV_FILE: start the stack first (./mlops up)"
[[ -s "$PASSWORD_FILE" ]] || die "no MLflow admin password in $PASSWORD_FILE: is $STATE the state folder of ./mlops up?"
MLFLOW_URL="$(sed -n 's/^MLOPS_MLFLOW_URL=//p' "$ENV_FILE")"
[[ -n "$MLFLOW_URL" ]] || die "$ENV_FILE has no MLOPS_MLFLOW_URL"

if ! command -v chromium >/dev/null; then
  [[ "$(id -u)" == 0 ]] || die "Chromium is not installed: apt-get install -y chromium (as root), then run this again"
  say "installing Chromium (apt-get install -y chromium)"
  apt-get install -y -q chromium >/dev/null || die "apt-get install chromium failed (run apt-get update first?)"
fi

WORK="$(mktemp -d)"
PROXY_PID=""
cleanup() {
  [[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 "$HERE/mlflow_ui_proxy.py" "$MLFLOW_URL" admin "$PASSWORD_FILE" >"$WORK/proxy.port" 2>"$WORK/proxy.log" &
PROXY_PID=$!
for _ in $(seq 50); do [[ -s "$WORK/proxy.port" ]] && break; sleep 0.1; done
PORT="$(head -n 1 "$WORK/proxy.port")"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "the login proxy did not start: $(cat "$WORK/proxy.log")"
PROXY="http://127.0.0.1:$PORT"

# The experiment's id and its newest run (or the one asked for), through the proxy's login.
read -r EXPERIMENT_ID RUN_ID < <(python3 - "$PROXY" "$EXPERIMENT" "$RUN_ID" <<'PY'
import json, sys, urllib.parse, urllib.request, urllib.error
proxy, name, run = sys.argv[1:4]
def call(path, body=None):
    request = urllib.request.Request(proxy + path, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as e:
        sys.exit(f"MLflow answered {e.code} to {path}: {e.read().decode(errors='replace')[:300]}")
experiment = call("/api/2.0/mlflow/experiments/get-by-name?" + urllib.parse.urlencode({"experiment_name": name}))
experiment_id = experiment["experiment"]["experiment_id"]
if not run:
    runs = call("/api/2.0/mlflow/runs/search", {"experiment_ids": [experiment_id], "max_results": 1,
                                                 "order_by": ["attributes.start_time DESC"]}).get("runs", [])
    if not runs:
        sys.exit(f"experiment '{name}' ({experiment_id}) has no runs yet: run ./mlops demo or submit a job")
    run = runs[0]["info"]["run_id"]
print(experiment_id, run)
PY
) || die "cannot find the experiment '$EXPERIMENT' or its runs (see above)"

# A fresh profile per page: no remembered view, as a first visit. The virtual time budget lets the
# single-page app fetch and draw before the picture is taken. Chromium's own chatter goes to a log.
# On the loaded 2-core machine one Chromium in a few hung until the timeout without a picture: a
# second try with a new profile has always worked.
shoot() {
  local file="$1" route="$2" try
  for try in 1 2; do
    rm -rf "$WORK/profile" "$file"
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/profile" \
      --window-size="$SIZE" --virtual-time-budget=20000 --screenshot="$file" "$PROXY/#$route" \
      >>"$WORK/chromium.log" 2>&1 && [[ -s "$file" ]] && { echo "$file"; return 0; }
    say "Chromium gave no picture of $route (try $try of 2)"
  done
  die "Chromium failed on $route: $(tail -n 5 "$WORK/chromium.log")"
}

mkdir -p "$OUT"
# The links the platform prints carry workflowType=machine_learning (MlflowUiLinks explains why).
shoot "$OUT/mlflow-experiment.png" "/experiments/$EXPERIMENT_ID/runs?workflowType=machine_learning"
shoot "$OUT/mlflow-run.png" "/experiments/$EXPERIMENT_ID/runs/$RUN_ID?workflowType=machine_learning"
