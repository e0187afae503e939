#!/usr/bin/env bash
# AWS CLI walkthrough against Cognate (mirrors the seed apps: Go API with `name` + SECRET_HASH,
# and the AWS CLI walkthrough). Needs: aws (CLI v1 or v2), python3, curl.
#
#   COGNATE_ENDPOINT=http://127.0.0.1:PORT bash test/interop/cli/walkthrough.sh
#
# Admin (SigV4) calls use the development credentials; public calls are sent unsigned by the CLI.
# Prints `cli: N passed, N failed`; exit status 1 if anything failed.
# Never prints tokens, passwords or secrets.
set -euo pipefail

EP="${COGNATE_ENDPOINT:?set COGNATE_ENDPOINT, e.g. http://127.0.0.1:5000}"
# shellcheck source=../lib/aws-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/aws-env.sh"
WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/cognate-cli.XXXXXX")"
trap 'rm -rf "$WORKDIR"' EXIT
OUT="$WORKDIR/out"
ERR="$WORKDIR/err"

# shellcheck source=../lib/cli-helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-helpers.sh"
# attr NAME : value of a user attribute in $OUT (UserAttributes or Attributes)
attr() { python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); a=d.get("UserAttributes") or d.get("Attributes") or (d.get("User") or {}).get("Attributes") or []
print(next((x.get("Value","") for x in a if x.get("Name")==sys.argv[2]), ""))' "$OUT" "$1" 2>/dev/null || true; }
# secret_hash USERNAME : base64(HMAC-SHA256(key=client secret, msg=username+clientId))
secret_hash() { python3 -c '
import base64,hashlib,hmac,sys
print(base64.b64encode(hmac.new(sys.argv[3].encode(), (sys.argv[1]+sys.argv[2]).encode(), hashlib.sha256).digest()).decode())' "$1" "$CLIENT_ID" "$CLIENT_SECRET"; }
# jwt_claim TOKEN CLAIM : a claim of a JWT payload (no verification; the node suite verifies)
jwt_claim() { python3 -c '
import base64,json,sys
p=sys.argv[1].split(".")[1]; p+="="*(-len(p)%4)
v=json.loads(base64.urlsafe_b64decode(p)).get(sys.argv[2])
print(json.dumps(v) if isinstance(v,(bool,list,dict)) else ("" if v is None else v))' "$1" "$2" 2>/dev/null || true; }
# outbox_count ADDRESS / outbox_code ADDRESS MIN : messages in the dev outbox for ADDRESS
outbox_json() { curl -s --max-time 5 -G "$EP/_outbox" --data-urlencode "to=$1"; }
outbox_count() { outbox_json "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo 0; }
# outbox_code ADDRESS MIN_COUNT : newest code once at least MIN_COUNT messages exist (waits <= 5 s)
outbox_code() {
  local i n
  for i in $(seq 1 25); do
    n="$(outbox_count "$1")"
    if [ "$n" -ge "$2" ]; then
      outbox_json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0].get("code") or "")' 2>/dev/null || true
      return 0
    fi
    sleep 0.2
  done
  echo ""
}
outbox_field() { outbox_json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0].get(sys.argv[1]) or "")' "$2" 2>/dev/null || true; }

RUN="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
PW1="Interop-Pass-1a!"
PW2="Interop-Pass-2b!"
PW3="Interop-Pass-3c!"
U1="cli-alice-$RUN@example.com"
U2="cli-bob-$RUN@example.com"
U3="cli-carol-$RUN@example.com"

echo "# AWS CLI: $(aws --version 2>&1 | head -n1)"
echo "# endpoint: $EP"

# --- pool and client ---------------------------------------------------------------
# Email as the sign-in identifier (UsernameAttributes=email, like the Go seed app), email auto-verified.
if step "create-user-pool" create-user-pool --pool-name "cli-walkthrough-$RUN" \
     --username-attributes email --auto-verified-attributes email; then
  POOL_ID="$(jget 'd["UserPool"]["Id"]')"
else
  POOL_ID=""
fi
if [ -z "$POOL_ID" ]; then
  echo "cli: cannot continue without a user pool"
  echo "cli: $PASS passed, $((FAIL + 1)) failed"
  exit 1
