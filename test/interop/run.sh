#!/usr/bin/env bash
# Cognate interop suites: AWS CLI, boto3, Node (AWS SDK v3 + aws-jwt-verify +
# amazon-cognito-identity-js) and Terraform (hashicorp/aws provider) against freshly started
# Cognate servers on 127.0.0.1.
#
# Usage (from the repo root, after `dotnet build src/Cognate.Server -c Release`):
#   bash test/interop/run.sh
#
# Starts three servers with fresh temp data dirs:
#   A: default issuer (http://127.0.0.1:PORT/{poolId}), plus the development HTTPS on https://localhost:PORT2
#      (COGNATE_HTTPS_ENDPOINT)
#   B: Cognate__IssuerBaseUrl=https://cognito-idp.{region}.amazonaws.com (AWS-form issuer,
#      for aws-jwt-verify's CognitoJwtVerifier)
#   C: ASPNETCORE_ENVIRONMENT=Production with its own master key, admin pair and
#      Cognate__IssuerBaseUrl=https://idp.cognate.test (forged-Host tests)
# The firstrun suite (cli/firstrun.sh) starts no server here: it runs the README's `dotnet run` itself, on
# http://localhost:9229, in a temporary copy of the working tree, and then the README's tour.
# Prints one line per suite and a final line `interop: N passed, N failed`.
# Exits non-zero if any test failed or a suite could not run.
#
# The triggers suite (triggers/run.sh) starts its own Cognate, serverless-offline and webhook wrapper (see its header).
# Optional env: INTEROP_SUITES="cli cli-import boto3 node hosted terraform triggers senders" (subset), INTEROP_KEEP_LOGS=1;
# TF_INTEROP_HOSTED=1 counts terraform's hosted-UI case (pending issue 13 until then).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DLL="$ROOT/src/Cognate.Server/bin/Release/net10.0/Cognate.Server.dll"
SUITES="${INTEROP_SUITES:-cli cli-passwordless cli-devices cli-risk cli-import boto3 node hosted terraform firstrun triggers senders}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cognate-interop.XXXXXX")"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null
      # bounded wait: up to 10 s, then SIGKILL
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  if [ "${INTEROP_KEEP_LOGS:-0}" = "1" ]; then
    echo "interop: logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server NAME [ENV=VALUE ...] -> sets SERVER_URL; returns 1 if not ready in 30 s
start_server() {
  local name="$1"; shift
  local port dir
  port="$(free_port)"
  dir="$WORK/$name"
  mkdir -p "$dir"
  (
    cd "$ROOT" || exit 1
    exec env ASPNETCORE_ENVIRONMENT=Development \
      ConnectionStrings__Cognate="Data Source=$dir/cognate.db" \
      "$@" \
      dotnet "$DLL" --urls "http://127.0.0.1:$port"
  ) >"$dir/server.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  SERVER_URL="http://127.0.0.1:$port"
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "interop: server $name exited early; last log lines:" >&2
      tail -n 20 "$dir/server.log" >&2
      return 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$SERVER_URL/health/live")" = "200" ]; then
      return 0
    fi
    sleep 0.3
  done
  echo "interop: server $name did not answer /health/live within 30 s; last log lines:" >&2
  tail -n 20 "$dir/server.log" >&2
  return 1
}

TOTAL_PASS=0
TOTAL_FAIL=0
SUITE_LINES=()

record() { # suite pass fail [note]
  TOTAL_PASS=$((TOTAL_PASS + $2))
  TOTAL_FAIL=$((TOTAL_FAIL + $3))
  SUITE_LINES+=("$1: $2 passed, $3 failed${4:+ ($4)}")
}

finish() {
  echo
  local l
  for l in "${SUITE_LINES[@]}"; do echo "$l"; done
  echo "interop: $TOTAL_PASS passed, $TOTAL_FAIL failed"
  [ "$TOTAL_FAIL" -eq 0 ]
  exit $?
}

# --- prerequisites -------------------------------------------------------------------
if [ ! -f "$DLL" ]; then
  echo "interop: $DLL not found; building (dotnet build src/Cognate.Server -c Release)" >&2
  (cd "$ROOT" && timeout 600 dotnet build src/Cognate.Server -c Release -nologo -v q) >"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log" >&2; for s in $SUITES; do record "$s" 0 1 "server build failed"; done; finish; }
fi

