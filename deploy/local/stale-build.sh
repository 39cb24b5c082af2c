#!/usr/bin/env bash
# The stale-build check, written once: sourced by the ./mlops launcher (for the CLI's classes) and by
# lib.sh (for the services' jars). Never run directly.

# build_stale ROOT OUTPUT: true when OUTPUT, the file a build writes last, is missing or older than a
# build input anywhere in the tree: the root pom.xml, a module's pom.xml or a file under its src/main,
# a migration. Tests, target folders and the files beside the sources (READMEs, bench scripts) are not
# inputs. The CLI and the services share this rule because their inputs are the same kind: each
# depends on sibling modules (vision, contracts, ...), so a change in any module may be theirs; a
# spurious rebuild costs seconds, a missed one runs old code.
build_stale() {
  local root="$1" output="$2"
  [[ -f "$output" ]] || return 0
  [[ -n "$(find "$root/pom.xml" "$root/services" "$root/migrations" -name target -prune -o -type f \
      -newer "$output" \( -name pom.xml -o -path '*/src/main/*' -o -path "$root/migrations/*.sql" \) \
      -print -quit 2>/dev/null)" ]]
}
