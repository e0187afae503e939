#!/usr/bin/env bash
# The cost of a trigger round trip: bash bench/triggers.sh
# Starts the trigger rig's functions under serverless-offline (test/interop/triggers, npm ci from its lockfile) and one Cognate
# (Release build) pointed at it, both on free 127.0.0.1 ports, then bench/triggers-latency.mjs: sequential sign-ins against a
# pool without triggers and one with a PreTokenGeneration V2 function, p50/p95/mean and the difference (see bench/README.md).
# Env: BENCH_SIGNINS (default 300 per round, two rounds), BENCH_WARMUP (30); BENCH_TRANSPORT=webhook measures the same handler
# behind test/interop/triggers/webhook.js (Cognate:Lambda:Functions:{name}:Url) instead. Stops what it started by PID.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cognate-bench-triggers.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && { kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; }; done
  sleep 0.5; rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
for dir in test/interop/triggers test/interop/node; do
  [ -d "$dir/node_modules" ] || (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >/dev/null || { echo "npm ci failed in $dir"; exit 1; }
done
dotnet build -c Release src/Cognate.Server -v q -nologo >/dev/null || { echo "build failed"; exit 1; }

LAMBDA_PORT="$(free_port)"
pid="$(bash test/interop/triggers/start-offline.sh "$LAMBDA_PORT" "$WORK/offline.log")" || exit 1
PIDS+=("$pid")
WEBHOOK_PORT="$(free_port)"
(cd test/interop/triggers && exec setsid node webhook.js "$WEBHOOK_PORT") >"$WORK/webhook.log" 2>&1 &
PIDS+=("$!")
PORT="$(free_port)"
(exec setsid env ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Cognate="Data Source=$WORK/cognate.db" \
  Cognate__RateLimits__Enabled=false Logging__LogLevel__Default=Warning \
  Cognate__Lambda__Endpoint="http://127.0.0.1:$LAMBDA_PORT" Cognate__Lambda__Region=us-east-1 Cognate__Lambda__FunctionNameInPath=Name \
  Cognate__Lambda__AccessKeyId=AKIABENCHLOCAL Cognate__Lambda__SecretAccessKey=bench-local-secret \
  Cognate__Lambda__Functions__bench-webhook-preTokenGeneration__Url="http://127.0.0.1:$WEBHOOK_PORT/preTokenGeneration/handler" \
  dotnet "$ROOT/src/Cognate.Server/bin/Release/net10.0/Cognate.Server.dll" --urls "http://127.0.0.1:$PORT") >"$WORK/cognate.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/health/live")" = "200" ] && break; sleep 0.3
done
export AWS_ACCESS_KEY_ID=AKIACOGNATEDEVELOPER AWS_SECRET_ACCESS_KEY=cognate-development-secret-key-not-for-production AWS_REGION=us-east-1
export COGNATE_ENDPOINT="http://127.0.0.1:$PORT" AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
if [ "${BENCH_TRANSPORT:-invoke}" = "webhook" ]; then
  export BENCH_FUNCTION_ARN="arn:aws:lambda:us-east-1:000000000000:function:bench-webhook-preTokenGeneration"
else
  export BENCH_FUNCTION_ARN="arn:aws:lambda:us-east-1:000000000000:function:cognate-rig-local-preTokenGeneration"
fi
echo "transport: ${BENCH_TRANSPORT:-invoke} ($BENCH_FUNCTION_ARN)"
node bench/triggers-latency.mjs
