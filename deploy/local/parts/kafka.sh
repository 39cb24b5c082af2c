#!/usr/bin/env bash
# Apache Kafka, one KRaft node (broker + controller in one JVM), from the Maven Central jars listed in
# deploy/local/kafka/pom.xml. Sourced by infra.sh.

KAFKA_DIR="$STATE/kafka"
KAFKA_POM="$ROOT/deploy/local/kafka/pom.xml"
KAFKA_STAMP="$KAFKA_LIBS/.pom.sha256"

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

kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Written by deploy/local/parts/kafka.sh on every start (edit the script, not this file).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$KAFKA_DIR/data

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
      return 0
    fi
    say "kafka: running (pid $pid) but its port does not answer; restarting it"
    kafka_down
  fi
  require_free_port "$KAFKA_PORT" MLOPS_KAFKA_PORT kafka || return 1
  require_free_port "$KAFKA_CONTROLLER_PORT" MLOPS_KAFKA_CONTROLLER_PORT "kafka (controller)" || return 1
  java="$(kafka_java)" || return 1
  with_install_lock kafka_fetch_libs || return 1
  cp="$KAFKA_LIBS/*"
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
}

kafka_down() {
  local pid
  pid="$(part_pid kafka)" || { say "kafka: not running"; return 0; }
  say "kafka: stopping (pid $pid)"
  stop_pid kafka "$pid"
}