fi
check "pool id has AWS form ${REGION}_xxx" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"[a-z]{2}-[a-z]+-\d_[0-9a-zA-Z]+", sys.argv[1]) and sys.argv[1].startswith(sys.argv[2]+"_") else 1)' "$POOL_ID" "$REGION"
check "create-user-pool echoes UsernameAttributes=[email]" test "$(jget 'd["UserPool"].get("UsernameAttributes")')" = "['email']"
check "create-user-pool arn" test "$(jget 'd["UserPool"].get("Arn","").split(":")[2:3]+d["UserPool"].get("Arn","").split("/")[-1:]')" = "['cognito-idp', '$POOL_ID']"

if step "create-user-pool-client --generate-secret" create-user-pool-client --user-pool-id "$POOL_ID" \
     --client-name cli-app --generate-secret \
     --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH; then
  CLIENT_ID="$(jget 'd["UserPoolClient"]["ClientId"]')"
  CLIENT_SECRET="$(jget 'd["UserPoolClient"].get("ClientSecret")')"
else
  CLIENT_ID=""; CLIENT_SECRET=""
fi
if [ -z "$CLIENT_ID" ] || [ -z "$CLIENT_SECRET" ]; then
  echo "cli: cannot continue without a client id and secret"
  echo "cli: $PASS passed, $((FAIL + 1)) failed"
  exit 1
fi
check "client secret is 24..64 chars [\\w+]" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"[\w+]{24,64}", sys.argv[1]) else 1)' "$CLIENT_SECRET"

if step "list-user-pools --max-results 10" list-user-pools --max-results 10; then
  check "list-user-pools contains the pool" test "$(jget '[p["Name"] for p in d.get("UserPools",[]) if p.get("Id")==a[0]]' "$POOL_ID")" = "['cli-walkthrough-$RUN']"
fi
# page through list-user-pools one pool at a time with --next-token (CLI v1 cannot auto-paginate it:
# MaxResults is both required and the paginator's limit key)
SEEN=0; TOKEN=""; PAGES=0; PAGED_OK=1
while [ $PAGES -lt 200 ]; do
  PAGES=$((PAGES + 1))
  if ! cidp list-user-pools --max-results 1 ${TOKEN:+--next-token "$TOKEN"}; then PAGED_OK=0; break; fi
  [ "$(jget 'len(d.get("UserPools",[]))')" -le 1 ] || PAGED_OK=0
  [ "$(jget '[p["Id"] for p in d.get("UserPools",[])].count(a[0])' "$POOL_ID")" = "1" ] && SEEN=$((SEEN + 1))
  TOKEN="$(jget 'd.get("NextToken")')"
  [ -n "$TOKEN" ] || break
done
check "list-user-pools --max-results 1 --next-token: pages of 1, pool seen exactly once" test "$PAGED_OK/$SEEN" = "1/1" -a "$PAGES" -ge 2 -a -z "$TOKEN"
if step "describe-user-pool" describe-user-pool --user-pool-id "$POOL_ID"; then
  check "describe-user-pool: AutoVerifiedAttributes=[email]" test "$(jget 'd["UserPool"].get("AutoVerifiedAttributes")')" = "['email']"
  check "describe-user-pool: schema has name, email, sub" test "$(jget 'sorted({a["Name"] for a in d["UserPool"].get("SchemaAttributes",[])} & {"name","email","sub"})')" = "['email', 'name', 'sub']"
  check "describe-user-pool --query UserPool.Id --output text" test "$(aws cognito-idp --endpoint-url "$EP" --region "$REGION" --cli-read-timeout 30 describe-user-pool --user-pool-id "$POOL_ID" --query UserPool.Id --output text 2>/dev/null)" = "$POOL_ID"
fi
if step "list-user-pool-clients" list-user-pool-clients --user-pool-id "$POOL_ID" --max-results 10; then
  check "list-user-pool-clients contains the client" test "$(jget '[c["ClientId"] for c in d["UserPoolClients"] if c.get("ClientName")=="cli-app"]')" = "['$CLIENT_ID']"
fi
if step "describe-user-pool-client" describe-user-pool-client --user-pool-id "$POOL_ID" --client-id "$CLIENT_ID"; then
  check "describe-user-pool-client: explicit auth flows" test "$(jget 'sorted(d["UserPoolClient"].get("ExplicitAuthFlows",[]))')" = "['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']"
  check "describe-user-pool-client: returns the same secret" test "$(jget 'd["UserPoolClient"].get("ClientSecret")')" = "$CLIENT_SECRET"
fi

