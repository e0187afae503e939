#!/usr/bin/env bash
# Threat protection and legacy user settings through the AWS CLI: a pool with UserPoolAddOns AdvancedSecurityMode=ENFORCED;
# set-risk-configuration / describe-risk-configuration for the pool and one app client (and the reset), the errors Cognito gives
# (UserPoolAddOnNotEnabledException on an OFF pool, InvalidParameterException for a bad CIDR); a BlockedIPRangeList covering
# 127.0.0.0/8 refuses the sign-in (attack: with the right password too), the event shows EventRisk Block and the source IP, the
# BlockEmail in the outbox carries the event's feedback token; update-auth-event-feedback refuses a forged token and accepts the
# real one, admin-update-auth-event-feedback; with COGNATE_BREACHED_PASSWORD (a password on the server's
# Cognate:Risk:BreachedPasswordsFile, set by run.sh) sign-up with it is refused (attack) and sign-in with it is blocked;
# admin-set-user-settings / set-user-settings (SMS MFAOptions); account takeover: HighAction BLOCK refuses admin-initiate-auth from a
# new address given as --context-data IpAddress (EventRisk AccountTakeover/High), the known 127.0.0.1 signs in (NoRisk/Low).
#
#   COGNATE_ENDPOINT=http://127.0.0.1:PORT [COGNATE_BREACHED_PASSWORD=...] bash test/interop/cli/risk.sh
#
# Prints `cli-risk: N passed, N failed`. Never prints tokens.
set -euo pipefail

CLI_SUITE_TMP=cognate-cli-risk
# shellcheck source=../lib/cli-suite.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-suite.sh"

RUNID="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
USER="risk-$RUNID"
EMAIL="risk-$RUNID@example.com"
PW='Cli-Risk-1a!'
ARN='arn:aws:ses:us-east-1:123456789012:identity/example.com'

# --- add-on OFF ---------------------------------------------------------------------------------------------------------
step "create-user-pool without add-ons" create-user-pool --pool-name "risk-off-$RUNID" || true
OFFPOOL="$(jget 'd["UserPool"]["Id"]')"
expect_error "describe-risk-configuration on an OFF pool: UserPoolAddOnNotEnabledException" UserPoolAddOnNotEnabledException \
  describe-risk-configuration --user-pool-id "$OFFPOOL"
expect_error "set-risk-configuration on an OFF pool: UserPoolAddOnNotEnabledException" UserPoolAddOnNotEnabledException \
  set-risk-configuration --user-pool-id "$OFFPOOL" --risk-exception-configuration BlockedIPRangeList=10.0.0.0/8
cidp delete-user-pool --user-pool-id "$OFFPOOL" || true

# --- configuration ------------------------------------------------------------------------------------------------------
step "create-user-pool with AdvancedSecurityMode=ENFORCED" create-user-pool --pool-name "risk-$RUNID" \
  --user-pool-add-ons AdvancedSecurityMode=ENFORCED --auto-verified-attributes email || true
POOL="$(jget 'd["UserPool"]["Id"]')"
step "create-user-pool-client" create-user-pool-client --user-pool-id "$POOL" --client-name cli \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_USER_AUTH || true
CLIENT="$(jget 'd["UserPoolClient"]["ClientId"]')"

step "set-risk-configuration (pool: compromised credentials, account takeover, IP exceptions)" set-risk-configuration --user-pool-id "$POOL" \
  --compromised-credentials-risk-configuration '{"EventFilter":["SIGN_IN","SIGN_UP","PASSWORD_CHANGE"],"Actions":{"EventAction":"BLOCK"}}' \
  --account-takeover-risk-configuration "{\"NotifyConfiguration\":{\"SourceArn\":\"$ARN\",\"BlockEmail\":{\"Subject\":\"Blocked sign-in for {username}\",\"TextBody\":\"From {ip-address}. Mine: {one-click-link-valid} Not mine: {one-click-link-invalid}\"}},\"Actions\":{\"LowAction\":{\"Notify\":false,\"EventAction\":\"NO_ACTION\"},\"HighAction\":{\"Notify\":true,\"EventAction\":\"BLOCK\"}}}" \
  --risk-exception-configuration SkippedIPRangeList=203.0.113.0/24 || true
