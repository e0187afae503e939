#!/usr/bin/env bash
# The custom sender interop suite (test/interop/run.sh runs it as `senders`): npm ci here (pinned lockfile), then node's test
# runner; the tests start their own fake Lambda + KMS and their own Cognate server (Release build) on loopback ports.
# Prints `senders: P passed, F failed`.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE" || exit 1
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
have="$(cat node_modules/.cognate-lock-sha256 2>/dev/null || true)"
if [ ! -d node_modules ] || [ "$want" != "$have" ]; then
  timeout 300 npm ci --no-audit --no-fund --loglevel=error || { echo "senders: 0 passed, 1 failed (npm ci failed)"; exit 1; }
  echo "$want" > node_modules/.cognate-lock-sha256
fi
log="$(mktemp)"
AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true timeout 300 node --test --test-concurrency=1 --test-timeout=120000 \
  --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$log" test/
rc=$?
pass="$(grep -E '^# pass [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
fail="$(grep -E '^# fail [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
cancelled="$(grep -E '^# cancelled [0-9]+' "$log" | tail -n1 | awk '{print $3}')"
rm -f "$log"
if [ -z "$pass" ]; then echo "senders: 0 passed, 1 failed (aborted, exit $rc)"; exit 1; fi
echo "senders: $pass passed, $((fail + ${cancelled:-0})) failed"
exit $rc
