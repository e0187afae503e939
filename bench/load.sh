#!/usr/bin/env bash
# The load benchmark in one command (see bench/README.md):
#   bash bench/load.sh                 side by side: Cognate, moto_server, cognito-local; 7 scenarios, 1,000 users
#   bash bench/load.sh scale           Cognate at 1,000 vs 1,000,000 users (bulk-loaded), SCALE_USERS to change
#   bash bench/load.sh compare --servers cognate --scenarios GetUser --seconds 15     (any harness options)
#   bash bench/load.sh oauth           OAuth endpoints side by side with oidc-provider: client_credentials, code exchange, userInfo
# Installs what is missing (wrk from Debian as root, moto via the image's pip, cognito-local from bench/package-lock.json),
# builds Cognate.Server and the harness in Release, runs everything on 127.0.0.1, stops every server by PID, and writes
# bench/results/<kind>-<UTC time>.json and <kind>-latest.md. Takes ~7 minutes (compare) or ~10 minutes (scale, 1M).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)) >/dev/null
  else
    echo "wrk is missing: sudo apt-get install wrk"; exit 1
  fi
fi
if ! command -v moto_server >/dev/null 2>&1; then python3 -m pip install -q 'moto[server]'; fi
MOTO_SERVER=$(pyenv which moto_server 2>/dev/null || command -v moto_server)
export MOTO_SERVER
[ -x bench/node_modules/.bin/cognito-local ] || npm ci --prefix bench --no-audit --no-fund >/dev/null

dotnet build -c Release src/Cognate.Server -v q -nologo >/dev/null
dotnet build -c Release bench/Cognate.Load -v q -nologo >/dev/null

command=compare
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then command=$1; shift; fi
if [ "$command" = "oauth" ] && [ ! -f bench/node/node_modules/oidc-provider/package.json ]; then
  npm ci --prefix bench/node --no-audit --no-fund >/dev/null   # oidc-provider 9.13.3, pinned in bench/node/package-lock.json
fi
if [ "$command" = "scale" ]; then
  exec dotnet bench/Cognate.Load/bin/Release/net10.0/Cognate.Load.dll scale --users "${SCALE_USERS:-1000000}" --repo "$PWD" "$@"
fi
exec dotnet bench/Cognate.Load/bin/Release/net10.0/Cognate.Load.dll "$command" --repo "$PWD" "$@"
