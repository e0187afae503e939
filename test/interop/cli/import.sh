#!/usr/bin/env bash
# User import jobs through the AWS CLI, as the AWS guide "Importing users into user pools from a CSV file" runs them:
# get-csv-header, a CSV written under that header, create-user-import-job, the upload with curl to the PreSignedUrl exactly as the
# guide shows (curl -v -T file -H "x-amz-server-side-encryption:aws:kms" "$PRE_SIGNED_URL"), start-user-import-job, describe until
# Succeeded, the imported user RESET_REQUIRED (admin-get-user; sign-in answers PasswordResetRequiredException until
# forgot-password / confirm-forgot-password), list-user-import-jobs with paging, stop-user-import-job on a second (large) job, and
# jobs that fail with a CompletionMessage (wrong header, bad UTF-8), and the per-row results through `aws logs get-log-events`,
# `describe-log-streams` and `filter-log-events` (Cognate's CloudWatch Logs subset). Attacks: a tampered or foreign upload signature (403).
#
#   COGNATE_ENDPOINT=http://127.0.0.1:PORT bash test/interop/cli/import.sh
#
# Prints `cli-import: N passed, N failed`. Never prints tokens or codes.
set -euo pipefail

CLI_SUITE_TMP=cognate-cli-import
# shellcheck source=../lib/cli-suite.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-suite.sh"

RUNID="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
ROLE="arn:aws:iam::000000000000:role/CognitoImportRole"
PW='Imported-Pw-1a!'

# wait_job JOB STATUS... : describe until the job is in one of the statuses (60 s at most); leaves the answer in $OUT
wait_job() {
  local job="$1"; shift
  local deadline=$((SECONDS + 60)) status=""
  while [ $SECONDS -lt $deadline ]; do
    cidp describe-user-import-job --user-pool-id "$POOL" --job-id "$job" || true
    status="$(jget 'd["UserImportJob"]["Status"]')"
    for s in "$@"; do [ "$status" = "$s" ] && return 0; done
    sleep 0.5
  done
  echo "  (job $job still $status)"
  return 1
}
# upload FILE URL : the guide's command; prints the HTTP status
upload() { curl -s -o "$WORKDIR/upload.out" -w '%{http_code}' --max-time 60 -T "$1" -H "x-amz-server-side-encryption:aws:kms" "$2"; }

step "create-user-pool (email auto-verified, custom:tier)" create-user-pool --pool-name "import-$RUNID" --auto-verified-attributes email \
  --schema Name=tier,AttributeDataType=String,Mutable=true || true
POOL="$(jget 'd["UserPool"]["Id"]')"
step "create-user-pool-client" create-user-pool-client --user-pool-id "$POOL" --client-name cli \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH || true
CLIENT="$(jget 'd["UserPoolClient"]["ClientId"]')"
step "admin-create-user (a name the file repeats)" admin-create-user --user-pool-id "$POOL" --username "taken-$RUNID" --message-action SUPPRESS \
  --user-attributes Name=email,Value="taken-$RUNID@example.com" || true

step "get-csv-header" get-csv-header --user-pool-id "$POOL" || true
check "CSVHeader starts with name and ends with cognito:mfa_enabled, cognito:username" \
  test "$(jget '",".join([d["CSVHeader"][0]] + d["CSVHeader"][-2:])')" = "name,cognito:mfa_enabled,cognito:username"
check "CSVHeader lists custom:tier and email_verified" test "$(jget '"custom:tier" in d["CSVHeader"] and "email_verified" in d["CSVHeader"]')" = "True"
check "UserPoolId echoed" test "$(jget 'd["UserPoolId"]')" = "$POOL"
HEADER_JSON="$(cat "$OUT")"

