{{/*
Values that contradict each other, refused at render time (helm template / install / upgrade)
with every problem at once, each naming the values to change. Types and ranges are checked
earlier by values.schema.json.
*/}}
{{- define "resnetops.validate" -}}
{{- $v := .Values -}}
{{- $problems := list -}}

{{- /* Images */ -}}
{{- if not $v.image.registry -}}
{{- $problems = append $problems "image.registry is empty: set the registry your nodes pull the resnetops images from" -}}
{{- else if eq $v.image.registry "localhost" -}}
{{- $problems = append $problems "image.registry is \"localhost\", the local podman store, which no node can pull from: push the images to a registry and set image.registry to it" -}}
{{- end -}}
{{- range $component := list "trainer" "inference" -}}
{{- $c := index $v $component -}}
{{- if $c.gpu.enabled -}}
{{- if not (contains "cuda" $c.gpu.imageName) -}}
{{- $problems = append $problems (printf "%s.gpu.enabled is true but %s.gpu.imageName (%q) is not a CUDA image: a CPU build cannot use the GPU it holds; use %s-cuda" $component $component $c.gpu.imageName $component) -}}
{{- end -}}
{{- else if contains "cuda" $c.imageName -}}
{{- $problems = append $problems (printf "%s.imageName (%q) is a CUDA image but %s.gpu.enabled is false: set %s.gpu.enabled=true (it requests the GPU) or use the CPU image %q" $component $c.imageName $component $component $component) -}}
{{- end -}}
{{- end -}}

{{- /* Kafka: the release's own (Strimzi) or yours, exactly one */ -}}
{{- if and $v.kafka.strimzi.enabled $v.kafka.external.bootstrapServers -}}
{{- $problems = append $problems "kafka.strimzi.enabled is true and kafka.external.bootstrapServers is set: use one Kafka; for yours set kafka.strimzi.enabled=false" -}}
{{- else if and (not $v.kafka.strimzi.enabled) (not $v.kafka.external.bootstrapServers) -}}
{{- $problems = append $problems "no Kafka: kafka.strimzi.enabled is false and kafka.external.bootstrapServers is empty; set your brokers (host:port,...) or enable the in-chart Strimzi cluster" -}}
{{- end -}}
{{- if and (not $v.kafka.strimzi.enabled) (hasPrefix "SASL_" $v.kafka.external.securityProtocol) (not $v.kafka.external.existingSecret) -}}
{{- $problems = append $problems (printf "kafka.external.securityProtocol is %s but kafka.external.existingSecret is empty: the services need a login to your brokers (keys <service>-user and <service>-password)" $v.kafka.external.securityProtocol) -}}
{{- end -}}
{{- $topics := $v.kafka.topics -}}
{{- if gt (int $topics.minInSyncReplicas) (int $topics.replicationFactor) -}}
{{- $problems = append $problems (printf "kafka.topics.minInSyncReplicas (%v) is larger than kafka.topics.replicationFactor (%v): no write could ever be acknowledged" $topics.minInSyncReplicas $topics.replicationFactor) -}}
{{- end -}}
{{- if and $v.kafka.strimzi.enabled (gt (int $topics.replicationFactor) (int $v.kafka.strimzi.replicas)) -}}
{{- $problems = append $problems (printf "kafka.topics.replicationFactor (%v) is larger than kafka.strimzi.replicas (%v): a topic cannot have more replicas than there are brokers" $topics.replicationFactor $v.kafka.strimzi.replicas) -}}
{{- end -}}

{{- /* PostgreSQL: the release's own (CloudNativePG) or yours, exactly one */ -}}
{{- $pg := $v.postgresql -}}
{{- if and $pg.cnpg.enabled $pg.external.host -}}
{{- $problems = append $problems "postgresql.cnpg.enabled is true and postgresql.external.host is set: use one PostgreSQL; for yours set postgresql.cnpg.enabled=false" -}}
{{- else if and (not $pg.cnpg.enabled) (not $pg.external.host) -}}
{{- $problems = append $problems "no PostgreSQL: postgresql.cnpg.enabled is false and postgresql.external.host is empty; set your server's host or enable the in-chart CloudNativePG cluster" -}}
{{- else if and $pg.external.host (not $pg.existingSecret) (not $pg.external.password) -}}
{{- $problems = append $problems "postgresql.external.host is set but there is no password: set postgresql.existingSecret (a Secret with the key `password`) or postgresql.external.password" -}}
{{- end -}}

{{- if and $pg.external.host $pg.serviceRoles.enabled -}}
{{- $missing := list -}}
{{- range $service := include "resnetops.databaseServices" . | fromJsonArray -}}
{{- if not (or (index $pg.serviceRoles.existingSecrets $service) (index $pg.serviceRoles.passwords $service)) -}}
{{- $missing = append $missing $service -}}
{{- end -}}
{{- end -}}
{{- if $missing -}}
{{- $problems = append $problems (printf "postgresql.external with postgresql.serviceRoles.enabled needs the password of each service's role (resnetops_<service>, created on your server): none for %s; set postgresql.serviceRoles.existingSecrets.<service> or .passwords.<service>, or postgresql.serviceRoles.enabled=false" (join ", " $missing)) -}}
{{- end -}}
{{- end -}}

