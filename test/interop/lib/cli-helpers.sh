# Sourced by the CLI suites after aws-env.sh, with EP (the server), OUT and ERR (files for the last call's stdout / stderr)
# set: counting helpers and `aws cognito-idp` wrappers. Never prints tokens, passwords or secrets (only the CLI's error line).
ok()   { PASS=$((PASS + 1)); echo "ok   - $1"; }
bad()  { FAIL=$((FAIL + 1)); echo "FAIL - $1${2:+: $2}"; }
# check NAME CONDITION-COMMAND... : pass if the command succeeds
check() { local name="$1"; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

# cidp ARGS... : aws cognito-idp against the server; stdout -> $OUT, stderr -> $ERR; returns aws's status
cidp() {
  set +e
  timeout 60 aws cognito-idp --endpoint-url "$EP" --region "$REGION" \
    --cli-connect-timeout 5 --cli-read-timeout 30 --output json "$@" >"$OUT" 2>"$ERR"
  local rc=$?
  set -e
  return $rc
}
# step NAME ARGS... : run cidp, count pass/fail on exit status (prints the error line on failure)
step() {
  local name="$1"; shift
  if cidp "$@"; then ok "$name"; return 0; fi
  bad "$name" "$(err_line)"; return 1
}
# err_line : the AWS CLI's one-line error (code + message), truncated
err_line() { grep -m1 -E 'An error occurred|Error|error' "$ERR" 2>/dev/null | cut -c1-240 || true; }
# err_code : the error code from "An error occurred (Code) when calling ..."
err_code() { sed -n 's/.*An error occurred (\([A-Za-z0-9_.:#]*\)).*/\1/p' "$ERR" | head -n1; }
# expect_error NAME CODE[|CODE2...] ARGS... : the call must fail with one of the codes
expect_error() {
  local name="$1" codes="$2"; shift 2
  if cidp "$@"; then bad "$name" "expected $codes, call succeeded"; return 0; fi
  local code; code="$(err_code)"
  if [[ "|$codes|" == *"|$code|"* ]]; then ok "$name"; else bad "$name" "expected $codes, got ${code:-<none>}: $(err_line)"; fi
}
# jget EXPR [ARGS...] : evaluate a python expression over the JSON in $OUT bound to `d` (ARGS as `a`)
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); a=sys.argv[3:]; v=eval(sys.argv[2]); print("" if v is None else v)' "$OUT" "$@" 2>/dev/null || true; }
