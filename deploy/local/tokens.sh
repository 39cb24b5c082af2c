#!/usr/bin/env bash
# The local stack's API tokens (docs/security.md). Sourced by infra.sh and deploy/compose/stack.sh for
# the signing key and the default token; run by ./mlops token for the commands below.
#   ./mlops token create --role viewer|submitter|admin [--subject NAME] [--ttl 30d]
#                            prints a signed token (RS256 JWT) on stdout, nothing else
#   ./mlops token init       the signing key pair if there is none yet and the default token (what up does)
#   ./mlops token rotate-key  a new signing key (the old one is kept as *.previous.pem); every token
#                            signed before is refused once the services restart with the new public key
#
# The key pair lives in $STATE/keys (private key readable by its owner only) and is created once, on the
# first ./mlops up: whoever can read the private key can sign any token, so it never leaves this folder.
# The services get only the public key (MLOPS_JWT_PUBLIC_KEY). The default token of the CLI,
# $STATE/api-token, is an admin token of the user who ran ./mlops up, renewed at every up.

[[ -n "${STATE:-}" ]] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEYS="$STATE/keys"
JWT_PRIVATE_KEY="$KEYS/jwt-private.pem"
JWT_PUBLIC_KEY="$KEYS/jwt-public.pem"
JWT_ISSUER="${MLOPS_JWT_ISSUER:-resnetops}"
DEFAULT_TOKEN_TTL="${MLOPS_DEFAULT_TOKEN_TTL:-30d}"
TOKEN_ROLES=(viewer submitter admin)

require_openssl() {
  command -v openssl >/dev/null \
    || die "openssl is missing (it makes the token-signing key): ./deploy/local/install-prerequisites.sh (as root), or apt-get install openssl"
}

# The signing key pair, created once (2048-bit RSA, the size RS256 verifiers accept everywhere).
ensure_signing_keys() {
  [[ -s "$JWT_PRIVATE_KEY" && -s "$JWT_PUBLIC_KEY" ]] && return 0
  require_openssl
  mkdir -p "$KEYS"
  chmod 700 "$KEYS"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$JWT_PRIVATE_KEY.tmp" 2>/dev/null) \
    || die "openssl could not create the token-signing key in $KEYS"
  openssl pkey -in "$JWT_PRIVATE_KEY.tmp" -pubout -out "$JWT_PUBLIC_KEY.tmp" 2>/dev/null \
    || die "openssl could not derive the public key in $KEYS"
  mv "$JWT_PRIVATE_KEY.tmp" "$JWT_PRIVATE_KEY"
  mv "$JWT_PUBLIC_KEY.tmp" "$JWT_PUBLIC_KEY"
  # Readable by the services' users (the container stack's too); the private key is not.
  chmod 644 "$JWT_PUBLIC_KEY"
  say "created the API token-signing key in $KEYS (./mlops token create makes tokens with it)"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# 30d, 12h, 45m, 90s or plain seconds -> seconds.
ttl_seconds() {
  local ttl="$1"
  [[ "$ttl" =~ ^([1-9][0-9]*)([smhd]?)$ ]] || die "--ttl must be a number with s, m, h or d (e.g. 30d, 12h), not '$ttl'"
  local n="${BASH_REMATCH[1]}"
  case "${BASH_REMATCH[2]}" in
    d) echo $((n * 86400)) ;;
    h) echo $((n * 3600)) ;;
    m) echo $((n * 60)) ;;
    *) echo "$n" ;;
  esac
}

