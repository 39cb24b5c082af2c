#!/usr/bin/env bash
# Checks the Helm chart deploy/helm/resnetops offline, with no cluster:
#   1. helm lint --strict, with the default values and with values-gpu-external.yaml;
#   2. helm template of both, of the Strimzi v1 API variant, of check/values-toggles.yaml (the
#      optional parts switched the other way) and of the packaged chart (which must carry the
#      repository's workflows through the files/workflows symlink);
#   3. every rendered object against the schemas of Kubernetes $KUBE_VERSION (strict: unknown
#      fields are errors), the Strimzi and CloudNativePG custom resources against their operators'
#      CRDs; kinds that could not be validated are named;
#   4. each contradictory set of values must make helm template fail with the expected message.
# Prints a table and exits non-zero if anything failed.
#
# Installs what it needs once, under ${MLOPS_HOME:-<repo>/.mlops}/helm-check:
#   bin/helm          go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION (Go module proxy)
#   venv/             kubernetes-validate, jsonschema, PyYAML (PyPI, check/requirements.txt)
#   crds/strimzi-*    Strimzi's CRDs, from the test jar of io.strimzi:api on Maven Central (its
#                     build writes the generated CRDs there; the api jar itself has none)
#   crds/cnpg-*       CloudNativePG's CRDs, from its Go module (config/crd/bases)
# The downloads are cached where the clients keep them (~/go/pkg/mod, ~/.m2).
set -euo pipefail

HELM_VERSION=v3.21.4
KUBE_VERSION=1.34.0
STRIMZI_VERSION=0.51.0
CNPG_VERSION=v1.29.0

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CHART="$HERE/resnetops"
MLOPS_HOME="${MLOPS_HOME:-$ROOT/.mlops}"
TOOLS="$MLOPS_HOME/helm-check"
HELM="$TOOLS/bin/helm"
VENV="$TOOLS/venv"
STRIMZI_CRDS="$TOOLS/crds/strimzi-$STRIMZI_VERSION"
CNPG_CRDS="$TOOLS/crds/cnpg-$CNPG_VERSION"

started=$SECONDS
mkdir -p "$TOOLS"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { echo "check.sh: $*" >&2; }
rows=()
failures=0
warnings=0
row() { # status(ok|WARN|FAIL) check detail
  rows+=("$(printf '%-6s %-44s %s' "$1" "$2" "$3")")
  [[ $1 == FAIL ]] && failures=$((failures + 1))
  [[ $1 == WARN ]] && warnings=$((warnings + 1))
  return 0
}

# ---- tools (once; a lock keeps two runs sharing MLOPS_HOME from installing at the same time) ----

install_helm() {
  [[ -x $HELM && "$(cat "$TOOLS/bin/.helm-version" 2>/dev/null)" == "$HELM_VERSION" ]] && return 0
  command -v go >/dev/null || { say "go is needed to install helm (go install from the Go module proxy)"; return 1; }
  say "installing helm $HELM_VERSION into $TOOLS/bin (go install, 1-2 minutes the first time)"
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  echo "$HELM_VERSION" >"$TOOLS/bin/.helm-version"
}

install_venv() {
  local stamp
  stamp="$(sha256sum "$HERE/check/requirements.txt" | cut -d' ' -f1)"
  [[ -x $VENV/bin/python && "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" == "$stamp" ]] && return 0
  say "installing kubernetes-validate and jsonschema into $VENV (PyPI)"
  rm -rf "$VENV"
  "${MLOPS_PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/check/requirements.txt"
  echo "$stamp" >"$VENV/.requirements.sha256"
}

