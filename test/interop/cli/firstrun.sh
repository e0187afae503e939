#!/usr/bin/env bash
# firstrun: what a new user does on a fresh clone, checked step by step.
#
#   bash test/interop/cli/firstrun.sh            # from anywhere; needs dotnet, aws (CLI v1 or v2), python3, curl, tar
#
# 1. Copies the working tree (tracked and untracked-but-not-ignored files: no bin/, obj/, .cognate/) to a temp dir,
#    so the checkout is left exactly as it was and no earlier ./.cognate/ data is reused.
# 2. Runs the README's first command as written, `dotnet run --project src/Cognate.Server`, in that copy with a clean
#    environment (env -i HOME PATH: no ASPNETCORE_* / Cognate__* / DOTNET_ENVIRONMENT variables), and waits (≤ 600 s:
#    the first build is part of the command) for http://localhost:9229.
# 3. Runs the README's one-minute tour, extracted from README.md: the first ```bash fenced block after the heading
#    line that starts with "## One-minute tour" (the marker this script relies on), in one clean bash (≤ 300 s),
#    one command at a time (backslash continuations joined), and checks each step.
# 4. Stops the server (its whole process group: dotnet run and the app) and removes the copy.
#
# Fails at once, clearly, if something already listens on port 9229. Prints `firstrun: N passed, N failed`; exit 1 if
# anything failed. Never prints tokens, passwords or codes.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
PORT=9229
URL="http://localhost:$PORT"
START_TIMEOUT="${FIRSTRUN_START_TIMEOUT:-600}"
TOUR_TIMEOUT=300

PASS=0
FAIL=0
ok()  { PASS=$((PASS + 1)); echo "ok   - $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $1${2:+: $2}"; }
check() { local name="$1"; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cognate-firstrun.XXXXXX")"
SERVER_PID=""

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    # The server was started as the leader of its own process group (setsid): dotnet run and the app it started.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL -- "-$SERVER_PID" 2>/dev/null
  fi
  # The app may outlive `dotnet run` for a moment: wait for the group to be gone (bounded).
  for _ in $(seq 1 100); do pgrep -g "$SERVER_PID" >/dev/null 2>&1 || break; sleep 0.1; done
  pgrep -g "$SERVER_PID" >/dev/null 2>&1 && kill -KILL -- "-$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

finish() {
  stop_server
  if [ "${INTEROP_KEEP_LOGS:-0}" = "1" ]; then echo "firstrun: logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
  echo "firstrun: $PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
  exit $?
}
trap 'finish' EXIT
trap 'exit 130' INT TERM

port_taken() {
  python3 - "$PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    try:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(1)
        if s.connect_ex((addr, port)) == 0:
            sys.exit(0)
    except OSError:
        pass
    finally:
        s.close()
sys.exit(1)
PY
}

# --- 0. preconditions -----------------------------------------------------------------------------------------------
if port_taken; then
  bad "port $PORT is free" "something already listens on localhost:$PORT (the README's address); stop it and run again"
  exit 1
fi
for tool in dotnet aws python3 curl tar setsid pgrep; do
  command -v "$tool" >/dev/null 2>&1 || { bad "tool $tool is installed"; exit 1; }
done

data_state() { ls -la --time-style=full-iso "$ROOT/.cognate" 2>/dev/null || echo "absent"; }
ROOT_DATA_BEFORE="$(data_state)"

# --- 1. a fresh copy of the working tree ----------------------------------------------------------------------------
COPY="$WORK/repo"
mkdir -p "$COPY"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
     | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$COPY" -xf -
else
  tar -C "$ROOT" --exclude=bin --exclude=obj --exclude=.cognate --exclude=node_modules --exclude=.git -cf - . | tar -C "$COPY" -xf -
fi
check "fresh copy has README.md and src/Cognate.Server and no .cognate/" \
  test -f "$COPY/README.md" -a -d "$COPY/src/Cognate.Server" -a ! -e "$COPY/.cognate"

# --- 2. the README's first command ----------------------------------------------------------------------------------
FIRST_CMD="$(python3 - "$COPY/README.md" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"```bash\n(.*?)```", text, re.S)
line = m.group(1).splitlines()[0] if m else ""
print(line.split("#", 1)[0].strip())
PY
)"
check "README's first command is \`dotnet run --project src/Cognate.Server\`" test "$FIRST_CMD" = "dotnet run --project src/Cognate.Server"

