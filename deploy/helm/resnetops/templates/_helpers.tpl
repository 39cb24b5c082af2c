{{/*
Names, labels and the pieces every workload shares. Component helpers take
(dict "ctx" $ "component" "<name>"), where <name> is a key of values.yaml.
*/}}

{{/* The release's prefix for every object: "<release>-resnetops", or the release name when it
already says resnetops. 40 characters leave room for the longest suffix under the 63 of a label. */}}
{{- define "resnetops.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "resnetops.componentName" -}}
{{- printf "%s-%s" (include "resnetops.fullname" .ctx) .component -}}
{{- end -}}

{{- define "resnetops.selectorLabels" -}}
app.kubernetes.io/name: resnetops
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "resnetops.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version }}
{{ include "resnetops.selectorLabels" . }}
app.kubernetes.io/part-of: resnetops
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}

{{/* The pods of this release, whatever their component: they may call each other. */}}
{{- define "resnetops.releasePodSelector" -}}
app.kubernetes.io/name: resnetops
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Access labels: a pod labelled resnetops.dev/<what>-client=true (and of this release) may
reach the in-chart Kafka, PostgreSQL or MLflow; the NetworkPolicies select on them. A CLI pod
you run yourself gets in with the same labels (NOTES.txt shows how). */}}
{{- define "resnetops.clientLabels" -}}
{{- $lines := list -}}
{{- range . }}{{ $lines = append $lines (printf "resnetops.dev/%s-client: \"true\"" .) }}{{ end -}}
{{- join "\n" $lines -}}
{{- end -}}

{{- define "resnetops.clientSelector" -}}
podSelector:
  matchLabels:
    app.kubernetes.io/instance: {{ .ctx.Release.Name }}
    resnetops.dev/{{ .what }}-client: "true"
{{- end -}}

{{/* Images: <registry>/resnetops/<name>:<tag>. */}}
{{- define "resnetops.image" -}}
{{- $tag := .ctx.Values.image.tag | default .ctx.Chart.AppVersion -}}
{{- printf "%s/resnetops/%s:%s" (.ctx.Values.image.registry | trimSuffix "/") .name $tag -}}
{{- end -}}

{{- define "resnetops.imagePullPolicy" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- .Values.image.pullPolicy | default (ternary "Always" "IfNotPresent" (hasSuffix "-SNAPSHOT" $tag)) -}}
{{- end -}}

{{/* A component's image name: the CUDA variant when its GPU is requested. */}}
{{- define "resnetops.componentImage" -}}
{{- $v := index .ctx.Values .component -}}
{{- $name := $v.imageName -}}
{{- if and $v.gpu $v.gpu.enabled -}}{{- $name = $v.gpu.imageName -}}{{- end -}}
{{- include "resnetops.image" (dict "ctx" .ctx "name" $name) -}}
{{- end -}}

{{/* requests/limits, plus the GPU limit when requested (an extended resource's request defaults
to its limit). */}}
{{- define "resnetops.componentResources" -}}
{{- $v := index .ctx.Values .component -}}
{{- $resources := deepCopy ($v.resources | default dict) -}}
{{- if and $v.gpu $v.gpu.enabled -}}
{{- $limits := $resources.limits | default dict -}}
{{- $_ := set $limits "nvidia.com/gpu" $v.gpu.count -}}
{{- $_ := set $resources "limits" $limits -}}
{{- end -}}
{{- toYaml $resources -}}
{{- end -}}

{{/* Whole cores of the CPU limit (else the request), at least 1: the thread count for libtorch
and ONNX Runtime, which otherwise size their pools by the node's cores and get throttled. */}}
{{- define "resnetops.cpuThreads" -}}
{{- $cpu := "" -}}
{{- with .limits }}{{ with .cpu }}{{ $cpu = toString . }}{{ end }}{{ end -}}
{{- if not $cpu }}{{ with .requests }}{{ with .cpu }}{{ $cpu = toString . }}{{ end }}{{ end }}{{ end -}}
{{- if not $cpu -}}
1
{{- else if hasSuffix "m" $cpu -}}
{{- max 1 (div (trimSuffix "m" $cpu | atoi) 1000) -}}
{{- else -}}
{{- max 1 (floor (float64 $cpu) | int) -}}
{{- end -}}
{{- end -}}