check "answer has LastModifiedDate" test -n "$(jget 'd["RiskConfiguration"]["LastModifiedDate"]')"
step "describe-risk-configuration (pool)" describe-risk-configuration --user-pool-id "$POOL" || true
check "EventAction BLOCK" test "$(jget 'd["RiskConfiguration"]["CompromisedCredentialsRiskConfiguration"]["Actions"]["EventAction"]')" = "BLOCK"
check "HighAction BLOCK with Notify" test "$(jget 'd["RiskConfiguration"]["AccountTakeoverRiskConfiguration"]["Actions"]["HighAction"]["Notify"]')" = "True"
check "SkippedIPRangeList kept" test "$(jget 'd["RiskConfiguration"]["RiskExceptionConfiguration"]["SkippedIPRangeList"][0]')" = "203.0.113.0/24"
step "describe-risk-configuration (client inherits the pool's)" describe-risk-configuration --user-pool-id "$POOL" --client-id "$CLIENT" || true
check "inherited EventFilter has SIGN_UP" test "$(jget '"SIGN_UP" in d["RiskConfiguration"]["CompromisedCredentialsRiskConfiguration"]["EventFilter"]')" = "True"
step "set-risk-configuration (client's own)" set-risk-configuration --user-pool-id "$POOL" --client-id "$CLIENT" \
  --compromised-credentials-risk-configuration 'Actions={EventAction=NO_ACTION}' || true
step "describe-risk-configuration (client's own)" describe-risk-configuration --user-pool-id "$POOL" --client-id "$CLIENT" || true
check "client's EventAction NO_ACTION" test "$(jget 'd["RiskConfiguration"]["CompromisedCredentialsRiskConfiguration"]["Actions"]["EventAction"]')" = "NO_ACTION"
step "set-risk-configuration with only the ids (client inherits again)" set-risk-configuration --user-pool-id "$POOL" --client-id "$CLIENT" || true
step "describe-risk-configuration (client)" describe-risk-configuration --user-pool-id "$POOL" --client-id "$CLIENT" || true
check "client back to the pool's BLOCK" test "$(jget 'd["RiskConfiguration"]["CompromisedCredentialsRiskConfiguration"]["Actions"]["EventAction"]')" = "BLOCK"
expect_error "a malformed CIDR: InvalidParameterException" InvalidParameterException \
  set-risk-configuration --user-pool-id "$POOL" --risk-exception-configuration BlockedIPRangeList=10.0.0.0/40
expect_error "an unknown client: ResourceNotFoundException" ResourceNotFoundException \
  describe-risk-configuration --user-pool-id "$POOL" --client-id nosuchclient0000000000000
expect_error "an unknown EventAction: InvalidParameterException (or the CLI's own check)" "InvalidParameterException|ValidationException|" \
  set-risk-configuration --user-pool-id "$POOL" --compromised-credentials-risk-configuration 'Actions={EventAction=MAYBE}'

# --- breached passwords ---------------------------------------------------------------------------------------------------
if [ -n "${COGNATE_BREACHED_PASSWORD:-}" ]; then
  expect_error "attack: sign-up with a breached password: InvalidPasswordException" InvalidPasswordException \
    sign-up --client-id "$CLIENT" --username "breach-$RUNID" --password "$COGNATE_BREACHED_PASSWORD" --user-attributes Name=email,Value="b-$RUNID@example.com"
  check "the message says why" grep -q "cannot be used for security reasons" "$ERR"
  step "admin-create-user with a breached password set by the administrator" admin-create-user --user-pool-id "$POOL" --username "breach-$RUNID" --message-action SUPPRESS || true
  step "admin-set-user-password (admin passwords are not checked)" admin-set-user-password --user-pool-id "$POOL" --username "breach-$RUNID" \
    --password "$COGNATE_BREACHED_PASSWORD" --permanent || true
  expect_error "attack: sign-in with the breached password: PasswordResetRequiredException" PasswordResetRequiredException \
    initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=breach-$RUNID,PASSWORD=$COGNATE_BREACHED_PASSWORD"
  step "admin-get-user" admin-get-user --user-pool-id "$POOL" --username "breach-$RUNID" || true
  check "user is RESET_REQUIRED" test "$(jget 'd["UserStatus"]')" = "RESET_REQUIRED"
  step "admin-list-user-auth-events (breached)" admin-list-user-auth-events --user-pool-id "$POOL" --username "breach-$RUNID" || true
  check "CompromisedCredentialsDetected" test "$(jget 'd["AuthEvents"][0]["EventRisk"]["CompromisedCredentialsDetected"]')" = "True"
else
  echo "skip - COGNATE_BREACHED_PASSWORD not set: breached-password checks not run"
fi

# --- blocked IP range -------------------------------------------------------------------------------------------------------
step "admin-create-user" admin-create-user --user-pool-id "$POOL" --username "$USER" --message-action SUPPRESS \
  --user-attributes Name=email,Value="$EMAIL" Name=email_verified,Value=true Name=phone_number,Value=+15555550123 || true