# --- sign-up with SECRET_HASH and a `name` attribute, confirm with the emailed code ------
if step "sign-up (name + email, --secret-hash)" sign-up --client-id "$CLIENT_ID" --username "$U1" --password "$PW1" \
     --secret-hash "$(secret_hash "$U1")" --user-attributes Name=name,Value="Alice Interop" Name=email,Value="$U1"; then
  check "sign-up: UserConfirmed false" test "$(jget 'd.get("UserConfirmed")')" = "False"
  check "sign-up: UserSub is a UUID" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", sys.argv[1]) else 1)' "$(jget 'd.get("UserSub")')"
  check "sign-up: CodeDeliveryDetails EMAIL/email" test "$(jget 'd["CodeDeliveryDetails"]["DeliveryMedium"]+"/"+d["CodeDeliveryDetails"]["AttributeName"]')" = "EMAIL/email"
  DEST="$(jget 'd["CodeDeliveryDetails"].get("Destination","")')"
  check "sign-up: destination is masked" test -n "$DEST" -a "$DEST" != "$U1" -a "${DEST//[^*]/}" != ""
fi
U1_SUB="$(jget 'd.get("UserSub")')"
CODE1="$(outbox_code "$U1" 1)"
check "outbox has a 6-digit confirmation code for user 1" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"\d{6}", sys.argv[1]) else 1)' "$CODE1"
check "outbox message is for the pool" test "$(outbox_field "$U1" userPoolId)" = "$POOL_ID"
expect_error "confirm-sign-up with a wrong code -> CodeMismatchException" CodeMismatchException \
  confirm-sign-up --client-id "$CLIENT_ID" --username "$U1" --secret-hash "$(secret_hash "$U1")" \
  --confirmation-code "$( [ "$CODE1" = "000000" ] && echo 111111 || echo 000000 )"
step "confirm-sign-up with the outbox code" confirm-sign-up --client-id "$CLIENT_ID" --username "$U1" \
  --secret-hash "$(secret_hash "$U1")" --confirmation-code "${CODE1:-none}" || true
expect_error "confirm-sign-up again -> NotAuthorizedException" NotAuthorizedException \
  confirm-sign-up --client-id "$CLIENT_ID" --username "$U1" --secret-hash "$(secret_hash "$U1")" --confirmation-code "${CODE1:-none}"
expect_error "duplicate sign-up -> UsernameExistsException" UsernameExistsException \
  sign-up --client-id "$CLIENT_ID" --username "$U1" --password "$PW1" --secret-hash "$(secret_hash "$U1")" \
  --user-attributes Name=name,Value="Alice Again" Name=email,Value="$U1"
expect_error "sign-up without secret hash -> NotAuthorizedException" NotAuthorizedException \
  sign-up --client-id "$CLIENT_ID" --username "nohash-$RUN@example.com" --password "$PW1" \
  --user-attributes Name=email,Value="nohash-$RUN@example.com"

if step "admin-get-user (by email)" admin-get-user --user-pool-id "$POOL_ID" --username "$U1"; then
  check "admin-get-user: UserStatus CONFIRMED" test "$(jget 'd.get("UserStatus")')" = "CONFIRMED"
  check "admin-get-user: email_verified true after code confirmation" test "$(attr email_verified)" = "true"
  check "admin-get-user: name attribute" test "$(attr name)" = "Alice Interop"
  check "admin-get-user: Username is the sub (email-as-username pool)" test "$(jget 'd.get("Username")')" = "$U1_SUB"
  check "admin-get-user: Enabled true" test "$(jget 'd.get("Enabled")')" = "True"
fi

# --- second user: resend-confirmation-code, then admin-confirm-sign-up -----------------
step "sign-up user 2" sign-up --client-id "$CLIENT_ID" --username "$U2" --password "$PW2" \
  --secret-hash "$(secret_hash "$U2")" --user-attributes Name=name,Value="Bob Interop" Name=email,Value="$U2" || true
C2A="$(outbox_code "$U2" 1)"
if step "resend-confirmation-code" resend-confirmation-code --client-id "$CLIENT_ID" --username "$U2" --secret-hash "$(secret_hash "$U2")"; then
  check "resend-confirmation-code: CodeDeliveryDetails EMAIL" test "$(jget 'd["CodeDeliveryDetails"]["DeliveryMedium"]')" = "EMAIL"