# Strimzi generates its CRDs at build time from the Java API model; the io.strimzi:api test jar
# keeps the generated set (crds/v1beta2: both API versions served, v1beta2 stored, as installed).
fetch_strimzi_crds() {
  [[ -f $STRIMZI_CRDS/040-Crd-kafka.yaml && -f $STRIMZI_CRDS/044-Crd-kafkauser.yaml ]] && return 0
  say "fetching Strimzi $STRIMZI_VERSION CRDs (io.strimzi:api:$STRIMZI_VERSION:tests, Maven Central)"
  (cd "$work" && "$ROOT/mvnw" -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    "-Dartifact=io.strimzi:api:$STRIMZI_VERSION:jar:tests" "-DoutputDirectory=$work/strimzi") >"$work/mvn.log" 2>&1 \
    || { tail -n 5 "$work/mvn.log" >&2; return 1; }
  # (Called in an `if`, where set -e does not apply: every step returns on failure itself.)
  rm -rf "$STRIMZI_CRDS.tmp" && mkdir -p "$STRIMZI_CRDS.tmp" || return 1
  "$VENV/bin/python" - "$work/strimzi/api-$STRIMZI_VERSION-tests.jar" "$STRIMZI_CRDS.tmp" <<'EOF' || return 1
import sys, zipfile, pathlib
jar, out = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(jar) as z:
    for name in ("040-Crd-kafka.yaml", "043-Crd-kafkatopic.yaml", "044-Crd-kafkauser.yaml",
                 "045-Crd-kafkanodepool.yaml"):
        (out / name).write_bytes(z.read(f"crds/v1beta2/{name}"))
EOF
  rm -rf "$STRIMZI_CRDS" # a set fetched by an older check.sh, without a CRD this one needs
  mv "$STRIMZI_CRDS.tmp" "$STRIMZI_CRDS"
}

fetch_cnpg_crds() {
  [[ -f $CNPG_CRDS/postgresql.cnpg.io_clusters.yaml ]] && return 0
  command -v go >/dev/null || { say "go is needed to fetch the CloudNativePG module"; return 1; }
  say "fetching CloudNativePG $CNPG_VERSION CRDs (its Go module)"
  local json dir
  json="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION")" \
    || { echo "$json" | tail -n 3 >&2; return 1; }
  dir="$(echo "$json" | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')" || return 1
  rm -rf "$CNPG_CRDS.tmp" && mkdir -p "$CNPG_CRDS.tmp" || return 1
  # Module files are read-only; the copies need not be.
  install -m 644 "$dir/config/crd/bases/postgresql.cnpg.io_clusters.yaml" \
    "$dir/config/crd/bases/postgresql.cnpg.io_databases.yaml" "$CNPG_CRDS.tmp/" || return 1
  mv "$CNPG_CRDS.tmp" "$CNPG_CRDS"
}

exec 9>"$TOOLS/.lock"
flock 9
install_helm
row ok "helm $HELM_VERSION" "$HELM"
install_venv
row ok "kubernetes-validate (Kubernetes $KUBE_VERSION)" "$(grep '^kubernetes-validate' "$HERE/check/requirements.txt")"
crd_args=()
if fetch_strimzi_crds; then
  crd_args+=(--crds "$STRIMZI_CRDS")
  row ok "Strimzi $STRIMZI_VERSION CRDs" "Kafka, KafkaNodePool, KafkaTopic, KafkaUser"
else
  row WARN "Strimzi $STRIMZI_VERSION CRDs" "not available (see the message above): Strimzi kinds NOT validated"
fi
if fetch_cnpg_crds; then
  crd_args+=(--crds "$CNPG_CRDS")
  row ok "CloudNativePG $CNPG_VERSION CRDs" "Cluster, Database"
else
  row WARN "CloudNativePG $CNPG_VERSION CRDs" "not available (see the message above): CloudNativePG kinds NOT validated"
fi
flock -u 9

# ---- lint and render ----

# Helm reports that it follows files/workflows; that is intended, so keep it out of the output.
helm_quiet() { "$HELM" "$@" 2> >(grep -v 'found symbolic link in path' >&2); }

example="$CHART/values-gpu-external.yaml"
for variant in default gpu-external; do
  args=()
  [[ $variant == gpu-external ]] && args=(-f "$example")
  if helm_quiet lint --strict --kube-version "$KUBE_VERSION" "$CHART" "${args[@]}" >"$work/lint-$variant.log" 2>&1; then
    row ok "helm lint --strict ($variant)" "$(grep -c '^\[' "$work/lint-$variant.log" || true) notes: $(grep '^\[' "$work/lint-$variant.log" | tr '\n' ' ')"
  else
    row FAIL "helm lint --strict ($variant)" "see below"
    cat "$work/lint-$variant.log" >&2
  fi