{{- define "resnetops.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "resnetops.fullname" .) -}}
{{- end -}}

{{/* Ports (the services' defaults, each moved by MLOPS_<NAME>_PORT). */}}
{{- define "resnetops.port" -}}
{{- get (dict "orchestrator" "8080" "ingestion" "8081" "trainer" "8082" "evaluator" "8083" "inference" "8084") . -}}
{{- end -}}

{{/* ---- Infrastructure addresses and secrets ---- */}}

{{- define "resnetops.kafkaClusterName" -}}
{{- include "resnetops.fullname" . -}}
{{- end -}}

{{/* The KafkaUser (and Secret) of a principal of the in-chart cluster: the name it logs in with. */}}
{{- define "resnetops.kafkaUser" -}}
{{- printf "%s-kafka-%s" (include "resnetops.fullname" .ctx) .principal -}}
{{- end -}}

{{- /* Each principal's ACLs, as deploy/local/kafka/access.conf lists them for the local stack: a service
may read and write exactly the topics, consumer groups and transactional ids its code uses; a name ending
in * is a prefix. Without the chart's KafkaTopics (kafka.strimzi.createTopics=false) the orchestrator,
which starts first, may also create the platform's topics (TopicSetup). */ -}}
{{- define "resnetops.kafkaAcls" -}}
orchestrator:
  - {type: topic, name: resnetops.datasets.commands, operations: [Write, Describe]}
  - {type: topic, name: resnetops.training.commands, operations: [Write, Describe]}
  - {type: topic, name: resnetops.training.control, operations: [Write, Describe]}
  - {type: topic, name: resnetops.models.events, operations: [Write, Describe]}
  - {type: topic, name: resnetops.training.events, operations: [Read, Describe]}
  - {type: topic, name: resnetops.datasets.events, operations: [Read, Describe]}
  - {type: group, name: orchestrator-live-*, operations: [Read]}
  {{- if not .Values.kafka.strimzi.createTopics }}
  - {type: topic, name: resnetops.*, operations: [Create]}
  {{- end }}
ingestion:
  - {type: topic, name: resnetops.datasets.commands, operations: [Read, Describe]}
  - {type: group, name: ingestion, operations: [Read]}
  - {type: topic, name: resnetops.datasets.events, operations: [Write, Describe]}
  - {type: topic, name: resnetops.datasets.commands.dlq, operations: [Write, Describe]}
trainer:
  - {type: topic, name: resnetops.training.commands, operations: [Read, Write, Describe]}
  - {type: group, name: trainer, operations: [Read]}
  - {type: topic, name: resnetops.training.control, operations: [Read, Describe]}
  - {type: group, name: trainer-control-*, operations: [Read]}
  - {type: topic, name: resnetops.training.events, operations: [Write, Describe]}
evaluator:
  - {type: topic, name: resnetops.training.events, operations: [Read, Describe]}
  - {type: group, name: evaluator, operations: [Read]}
  - {type: topic, name: resnetops.models.events, operations: [Write, Describe]}
inference:
  - {type: topic, name: resnetops.images, operations: [Read, Describe]}
  - {type: group, name: inference*, operations: [Read]}
  - {type: topic, name: resnetops.models.events, operations: [Read, Describe]}
  - {type: topic, name: resnetops.predictions, operations: [Write, Describe]}
  - {type: topic, name: resnetops.images.dlq, operations: [Write, Describe]}
  - {type: transactionalId, name: resnetops-inference-*, operations: [Write, Describe]}
stream-client:
  - {type: topic, name: resnetops.images, operations: [Write, Describe]}
  - {type: topic, name: resnetops.predictions, operations: [Read, Describe]}
  - {type: topic, name: resnetops.images.dlq, operations: [Read, Describe]}
{{- end -}}

{{- define "resnetops.kafkaBootstrap" -}}
{{- if .Values.kafka.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap:9092" (include "resnetops.kafkaClusterName" .) -}}
{{- else -}}
{{- .Values.kafka.external.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{- define "resnetops.cnpgClusterName" -}}
{{- printf "%s-postgresql" (include "resnetops.fullname" .) -}}
{{- end -}}

{{/* host:port of PostgreSQL: the in-chart cluster's read-write Service (always the primary). */}}
{{- define "resnetops.postgresqlHost" -}}
{{- if .Values.postgresql.cnpg.enabled -}}
{{- printf "%s-rw" (include "resnetops.cnpgClusterName" .) -}}
{{- else -}}
{{- .Values.postgresql.external.host -}}
{{- end -}}
{{- end -}}

{{- define "resnetops.postgresqlPort" -}}
{{- if .Values.postgresql.cnpg.enabled }}5432{{ else }}{{ .Values.postgresql.external.port }}{{ end -}}
{{- end -}}

{{- define "resnetops.postgresqlUser" -}}
{{- if .Values.postgresql.cnpg.enabled }}resnetops{{ else }}{{ .Values.postgresql.external.user }}{{ end -}}
{{- end -}}

{{- define "resnetops.postgresqlUrl" -}}
{{- $db := ternary "resnetops" .Values.postgresql.external.database .Values.postgresql.cnpg.enabled -}}
{{- $url := printf "jdbc:postgresql://%s:%s/%s" (include "resnetops.postgresqlHost" .) (include "resnetops.postgresqlPort" .) $db -}}
{{- if and (not .Values.postgresql.cnpg.enabled) .Values.postgresql.external.jdbcParameters -}}
{{- $url = printf "%s?%s" $url .Values.postgresql.external.jdbcParameters -}}
{{- end -}}
{{- $url -}}
{{- end -}}

{{- define "resnetops.postgresqlSecretName" -}}
{{- .Values.postgresql.existingSecret | default (printf "%s-db-resnetops" (include "resnetops.fullname" .)) -}}
{{- end -}}

{{/* The database role of a service: the names migrations/R__service_role_grants.sql grants to. */}}
{{- define "resnetops.serviceRole" -}}
{{- printf "resnetops_%s" . -}}
{{- end -}}

{{/* The services with a database role of their own, inference included (it connects, nothing more, yet). */}}
{{- define "resnetops.databaseServices" -}}
{{- list "orchestrator" "ingestion" "trainer" "evaluator" "inference" | toJson -}}
{{- end -}}

{{/* The Secret with a service's database password (arguments: ctx, component). */}}
{{- define "resnetops.serviceDbSecretName" -}}
{{- $existing := index .ctx.Values.postgresql.serviceRoles.existingSecrets .component | default "" -}}
{{- $existing | default (printf "%s-db-%s" (include "resnetops.fullname" .ctx) .component) -}}
{{- end -}}

{{- define "resnetops.mlflowDbSecretName" -}}
{{- .Values.mlflow.database.existingSecret | default (printf "%s-db-mlflow" (include "resnetops.fullname" .)) -}}
{{- end -}}

{{- define "resnetops.mlflowAccountsSecretName" -}}
{{- .Values.mlflow.auth.existingSecret | default (printf "%s-mlflow-accounts" (include "resnetops.fullname" .)) -}}
{{- end -}}

{{- /* Whether the services authenticate to MLflow: always with the in-chart server (its basic-auth app
is on), with an external one when mlflow.auth.existingSecret holds the accounts' passwords. */ -}}
{{- define "resnetops.mlflowAuth" -}}
{{- if or .Values.mlflow.enabled .Values.mlflow.auth.existingSecret }}true{{ end -}}
{{- end -}}

{{- define "resnetops.apiTokensSecretName" -}}
{{- .Values.apiTokens.existingSecret | default (printf "%s-api-tokens" (include "resnetops.fullname" .)) -}}
{{- end -}}

{{- define "resnetops.mlflowUrl" -}}
{{- if .Values.mlflow.enabled -}}
{{- printf "http://%s:5000" (include "resnetops.componentName" (dict "ctx" . "component" "mlflow")) -}}
{{- else -}}
{{- .Values.mlflow.external.url -}}
{{- end -}}
{{- end -}}

{{/* A generated secret value (base64), kept across upgrades: the value already in the cluster
when there is one (`lookup` sees nothing under `helm template`, which then generates anew). */}}
{{- define "resnetops.keptSecretValue" -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .name -}}
{{- $data := dict -}}
{{- if $existing }}{{ $data = $existing.data | default dict }}{{ end -}}
{{- if hasKey $data .key -}}
{{- index $data .key -}}
{{- else -}}
{{- randAlphaNum .length | b64enc -}}
{{- end -}}
{{- end -}}

{{/* ---- Pods ---- */}}

{{/* The images run as uid/gid 10001 (the image contract); fsGroup makes fresh volumes theirs. */}}
{{- define "resnetops.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "resnetops.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Settings of every pod of the release that are not about its containers. */}}
{{- define "resnetops.podCommon" -}}
{{- $ctx := .ctx -}}
{{- $v := index $ctx.Values .component -}}
serviceAccountName: {{ include "resnetops.serviceAccountName" $ctx }}
automountServiceAccountToken: false
{{- with $ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- include "resnetops.podSecurityContext" . | nindent 2 }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* An init container that waits until what the service needs at start answers (see
files/wait-for.sh), with the service's own image, so nothing else has to be pulled. */}}
{{- define "resnetops.waitForContainer" -}}
- name: wait-for-dependencies
  image: {{ .image }}
  imagePullPolicy: {{ include "resnetops.imagePullPolicy" .ctx }}
  command:
    - bash
    - /opt/resnetops/scripts/wait-for.sh
    {{- range .targets }}
    - {{ . | quote }}
    {{- end }}
  resources:
    requests: {cpu: 10m, memory: 16Mi}
    limits: {cpu: 100m, memory: 64Mi}
  securityContext:
    {{- include "resnetops.containerSecurityContext" . | nindent 4 }}
  volumeMounts:
    - name: scripts
      mountPath: /opt/resnetops/scripts
      readOnly: true
{{- end -}}

{{/* Started and alive: the process answers (live). Ready: its checks pass, background loops
included (ready). A dead or stuck loop therefore takes a pod out of its Service without a restart
(kubectl delete pod restarts it); a liveness on ready would restart services during every
PostgreSQL outage, and inference until a model is promoted. */}}
{{- define "resnetops.probes" -}}
{{- $headers := "" -}}
{{- with .host }}{{ $headers = printf ", httpHeaders: [{name: Host, value: %s}]" . }}{{ end -}}
startupProbe:
  httpGet: {path: {{ .live | default "/q/health/live" }}, port: {{ .port }}{{ $headers }}}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: {{ max 1 (div .ctx.Values.probes.startupTimeoutSeconds 5) }}
livenessProbe:
  httpGet: {path: {{ .live | default "/q/health/live" }}, port: {{ .port }}{{ $headers }}}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  httpGet: {path: {{ .ready | default "/q/health/ready" }}, port: {{ .port }}{{ $headers }}}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
{{- end -}}

{{/* The environment every service shares: its port, Kafka, MLflow, logs and the JVM's heap. */}}
{{- define "resnetops.commonEnv" -}}
{{- $ctx := .ctx -}}
{{- $v := index $ctx.Values .component -}}
- name: MLOPS_HTTP_HOST
  value: 0.0.0.0
- name: {{ printf "MLOPS_%s_PORT" (upper .component) }}
  value: {{ include "resnetops.port" .component | quote }}
- name: MLOPS_KAFKA_BOOTSTRAP
  value: {{ include "resnetops.kafkaBootstrap" $ctx | quote }}
- name: MLOPS_KAFKA_PARTITIONS
  value: {{ $ctx.Values.kafka.topics.partitions | quote }}
- name: MLOPS_KAFKA_REPLICATION_FACTOR
  value: {{ $ctx.Values.kafka.topics.replicationFactor | quote }}
{{- include "resnetops.kafkaLoginEnv" . }}
- name: MLOPS_MLFLOW_URL
  value: {{ include "resnetops.mlflowUrl" $ctx | quote }}
- name: MLOPS_JSON_LOGS
  value: {{ $ctx.Values.jsonLogs | quote }}
# The heap follows the memory limit (the images set no -Xmx: they leave the heap to this variable);
# an OutOfMemoryError ends the JVM so that Kubernetes restarts it, rather than leaving a half-working
# process behind.
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "-XX:MaxRAMPercentage=%v -XX:+ExitOnOutOfMemoryError" $v.maxRAMPercentage | quote }}
{{- end -}}

{{/* The service's own MLflow account (docs/security.md): user = the component, password from the
accounts Secret (key mlflow-<component>). Arguments: ctx, component. */}}
{{- define "resnetops.mlflowAccountEnv" -}}
{{- if include "resnetops.mlflowAuth" .ctx }}
- name: MLOPS_MLFLOW_USER
  value: {{ .component | quote }}
- name: MLOPS_MLFLOW_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "resnetops.mlflowAccountsSecretName" .ctx }}
      key: {{ printf "mlflow-%s" .component }}
{{- end }}
{{- end -}}


{{- /* The service's own Kafka principal (docs/security.md): in the in-chart cluster its KafkaUser and the
Secret Strimzi keeps its password in; for your Kafka, kafka.external.securityProtocol and, when your
brokers authenticate, the <service>-user and <service>-password keys of kafka.external.existingSecret. */ -}}
{{- define "resnetops.kafkaLoginEnv" -}}
{{- $ctx := .ctx -}}
{{- if $ctx.Values.kafka.strimzi.enabled }}
- name: MLOPS_KAFKA_USER
  value: {{ include "resnetops.kafkaUser" (dict "ctx" $ctx "principal" .component) | quote }}
- name: MLOPS_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "resnetops.kafkaUser" (dict "ctx" $ctx "principal" .component) }}
      key: password
{{- else }}
- name: MLOPS_KAFKA_SECURITY_PROTOCOL
  value: {{ $ctx.Values.kafka.external.securityProtocol | quote }}
{{- with $ctx.Values.kafka.external.existingSecret }}
- name: MLOPS_KAFKA_USER
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ printf "%s-user" $.component }}
- name: MLOPS_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ printf "%s-password" $.component }}
{{- end }}
{{- end }}
{{- end -}}