{{- /* MLflow: the release's own or yours, exactly one */ -}}
{{- $m := $v.mlflow -}}
{{- if and $m.enabled $m.external.url -}}
{{- $problems = append $problems "mlflow.enabled is true and mlflow.external.url is set: use one MLflow; for yours set mlflow.enabled=false" -}}
{{- else if and (not $m.enabled) (not $m.external.url) -}}
{{- $problems = append $problems "no MLflow: mlflow.enabled is false and mlflow.external.url is empty; set your tracking server's URL or enable the in-chart MLflow" -}}
{{- end -}}
{{- if and $m.enabled (not $pg.cnpg.enabled) (not $m.database.existingSecret) (not $m.database.password) -}}
{{- $problems = append $problems "mlflow.enabled with postgresql.external needs MLflow's database password: set mlflow.database.existingSecret or mlflow.database.password (and create the database and role on your server)" -}}
{{- end -}}
{{- if $m.enabled -}}
{{- $s3 := hasPrefix "s3://" $m.artifacts.destination -}}
{{- if and $m.artifacts.destination (not $s3) -}}
{{- $problems = append $problems (printf "mlflow.artifacts.destination (%q) is neither empty (the artifact volume) nor an s3:// URI" $m.artifacts.destination) -}}
{{- end -}}
{{- if and (not $s3) (or $m.artifacts.s3EndpointUrl $m.artifacts.s3ExistingSecret) -}}
{{- $problems = append $problems "mlflow.artifacts.s3EndpointUrl / s3ExistingSecret are set but mlflow.artifacts.destination is not an s3:// URI: artifacts would go to the volume and the S3 settings be ignored" -}}
{{- end -}}
{{- if and $s3 $m.artifacts.persistence.existingClaim -}}
{{- $problems = append $problems "mlflow.artifacts.destination is an s3:// URI and mlflow.artifacts.persistence.existingClaim is set: the claim would not be used; drop one" -}}
{{- end -}}
{{- end -}}

{{- /* Scaling */ -}}
{{- $as := $v.inference.autoscaling -}}
{{- if and $as.enabled (gt (int $as.minReplicas) (int $as.maxReplicas)) -}}
{{- $problems = append $problems (printf "inference.autoscaling.minReplicas (%v) is larger than inference.autoscaling.maxReplicas (%v)" $as.minReplicas $as.maxReplicas) -}}
{{- end -}}

{{- /* Dataset sources: their own folder, not one the services write or read otherwise */ -}}
{{- $sources := $v.datasetSources.mountPath | trimSuffix "/" -}}
{{- if and $v.datasetSources.volume (or (eq $sources "/var/lib/resnetops") (hasPrefix "/var/lib/resnetops/" $sources) (eq $sources "/tmp") (hasPrefix "/tmp/" $sources) (hasPrefix "/etc/resnetops" $sources)) -}}
{{- $problems = append $problems (printf "datasetSources.mountPath (%q) is inside a folder the services use (/var/lib/resnetops, /tmp, /etc/resnetops): mount the sources elsewhere, e.g. /mnt/datasets" $v.datasetSources.mountPath) -}}
{{- end -}}

{{- /* Workflows: the orchestrator only lists files named like a workflow */ -}}
{{- range $name, $_ := $v.workflows.extra -}}
{{- if not (regexMatch "^[a-z0-9_-]+\\.ya?ml$" $name) -}}
{{- $problems = append $problems (printf "workflows.extra[%q]: a workflow file is named <name>.yaml with lower-case letters, digits, '-' and '_' (its name: field plus .yaml)" $name) -}}
{{- end -}}
{{- end -}}

{{- /* Network policies: restricted egress must be told where external infrastructure is */ -}}
{{- $np := $v.networkPolicy -}}
{{- if and $np.enabled $np.egress.enabled (not $np.egress.extraRules) -}}
{{- $external := list -}}
{{- if $v.kafka.external.bootstrapServers }}{{ $external = append $external "Kafka" }}{{ end -}}
{{- if $pg.external.host }}{{ $external = append $external "PostgreSQL" }}{{ end -}}
{{- if $m.external.url }}{{ $external = append $external "MLflow" }}{{ end -}}
{{- if $external -}}
{{- $problems = append $problems (printf "networkPolicy.egress.enabled restricts the services' connections, but %s is external and networkPolicy.egress.extraRules is empty: add a rule for its address and port, or set networkPolicy.egress.enabled=false" (join ", " $external)) -}}
{{- end -}}
{{- end -}}

{{- if $problems -}}
{{- fail (printf "\n\nresnetops: the values contradict each other:\n  - %s\n" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}