done

render() { # name helm-args...   (the renderings to validate are collected in $rendered)
  local name="$1"
  shift
  if helm_quiet template resnetops "$@" --namespace ml --kube-version "$KUBE_VERSION" >"$work/$name.yaml" 2>"$work/$name.err"; then
    row ok "helm template ($name)" "$(grep -c '^kind:' "$work/$name.yaml") objects"
    # The packaged chart renders the same objects as the directory: checked for its workflows only.
    [[ $name == packaged ]] || rendered+=("$work/$name.yaml")
  else
    row FAIL "helm template ($name)" "$(grep -v '^$' "$work/$name.err" | head -n 3 | tr '\n' ' ')"
  fi
}
rendered=()
render default "$CHART"
render gpu-external "$CHART" -f "$example"
render strimzi-v1-api "$CHART" --set kafka.strimzi.apiVersion=kafka.strimzi.io/v1
render toggles "$CHART" -f "$HERE/check/values-toggles.yaml"
# The packaged chart must carry the shipped workflows (Helm copies what the symlink points to).
if helm_quiet package "$CHART" -d "$work" >/dev/null; then
  render packaged "$work/resnetops-"*.tgz
  if workflows="$("$VENV/bin/python" "$HERE/check/packaged_workflows.py" "$work/packaged.yaml" "$ROOT/workflows" 2>&1)"; then
    row ok "helm package: workflows via symlink" "$workflows"
  else
    row FAIL "helm package: workflows via symlink" "$workflows"
  fi
else
  row FAIL "helm package" "could not package the chart"
fi

# ---- schemas ----