fi
C2B="$(outbox_code "$U2" 2)"
check "resend-confirmation-code: a second message reached the outbox" test "$(outbox_count "$U2")" -ge 2
check "resend code is 6 digits" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"\d{6}", sys.argv[1]) else 1)' "$C2B"
: "$C2A"
if step "admin-get-user user 2 before confirmation" admin-get-user --user-pool-id "$POOL_ID" --username "$U2"; then
  check "user 2 UNCONFIRMED" test "$(jget 'd.get("UserStatus")')" = "UNCONFIRMED"
fi
expect_error "initiate-auth unconfirmed user -> UserNotConfirmedException" UserNotConfirmedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U2,PASSWORD=$PW2,SECRET_HASH=$(secret_hash "$U2")"
step "admin-confirm-sign-up" admin-confirm-sign-up --user-pool-id "$POOL_ID" --username "$U2" || true
if step "admin-get-user user 2" admin-get-user --user-pool-id "$POOL_ID" --username "$U2"; then
  check "user 2 CONFIRMED after admin-confirm-sign-up" test "$(jget 'd.get("UserStatus")')" = "CONFIRMED"
fi
step "admin-update-user-attributes" admin-update-user-attributes --user-pool-id "$POOL_ID" --username "$U2" \
  --user-attributes Name=name,Value="Robert Interop" Name=family_name,Value="Interop" Name=email_verified,Value=true || true
if step "admin-get-user after update" admin-get-user --user-pool-id "$POOL_ID" --username "$U2"; then
  check "admin-update-user-attributes: name updated" test "$(attr name)" = "Robert Interop"
  check "admin-update-user-attributes: family_name added" test "$(attr family_name)" = "Interop"
  check "admin-update-user-attributes: email_verified true" test "$(attr email_verified)" = "true"
fi

# --- sign-in, get-user, refresh ---------------------------------------------------------
expect_error "initiate-auth wrong password -> NotAuthorizedException" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U1,PASSWORD=Wrong-Pass-9z!,SECRET_HASH=$(secret_hash "$U1")"
expect_error "initiate-auth wrong secret hash -> NotAuthorizedException" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U1,PASSWORD=$PW1,SECRET_HASH=$(secret_hash "someone-else@example.com")"
expect_error "initiate-auth missing secret hash -> NotAuthorizedException" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U1,PASSWORD=$PW1"
expect_error "initiate-auth unknown client -> ResourceNotFoundException" ResourceNotFoundException \
  initiate-auth --client-id "nosuchclient0000000000000" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U1,PASSWORD=$PW1"

ACCESS=""; REFRESH=""; IDTOK=""
if step "initiate-auth USER_PASSWORD_AUTH with SECRET_HASH" initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
     --auth-parameters "USERNAME=$U1,PASSWORD=$PW1,SECRET_HASH=$(secret_hash "$U1")"; then
  ACCESS="$(jget 'd["AuthenticationResult"]["AccessToken"]')"
  REFRESH="$(jget 'd["AuthenticationResult"]["RefreshToken"]')"
  IDTOK="$(jget 'd["AuthenticationResult"]["IdToken"]')"
  check "initiate-auth: TokenType Bearer, ExpiresIn 3600" test "$(jget 'd["AuthenticationResult"]["TokenType"]+"/"+str(d["AuthenticationResult"]["ExpiresIn"])')" = "Bearer/3600"
  check "initiate-auth: id, access and refresh tokens present" test -n "$ACCESS" -a -n "$REFRESH" -a -n "$IDTOK"
  check "id token: token_use=id, aud=client" test "$(jwt_claim "$IDTOK" token_use)/$(jwt_claim "$IDTOK" aud)" = "id/$CLIENT_ID"
  check "id token: name and email claims" test "$(jwt_claim "$IDTOK" name)/$(jwt_claim "$IDTOK" email)" = "Alice Interop/$U1"
  check "id token: email_verified is JSON true" test "$(jwt_claim "$IDTOK" email_verified)" = "true"
  check "id token: cognito:username is the sub" test "$(jwt_claim "$IDTOK" cognito:username)" = "$U1_SUB"
  check "access token: token_use=access, client_id, username" test "$(jwt_claim "$ACCESS" token_use)/$(jwt_claim "$ACCESS" client_id)/$(jwt_claim "$ACCESS" username)" = "access/$CLIENT_ID/$U1_SUB"
  check "access token: scope aws.cognito.signin.user.admin" test "$(jwt_claim "$ACCESS" scope)" = "aws.cognito.signin.user.admin"
  ISS_EXPECTED="$(curl -s --max-time 5 "$EP/$POOL_ID/.well-known/openid-configuration" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("issuer",""))' 2>/dev/null || true)"
  check "id token iss equals discovery issuer" test -n "$ISS_EXPECTED" -a "$(jwt_claim "$IDTOK" iss)" = "$ISS_EXPECTED"
  check "discovery issuer ends with /$POOL_ID" test "${ISS_EXPECTED##*/}" = "$POOL_ID"
  check "jwks.json has the token kids" python3 -c '
