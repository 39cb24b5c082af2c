#!/usr/bin/env bash
# The project's base image, built from Debian packages because no container registry is reachable
# from the project's machines (only the Debian, PyPI and Maven Central package registries are):
# mmdebstrap writes a minimal Debian root filesystem (essential packages + apt + CA certificates) as
# a tarball, and `podman import` turns it into an image. Every other image starts FROM it with a
# Containerfile (apt-get install inside), so a user with a registry can build the same images with
# `docker build` from debian:bookworm-slim instead (see docs/deployment.md).
#
#   build.sh IMAGE      e.g. localhost/resnetops/debian:bookworm
# MLOPS_DEBIAN_MIRROR picks the mirror (default: http://deb.debian.org/debian).
set -euo pipefail

image="$1"
mirror="${MLOPS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${MLOPS_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Like debian:bookworm-slim: no documentation, manual pages or translations, now and for every
# package installed later (the dpkg.cfg.d file below is part of the image). A JRE's post-install
# registers manual pages with update-alternatives, which needs the man1 folder to exist.
cat >"$work/excludes" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/info/*
EOF

# The non-root user every service runs as (uid/gid 10001, home /home/resnetops), written directly:
# the essential set has no useradd.
mmdebstrap --variant=apt --include=ca-certificates \
  --dpkgopt="$work/excludes" \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook="cp '$work/excludes' \"\$1/etc/dpkg/dpkg.cfg.d/01-excludes\"" \
  --customize-hook='echo "resnetops:x:10001:10001:resnetops:/home/resnetops:/usr/sbin/nologin" >>"$1/etc/passwd"' \
  --customize-hook='echo "resnetops:x:10001:" >>"$1/etc/group"' \
  --customize-hook='echo "resnetops:!:20000::::::" >>"$1/etc/shadow"' \
  --customize-hook='install -d -o 10001 -g 10001 "$1/home/resnetops"' \
  --customize-hook='rm -rf "$1/var/lib/apt/lists/"* "$1/var/cache/apt/"*.bin' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main" \
  >"$work/mmdebstrap.log" 2>&1 || {
  echo "mmdebstrap failed; the last lines of its log:" >&2
  tail -n 20 "$work/mmdebstrap.log" >&2
  exit 1
}

podman import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  --message "minimal Debian bookworm from $mirror by deploy/images/base/build.sh" \
  "$work/rootfs.tar" "$image" >/dev/null
