#!/usr/bin/env bash
# What deploy/images/build.sh and build-gpu.sh share (sourced, never run): a logged build step and the
# tarball of a base image for Jib. Expects say, podman set up, and LOG (the build log).

# step WHAT COMMAND...: runs COMMAND with its output in the log; on failure shows the log's end and stops.
step() {
  local what="$1"
  shift
  say "$what"
  echo "=== $what: $*" >>"$LOG"
  if ! "$@" >>"$LOG" 2>&1; then
    say "$what failed; the last lines of $LOG:"
    tail -n 25 "$LOG" | sed 's/^/    /' >&2
    exit 1
  fi
}

# save_for_jib IMAGE TAR: IMAGE as a docker archive for Jib's tar:// base (Jib cannot read podman's
# store, and docker:// calls a Docker daemon), saved again only when the image changed.
save_for_jib() {
  local image="$1" tar="$2" id
  id="$(podman image inspect --format '{{.Id}}' "$image")"
  if [[ ! -f "$tar" || "$(cat "$tar.id" 2>/dev/null)" != "$id" ]]; then
    rm -f "$tar"
    step "$image: saving it for Jib ($tar)" podman save --format docker-archive -o "$tar" "$image"
    echo "$id" >"$tar.id"
  fi
}