import base64,json,sys,urllib.request
jwks=json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
kids={k.get("kid") for k in jwks.get("keys",[]) if k.get("kty")=="RSA" and k.get("use","sig")=="sig"}
def kid(t):
    h=t.split(".")[0]; h+="="*(-len(h)%4); j=json.loads(base64.urlsafe_b64decode(h)); return j.get("kid") if j.get("alg")=="RS256" else None
sys.exit(0 if kid(sys.argv[2]) in kids and kid(sys.argv[3]) in kids else 1)' "$EP/$POOL_ID/.well-known/jwks.json" "$IDTOK" "$ACCESS"
fi
if step "get-user" get-user --access-token "${ACCESS:-none}"; then
  check "get-user: Username is the sub" test "$(jget 'd.get("Username")')" = "$U1_SUB"
  check "get-user: email and name" test "$(attr email)/$(attr name)" = "$U1/Alice Interop"
  check "get-user: sub attribute" test "$(attr sub)" = "$U1_SUB"
fi
# REFRESH_TOKEN_AUTH: SECRET_HASH is computed with the internal username (the sub here).
if step "initiate-auth REFRESH_TOKEN_AUTH" initiate-auth --client-id "$CLIENT_ID" --auth-flow REFRESH_TOKEN_AUTH \
     --auth-parameters "REFRESH_TOKEN=${REFRESH:-none},SECRET_HASH=$(secret_hash "$U1_SUB")"; then
  ACCESS2="$(jget 'd["AuthenticationResult"]["AccessToken"]')"
  check "refresh: new access and id tokens" test -n "$ACCESS2" -a -n "$(jget 'd["AuthenticationResult"]["IdToken"]')"
  check "refresh: no new refresh token (rotation off)" test -z "$(jget 'd["AuthenticationResult"].get("RefreshToken")')"
  check "refresh: origin_jti unchanged" test "$(jwt_claim "$ACCESS2" origin_jti)" = "$(jwt_claim "$ACCESS" origin_jti)"
  if step "get-user with the refreshed access token" get-user --access-token "${ACCESS2:-none}"; then :; fi
fi

# --- global sign-out -------------------------------------------------------------------
step "global-sign-out" global-sign-out --access-token "${ACCESS:-none}" || true
expect_error "get-user after global-sign-out -> NotAuthorizedException" NotAuthorizedException get-user --access-token "${ACCESS:-none}"
expect_error "refresh after global-sign-out -> NotAuthorizedException" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow REFRESH_TOKEN_AUTH \
  --auth-parameters "REFRESH_TOKEN=${REFRESH:-none},SECRET_HASH=$(secret_hash "$U1_SUB")"

# --- forgot-password / confirm-forgot-password -----------------------------------------
N_BEFORE="$(outbox_count "$U1")"
if step "forgot-password" forgot-password --client-id "$CLIENT_ID" --username "$U1" --secret-hash "$(secret_hash "$U1")"; then
  check "forgot-password: CodeDeliveryDetails EMAIL" test "$(jget 'd["CodeDeliveryDetails"]["DeliveryMedium"]')" = "EMAIL"
fi
RESET_CODE="$(outbox_code "$U1" $((N_BEFORE + 1)))"
check "forgot-password: reset code in outbox" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"\d{6}", sys.argv[1]) else 1)' "$RESET_CODE"
expect_error "confirm-forgot-password wrong code -> CodeMismatchException" CodeMismatchException \
  confirm-forgot-password --client-id "$CLIENT_ID" --username "$U1" --secret-hash "$(secret_hash "$U1")" \
  --confirmation-code "$( [ "$RESET_CODE" = "000000" ] && echo 111111 || echo 000000 )" --password "$PW3"
