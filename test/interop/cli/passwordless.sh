#!/usr/bin/env bash
# The reference microservice's passwordless walkthrough (seeds/002), verbatim through the AWS CLI:
# sign-up with only an email, confirm-sign-up with the emailed code, initiate-auth USER_AUTH with
# USERNAME alone (EMAIL_OTP challenge + AvailableChallenges), respond-to-auth-challenge with
# USERNAME=…,EMAIL_OTP_CODE=… → AccessToken, IdToken, RefreshToken; then refresh, the sign-in-after-sign-up
# Session, a wrong code, a stale session and a wrong challenge name.
#
#   COGNATE_ENDPOINT=http://127.0.0.1:PORT bash test/interop/cli/passwordless.sh
#
# Prints `cli-passwordless: N passed, N failed`. Never prints tokens or codes.
set -euo pipefail

EP="${COGNATE_ENDPOINT:?set COGNATE_ENDPOINT, e.g. http://127.0.0.1:5000}"
# shellcheck source=../lib/aws-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/aws-env.sh"
WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/cognate-cli-pl.XXXXXX")"
trap 'rm -rf "$WORKDIR"' EXIT
OUT="$WORKDIR/out"
ERR="$WORKDIR/err"

# shellcheck source=../lib/cli-helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-helpers.sh"
# latest_code ADDRESS : newest outbox code for ADDRESS
latest_code() {
  curl -s --max-time 5 "$EP/_outbox?to=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1")" \
    | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m[0]["code"] if m else "")'
}

RUNID="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
EMAIL="user-$RUNID@example.com"

# Setup (the seed's pool: SignInPolicy PASSWORD + EMAIL_OTP, email as username; client ALLOW_USER_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_REFRESH_TOKEN_AUTH)
step "create-user-pool (AllowedFirstAuthFactors PASSWORD, EMAIL_OTP)" create-user-pool --pool-name "passwordless-$RUNID" \
  --username-attributes email --auto-verified-attributes email \
  --policies '{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","EMAIL_OTP"]}}' || true
POOL="$(jget 'd["UserPool"]["Id"]')"
step "create-user-pool-client (ALLOW_USER_AUTH)" create-user-pool-client --user-pool-id "$POOL" --client-name ios \
  --explicit-auth-flows ALLOW_USER_AUTH ALLOW_CUSTOM_AUTH ALLOW_REFRESH_TOKEN_AUTH || true
CLIENT="$(jget 'd["UserPoolClient"]["ClientId"]')"
step "describe-user-pool shows SignInPolicy" describe-user-pool --user-pool-id "$POOL" || true
check "AllowedFirstAuthFactors = PASSWORD, EMAIL_OTP" test "$(jget '",".join(d["UserPool"]["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"])')" = "PASSWORD,EMAIL_OTP"

# 1. Sign up user (email-only / password-less)
step "sign-up without a password" sign-up --client-id "$CLIENT" --username "$EMAIL" --user-attributes Name=email,Value="$EMAIL" || true
check "sign-up returns UserSub and Session" test -n "$(jget 'd["UserSub"] if d.get("Session") else None')"
SIGNUP_SESSION="$(jget 'd.get("Session")')"
CODE="$(latest_code "$EMAIL")"
check "a 6-digit confirmation code was emailed" test "${#CODE}" = 6
step "confirm-sign-up with the emailed code" confirm-sign-up --client-id "$CLIENT" --username "$EMAIL" --confirmation-code "$CODE" || true
step "admin-get-user: CONFIRMED, email_verified" admin-get-user --user-pool-id "$POOL" --username "$EMAIL" || true
check "status CONFIRMED, email verified" test "$(jget 'd["UserStatus"] + "/" + {x["Name"]: x["Value"] for x in d["UserAttributes"]}["email_verified"]')" = "CONFIRMED/true"

