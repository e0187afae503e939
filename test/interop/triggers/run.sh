#!/usr/bin/env bash
# The trigger rig: real Node Lambda handlers (handlers/*.js, the AWS developer guide's examples) under serverless-offline
# (the AWS Lambda Invoke API on a loopback port) and behind the webhook wrapper (webhook.js), with one Cognate pointed at
# both: Cognate__Lambda__Endpoint for the functions cognate-rig-local-*, and Cognate:Lambda:Functions:{arn}:Url for the
# functions cognate-rig-webhook-* (the same handler modules). The journeys (test/*.test.mjs) run through the AWS SDK v3,
# aws-jwt-verify and amazon-cognito-identity-js from test/interop/node; recorded events are compared with shapes/*.json.
#
# test/federation.test.mjs also needs Debian's chromium (/usr/bin/chromium, or COGNATE_CHROMIUM) for its federated sign-ins.
# Usage (from the repo root, after `dotnet build src/Cognate.Server -c Release`): bash test/interop/triggers/run.sh
# Prints "triggers: N passed, N failed, N skipped"; exits non-zero if a test failed or the rig could not start.
# Env: RIG_KEEP_LOGS=1 keeps the logs and recorded events; RIG_PENDING overrides the list below.
set -uo pipefail

# Tests to skip rather than run (none: every trigger has landed). The ids are the [brackets] of test/journeys.test.mjs and the
# shape:{triggerSource} of shapes.test.mjs.
PENDING="${RIG_PENDING-}"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
DLL="$ROOT/src/Cognate.Server/bin/Release/net10.0/Cognate.Server.dll"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cognate-triggers.XXXXXX")"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null; }
  done
  if [ "${RIG_KEEP_LOGS:-0}" = "1" ]; then echo "triggers: logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