expect_error "confirm-forgot-password weak password -> InvalidPasswordException" InvalidPasswordException \
  confirm-forgot-password --client-id "$CLIENT_ID" --username "$U1" --secret-hash "$(secret_hash "$U1")" \
  --confirmation-code "${RESET_CODE:-none}" --password "weakpass"
step "confirm-forgot-password with the outbox code" confirm-forgot-password --client-id "$CLIENT_ID" --username "$U1" \
  --secret-hash "$(secret_hash "$U1")" --confirmation-code "${RESET_CODE:-none}" --password "$PW3" || true
expect_error "old password no longer works" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U1,PASSWORD=$PW1,SECRET_HASH=$(secret_hash "$U1")"
if step "initiate-auth with the new password" initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
     --auth-parameters "USERNAME=$U1,PASSWORD=$PW3,SECRET_HASH=$(secret_hash "$U1")"; then
  ACCESS3="$(jget 'd["AuthenticationResult"]["AccessToken"]')"
  step "get-user with the new session" get-user --access-token "${ACCESS3:-none}" || true
fi

# --- user 2 signs in, user 3 stays unconfirmed --------------------------------------------
step "initiate-auth user 2 (admin-confirmed)" initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U2,PASSWORD=$PW2,SECRET_HASH=$(secret_hash "$U2")" || true
step "sign-up user 3" sign-up --client-id "$CLIENT_ID" --username "$U3" --password "$PW3" \
  --secret-hash "$(secret_hash "$U3")" --user-attributes Name=email,Value="$U3" || true
expect_error "initiate-auth user 3 (never confirmed) -> UserNotConfirmedException" UserNotConfirmedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U3,PASSWORD=$PW3,SECRET_HASH=$(secret_hash "$U3")"
expect_error "sign-up weak password -> InvalidPasswordException" InvalidPasswordException \
  sign-up --client-id "$CLIENT_ID" --username "weak-$RUN@example.com" --password "weakpass" \
  --secret-hash "$(secret_hash "weak-$RUN@example.com")" --user-attributes Name=email,Value="weak-$RUN@example.com"
expect_error "admin-get-user unknown -> UserNotFoundException" UserNotFoundException \
  admin-get-user --user-pool-id "$POOL_ID" --username "nobody-$RUN@example.com"

# --- SigV4 is required for admin actions -------------------------------------------------
expect_error "admin-get-user with --no-sign-request is refused" \
  "NotAuthorizedException|MissingAuthenticationTokenException|UnrecognizedClientException|AccessDeniedException|InvalidSignatureException|IncompleteSignatureException" \
  --no-sign-request admin-get-user --user-pool-id "$POOL_ID" --username "$U1"
expect_error "list-user-pools with --no-sign-request is refused" \
  "NotAuthorizedException|MissingAuthenticationTokenException|UnrecognizedClientException|AccessDeniedException|InvalidSignatureException|IncompleteSignatureException" \
  --no-sign-request list-user-pools --max-results 10

# --- user administration: list-users filters, groups, admin-disable-user --------------------
if step "list-users --filter email = user 2" list-users --user-pool-id "$POOL_ID" --filter "email = \"$U2\""; then
  check "list-users filter: exactly user 2" test "$(jget '[[a["Value"] for a in u["Attributes"] if a["Name"]=="email"] for u in d.get("Users",[])]')" = "[['$U2']]"
fi
if step "list-users --filter email ^= prefix --attributes-to-get email" list-users --user-pool-id "$POOL_ID" --filter "email ^= \"${U1%%@*}\"" --attributes-to-get email; then
  check "list-users prefix: user 1 with only email" test "$(jget '[[a["Name"] for a in u["Attributes"]] for u in d.get("Users",[])]')" = "[['email']]"
fi
if step "list-users --page-size 1 (CLI auto-paginates PaginationToken)" list-users --user-pool-id "$POOL_ID" --page-size 1; then
  check "list-users pages: all 3 users" test "$(jget 'len(d.get("Users",[]))')" = "3"
fi
expect_error "list-users bad filter -> InvalidParameterException" InvalidParameterException \
  list-users --user-pool-id "$POOL_ID" --filter 'email == "x"'
step "create-group admins" create-group --user-pool-id "$POOL_ID" --group-name admins --precedence 1 \
  --role-arn "arn:aws:iam::123456789012:role/cli-admins" || true
step "create-group readers" create-group --user-pool-id "$POOL_ID" --group-name readers --precedence 5 || true
expect_error "create-group duplicate -> GroupExistsException" GroupExistsException \
  create-group --user-pool-id "$POOL_ID" --group-name admins