{{/* PostgreSQL for the services that keep state there and inference (it reads model_integrity): each its own role
(postgresql.serviceRoles), and for the orchestrator, whose Flyway migrations create and alter the
tables, the schema owner's login for those (MLOPS_PG_MIGRATION_*). Arguments: ctx, component. */}}
{{- define "resnetops.postgresqlEnv" -}}
{{- $ctx := .ctx -}}
- name: MLOPS_PG_URL
  value: {{ include "resnetops.postgresqlUrl" $ctx | quote }}
{{- if $ctx.Values.postgresql.serviceRoles.enabled }}
- name: MLOPS_PG_USER
  value: {{ include "resnetops.serviceRole" .component | quote }}
- name: MLOPS_PG_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "resnetops.serviceDbSecretName" . }}
      key: password
{{- if eq .component "orchestrator" }}
- name: MLOPS_PG_MIGRATION_USER
  value: {{ include "resnetops.postgresqlUser" $ctx | quote }}
- name: MLOPS_PG_MIGRATION_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "resnetops.postgresqlSecretName" $ctx }}
      key: password
{{- end }}
{{- else }}
- name: MLOPS_PG_USER
  value: {{ include "resnetops.postgresqlUser" $ctx | quote }}
- name: MLOPS_PG_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "resnetops.postgresqlSecretName" $ctx }}
      key: password
{{- end }}
{{- end -}}