step "admin-set-user-password" admin-set-user-password --user-pool-id "$POOL" --username "$USER" --password "$PW" --permanent || true
step "initiate-auth before the block" initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW" || true
ACCESS="$(jget 'd["AuthenticationResult"]["AccessToken"]')"
step "admin-list-user-auth-events (allowed sign-in)" admin-list-user-auth-events --user-pool-id "$POOL" --username "$USER" || true
check "RiskDecision NoRisk, RiskLevel Low" test "$(jget 'd["AuthEvents"][0]["EventRisk"]["RiskDecision"] + "/" + d["AuthEvents"][0]["EventRisk"]["RiskLevel"]')" = "NoRisk/Low"
FIRST_EVENT="$(jget 'd["AuthEvents"][0]["EventId"]')"

step "set-risk-configuration BlockedIPRangeList=127.0.0.0/8 (keeping the NotifyConfiguration)" set-risk-configuration --user-pool-id "$POOL" \
  --account-takeover-risk-configuration "{\"NotifyConfiguration\":{\"SourceArn\":\"$ARN\",\"BlockEmail\":{\"Subject\":\"Blocked sign-in for {username}\",\"TextBody\":\"From {ip-address}. Mine: {one-click-link-valid} Not mine: {one-click-link-invalid}\"}},\"Actions\":{\"HighAction\":{\"Notify\":true,\"EventAction\":\"BLOCK\"}}}" \
  --risk-exception-configuration 'BlockedIPRangeList=127.0.0.0/8,192.0.2.0/24' || true
expect_error "attack: sign-in from a blocked range with the right password: NotAuthorizedException" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW"
check "message: Unable to login because of security reasons." grep -q "Unable to login because of security reasons." "$ERR"
expect_error "admin-initiate-auth from a blocked range: NotAuthorizedException" NotAuthorizedException \
  admin-initiate-auth --user-pool-id "$POOL" --client-id "$CLIENT" --auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW"
step "admin-list-user-auth-events (blocked)" admin-list-user-auth-events --user-pool-id "$POOL" --username "$USER" || true
check "RiskDecision Block" test "$(jget 'd["AuthEvents"][0]["EventRisk"]["RiskDecision"]')" = "Block"
check "EventContextData IpAddress 127.0.0.1" test "$(jget 'd["AuthEvents"][0]["EventContextData"]["IpAddress"]')" = "127.0.0.1"
BLOCKED_EVENT="$(jget 'd["AuthEvents"][0]["EventId"]')"
expect_error "attack: choice-based sign-in (USER_AUTH) from a blocked range: NotAuthorizedException before any challenge" NotAuthorizedException \
  initiate-auth --client-id "$CLIENT" --auth-flow USER_AUTH --auth-parameters "USERNAME=$USER"
check "message: Unable to login because of security reasons." grep -q "Unable to login because of security reasons." "$ERR"

# The feedback token of the newest blocked event, from the BlockEmail's one-click link.
LINK="$(curl -s --max-time 5 -G "$EP/_outbox" --data-urlencode "to=$EMAIL" | python3 -c '
import json, re, sys
msgs = json.load(sys.stdin)
body = msgs[0]["body"] if msgs else ""
m = re.search(r"event_id=([0-9a-f-]+)&feedback_token=([A-Za-z0-9_-]+)&feedback_value=Invalid", body)
print(f"{m.group(1)} {m.group(2)}" if m else "")')"
LINK_EVENT="${LINK%% *}"
TOKEN="${LINK##* }"
check "BlockEmail in the outbox names the blocked event" test -n "$LINK" -a "$LINK_EVENT" = "$BLOCKED_EVENT"
FORGED="$(python3 -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))')"
expect_error "attack: update-auth-event-feedback with a forged token: NotAuthorizedException" NotAuthorizedException \
  update-auth-event-feedback --user-pool-id "$POOL" --username "$USER" --event-id "$BLOCKED_EVENT" --feedback-token "$FORGED" --feedback-value Invalid
expect_error "attack: the real token on another event: NotAuthorizedException" NotAuthorizedException \
  update-auth-event-feedback --user-pool-id "$POOL" --username "$USER" --event-id "$FIRST_EVENT" --feedback-token "$TOKEN" --feedback-value Invalid
step "update-auth-event-feedback with the emailed token" update-auth-event-feedback --user-pool-id "$POOL" --username "$USER" \
  --event-id "$BLOCKED_EVENT" --feedback-token "$TOKEN" --feedback-value Invalid || true
step "admin-update-auth-event-feedback on the first event" admin-update-auth-event-feedback --user-pool-id "$POOL" --username "$USER" \
  --event-id "$FIRST_EVENT" --feedback-value Valid || true