export AWS_ACCESS_KEY_ID=AKIACOGNATEDEVELOPER
export AWS_SECRET_ACCESS_KEY=cognate-development-secret-key-not-for-production
export AWS_DEFAULT_REGION=us-east-1
export AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER=""
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER 2>/dev/null || true
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

# A also serves the development HTTPS (`--https`, set here through configuration: Cognate__Https__*) on its own free port,
# with its certificate in A's temp dir, for Amplify's https://{domain}/… (node/hosted/amplify.test.js).
HTTPS_PORT="$(free_port)"
# A invokes Lambda triggers through the Lambda Invoke API on COGNATE_LAMBDA_PORT, where a Node test serves its handlers
# (node/test/custom-auth.test.js); nothing listens there otherwise, so a trigger call elsewhere is UnexpectedLambdaException.
COGNATE_LAMBDA_PORT="$(free_port)"
export COGNATE_LAMBDA_PORT
# A checks compromised credentials against a breached-password list of one password (cli/risk.sh signs up and in with it).
export COGNATE_BREACHED_PASSWORD='Cli-Breached-9z!'
printf '%s\n' "$COGNATE_BREACHED_PASSWORD" >"$WORK/breached-passwords.txt"
if ! start_server default Cognate__Https__Enabled=true "Cognate__Https__Port=$HTTPS_PORT" \
    "Cognate__Https__CertificateDirectory=$WORK/default/certs" "Cognate__Lambda__Endpoint=http://127.0.0.1:$COGNATE_LAMBDA_PORT" \
    "Cognate__Risk__BreachedPasswordsFile=$WORK/breached-passwords.txt" \
    "Cognate__LogDelivery__Directory=$WORK/default/log-delivery"; then
  for s in $SUITES; do record "$s" 0 1 "server did not start"; done
  finish
fi
export COGNATE_ENDPOINT="$SERVER_URL"
export COGNATE_LOG_DELIVERY_DIR="$WORK/default/log-delivery"   # the default server's Cognate:LogDelivery:Directory (boto3 test_pool_metadata)
export COGNATE_HTTPS_ENDPOINT="https://localhost:$HTTPS_PORT"
if [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 3 "$COGNATE_HTTPS_ENDPOINT/health/live")" != "200" ]; then
  echo "interop: $COGNATE_HTTPS_ENDPOINT (development HTTPS) does not answer; the Amplify tests will fail" >&2
fi
# B runs its pools' Lambda triggers through the Lambda Invoke API on COGNATE_AWS_ISSUER_LAMBDA_PORT, served by the Node tests
# themselves (node/test/pretoken.test.js starts a small implementation of POST /2015-03-31/functions/{name}/invocations there).
COGNATE_AWS_ISSUER_LAMBDA_PORT="$(free_port)"
export COGNATE_AWS_ISSUER_LAMBDA_PORT
if start_server awsissuer 'Cognate__IssuerBaseUrl=https://cognito-idp.{region}.amazonaws.com' \
    "Cognate__Lambda__Endpoint=http://127.0.0.1:$COGNATE_AWS_ISSUER_LAMBDA_PORT"; then
  export COGNATE_AWS_ISSUER_ENDPOINT="$SERVER_URL"
else
  echo "interop: AWS-issuer server unavailable; CognitoJwtVerifier tests will fail" >&2
  export COGNATE_AWS_ISSUER_ENDPOINT=""
fi

# C: Production (what every environment but Development requires), for the forged-Host tests (node/test/hostheader.test.js).
PROD_KEY_ID="AKIAINTEROPPRODUCTION"
PROD_SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(36))')"
PROD_ISSUER="https://idp.cognate.test"
if start_server production ASPNETCORE_ENVIRONMENT=Production \
    "Cognate__MasterKey=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')" \
    "Cognate__Admin__AccessKeyId=$PROD_KEY_ID" "Cognate__Admin__SecretAccessKey=$PROD_SECRET" \
    "Cognate__IssuerBaseUrl=$PROD_ISSUER"; then
  export COGNATE_PRODUCTION_ENDPOINT="$SERVER_URL" COGNATE_PRODUCTION_ISSUER="$PROD_ISSUER"
  export COGNATE_PRODUCTION_ACCESS_KEY_ID="$PROD_KEY_ID" COGNATE_PRODUCTION_SECRET_ACCESS_KEY="$PROD_SECRET"
else
  echo "interop: Production server unavailable; forged-Host tests will fail" >&2
  export COGNATE_PRODUCTION_ENDPOINT=""