# 2. Sign in user (email-only / password-less)
step "initiate-auth USER_AUTH with USERNAME only" initiate-auth --auth-flow USER_AUTH --client-id "$CLIENT" --auth-parameters USERNAME="$EMAIL" || true
check "ChallengeName EMAIL_OTP, AvailableChallenges [EMAIL_OTP]" test "$(jget 'd["ChallengeName"] + ":" + ",".join(d["AvailableChallenges"])')" = "EMAIL_OTP:EMAIL_OTP"
check "CODE_DELIVERY_DELIVERY_MEDIUM EMAIL, destination masked" test "$(jget 'd["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] + ":" + str(a[0] not in d["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"])' "$EMAIL")" = "EMAIL:True"
SESSION="$(jget 'd["Session"]')"
OTP="$(latest_code "$EMAIL")"
check "an 8-digit sign-in code was emailed" test "${#OTP}" = 8
WRONG="$([ "$OTP" = 00000000 ] && echo 11111111 || echo 00000000)"
expect_error "wrong EMAIL_OTP_CODE → CodeMismatchException" CodeMismatchException respond-to-auth-challenge --client-id "$CLIENT" \
  --challenge-name EMAIL_OTP --session "$SESSION" --challenge-responses USERNAME="$EMAIL",EMAIL_OTP_CODE="$WRONG"
expect_error "wrong challenge name → InvalidParameterException" InvalidParameterException respond-to-auth-challenge --client-id "$CLIENT" \
  --challenge-name SMS_OTP --session "$SESSION" --challenge-responses USERNAME="$EMAIL",SMS_OTP_CODE="$OTP"
step "respond-to-auth-challenge EMAIL_OTP (verbatim from the walkthrough)" respond-to-auth-challenge --client-id "$CLIENT" \
  --challenge-name EMAIL_OTP --session "$SESSION" --challenge-responses USERNAME="$EMAIL",EMAIL_OTP_CODE="$OTP" || true
check "AccessToken, IdToken, RefreshToken, ExpiresIn 3600, Bearer" test "$(jget 'str(all(d["AuthenticationResult"].get(k) for k in ("AccessToken","IdToken","RefreshToken"))) + str(d["AuthenticationResult"]["ExpiresIn"]) + d["AuthenticationResult"]["TokenType"]')" = "True3600Bearer"
REFRESH="$(jget 'd["AuthenticationResult"]["RefreshToken"]')"
ACCESS="$(jget 'd["AuthenticationResult"]["AccessToken"]')"
expect_error "the used session is stale → NotAuthorizedException" NotAuthorizedException respond-to-auth-challenge --client-id "$CLIENT" \
  --challenge-name EMAIL_OTP --session "$SESSION" --challenge-responses USERNAME="$EMAIL",EMAIL_OTP_CODE="$OTP"
step "get-user with the access token" get-user --access-token "$ACCESS" || true
check "get-user email" test "$(jget '{x["Name"]: x["Value"] for x in d["UserAttributes"]}["email"]')" = "$EMAIL"

# 5. New tokens with the refresh token
step "initiate-auth REFRESH_TOKEN_AUTH" initiate-auth --auth-flow REFRESH_TOKEN_AUTH --client-id "$CLIENT" --auth-parameters REFRESH_TOKEN="$REFRESH" || true
check "refresh gives a new access token" test -n "$(jget 'd["AuthenticationResult"]["AccessToken"]')"

# Sign-in after sign-up: SignUp's Session → ConfirmSignUp(Session) → InitiateAuth(USER_AUTH, Session) → tokens, no code.
EMAIL2="user2-$RUNID@example.com"
step "sign-up (second user)" sign-up --client-id "$CLIENT" --username "$EMAIL2" --user-attributes Name=email,Value="$EMAIL2" || true
S1="$(jget 'd["Session"]')"
step "confirm-sign-up --session" confirm-sign-up --client-id "$CLIENT" --username "$EMAIL2" --confirmation-code "$(latest_code "$EMAIL2")" --session "$S1" || true
S2="$(jget 'd.get("Session")')"
check "confirm-sign-up returns a Session" test -n "$S2"
step "initiate-auth USER_AUTH --session signs in directly" initiate-auth --auth-flow USER_AUTH --client-id "$CLIENT" --auth-parameters USERNAME="$EMAIL2" --session "$S2" || true
check "tokens without a code" test -n "$(jget 'd["AuthenticationResult"]["IdToken"]')"
expect_error "the sign-up session is single use" NotAuthorizedException initiate-auth --auth-flow USER_AUTH --client-id "$CLIENT" --auth-parameters USERNAME="$EMAIL2" --session "$S2"

step "delete-user-pool" delete-user-pool --user-pool-id "$POOL" || true

echo "cli-passwordless: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