# The file: two good rows (one with a quoted comma), one existing name (skipped), one bad email (failed).
python3 - "$HEADER_JSON" "$RUNID" "$WORKDIR/users.csv" <<'PY'
import csv, json, sys
header = json.loads(sys.argv[1])["CSVHeader"]; run = sys.argv[2]
rows = [
    {"cognito:username": f"alice-{run}", "email": f"alice-{run}@example.com", "email_verified": "TRUE", "name": "Alice, A.", "custom:tier": "gold", "cognito:mfa_enabled": "FALSE"},
    {"cognito:username": f"bob-{run}", "email": f"bob-{run}@example.com", "email_verified": "true", "given_name": "Bob", "cognito:mfa_enabled": "false"},
    {"cognito:username": f"taken-{run}", "email": f"other-{run}@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
    {"cognito:username": f"carol-{run}", "email": "not-an-email", "email_verified": "true", "cognito:mfa_enabled": "false"},
]
with open(sys.argv[3], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    for r in rows: w.writerow([r.get(c, "") for c in header])
PY

step "create-user-import-job" create-user-import-job --user-pool-id "$POOL" --job-name "first-$RUNID" --cloud-watch-logs-role-arn "$ROLE" || true
JOB="$(jget 'd["UserImportJob"]["JobId"]')"
URL="$(jget 'd["UserImportJob"]["PreSignedUrl"]')"
check "Status Created" test "$(jget 'd["UserImportJob"]["Status"]')" = "Created"
check "JobId is import-…" python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"import-[0-9a-zA-Z]{10}", sys.argv[1]) else 1)' "$JOB"
check "PreSignedUrl on the server, signed" python3 -c 'import sys; u=sys.argv[1]; sys.exit(0 if u.startswith(sys.argv[2] + "/_import/") and "X-Cognate-Signature=" in u else 1)' "$URL" "$EP"
check "CloudWatchLogsRoleArn echoed" test "$(jget 'd["UserImportJob"]["CloudWatchLogsRoleArn"]')" = "$ROLE"

# Attacks on the upload URL: a changed signature, and this job's signature on another path.
check "upload with a tampered signature: 403" test "$(upload "$WORKDIR/users.csv" "${URL%?}0")" = "403"
check "upload with the signature moved to another job id: 403" test "$(upload "$WORKDIR/users.csv" "${URL/$JOB/import-AAAAAAAAAA}")" = "403"
check "upload without a signature: 403" test "$(upload "$WORKDIR/users.csv" "${URL%%\?*}")" = "403"

check "curl -T to the PreSignedUrl (the guide's command): 200" test "$(upload "$WORKDIR/users.csv" "$URL")" = "200"
step "start-user-import-job" start-user-import-job --user-pool-id "$POOL" --job-id "$JOB" || true
check "Status Pending or InProgress" python3 -c 'import sys; sys.exit(0 if sys.argv[1] in ("Pending","InProgress","Succeeded") else 1)' "$(jget 'd["UserImportJob"]["Status"]')"
check "StartDate set" test -n "$(jget 'd["UserImportJob"].get("StartDate")')"
check "describe-user-import-job until Succeeded" wait_job "$JOB" Succeeded
check "ImportedUsers 2, SkippedUsers 1, FailedUsers 1" test "$(jget '"%s %s %s" % (d["UserImportJob"]["ImportedUsers"], d["UserImportJob"]["SkippedUsers"], d["UserImportJob"]["FailedUsers"])')" = "2 1 1"
check "CompletionMessage and CompletionDate" test -n "$(jget 'd["UserImportJob"].get("CompletionMessage") and d["UserImportJob"].get("CompletionDate")')"
check "upload after the start: 409" test "$(upload "$WORKDIR/users.csv" "$URL")" = "409"
# The job's per-row results where Cognito writes them, CloudWatch Logs: `aws logs` against the same endpoint (signed for "logs"),
# log group /aws/cognito/userpools/POOL_ID/POOL_NAME, log stream JOB_ID/JOB_NAME, one line per skipped or failed row, by file line
# (the header is line 1: taken-… is line 4, carol-… line 5), no user data.
cwl() {
  set +e
  timeout 60 aws logs --endpoint-url "$EP" --region "$REGION" --cli-connect-timeout 5 --cli-read-timeout 30 --output json "$@" >"$OUT" 2>"$ERR"
  local rc=$?
  set -e
  return $rc
}
cwl_step() { local name="$1"; shift; if cwl "$@"; then ok "$name"; else bad "$name" "$(err_line)"; fi; }
cwl_error() {
  local name="$1" code="$2"; shift 2
  if cwl "$@"; then bad "$name" "expected $code, call succeeded"; return 0; fi
  if [ "$(err_code)" = "$code" ]; then ok "$name"; else bad "$name" "expected $code, got $(err_line)"; fi
}
GROUP="/aws/cognito/userpools/$POOL/import-$RUNID"
STREAM="$JOB/first-$RUNID"
cwl_step "aws logs get-log-events --start-from-head" get-log-events --log-group-name "$GROUP" --log-stream-name "$STREAM" --start-from-head
check "two events: [SKIPPED] Line Number 4, then [FAILED] Line Number 5" test \
  "$(jget 'len(d["events"]) == 2 and d["events"][0]["message"] == "[SKIPPED] Line Number 4 - The user already exists." and d["events"][1]["message"].startswith("[FAILED] Line Number 5 - ")')" = "True"
