#!/usr/bin/env bash
# Starts the rig's functions under serverless-offline on 127.0.0.1:LAMBDA_PORT (the Lambda Invoke API) and waits until it answers.
# Usage: bash test/interop/triggers/start-offline.sh LAMBDA_PORT LOG_FILE   → prints the serverless-offline PID on stdout.
# Needs `npm ci` in test/interop/triggers first. Nothing leaves the machine: telemetry and notifications are off.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${1:?lambda port}"
log="${2:?log file}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

cd "$HERE" || exit 1
# serverless-offline also opens HTTP and WebSocket servers when functions have such events (these have none); give them
# free ports anyway so that nothing collides with another run.
SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off SLS_DEPRECATION_DISABLE='*' SLS_INTERACTIVE_SETUP_DISABLE=1 \
  AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-AKIARIGLOCAL}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-rig-local-secret}" \
  setsid node node_modules/serverless/bin/serverless.js offline start --host 127.0.0.1 --lambdaPort "$port" \
    --httpPort "$(free_port)" --websocketPort "$(free_port)" >"$log" 2>&1 < /dev/null &
pid=$!
deadline=$((SECONDS + 60))
while [ $SECONDS -lt $deadline ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-offline: serverless-offline exited; last log lines:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  if grep -q "listening on http" "$log" 2>/dev/null \
     && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST -d '{}' "http://127.0.0.1:$port/2015-03-31/functions/cognate-rig-readiness-probe/invocations")" != "000" ]; then
    echo "$pid"
    exit 0
  fi
  sleep 0.3
done
echo "start-offline: serverless-offline did not listen on 127.0.0.1:$port within 60 s" >&2
kill -- -"$pid" 2>/dev/null
exit 1
