#!/usr/bin/env bash
# Apache Kafka, one KRaft node (broker + controller in one JVM), from the Maven Central jars listed in
# deploy/local/kafka/pom.xml. Sourced by infra.sh.

KAFKA_DIR="$STATE/kafka"
KAFKA_POM="$ROOT/deploy/local/kafka/pom.xml"
KAFKA_STAMP="$KAFKA_LIBS/.pom.sha256"
# Who may do what (topics, principals, ACLs), applied by KafkaAccess.java after every start.
KAFKA_ACCESS="$ROOT/deploy/local/kafka/access.conf"
# The passwords: one file per principal, kafka-<principal>, mode 600 in a folder of mode 700.
SECRETS="$STATE/secrets"
# The broker's own principal: the controller listener, the broker's connections to itself, and
# KafkaAccess's login (SASL/PLAIN, whose only user is written into server.properties).
KAFKA_BROKER_PRINCIPAL=broker
# Partitions of the topics the admin creates (those of the training commands bound the parallel workers).
KAFKA_PARTITIONS="${MLOPS_KAFKA_PARTITIONS:-6}"

# Downloads the broker's jars once per clone (again only when the pom changes).
kafka_libs_current() {
  [[ -f "$KAFKA_STAMP" && "$(cat "$KAFKA_STAMP")" == "$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)" ]]
}

kafka_fetch_libs() {
  kafka_libs_current && return 0
  say "kafka: downloading the broker jars into $KAFKA_LIBS (once per clone)"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS" "$LOGS"
  if ! (cd "$ROOT" && ./mvnw -q -B -ntp -f "$KAFKA_POM" dependency:copy-dependencies \
      -DoutputDirectory="$KAFKA_LIBS" >"$LOGS/kafka-download.log" 2>&1); then
    say "kafka: downloading the jars failed (Maven Central unreachable?); the last lines of $LOGS/kafka-download.log:"
    tail -n 30 "$LOGS/kafka-download.log" | sed 's/^/    /' >&2
    rm -rf "$KAFKA_LIBS"
    return 1
  fi
  sha256sum "$KAFKA_POM" | cut -d' ' -f1 >"$KAFKA_STAMP"
  [[ -s "$LOGS/kafka-download.log" ]] || rm -f "$LOGS/kafka-download.log"
}

# The JVM command of a Kafka tool or the broker (classpath = the downloaded jars).
kafka_java() {
  local java
  java="$(java_bin)"
  [[ -n "$java" ]] || { say "no Java found: install a JDK 17+ (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"; return 1; }
  echo "$java"
}

# slf4j-simple to stderr with timestamps; the config dumps (hundreds of lines per client) only at WARN.
KAFKA_LOG_OPTS=(-Dorg.slf4j.simpleLogger.showDateTime=true
  "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS"
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn)

# The principals of access.conf, and the broker's own.
kafka_principals() {
  echo "$KAFKA_BROKER_PRINCIPAL"
  awk '$1 == "user" { print $2 }' "$KAFKA_ACCESS"
}

# A password per principal, made once and kept (a file removed gets a new one at the next up: rotation).
# Hex, so it needs no quoting in a JAAS line, a properties file or a YAML value.
kafka_ensure_secrets() {
  local principal file
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  while read -r principal; do
    file="$SECRETS/kafka-$principal"
    if [[ ! -s "$file" ]]; then
      (umask 077 && openssl rand -hex 24 >"$file.tmp") && mv "$file.tmp" "$file" \
        || { say "kafka: cannot write the password file $file"; return 1; }
    fi
    chmod 600 "$file"
  done < <(kafka_principals)
}

kafka_secret() { cat "$SECRETS/kafka-$1"; }

# The Kafka logins (SASL/SCRAM, docs/security.md): MLOPS_KAFKA_USER/_PASSWORD is the admin, for tests
# and tools; every service's principal is MLOPS_KAFKA_<SERVICE>_USER/_PASSWORD, which the launcher
# (parts/services.sh) hands to that service as its MLOPS_KAFKA_USER/_PASSWORD; the CLI's ./mlops stream
# reads MLOPS_KAFKA_STREAM_CLIENT_USER/_PASSWORD.
kafka_logins_env() {
  local principal var
  echo "MLOPS_KAFKA_USER=admin"
  echo "MLOPS_KAFKA_PASSWORD=$(kafka_secret admin)"
  while read -r principal; do
    [[ "$principal" == admin || "$principal" == "$KAFKA_BROKER_PRINCIPAL" ]] && continue
    var="MLOPS_KAFKA_$(echo "$principal" | tr '[:lower:]-' '[:upper:]_')"
    echo "${var}_USER=$principal"
    echo "${var}_PASSWORD=$(kafka_secret "$principal")"
  done < <(kafka_principals)
}