if ((${#rendered[@]})); then
  if "$VENV/bin/python" "$HERE/check/validate_manifests.py" --kube-version "$KUBE_VERSION" "${crd_args[@]}" \
      --expect-crd-group kafka.strimzi.io --expect-crd-group postgresql.cnpg.io "${rendered[@]}" >"$work/validate.log" 2>&1; then
    row ok "schemas (Kubernetes $KUBE_VERSION strict, CRDs)" "$(tail -n 1 "$work/validate.log")"
  else
    row FAIL "schemas (Kubernetes $KUBE_VERSION strict, CRDs)" "$(tail -n 1 "$work/validate.log")"
  fi
fi

# ---- contradictory values must fail, naming the value ----

# name | helm --set arguments | text the error must contain
cases=(
  "GPU without a CUDA image|--set trainer.gpu.enabled=true --set trainer.gpu.imageName=trainer|trainer.gpu.enabled is true but trainer.gpu.imageName"
  "CUDA image without a GPU|--set inference.imageName=inference-cuda|inference.imageName (\"inference-cuda\") is a CUDA image but inference.gpu.enabled is false"
  "no Kafka|--set kafka.strimzi.enabled=false|kafka.strimzi.enabled is false and kafka.external.bootstrapServers is empty"
  "Strimzi and external Kafka|--set kafka.external.bootstrapServers=kafka:9092|kafka.strimzi.enabled is true and kafka.external.bootstrapServers is set"
  "external SASL Kafka without logins|--set kafka.strimzi.enabled=false --set kafka.external.bootstrapServers=kafka:9092 --set kafka.external.securityProtocol=SASL_PLAINTEXT --set networkPolicy.egress.enabled=false|kafka.external.securityProtocol is SASL_PLAINTEXT but kafka.external.existingSecret is empty"
  "replication factor above brokers|--set kafka.strimzi.replicas=1|kafka.topics.replicationFactor (3) is larger than kafka.strimzi.replicas (1)"
  "min ISR above replication factor|--set kafka.topics.minInSyncReplicas=4|kafka.topics.minInSyncReplicas (4) is larger than kafka.topics.replicationFactor (3)"
  "external PostgreSQL without host|--set postgresql.cnpg.enabled=false|postgresql.cnpg.enabled is false and postgresql.external.host is empty"
  "external PostgreSQL without password|--set postgresql.cnpg.enabled=false --set postgresql.external.host=db --set networkPolicy.egress.enabled=false|postgresql.external.host is set but there is no password"
  "external PostgreSQL without service passwords|--set postgresql.cnpg.enabled=false --set postgresql.external.host=db --set postgresql.external.password=x --set postgresql.serviceRoles.passwords.trainer=y --set networkPolicy.egress.enabled=false|none for orchestrator, ingestion, evaluator, inference"
  "CNPG and external PostgreSQL|--set postgresql.external.host=db|postgresql.cnpg.enabled is true and postgresql.external.host is set"
  "in-chart MLflow on external DB without password|--set postgresql.cnpg.enabled=false --set postgresql.external.host=db --set postgresql.external.password=x --set networkPolicy.egress.enabled=false|mlflow.enabled with postgresql.external needs MLflow's database password"
  "no MLflow|--set mlflow.enabled=false|mlflow.enabled is false and mlflow.external.url is empty"
  "in-chart and external MLflow|--set mlflow.external.url=http://mlflow:5000|mlflow.enabled is true and mlflow.external.url is set"
  "S3 settings without an s3:// destination|--set mlflow.artifacts.s3EndpointUrl=http://minio:9000|mlflow.artifacts.s3EndpointUrl / s3ExistingSecret are set"
  "external infra behind restricted egress|--set kafka.strimzi.enabled=false --set kafka.external.bootstrapServers=kafka:9092|Kafka is external and networkPolicy.egress.extraRules is empty"
  "autoscaling min above max|--set inference.autoscaling.minReplicas=5 --set inference.autoscaling.maxReplicas=2|inference.autoscaling.minReplicas (5) is larger than inference.autoscaling.maxReplicas (2)"
  "dataset sources inside the data folder|--set datasetSources.volume.emptyDir.medium= --set datasetSources.mountPath=/var/lib/resnetops/sources|datasetSources.mountPath (\"/var/lib/resnetops/sources\") is inside a folder the services use"
  "workflow file name|--set-string workflows.extra.My_Flow\\.yaml=x|workflows.extra[\"My_Flow.yaml\"]"
  "registry localhost|--set image.registry=localhost|image.registry is \"localhost\""
  "schema: wrong type|--set trainer.replicas=two|at '/trainer/replicas': got string, want integer"
  "schema: unknown key|--set trainer.gpu.enabeld=true|additional properties 'enabeld' not allowed"
)
passed=0
for case in "${cases[@]}"; do
  IFS='|' read -r name set_args expected <<<"$case"
  read -ra argv <<<"$set_args"
  if "$HELM" template resnetops "$CHART" --kube-version "$KUBE_VERSION" "${argv[@]}" >/dev/null 2>"$work/case.err"; then
    row FAIL "must fail: $name" "helm template succeeded with $set_args"
  elif grep -qF -- "$expected" "$work/case.err"; then
    passed=$((passed + 1))
  else
    row FAIL "must fail: $name" "failed, but without \"$expected\": $(grep -v 'symbolic link' "$work/case.err" | tr '\n' ' ' | cut -c1-200)"
  fi
done
row "$([[ $passed == "${#cases[@]}" ]] && echo ok || echo FAIL)" "contradictory values refused" "$passed/${#cases[@]} cases failed with the expected message"

# ---- report ----

echo
echo "Helm chart check (deploy/helm/resnetops), $((SECONDS - started)) s"
printf '%-6s %-44s %s\n' "" "check" "result"
printf '%s\n' "${rows[@]}"
echo
echo "Schemas, per rendering (Kubernetes $KUBE_VERSION strict; the CRDs of Strimzi $STRIMZI_VERSION and CloudNativePG $CNPG_VERSION):"
grep -v '^[0-9]* invalid' "$work/validate.log" 2>/dev/null | sed 's/^/  /' || true
echo
if ((failures)); then
  echo "$failures check(s) FAILED"
  exit 1
fi
if ((warnings)); then
  echo "all checks passed, with $warnings warning(s): what was not checked is named above"
else
  echo "all checks passed"
fi