(
  cd "$COPY" || exit 1
  # shellcheck disable=SC2086
  exec setsid env -i HOME="$HOME" PATH="$PATH" $FIRST_CMD
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

started=0
deadline=$((SECONDS + START_TIMEOUT))
while [ $SECONDS -lt $deadline ]; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/health/live")" = "200" ]; then started=1; break; fi
  sleep 1
done
if [ "$started" -ne 1 ]; then
  bad "server answers on $URL within ${START_TIMEOUT} s" "last log lines: $(tail -n 15 "$WORK/server.log" | tr '\n' ' ' | cut -c1-1500)"
  exit 1
fi
ok "server answers on $URL"
check "it runs in Development (the committed launch profile)" grep -q "environment Development" "$WORK/server.log"
check "no stack trace in the server's output" bash -c "! grep -qE '^\s+at [A-Za-z_.]+\(' '$WORK/server.log'"
check "data lands in ./.cognate/ of the checkout" test -f "$COPY/.cognate/cognate.db"
HOME_PAGE="$(curl -s --max-time 5 -H 'Accept: text/html' "$URL/")"
check "GET / is an HTML page listing the development pool" bash -c '[[ "$1" == *"<h1>Cognate</h1>"* && "$1" == *us-east-1_CognateDv* ]]' _ "$HOME_PAGE"
check "default pool us-east-1_CognateDv publishes its discovery document" \
  test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/us-east-1_CognateDv/.well-known/openid-configuration")" = "200"

# --- 3. the README's one-minute tour ----------------------------------------------------------------------------------
python3 - "$COPY/README.md" "$WORK/tour" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^## One-minute tour[^\n]*\n(.*?)^```bash\n(.*?)^```", text, re.S | re.M)
if not m:
    sys.exit("README.md has no ```bash block after a '## One-minute tour' heading")
commands, current = [], ""
for line in m.group(2).splitlines():
    if line.rstrip().endswith("\\"):
        current += line.rstrip()[:-1] + " "
        continue
    current += line
    if current.strip() and not current.strip().startswith("#"):
        commands.append(current.strip())
    current = ""
with open(sys.argv[2] + ".commands", "w", encoding="utf-8") as f:
    f.write("\0".join(commands))
PY
if [ ! -s "$WORK/tour.commands" ]; then bad "README.md has the one-minute tour block"; exit 1; fi
mapfile -d '' TOUR < "$WORK/tour.commands"
ok "README.md has the one-minute tour block (${#TOUR[@]} commands)"

# One driver script: each command runs in the same shell (variables carry), its output and status kept per step.
{
  echo 'cd "$1"'
  for i in "${!TOUR[@]}"; do
    printf '{ %s\n} >"$2/step%d.out" 2>"$2/step%d.err"; echo $? >"$2/step%d.rc"\n' "${TOUR[$i]}" "$i" "$i" "$i"
  done
  echo 'printf "%s\n" "${POOL:-}" >"$2/var.POOL"; printf "%s\n" "${CLIENT:-}" >"$2/var.CLIENT"; printf "%s\n" "${CODE:-}" >"$2/var.CODE"'
} >"$WORK/tour.sh"
mkdir -p "$WORK/steps" "$WORK/tourhome"
# A clean environment for the tour too: the tour exports what it needs; the aws CLI gets no config files of this machine.
timeout "$TOUR_TIMEOUT" env -i HOME="$WORK/tourhome" PATH="$PATH" \
  AWS_CONFIG_FILE="$WORK/tourhome/none" AWS_SHARED_CREDENTIALS_FILE="$WORK/tourhome/none" \
  bash "$WORK/tour.sh" "$COPY" "$WORK/steps"
tour_rc=$?
check "the tour finishes within ${TOUR_TIMEOUT} s" test "$tour_rc" -ne 124

