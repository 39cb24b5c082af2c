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
else
  rm -rf "$libs"
  mkdir -p "$libs"
  (cd "$root" && ./mvnw -q -B -ntp -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs") || {
    echo "kafka: downloading the jars from Maven Central failed (see above)" >&2
    rm -rf "$libs"
    exit 1
  }
  echo "$sum" >"$libs/.pom.sha256"
  echo "kafka: $(find "$libs" -name '*.jar' | wc -l) jars in $libs"
fi

# The principals, topics and ACLs of the local stack (deploy/local/kafka), and the program that applies
# them, compiled here because the image's JRE has no compiler for the single-file launch the local stack uses.
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -nowarn -d "$classes" -cp "$libs/*" "$root/deploy/local/kafka/KafkaAccess.java"
jar cf "$libs/kafka-access.jar" -C "$classes" .
cp "$root/deploy/local/kafka/access.conf" "$here/access.conf"
echo "kafka: KafkaAccess and access.conf from deploy/local/kafka"
