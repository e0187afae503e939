#!/usr/bin/env bash
# Runs every test suite of Cognate and prints one closing line "N passed, N failed" totalling them:
#   1. the .NET test projects (unit, storage, and integration tests that start the real server on 127.0.0.1;
#      the browser tests drive the hosted pages and samples/HostedLoginApp in Debian's chromium),
#      The server integration suite runs twice: on SQLite, then on a real PostgreSQL server started here
#      (test/postgres.sh: Debian's postgresql, installed when missing, in a temp directory on a free
#      127.0.0.1 port, stopped at the end). The storage specification runs on both providers in one pass.
#   2. the interop suites driven by clients nobody here wrote: the aws CLI, boto3 and Node
#      (@aws-sdk/client-cognito-identity-provider, aws-jwt-verify, amazon-cognito-identity-js).
# Usage: bash test/run.sh        (from anywhere; needs the .NET 10 SDK, python3 with boto3/awscli, node + npm)
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0; failed=0; status=0
log_dir=$(mktemp -d)

echo "== prerequisites"
# A real SMTP server for the email delivery test: Debian's aiosmtpd (installed here when missing; CI runs as root).
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd) > "$log_dir/apt.log" 2>&1 || cat "$log_dir/apt.log"
  else
    echo "python3-aiosmtpd is missing: sudo apt-get install python3-aiosmtpd"
  fi
fi
# An independent TOTP implementation for the MFA tests: Debian's oathtool (installed here when missing).
if ! command -v oathtool >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq oathtool || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq oathtool)) > "$log_dir/apt-oath.log" 2>&1 || cat "$log_dir/apt-oath.log"
  else
    echo "oathtool is missing: sudo apt-get install oathtool"
  fi
fi

# The browser tests drive Debian's chromium (never a downloaded browser) and inject axe-core from their committed lockfile.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)) > "$log_dir/apt-chromium.log" 2>&1 || cat "$log_dir/apt-chromium.log"
  else
    echo "chromium is missing: sudo apt-get install chromium"
  fi
fi
if [ ! -f test/Cognate.Browser.Tests/node_modules/axe-core/axe.min.js ]; then
  (cd test/Cognate.Browser.Tests && npm ci --no-audit --no-fund) > "$log_dir/npm-browser.log" 2>&1 || cat "$log_dir/npm-browser.log"
fi

# The trigger rig's serverless-offline (Serverless Framework v3) from its committed lockfile; the suite re-checks it itself.
if [ ! -f test/interop/triggers/node_modules/.cognate-lock-sha256 ] \
   || [ "$(cat test/interop/triggers/node_modules/.cognate-lock-sha256)" != "$(sha256sum test/interop/triggers/package-lock.json | cut -d' ' -f1)" ]; then
  if (cd test/interop/triggers && npm ci --no-audit --no-fund --loglevel=error) > "$log_dir/npm-triggers.log" 2>&1; then
    sha256sum test/interop/triggers/package-lock.json | cut -d' ' -f1 > test/interop/triggers/node_modules/.cognate-lock-sha256
  else
    cat "$log_dir/npm-triggers.log"
  fi
fi

echo "== postgresql"
pg_dir=$(mktemp -d -u "${TMPDIR:-/tmp}/cognate-pg.XXXXXX")
trap 'bash test/postgres.sh stop "$pg_dir"' EXIT
if ! COGNATE_TEST_POSTGRES=$(bash test/postgres.sh start "$pg_dir" 2> "$log_dir/postgres.log"); then
  cat "$log_dir/postgres.log"; echo "could not start PostgreSQL"; echo "0 passed, 1 failed"; exit 1
fi
export COGNATE_TEST_POSTGRES
echo "PostgreSQL on ${COGNATE_TEST_POSTGRES%%;Username*}"

echo "== build"
if ! dotnet build Cognate.slnx -c Release -nologo -v quiet > "$log_dir/build.log" 2>&1; then
  cat "$log_dir/build.log"; echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

passes=()
for project in test/Cognate.*.Tests/*.csproj; do passes+=("$project|sqlite"); done
passes+=("test/Cognate.Server.Tests/Cognate.Server.Tests.csproj|postgres")
for pass in "${passes[@]}"; do
  project=${pass%|*}; provider=${pass#*|}
  name=$(basename "$project" .csproj)
  [ "$provider" = "postgres" ] && name="$name (PostgreSQL)"
  echo "== $name"
  out="$log_dir/$name.log"
  started=$SECONDS
  COGNATE_TEST_PROVIDER=$provider timeout 1200 dotnet test "$project" -c Release --no-build -nologo > "$out" 2>&1
  rc=$?
  # VSTest summary: "Failed!  - Failed:     1, Passed:    66, Skipped:     0, Total:    67"
  line=$(grep -E 'Failed: +[0-9]+, Passed: +[0-9]+' "$out" | tail -1)
  if [ -n "$line" ]; then
    f=$(echo "$line" | sed -E 's/.*Failed: +([0-9]+).*/\1/'); p=$(echo "$line" | sed -E 's/.*Passed: +([0-9]+).*/\1/')
  else
    f=1; p=0
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  [ "$f" -ne 0 ] && { grep -E '^\s+(Failed|Error Message|\s+at )' "$out" | head -60; status=1; }
  echo "$name: $p passed, $f failed ($((SECONDS - started)) s)"
  passed=$((passed + p)); failed=$((failed + f))
done

echo "== interop"
started=$SECONDS
out="$log_dir/interop.log"
timeout 3600 bash test/interop/run.sh 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
line=$(grep -E '^interop: [0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
if [ -n "$line" ]; then
  p=$(echo "$line" | sed -E 's/interop: ([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
else
  p=0; f=1
fi
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
[ "$f" -ne 0 ] && status=1
passed=$((passed + p)); failed=$((failed + f))

echo "interop suites took $((SECONDS - started)) s"
rm -rf "$log_dir"
echo "$passed passed, $failed failed"
exit $status