{{- /* What verifies API tokens (orchestrator, inference): the public key's PEM text itself
(smallrye-jwt's mp.jwt.verify.publickey, so no volume) and the issuer. Without a key the variable is
left out and the service refuses to start with a message naming it. */ -}}
{{- define "resnetops.apiTokensEnv" -}}
- name: MLOPS_JWT_ISSUER
  value: {{ .Values.apiTokens.issuer | quote }}
{{- if or .Values.apiTokens.publicKey .Values.apiTokens.existingSecret }}
- name: MP_JWT_VERIFY_PUBLICKEY
  valueFrom:
    secretKeyRef:
      name: {{ include "resnetops.apiTokensSecretName" . }}
      key: {{ .Values.apiTokens.existingSecretKey }}
{{- end }}
{{- end -}}

{{/*
The pod template of a platform service. Arguments:
  ctx, component   as everywhere
  clients          what the pod may reach: a list of kafka, postgresql, mlflow (access labels)
  waitFor          wait-for.sh targets for the init container (empty: no init container)
  env              the component's own EnvVar list (YAML)
  volumes, mounts  the component's own volumes and mounts (YAML), besides /tmp and the scripts
*/}}
{{- define "resnetops.servicePodTemplate" -}}
{{- $ctx := .ctx -}}
{{- $v := index $ctx.Values .component -}}
{{- $port := include "resnetops.port" .component -}}
{{- $image := include "resnetops.componentImage" . -}}
metadata:
  labels:
    {{- include "resnetops.selectorLabels" . | nindent 4 }}
    {{- include "resnetops.clientLabels" .clients | nindent 4 }}
  annotations:
    # For Prometheus scrape configs that follow these annotations (Quarkus Micrometer endpoint).
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $port | quote }}
    prometheus.io/path: /q/metrics
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- include "resnetops.podCommon" . | nindent 2 }}
  terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds | default 30 }}
  {{- with .waitFor }}
  initContainers:
    {{- include "resnetops.waitForContainer" (dict "ctx" $ctx "image" $image "targets" .) | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ $image }}
      imagePullPolicy: {{ include "resnetops.imagePullPolicy" $ctx }}
      ports:
        - name: http
          containerPort: {{ $port }}
      env:
        {{- include "resnetops.commonEnv" . | nindent 8 }}
        {{- with .env }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with $v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      resources:
        {{- include "resnetops.componentResources" . | nindent 8 }}
      securityContext:
        {{- include "resnetops.containerSecurityContext" . | nindent 8 }}
      {{- include "resnetops.probes" (dict "ctx" $ctx "port" "http") | nindent 6 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- with .mounts }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with $v.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ $v.tmpSizeLimit }}
    - name: scripts
      configMap:
        name: {{ include "resnetops.fullname" $ctx }}-scripts
    {{- with .volumes }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- with $v.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* The shared data volume at the same path in ingestion, trainer and evaluator: the evaluator
reads checkpoints and shards by the absolute paths the others wrote. */}}
{{- define "resnetops.dataVolume" -}}
- name: data
  persistentVolumeClaim:
    claimName: {{ .Values.data.persistence.existingClaim | default (printf "%s-data" (include "resnetops.fullname" .)) }}
{{- end -}}