step "admin-list-user-auth-events (feedback)" admin-list-user-auth-events --user-pool-id "$POOL" --username "$USER" || true
check "blocked event: EventFeedback Invalid by User" test "$(jget '[e for e in d["AuthEvents"] if e["EventId"] == a[0]][0]["EventFeedback"]["FeedbackValue"] + "/" + [e for e in d["AuthEvents"] if e["EventId"] == a[0]][0]["EventFeedback"]["Provider"]' "$BLOCKED_EVENT")" = "Invalid/User"
check "first event: EventFeedback Valid by Admin" test "$(jget '[e for e in d["AuthEvents"] if e["EventId"] == a[0]][0]["EventFeedback"]["FeedbackValue"] + "/" + [e for e in d["AuthEvents"] if e["EventId"] == a[0]][0]["EventFeedback"]["Provider"]' "$FIRST_EVENT")" = "Valid/Admin"
expect_error "admin-update-auth-event-feedback on an unknown event: ResourceNotFoundException" ResourceNotFoundException \
  admin-update-auth-event-feedback --user-pool-id "$POOL" --username "$USER" --event-id 00000000-0000-4000-8000-000000000000 --feedback-value Valid
step "set-risk-configuration with only the pool id (defaults: nothing blocked)" set-risk-configuration --user-pool-id "$POOL" || true
step "initiate-auth after the reset" initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW" || true

# --- legacy user settings -----------------------------------------------------------------------------------------------
step "admin-set-user-settings SMS/phone_number" admin-set-user-settings --user-pool-id "$POOL" --username "$USER" \
  --mfa-options DeliveryMedium=SMS,AttributeName=phone_number || true
step "admin-get-user" admin-get-user --user-pool-id "$POOL" --username "$USER" || true
check "MFAOptions SMS" test "$(jget 'd["MFAOptions"][0]["DeliveryMedium"]')" = "SMS"
check "PreferredMfaSetting SMS_MFA" test "$(jget 'd["PreferredMfaSetting"]')" = "SMS_MFA"
step "set-user-settings with an empty list (access token)" set-user-settings --access-token "$ACCESS" --mfa-options '[]' || true
step "get-user" get-user --access-token "$ACCESS" || true
check "no MFAOptions" test -z "$(jget 'd.get("MFAOptions")')"
expect_error "admin-set-user-settings EMAIL: InvalidParameterException" InvalidParameterException \
  admin-set-user-settings --user-pool-id "$POOL" --username "$USER" --mfa-options DeliveryMedium=EMAIL,AttributeName=email

# --- account takeover (the documented signal: a source IP never seen in the user's successful sign-ins) -------------------------
step "set-risk-configuration HighAction BLOCK (account takeover)" set-risk-configuration --user-pool-id "$POOL" \
  --account-takeover-risk-configuration '{"Actions":{"LowAction":{"Notify":false,"EventAction":"NO_ACTION"},"HighAction":{"Notify":false,"EventAction":"BLOCK"}}}' || true
CTX_NEW='{"IpAddress":"198.51.100.7","ServerName":"app.example.com","ServerPath":"/login","HttpHeaders":[{"headerName":"User-Agent","headerValue":"cli"}]}'
expect_error "attack: admin-initiate-auth from a new address (ContextData.IpAddress), right password: NotAuthorizedException" NotAuthorizedException \
  admin-initiate-auth --user-pool-id "$POOL" --client-id "$CLIENT" --auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW" --context-data "$CTX_NEW"
step "admin-list-user-auth-events (account takeover)" admin-list-user-auth-events --user-pool-id "$POOL" --username "$USER" || true
check "RiskDecision AccountTakeover, RiskLevel High, from 198.51.100.7" test "$(jget 'd["AuthEvents"][0]["EventRisk"]["RiskDecision"] + "/" + d["AuthEvents"][0]["EventRisk"]["RiskLevel"] + "/" + d["AuthEvents"][0]["EventContextData"]["IpAddress"]')" = "AccountTakeover/High/198.51.100.7"
step "admin-initiate-auth from the known address 127.0.0.1 signs in" admin-initiate-auth --user-pool-id "$POOL" --client-id "$CLIENT" \
  --auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters "USERNAME=$USER,PASSWORD=$PW" || true
step "admin-list-user-auth-events (known address)" admin-list-user-auth-events --user-pool-id "$POOL" --username "$USER" || true
check "RiskDecision NoRisk, RiskLevel Low" test "$(jget 'd["AuthEvents"][0]["EventRisk"]["RiskDecision"] + "/" + d["AuthEvents"][0]["EventRisk"]["RiskLevel"]')" = "NoRisk/Low"

cidp delete-user-pool --user-pool-id "$POOL" || true
echo "cli-risk: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
