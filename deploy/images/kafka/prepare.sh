#!/usr/bin/env bash
# Fills libs/ in this build context with the broker's jars from Maven Central, exactly as the local
# stack gets them (deploy/local/kafka/pom.xml through the project's Maven wrapper), because the
# image build itself has no Maven and no registry to pull a Kafka image from.
#   deploy/images/kafka/prepare.sh && podman build -t localhost/resnetops/kafka:dev deploy/images/kafka
# Skips the download when libs/ already matches the pom (stamp file libs/.pom.sha256).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
pom="$root/deploy/local/kafka/pom.xml"
libs="$here/libs"
sum="$(sha256sum "$pom" | cut -d' ' -f1)"

if [[ -f "$libs/.pom.sha256" && "$(cat "$libs/.pom.sha256")" == "$sum" ]]; then
  echo "kafka: $libs is current ($(find "$libs" -name '*.jar' | wc -l) jars)"
  exit 0
fi
rm -rf "$libs"
mkdir -p "$libs"
(cd "$root" && ./mvnw -q -B -ntp -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs") || {
  echo "kafka: downloading the jars from Maven Central failed (see above)" >&2
  rm -rf "$libs"
  exit 1
}
echo "$sum" >"$libs/.pom.sha256"
echo "kafka: $(find "$libs" -name '*.jar' | wc -l) jars in $libs"