{{- define "resnetops.dataMount" -}}
- name: data
  mountPath: /var/lib/resnetops
{{- end -}}

{{/* Dataset sources (values: datasetSources): the orchestrator checks a source path exists, and
ingestion reads it, so both mount them at the same path. */}}
{{- define "resnetops.datasetSourcesVolume" -}}
{{- with .Values.datasetSources.volume }}
- name: dataset-sources
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "resnetops.datasetSourcesMount" -}}
{{- if .Values.datasetSources.volume }}
- name: dataset-sources
  mountPath: {{ .Values.datasetSources.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* What a service waits for before it starts: PostgreSQL and Kafka answering, and for all but
the orchestrator, the orchestrator ready (it has applied the migrations the others validate). */}}
{{- define "resnetops.waitForInfra" -}}
{{- $targets := list (printf "%s:%s" (include "resnetops.postgresqlHost" .ctx) (include "resnetops.postgresqlPort" .ctx)) (include "resnetops.kafkaBootstrap" .ctx) -}}
{{- if .orchestrator -}}
{{- $targets = append $targets (printf "http://%s:8080/q/health/ready" (include "resnetops.componentName" (dict "ctx" .ctx "component" "orchestrator"))) -}}
{{- end -}}
{{- toJson $targets -}}
{{- end -}}

{{/* The platform's topics (dev.resnetops.contracts.Topics). */}}
{{- define "resnetops.topics" -}}
- resnetops.datasets.commands
- resnetops.datasets.events
- resnetops.datasets.commands.dlq
- resnetops.training.commands
- resnetops.training.control
- resnetops.training.events
- resnetops.models.events
- resnetops.images
- resnetops.predictions
- resnetops.images.dlq
{{- end -}}
