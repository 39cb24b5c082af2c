#!/usr/bin/env bash
# export_free_port VAR (sourced by the test harness, the container tier and the container benchmark):
# sets and exports VAR to a loopback port nobody listens on, below the kernel's ephemeral range
# (32768+) so that no outgoing connection grabs it between now and the start of the part, and not one
# already handed out. (Not in $(...): the subshell would forget CHOSEN.) Expects say from the caller.

CHOSEN=" "
export_free_port() {
  local port tries=0
  while ((tries++ < 200)); do
    port=$((20000 + RANDOM % 10000))
    [[ "$CHOSEN" == *" $port "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    CHOSEN+="$port "
    export "$1=$port"
    return 0
  done
  say "found no free port in 20000-29999 for $1"
  return 1
}