step_of() { # PATTERN -> index of the first tour command containing it
  local i
  for i in "${!TOUR[@]}"; do [[ "${TOUR[$i]}" == *"$1"* ]] && { echo "$i"; return 0; }; done
  echo -1
}
step_ok() { # NAME PATTERN : the step ran and exited 0
  local i; i="$(step_of "$2")"
  if [ "$i" -lt 0 ]; then bad "$1" "no tour command contains '$2'"; return 1; fi
  if [ "$(cat "$WORK/steps/step$i.rc" 2>/dev/null)" = "0" ]; then ok "$1"; return 0; fi
  bad "$1" "exit $(cat "$WORK/steps/step$i.rc" 2>/dev/null || echo '?'): $(grep -m1 -iE 'error|exception' "$WORK/steps/step$i.err" 2>/dev/null | cut -c1-240)"
  return 1
}

POOL="$(cat "$WORK/steps/var.POOL" 2>/dev/null)"
CLIENT="$(cat "$WORK/steps/var.CLIENT" 2>/dev/null)"
CODE="$(cat "$WORK/steps/var.CODE" 2>/dev/null)"
step_ok "tour: create-user-pool succeeds" "create-user-pool --pool-name" \
  && check "tour: POOL is a pool id (us-east-1_…)" bash -c '[[ "$1" =~ ^us-east-1_[0-9A-Za-z]+$ ]]' _ "$POOL"
step_ok "tour: create-user-pool-client succeeds" "create-user-pool-client" \
  && check "tour: CLIENT is a client id" bash -c '[[ "$1" =~ ^[0-9a-z]{26}$ ]]' _ "$CLIENT"
if step_ok "tour: sign-up succeeds" "cognito-idp sign-up"; then
  i="$(step_of "cognito-idp sign-up")"
  check "tour: sign-up answers UserSub, not yet confirmed" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d.get("UserSub") and d.get("UserConfirmed") is False else 1)' "$WORK/steps/step$i.out"
fi
step_ok "tour: the code is read from the outbox" "_outbox?to=" \
  && check "tour: CODE is a 6-digit code" bash -c '[[ "$1" =~ ^[0-9]{6}$ ]]' _ "$CODE"
step_ok "tour: confirm-sign-up succeeds" "confirm-sign-up"
ID_TOKEN_FILE="$WORK/steps/step$(step_of "initiate-auth").out"
if step_ok "tour: initiate-auth succeeds" "initiate-auth"; then
  check "tour: sign-in returns access, ID and refresh tokens, issued by $URL/\$POOL" python3 - "$ID_TOKEN_FILE" "$URL/$POOL" <<'PY'
import base64, json, sys
r = json.load(open(sys.argv[1])).get("AuthenticationResult") or {}
if not all(r.get(k) for k in ("AccessToken", "IdToken", "RefreshToken")):
    sys.exit(1)
def claims(t):
    p = t.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
sys.exit(0 if claims(r["IdToken"])["iss"] == sys.argv[2] and claims(r["AccessToken"])["iss"] == sys.argv[2] else 1)
PY
fi
if step_ok "tour: the pool's JWKS is served" "/.well-known/jwks.json"; then
  i="$(step_of "/.well-known/jwks.json")"
  check "tour: the JWKS holds the RS256 key that signed the ID token" python3 - "$WORK/steps/step$i.out" "$ID_TOKEN_FILE" <<'PY'
import base64, json, sys
keys = json.load(open(sys.argv[1]))["keys"]
t = json.load(open(sys.argv[2]))["AuthenticationResult"]["IdToken"]
h = t.split(".")[0]
kid = json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))["kid"]
sys.exit(0 if any(k.get("kid") == kid and k.get("kty") == "RSA" and k.get("alg") == "RS256" for k in keys) else 1)
PY
fi
for i in "${!TOUR[@]}"; do
  [ "$(cat "$WORK/steps/step$i.rc" 2>/dev/null)" = "0" ] || bad "tour command $((i + 1)) exits 0" "$(echo "${TOUR[$i]}" | cut -c1-80)…"
done

# --- 4. stop ------------------------------------------------------------------------------------------------------------
stop_server
if port_taken; then bad "the server is stopped and port $PORT is free again"; else ok "the server is stopped and port $PORT is free again"; fi
check "the checkout's own ./.cognate/ is untouched" test "$ROOT_DATA_BEFORE" = "$(data_state)"
