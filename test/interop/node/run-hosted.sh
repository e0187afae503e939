#!/usr/bin/env bash
# The hosted-login suite: real OAuth/OIDC clients (openid-client, oidc-client-ts and Amplify v6 in Chromium,
# aws-jwt-verify) through Cognate's managed-login pages. Run by test/interop/run.sh (suite `hosted`) against its servers:
#   COGNATE_ENDPOINT            server A (default issuer, Development: /_outbox)
#   COGNATE_AWS_ISSUER_ENDPOINT server B (AWS-form issuer, for CognitoJwtVerifier)
#   COGNATE_HTTPS_ENDPOINT      server A's development HTTPS (`--https`), for Amplify
# Needs Debian's chromium (installed here with apt when missing and running as root; never a downloaded browser) and
# node_modules from the committed package-lock.json (run.sh's `npm ci`).
# Prints `hosted: P passed, F failed, S skipped` last (a suite is skipped only when its server variable is unset, i.e. outside
# run.sh); exits non-zero when anything failed.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "hosted: installing Debian's chromium (apt-get install -y chromium)" >&2
    { timeout 600 apt-get install -y --no-install-recommends chromium \
        || { timeout 300 apt-get update && timeout 600 apt-get install -y --no-install-recommends chromium; }; } >/tmp/cognate-hosted-apt.log 2>&1 \
      || { tail -n 20 /tmp/cognate-hosted-apt.log >&2; echo "hosted: 0 passed, 1 failed"; exit 1; }
  else
    echo "hosted: chromium is missing and this is not root: apt-get install -y chromium" >&2
    echo "hosted: 0 passed, 1 failed"; exit 1
  fi
fi

TAP="$(mktemp "${TMPDIR:-/tmp}/cognate-hosted.XXXXXX.tap")"
trap 'rm -f "$TAP"' EXIT
(cd "$HERE" && AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true timeout 900 node --test --test-concurrency=1 --test-timeout=300000 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$TAP" \
    hosted/)
rc=$?
count() { grep -E "^# $1 [0-9]+" "$TAP" | tail -n1 | awk '{print $3}'; }
pass="$(count pass)"; fail="$(count fail)"; cancelled="$(count cancelled)"
# Skipped tests and skipped suites (a suite skipped as a whole counts once), each named on stderr with its reason.
skipped="$(grep -cE '# SKIP' "$TAP")"
if [ -z "$pass" ] || [ -z "$fail" ]; then echo "hosted: 0 passed, 1 failed (aborted, exit $rc)"; exit 1; fi
fail=$((fail + ${cancelled:-0}))
grep -E '# SKIP' "$TAP" | sed -E 's/^ *(not )?ok [0-9]+ - //' | sed 's/^/hosted: skipped: /' >&2
echo "hosted: $pass passed, $fail failed, ${skipped:-0} skipped"
[ "$fail" -eq 0 ] && [ "$rc" -eq 0 ]
