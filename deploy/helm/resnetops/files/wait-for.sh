#!/usr/bin/env bash
# Run by the init container of a service before it starts: waits until what the service needs at
# start answers, so it does not crash-loop (with Kubernetes' growing back-off) while the operators
# bring Kafka and PostgreSQL up, or before the orchestrator has migrated the schema it validates.
# It runs in the service's own image (bash and coreutils, no curl needed).
#
#   wait-for.sh TARGET...
#     host:port[,host:port...]   a TCP connection to any of them (PostgreSQL, Kafka bootstrap servers)
#     http://host:port/path      an HTTP 200 answer (the orchestrator's /q/health/ready)
#
# No deadline of its own: the pod shows Init:0/1 and this log says what it is waiting for.
set -uo pipefail

# The inner bash gets its values as arguments ($1, $2 ...), hence the single quotes.
# shellcheck disable=SC2016
tcp_open() { # host port
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

any_tcp_open() { # host:port[,host:port...]
  local target
  for target in ${1//,/ }; do
    tcp_open "${target%:*}" "${target##*:}" && return 0
  done
  return 1
}

# shellcheck disable=SC2016
http_ok() { # http://host:port/path
  local rest="${1#http://}" hostport path host port status
  hostport="${rest%%/*}"
  path="/${rest#*/}"
  host="${hostport%:*}"
  port="${hostport##*:}"
  status="$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$3" "$1" >&3
    read -r _ code _ <&3 && echo "$code"' _ "$host" "$port" "$path" 2>/dev/null)"
  [[ "$status" == 200 ]]
}

answers() {
  if [[ "$1" == http://* ]]; then http_ok "$1"; else any_tcp_open "$1"; fi
}

for target in "$@"; do
  attempts=0
  until answers "$target"; do
    # A line every 30 s is enough to see what it waits for.
    if (( attempts % 6 == 0 )); then echo "waiting for $target"; fi
    attempts=$((attempts + 1))
    sleep 5
  done
  echo "ready: $target"
done