check "no user data in the lines" test "$(jget 'any(x in e["message"] for e in d["events"] for x in ("carol", "taken", "not-an-email", a[0]))' "$RUNID")" = "False"
check "timestamps in milliseconds" test "$(jget 'all(e["timestamp"] > 10**12 and e["ingestionTime"] == e["timestamp"] for e in d["events"])')" = "True"
FWD="$(jget 'd["nextForwardToken"]')"
cwl_step "get-log-events --next-token (forward, at the end)" get-log-events --log-group-name "$GROUP" --log-stream-name "$STREAM" --next-token "$FWD"
check "no more events, the same token back" test "$(jget 'len(d["events"]) == 0 and d["nextForwardToken"] == a[0]' "$FWD")" = "True"
cwl_step "get-log-events --limit 1 (newest first without --start-from-head)" get-log-events --log-group-name "$GROUP" --log-stream-name "$STREAM" --limit 1
check "the [FAILED] line" test "$(jget 'len(d["events"]) == 1 and d["events"][0]["message"].startswith("[FAILED] Line Number 5 - ")')" = "True"
cwl_step "aws logs describe-log-streams" describe-log-streams --log-group-name "$GROUP"
check "one stream JOB_ID/JOB_NAME with event times" test "$(jget '[s["logStreamName"] for s in d["logStreams"]] == [a[0]] and d["logStreams"][0]["lastEventTimestamp"] >= d["logStreams"][0]["firstEventTimestamp"]' "$STREAM")" = "True"
cwl_step "aws logs filter-log-events --filter-pattern SKIPPED" filter-log-events --log-group-name "$GROUP" --filter-pattern SKIPPED
check "the [SKIPPED] line from the job's stream" test "$(jget '[(e["logStreamName"], e["message"]) for e in d["events"]] == [(a[0], "[SKIPPED] Line Number 4 - The user already exists.")]' "$STREAM")" = "True"
cwl_error "get-log-events of an unknown stream: ResourceNotFoundException" ResourceNotFoundException get-log-events --log-group-name "$GROUP" --log-stream-name "import-AAAAAAAAAA/first-$RUNID"
cwl_error "get-log-events of another pool name: ResourceNotFoundException" ResourceNotFoundException get-log-events --log-group-name "$GROUP-x" --log-stream-name "$STREAM"
cwl_error "describe-log-streams of an unknown pool: ResourceNotFoundException" ResourceNotFoundException describe-log-streams --log-group-name "/aws/cognito/userpools/us-east-1_NoSuchPool/x"
cwl_error "get-log-events with a forged token: InvalidParameterException" InvalidParameterException get-log-events --log-group-name "$GROUP" --log-stream-name "$STREAM" --next-token "f/nope"

expect_error "start-user-import-job again: PreconditionNotMetException" PreconditionNotMetException start-user-import-job --user-pool-id "$POOL" --job-id "$JOB"
expect_error "stop-user-import-job on a finished job: PreconditionNotMetException" PreconditionNotMetException stop-user-import-job --user-pool-id "$POOL" --job-id "$JOB"

step "admin-get-user (imported)" admin-get-user --user-pool-id "$POOL" --username "alice-$RUNID" || true
check "UserStatus RESET_REQUIRED" test "$(jget 'd["UserStatus"]')" = "RESET_REQUIRED"
check "attributes imported (email_verified true, custom:tier, quoted comma)" test \
  "$(jget '"|".join(a["Value"] for a in sorted(d["UserAttributes"], key=lambda a: a["Name"]) if a["Name"] in ("custom:tier","email_verified","name"))')" = "gold|true|Alice, A."
step "admin-get-user (existing user untouched)" admin-get-user --user-pool-id "$POOL" --username "taken-$RUNID" || true
check "existing user keeps its email" test "$(jget '[a["Value"] for a in d["UserAttributes"] if a["Name"]=="email"][0]')" = "taken-$RUNID@example.com"
expect_error "the refused row created no user" UserNotFoundException admin-get-user --user-pool-id "$POOL" --username "carol-$RUNID"

expect_error "initiate-auth of an imported user: PasswordResetRequiredException" PasswordResetRequiredException initiate-auth --client-id "$CLIENT" \
  --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=alice-$RUNID,PASSWORD=$PW"
step "forgot-password" forgot-password --client-id "$CLIENT" --username "alice-$RUNID" || true
CODE="$(curl -s --max-time 5 -G "$EP/_outbox" --data-urlencode "to=alice-$RUNID@example.com" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["code"])' 2>/dev/null || true)"
step "confirm-forgot-password" confirm-forgot-password --client-id "$CLIENT" --username "alice-$RUNID" --confirmation-code "${CODE:-000000}" --password "$PW" || true
step "initiate-auth after the reset" initiate-auth --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=alice-$RUNID,PASSWORD=$PW" || true
check "tokens issued" test -n "$(jget 'd["AuthenticationResult"]["AccessToken"] and "yes"')"

