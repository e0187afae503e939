#!/usr/bin/env bash
# The user import upload alone: the server's peak resident set (VmHWM) and the time to PUT one large CSV to a job's PreSignedUrl
# with curl (the AWS guide's command), so the upload path's memory can be compared between builds.
#
#   bash bench/import-upload.sh [MB] [DLL]     # MB: file size, default 90 (at most 100); DLL: default this tree's Release build
#
# Starts a Development server on a free loopback port with a fresh SQLite database, creates a pool and a job, writes MB of CSV rows
# under the pool's header, uploads it, and prints the peak RSS before and after the upload and the upload time. Bounded: 5 minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MB="${1:-90}"
DLL="${2:-$ROOT/src/Cognate.Server/bin/Release/net10.0/Cognate.Server.dll}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cognate-upload-bench.XXXXXX")"
PID=""
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -f "$DLL" ] || { echo "upload-bench: no $DLL; run: dotnet build src/Cognate.Server -c Release" >&2; exit 1; }
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
(
  cd "$(dirname "$DLL")"
  exec env ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Cognate="Data Source=$WORK/cognate.db" Cognate__Import__Enabled=false \
    dotnet "$DLL" --urls "http://127.0.0.1:$PORT"
) >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/health/live" && break
  kill -0 "$PID" 2>/dev/null || { echo "upload-bench: the server exited" >&2; tail -n 20 "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
AWS_ACCESS_KEY_ID=AKIACOGNATEDEVELOPER AWS_SECRET_ACCESS_KEY=cognate-development-secret-key-not-for-production AWS_DEFAULT_REGION=us-east-1 \
timeout 300 python3 - "http://127.0.0.1:$PORT" "$MB" "$WORK/users.csv" "$PID" <<'PY'
import csv, subprocess, sys, time
import boto3
endpoint, mb, path, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def hwm():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024
    return 0

idp = boto3.client("cognito-idp", endpoint_url=endpoint)
pool = idp.create_user_pool(PoolName="upload-bench", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
header = idp.get_csv_header(UserPoolId=pool)["CSVHeader"]
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    i = 0
    while f.tell() < mb * 1024 * 1024 - 4096:
        r = {"cognito:username": f"user{i:07d}", "email": f"user{i:07d}@example.com", "email_verified": "true", "cognito:mfa_enabled": "false", "name": f"User Number {i}"}
        w.writerow([r.get(c, "") for c in header])
        i += 1
size = __import__("os").path.getsize(path)
job = idp.create_user_import_job(UserPoolId=pool, JobName="bench", CloudWatchLogsRoleArn="arn:aws:iam::000000000000:role/CognitoImport")["UserImportJob"]
before = hwm()
t = time.monotonic()
status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-T", path, "-H", "x-amz-server-side-encryption:aws:kms", job["PreSignedUrl"]],
                        capture_output=True, text=True, check=True).stdout
elapsed = time.monotonic() - t
print(f"upload-bench: {size / 1e6:.1f} MB ({i} rows) uploaded in {elapsed:.2f} s, HTTP {status}; "
      f"server peak RSS (VmHWM) {before:.0f} MB before the upload, {hwm():.0f} MB after")
PY