abort() { echo "triggers: $1" >&2; echo "triggers: 0 passed, 1 failed"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# npm ci DIR: installs DIR's lockfile unless node_modules already matches it.
npm_ci() {
  local dir="$1" want have
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  have="$(cat "$dir/node_modules/.cognate-lock-sha256" 2>/dev/null || true)"
  if [ -d "$dir/node_modules" ] && [ "$want" = "$have" ]; then return 0; fi
  echo "triggers: npm ci in ${dir#"$ROOT"/}" >&2
  (cd "$dir" && timeout 600 npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1 \
    || { grep -v 'Unknown user config' "$WORK/npm.log" | tail -n 20 >&2; return 1; }
  echo "$want" >"$dir/node_modules/.cognate-lock-sha256"
}

# --- prerequisites -------------------------------------------------------------------------
if [ ! -f "$DLL" ]; then
  (cd "$ROOT" && timeout 600 dotnet build src/Cognate.Server -c Release -nologo -v q) >"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log" >&2; abort "server build failed"; }
fi
npm_ci "$HERE" || abort "npm ci failed in test/interop/triggers"
npm_ci "$ROOT/test/interop/node" || abort "npm ci failed in test/interop/node"

export AWS_ACCESS_KEY_ID=AKIACOGNATEDEVELOPER
export AWS_SECRET_ACCESS_KEY=cognate-development-secret-key-not-for-production
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL 2>/dev/null || true
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
export RIG_RECORD_DIR="$WORK/events" RIG_CODES_DIR="$WORK/codes"
mkdir -p "$RIG_RECORD_DIR" "$RIG_CODES_DIR"

# --- the functions: serverless-offline and the webhook wrapper ----------------------------------
LAMBDA_PORT="$(free_port)"
OFFLINE_PID="$(bash "$HERE/start-offline.sh" "$LAMBDA_PORT" "$WORK/offline.log")" || abort "serverless-offline did not start"
PIDS+=("$OFFLINE_PID")

WEBHOOK_PORT="$(free_port)"
(cd "$HERE" && exec setsid node webhook.js "$WEBHOOK_PORT") >"$WORK/webhook.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do grep -q '^listening' "$WORK/webhook.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening' "$WORK/webhook.log" || abort "the webhook wrapper did not start: $(tail -n 5 "$WORK/webhook.log")"

# Every function of functions.js (the same list serverless-offline serves) also as a webhook: cognate-rig-webhook-{key} →
# http://127.0.0.1:{port}/{module}/{export}. "missing" is a port nobody listens on (endpoint down).
WEBHOOK_ARN="arn:aws:lambda:us-east-1:000000000000:function:cognate-rig-webhook"
# Configuration keys hold the ARN (colons and all): `env` passes such names, bash's export cannot.
COGNATE_ENV=()
while read -r key route; do
  [ -n "$key" ] && COGNATE_ENV+=("Cognate__Lambda__Functions__${WEBHOOK_ARN}-${key}__Url=http://127.0.0.1:$WEBHOOK_PORT/$route")
done < <(cd "$HERE" && node functions.js routes)
[ "${#COGNATE_ENV[@]}" -gt 0 ] || abort "functions.js listed no functions"
COGNATE_ENV+=("Cognate__Lambda__Functions__${WEBHOOK_ARN}-missing__Url=http://127.0.0.1:$(free_port)/missing")

# --- Cognate ---------------------------------------------------------------------------------
COGNATE_PORT="$(free_port)"
(
  cd "$ROOT" || exit 1
  exec setsid env ASPNETCORE_ENVIRONMENT=Development \
    ConnectionStrings__Cognate="Data Source=$WORK/cognate.db" \
    'Cognate__IssuerBaseUrl=https://cognito-idp.{region}.amazonaws.com' \
    Cognate__Lambda__Endpoint="http://127.0.0.1:$LAMBDA_PORT" Cognate__Lambda__Region=us-east-1 Cognate__Lambda__FunctionNameInPath=Name \
    Cognate__Lambda__AccessKeyId=AKIARIGLOCAL Cognate__Lambda__SecretAccessKey=rig-local-secret \
    "${COGNATE_ENV[@]}" \
    dotnet "$DLL" --urls "http://127.0.0.1:$COGNATE_PORT"
) >"$WORK/cognate.log" 2>&1 &
PIDS+=("$!")
export COGNATE_ENDPOINT="http://127.0.0.1:$COGNATE_PORT"
ready=0
for _ in $(seq 1 100); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$COGNATE_ENDPOINT/health/live")" = "200" ]; then ready=1; break; fi
  sleep 0.3
done
[ "$ready" = 1 ] || { tail -n 20 "$WORK/cognate.log" >&2; abort "Cognate did not start"; }

# --- the journeys ------------------------------------------------------------------------------
export RIG_PENDING="$PENDING" RIG_TRANSPORTS="invoke webhook"
export RIG_LAMBDA_ENDPOINT="http://127.0.0.1:$LAMBDA_PORT" RIG_WEBHOOK_URL="http://127.0.0.1:$WEBHOOK_PORT"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
log="$WORK/tap.log"
(cd "$HERE" && timeout 900 node --test --test-concurrency=1 --test-timeout=120000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$log" \
  test/*.test.mjs)
rc=$?
pass="$(grep -E '^# pass [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
fail="$(grep -E '^# fail [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
cancelled="$(grep -E '^# cancelled [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
skipped="$(grep -E '^# skipped [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
[ -n "$pass" ] && [ -n "$fail" ] || abort "node --test printed no counts (exit $rc)"
fail=$((fail + ${cancelled:-0}))
if [ "$fail" -eq 0 ] && [ "$rc" -ne 0 ]; then fail=1; fi
if [ "$fail" -ne 0 ]; then echo "--- cognate.log (last 30 lines)" >&2; tail -n 30 "$WORK/cognate.log" >&2; fi
echo "triggers: $pass passed, $fail failed, ${skipped:-0} skipped"
[ "$fail" -eq 0 ]