# A second, large job stopped while it runs.
python3 - "$HEADER_JSON" "$RUNID" "$WORKDIR/many.csv" <<'PY'
import csv, json, sys
header = json.loads(sys.argv[1])["CSVHeader"]; run = sys.argv[2]
with open(sys.argv[3], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    for i in range(60000):
        r = {"cognito:username": f"bulk{i}-{run}", "email": f"bulk{i}-{run}@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"}
        w.writerow([r.get(c, "") for c in header])
PY
step "create-user-import-job (second)" create-user-import-job --user-pool-id "$POOL" --job-name "second-$RUNID" --cloud-watch-logs-role-arn "$ROLE" || true
JOB2="$(jget 'd["UserImportJob"]["JobId"]')"
URL2="$(jget 'd["UserImportJob"]["PreSignedUrl"]')"
check "upload 60,000 rows: 200" test "$(upload "$WORKDIR/many.csv" "$URL2")" = "200"
step "start-user-import-job (second)" start-user-import-job --user-pool-id "$POOL" --job-id "$JOB2" || true
step "stop-user-import-job" stop-user-import-job --user-pool-id "$POOL" --job-id "$JOB2" || true
check "Status Stopping" test "$(jget 'd["UserImportJob"]["Status"]')" = "Stopping"
check "describe until Stopped" wait_job "$JOB2" Stopped
check "stopped before the end (ImportedUsers < 60000)" python3 -c 'import sys; sys.exit(0 if int(sys.argv[1]) < 60000 else 1)' "$(jget 'd["UserImportJob"]["ImportedUsers"]')"

# Files that fail the whole job, with nobody written.
printf 'cognito:username,email,nonsense\nx,x@example.com,1\n' >"$WORKDIR/badheader.csv"
printf 'cognito:username\n\xff\xfe\n' >"$WORKDIR/badutf8.csv"
for bad in badheader badutf8; do
  cidp create-user-import-job --user-pool-id "$POOL" --job-name "$bad-$RUNID" --cloud-watch-logs-role-arn "$ROLE" || true
  J="$(jget 'd["UserImportJob"]["JobId"]')"; U="$(jget 'd["UserImportJob"]["PreSignedUrl"]')"
  upload "$WORKDIR/$bad.csv" "$U" >/dev/null || true
  cidp start-user-import-job --user-pool-id "$POOL" --job-id "$J" || true
  check "$bad: job Failed" wait_job "$J" Failed
  check "$bad: CompletionMessage says why, nobody imported" test "$(jget 'bool(d["UserImportJob"]["CompletionMessage"]) and d["UserImportJob"]["ImportedUsers"] == 0')" = "True"
done
cidp create-user-import-job --user-pool-id "$POOL" --job-name "noupload-$RUNID" --cloud-watch-logs-role-arn "$ROLE" || true
J="$(jget 'd["UserImportJob"]["JobId"]')"
cidp start-user-import-job --user-pool-id "$POOL" --job-id "$J" || true
check "started without an upload: job Failed" wait_job "$J" Failed

step "list-user-import-jobs --max-results 2" list-user-import-jobs --user-pool-id "$POOL" --max-results 2 || true
check "two jobs and a PaginationToken" test "$(jget 'len(d["UserImportJobs"]) == 2 and bool(d.get("PaginationToken"))')" = "True"
TOKEN="$(jget 'd["PaginationToken"]')"
step "list-user-import-jobs next page" list-user-import-jobs --user-pool-id "$POOL" --max-results 60 --pagination-token "$TOKEN" || true
check "the other three jobs, the first job last" test "$(jget 'len(d["UserImportJobs"]) == 3 and d["UserImportJobs"][-1]["JobId"] == a[0] and not d.get("PaginationToken")' "$JOB")" = "True"
expect_error "list-user-import-jobs --max-results 61: InvalidParameterException" InvalidParameterException list-user-import-jobs --user-pool-id "$POOL" --max-results 61
expect_error "list-user-import-jobs with a forged token: InvalidParameterException" InvalidParameterException list-user-import-jobs --user-pool-id "$POOL" --max-results 5 --pagination-token bm9wZQ==
expect_error "describe-user-import-job unknown: ResourceNotFoundException" ResourceNotFoundException describe-user-import-job --user-pool-id "$POOL" --job-id import-AAAAAAAAAA
expect_error "get-csv-header of an unknown pool: ResourceNotFoundException" ResourceNotFoundException get-csv-header --user-pool-id us-east-1_NoSuchPool

cidp delete-user-pool --user-pool-id "$POOL" || true
echo "cli-import: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