# mint_token ROLE SUBJECT TTL: a token on stdout, signed with this state folder's key.
mint_token() {
  local role="$1" subject="$2" ttl="$3" seconds now exp header claims input signature
  [[ " ${TOKEN_ROLES[*]} " == *" $role "* ]] || die "--role must be one of ${TOKEN_ROLES[*]}, not '$role'"
  # Letters, digits and . _ @ - only: the subject goes into the token's JSON as it is.
  [[ "$subject" =~ ^[A-Za-z0-9._@-]{1,64}$ ]] \
    || die "--subject must be 1 to 64 letters, digits or . _ @ - (it names the caller in logs and rate limits), not '$subject'"
  [[ -s "$JWT_PRIVATE_KEY" ]] || die "no signing key in $KEYS: ./mlops up (or ./mlops token init) creates one; for another stack, set MLOPS_HOME or MLOPS_INFRA_STATE to its state folder"
  [[ -r "$JWT_PRIVATE_KEY" ]] || die "cannot read $JWT_PRIVATE_KEY: only the user who ran ./mlops up may create tokens"
  seconds=$(ttl_seconds "$ttl") || exit 1
  now=$(date +%s)
  exp=$((now + seconds))
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"%s"}' "$(key_id)" | b64url)
  claims=$(printf '{"iss":"%s","sub":"%s","upn":"%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' \
    "$JWT_ISSUER" "$subject" "$subject" "$role" "$now" "$exp" "$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')" | b64url)
  input="$header.$claims"
  signature=$(printf '%s' "$input" | openssl dgst -sha256 -sign "$JWT_PRIVATE_KEY" -binary | b64url) \
    || die "openssl could not sign the token with $JWT_PRIVATE_KEY"
  printf '%s.%s\n' "$input" "$signature"
}

# A short id of the public key: tells which key signed a token when keys have been rotated.
key_id() { openssl pkey -pubin -in "$JWT_PUBLIC_KEY" -outform DER 2>/dev/null | openssl dgst -sha256 -r | cut -c1-16; }

# The CLI's default token ($TOKEN_FILE): an admin token of this user, renewed at every ./mlops up. Never printed.
write_default_token() {
  ensure_signing_keys
  local subject
  subject="$(id -un 2>/dev/null | tr -c 'A-Za-z0-9._@\n-' '_')"
  (umask 077 && mint_token admin "${subject:-local-admin}" "$DEFAULT_TOKEN_TTL" >"$TOKEN_FILE.tmp")
  mv "$TOKEN_FILE.tmp" "$TOKEN_FILE"
  chmod 600 "$TOKEN_FILE"
}

cmd_token_create() {
  local role="" subject="" ttl="$DEFAULT_TOKEN_TTL"
  while (($#)); do
    case "$1" in
      --role) role="${2:-}"; shift 2 || die "--role needs a value" ;;
      --role=*) role="${1#--role=}"; shift ;;
      --subject) subject="${2:-}"; shift 2 || die "--subject needs a value" ;;
      --subject=*) subject="${1#--subject=}"; shift ;;
      --ttl) ttl="${2:-}"; shift 2 || die "--ttl needs a value" ;;
      --ttl=*) ttl="${1#--ttl=}"; shift ;;
      *) die "token create: unknown option '$1' (usage: ./mlops token create --role viewer|submitter|admin [--subject NAME] [--ttl 30d])" ;;
    esac
  done
  [[ -n "$role" ]] || die "token create needs --role viewer|submitter|admin (viewer reads, submitter starts work, admin promotes)"
  [[ -n "$subject" ]] || subject="$role-$(date +%Y%m%d%H%M%S)"
  mint_token "$role" "$subject" "$ttl"
}

cmd_token_init() {
  [[ $# -eq 0 ]] || die "token init takes no arguments"
  ensure_signing_keys
  write_default_token
  say "signing key: $JWT_PRIVATE_KEY (keep it here); public key for the services: $JWT_PUBLIC_KEY;"
  say "  the CLI's default token: $TOKEN_FILE"
}

cmd_token_rotate_key() {
  [[ $# -eq 0 ]] || die "token rotate-key takes no arguments"
  require_openssl
  if [[ -s "$JWT_PRIVATE_KEY" ]]; then
    mv "$JWT_PRIVATE_KEY" "$KEYS/jwt-private.previous.pem"
    mv "$JWT_PUBLIC_KEY" "$KEYS/jwt-public.previous.pem"
  fi
  ensure_signing_keys
  write_default_token
  say "new signing key in $KEYS; the default token was renewed. Restart the services so they verify with the"
  say "new public key (./mlops restart orchestrator; ./mlops restart inference); tokens signed before are refused from then on."
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    create) shift; cmd_token_create "$@" ;;
    init) shift; cmd_token_init "$@" ;;
    rotate-key) shift; cmd_token_rotate_key "$@" ;;
    *) die "usage: ./mlops token create --role viewer|submitter|admin [--subject NAME] [--ttl 30d] | init | rotate-key" ;;
  esac
fi