# The broker's configuration, with its own password in it: mode 600 like the secrets (also when an
# older file, written before the password was in it, is already there: umask applies to new files only).
kafka_write_config() {
  local broker_password
  broker_password="$(kafka_secret "$KAFKA_BROKER_PRINCIPAL")"
  mkdir -p "$KAFKA_DIR/data"
  rm -f "$KAFKA_DIR/server.properties" "$KAFKA_DIR/broker-client.properties"
  (umask 077 && cat >"$KAFKA_DIR/server.properties") <<EOF
# Written by deploy/local/parts/kafka.sh on every start (edit the script, not this file).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=CLIENT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=CLIENT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=CLIENT
controller.listener.names=CONTROLLER
log.dirs=$KAFKA_DIR/data

# Authentication (docs/security.md). Clients log in with SCRAM-SHA-512; their credentials live in the
# cluster's metadata, set by KafkaAccess.java. SCRAM cannot serve the controller listener (the controller
# must authenticate the broker before any metadata, and so any SCRAM credential, is readable), and a
# PLAINTEXT controller listener would let anyone in as ANONYMOUS, which would then need super-user rights.
# So the controller listener and the broker's connections to itself (transaction markers) use SASL/PLAIN
# with the one user defined here, the broker's own principal. The client listener takes PLAIN for that
# user too: KafkaAccess logs in with it to create the first SCRAM credentials, also in a cluster formatted
# before authentication existed. (Not storage-format --add-scram: it takes passwords on the command line,
# where every local user sees them, and cannot reach a cluster formatted earlier.)
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.client.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$KAFKA_BROKER_PRINCIPAL" password="$broker_password" user_$KAFKA_BROKER_PRINCIPAL="$broker_password";
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$KAFKA_BROKER_PRINCIPAL" password="$broker_password" user_$KAFKA_BROKER_PRINCIPAL="$broker_password";
sasl.mechanism.controller.protocol=PLAIN

# Authorisation: nothing without an ACL (deploy/local/kafka/access.conf), except for the broker itself
# and admin (infra scripts and tests).
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$KAFKA_BROKER_PRINCIPAL;User:admin

auto.create.topics.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
# One node: the internal topics must not ask for three replicas, or consumer groups and
# transactions (the outbox) never become available.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests join and leave groups all the time; do not hold the first rebalance for 3 s.
group.initial.rebalance.delay.ms=0
log.retention.hours=168
EOF
  (umask 077 && cat >"$KAFKA_DIR/broker-client.properties") <<EOF
# KafkaAccess.java's login as the broker's own principal (written by deploy/local/parts/kafka.sh).
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$KAFKA_BROKER_PRINCIPAL" password="$broker_password";
EOF
}

# Topics, SCRAM credentials and ACLs as access.conf says (idempotent; KafkaAccess.java).
kafka_apply_access() {
  local java
  java="$(kafka_java)" || return 1
  if ! "$java" "${KAFKA_LOG_OPTS[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_LIBS/*" \
      "$ROOT/deploy/local/kafka/KafkaAccess.java" "127.0.0.1:$(part_port kafka "$KAFKA_PORT")" \
      "$KAFKA_DIR/broker-client.properties" "$KAFKA_ACCESS" "$SECRETS" "$KAFKA_PARTITIONS" \
      >>"$LOGS/kafka-access.log" 2>&1; then
    say "kafka: setting up the principals and ACLs failed; the last lines of $LOGS/kafka-access.log:"
    tail -n 20 "$LOGS/kafka-access.log" | sed 's/^/    /' >&2
    return 1
  fi
}

kafka_healthy() {
  port_open "$(part_port kafka "$KAFKA_PORT")"
}

# Readiness of a fresh start: the broker said so in the part of the log written since this start,
# and the listener accepts connections.
kafka_started_since() {
  tail -c "+$(($1 + 1))" "$LOGS/kafka.log" 2>/dev/null | grep -q "Kafka Server started" && port_open "$KAFKA_PORT"
}

kafka_up() {
  local java pid offset cluster_id cp rc=0
  if pid="$(part_pid kafka)"; then
    if wait_until 10 "$pid" kafka_healthy; then
      say "kafka: already running (pid $pid, 127.0.0.1:$(part_port kafka "$KAFKA_PORT"))"
      kafka_ensure_secrets && kafka_apply_access
      return
    fi
    say "kafka: running (pid $pid) but its port does not answer; restarting it"
    kafka_down
  fi
  require_free_port "$KAFKA_PORT" MLOPS_KAFKA_PORT kafka || return 1
  require_free_port "$KAFKA_CONTROLLER_PORT" MLOPS_KAFKA_CONTROLLER_PORT "kafka (controller)" || return 1
  java="$(kafka_java)" || return 1
  with_install_lock kafka_fetch_libs || return 1
  cp="$KAFKA_LIBS/*"
  kafka_ensure_secrets || return 1
  kafka_write_config
  mkdir -p "$LOGS"
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    say "kafka: formatting the storage in $KAFKA_DIR/data (first start)"
    cluster_id="$("$java" "${KAFKA_LOG_OPTS[@]}" -cp "$cp" kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka.log" | tail -n1)"
    if [[ -z "$cluster_id" ]] || ! "$java" "${KAFKA_LOG_OPTS[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" \
        -c "$KAFKA_DIR/server.properties" >>"$LOGS/kafka.log" 2>&1; then
      start_failed kafka "formatting the storage failed"
      return 1
    fi
  fi
  say "kafka: starting on 127.0.0.1:$KAFKA_PORT (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT)"
  echo "=== mlops: starting kafka at $(date -Is) ===" >>"$LOGS/kafka.log"
  offset="$(stat -c %s "$LOGS/kafka.log")"
  # slf4j-simple logs to stderr, which spawn() appends to logs/kafka.log.
  spawn kafka "$KAFKA_PORT" "$java" -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dmlops.part=kafka "${KAFKA_LOG_OPTS[@]}" -cp "$cp" kafka.Kafka "$KAFKA_DIR/server.properties"
  pid="$(cat "$(pid_file kafka)")"
  wait_until "$KAFKA_TIMEOUT" "$pid" kafka_started_since "$offset" || rc=$?
  ((rc == 0)) || { start_failed kafka "$rc" "$pid"; return 1; }
  kafka_apply_access
}

kafka_down() {
  local pid
  pid="$(part_pid kafka)" || { say "kafka: not running"; return 0; }
  say "kafka: stopping (pid $pid)"
  stop_pid kafka "$pid"
}