fi

# parse_counts FILE PREFIX -> "P F S" from a line "PREFIX: P passed, F failed[, S skipped]"
parse_counts() {
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
m = re.findall(r"^" + re.escape(sys.argv[2]) + r": (\d+) passed, (\d+) failed(?:, (\d+) skipped)?", text, re.M)
print("%s %s %s" % (m[-1][0], m[-1][1], m[-1][2] or 0) if m else "")
PY
}

# run_counted NAME TIMEOUT COMMAND... -> runs a suite that prints "NAME: P passed, F failed" and records its counts
# (a suite that prints no counts, or exits non-zero with none failed, counts one failure).
run_counted() {
  local name="$1" limit="$2"; shift 2
  local log="$WORK/$name.log"
  timeout "$limit" "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]} counts
  counts="$(parse_counts "$log" "$name")"
  if [ -z "$counts" ]; then record "$name" 0 1 "aborted, exit $rc"; return; fi
  # shellcheck disable=SC2086
  set -- $counts
  local skipped=""
  [ "$3" -gt 0 ] && skipped="$3 skipped"
  if [ "$2" -eq 0 ] && [ "$rc" -ne 0 ]; then record "$name" "$1" 1 "exit $rc${skipped:+, $skipped}"; else record "$name" "$1" "$2" "$skipped"; fi
}

node_deps() {
  local dir="$HERE/node" want have
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  have="$(cat "$dir/node_modules/.cognate-lock-sha256" 2>/dev/null || true)"
  if [ -d "$dir/node_modules" ] && [ "$want" = "$have" ]; then return 0; fi
  echo "interop: npm ci in test/interop/node" >&2
  (cd "$dir" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1 \
    || { grep -v 'Unknown user config' "$WORK/npm.log" | tail -n 20 >&2; return 1; }
  echo "$want" >"$dir/node_modules/.cognate-lock-sha256"
}

run_node() {
  local log="$WORK/node.log"
  if ! node_deps; then record node 0 1 "npm ci failed"; return; fi
  # Human-readable spec output on stdout, TAP into the log for the counts.
  # (The pinned SDK runs on node 20; its "node >= 22 from 2027" notice is noise here.)
  (cd "$HERE/node" && AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true timeout 600 node --test --test-concurrency=1 --test-timeout=180000 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$log" \
      test/)
  local rc=$?
  local pass fail
  pass="$(grep -E '^# pass [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
  fail="$(grep -E '^# fail [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
  local cancelled
  cancelled="$(grep -E '^# cancelled [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
  if [ -z "$pass" ] || [ -z "$fail" ]; then record node 0 1 "aborted, exit $rc"; return; fi
  fail=$((fail + ${cancelled:-0}))
  if [ "$fail" -eq 0 ] && [ "$rc" -ne 0 ]; then record node "$pass" 1 "exit $rc"; else record node "$pass" "$fail"; fi
}

for s in $SUITES; do
  echo "=== $s ==="
  suite_started=$SECONDS
  case "$s" in
    cli) run_counted cli 600 bash "$HERE/cli/walkthrough.sh" ;;
    cli-passwordless) run_counted cli-passwordless 600 bash "$HERE/cli/passwordless.sh" ;;
    cli-devices) run_counted cli-devices 600 bash "$HERE/cli/devices.sh" ;;
    cli-risk) run_counted cli-risk 600 bash "$HERE/cli/risk.sh" ;;
    cli-import) run_counted cli-import 600 bash "$HERE/cli/import.sh" ;;
    boto3) run_counted boto3 600 python3 "$HERE/boto3/test_lifecycle.py" ;;
    node) run_node ;;
    hosted) if node_deps; then run_counted hosted 1000 bash "$HERE/node/run-hosted.sh"; else record hosted 0 1 "npm ci failed"; fi ;;
    terraform) run_counted terraform 1500 bash "$HERE/terraform/run.sh" ;;
    firstrun) run_counted firstrun 900 bash "$HERE/cli/firstrun.sh" ;;
    triggers) run_counted triggers 1200 bash "$HERE/triggers/run.sh" ;;
    senders) run_counted senders 600 bash "$HERE/senders/run.sh" ;;
    *) echo "interop: unknown suite $s" >&2; record "$s" 0 1 "unknown suite" ;;
  esac
  echo "=== $s took $((SECONDS - suite_started)) s"
done

finish