step "admin-add-user-to-group" admin-add-user-to-group --user-pool-id "$POOL_ID" --username "$U2" --group-name readers || true
step "admin-add-user-to-group (second group)" admin-add-user-to-group --user-pool-id "$POOL_ID" --username "$U2" --group-name admins || true
if step "admin-list-groups-for-user" admin-list-groups-for-user --user-pool-id "$POOL_ID" --username "$U2"; then
  check "admin-list-groups-for-user: both groups" test "$(jget '[g["GroupName"] for g in d.get("Groups",[])]')" = "['admins', 'readers']"
fi
if step "list-users-in-group readers" list-users-in-group --user-pool-id "$POOL_ID" --group-name readers; then
  check "list-users-in-group: one member" test "$(jget 'len(d.get("Users",[]))')" = "1"
fi
if step "initiate-auth user 2 (groups)" initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
     --auth-parameters "USERNAME=$U2,PASSWORD=$PW2,SECRET_HASH=$(secret_hash "$U2")"; then
  G_ID="$(jget 'd["AuthenticationResult"]["IdToken"]')"
  check "ID token cognito:groups in precedence order" test "$(python3 -c 'import base64,json,sys; p=sys.argv[1].split(".")[1]; p+="="*(-len(p)%4); c=json.loads(base64.urlsafe_b64decode(p)); print(c.get("cognito:groups"), c.get("cognito:preferred_role"))' "${G_ID:-a.e30.b}")" = "['admins', 'readers'] arn:aws:iam::123456789012:role/cli-admins"
fi
if step "list-groups" list-groups --user-pool-id "$POOL_ID"; then
  check "list-groups: admins, readers" test "$(jget '[g["GroupName"] for g in d.get("Groups",[])]')" = "['admins', 'readers']"
fi
step "admin-remove-user-from-group" admin-remove-user-from-group --user-pool-id "$POOL_ID" --username "$U2" --group-name readers || true
step "delete-group readers" delete-group --user-pool-id "$POOL_ID" --group-name readers || true
expect_error "get-group after delete-group -> ResourceNotFoundException" ResourceNotFoundException \
  get-group --user-pool-id "$POOL_ID" --group-name readers
step "admin-disable-user user 2" admin-disable-user --user-pool-id "$POOL_ID" --username "$U2" || true
expect_error "initiate-auth disabled user -> NotAuthorizedException" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U2,PASSWORD=$PW2,SECRET_HASH=$(secret_hash "$U2")"
if step "list-users --filter status = Disabled" list-users --user-pool-id "$POOL_ID" --filter 'status = "Disabled"'; then
  check "list-users status filter: user 2 only" test "$(jget 'len(d.get("Users",[]))')" = "1"
fi
step "admin-enable-user user 2" admin-enable-user --user-pool-id "$POOL_ID" --username "$U2" || true
step "initiate-auth user 2 after admin-enable-user" initiate-auth --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "USERNAME=$U2,PASSWORD=$PW2,SECRET_HASH=$(secret_hash "$U2")" || true
if step "admin-list-user-auth-events user 2" admin-list-user-auth-events --user-pool-id "$POOL_ID" --username "$U2" --max-results 10; then
  check "auth events: newest is a passed SignIn" test "$(jget '[d["AuthEvents"][0]["EventType"], d["AuthEvents"][0]["EventResponse"]]')" = "['SignIn', 'Pass']"
fi

# --- teardown ------------------------------------------------------------------------------
step "admin-delete-user" admin-delete-user --user-pool-id "$POOL_ID" --username "$U3" || true
expect_error "admin-get-user after admin-delete-user -> UserNotFoundException" UserNotFoundException \
  admin-get-user --user-pool-id "$POOL_ID" --username "$U3"
step "delete-user-pool-client" delete-user-pool-client --user-pool-id "$POOL_ID" --client-id "$CLIENT_ID" || true
expect_error "describe-user-pool-client after delete -> ResourceNotFoundException" ResourceNotFoundException \
  describe-user-pool-client --user-pool-id "$POOL_ID" --client-id "$CLIENT_ID"
step "delete-user-pool" delete-user-pool --user-pool-id "$POOL_ID" || true
expect_error "describe-user-pool after delete -> ResourceNotFoundException" ResourceNotFoundException \
  describe-user-pool --user-pool-id "$POOL_ID"

echo "cli: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
