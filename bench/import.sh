#!/usr/bin/env bash
# User import throughput: imports N generated users (default 100,000) through one CSV import job into a fresh Cognate
# (Development, throwaway SQLite file, 127.0.0.1, a free port) and prints users/second. Bounded: the job must finish within
# IMPORT_BENCH_TIMEOUT seconds (default 900), then the server is stopped by its PID either way.
#
#   bash bench/import.sh [N]            # e.g. bash bench/import.sh 500000 (Cognito's per-job maximum)
#
# Steps (boto3, as a client would): CreateUserPool (email auto-verified) → GetCSVHeader → write N rows (username, email,
# email_verified=true, given_name, cognito:mfa_enabled=false) → CreateUserImportJob → PUT the file to the PreSignedUrl →
# StartUserImportJob → DescribeUserImportJob every 0.5 s until a final status. Prints the file size, the server-side import rate
# (ImportedUsers / (CompletionDate − StartDate)), the rate over the wall time from start to the final describe, the server's peak
# resident set (VmHWM from /proc/PID/status, the upload included) and the load average before and after (the box is shared).
set -euo pipefail

N="${1:-100000}"
TIMEOUT="${IMPORT_BENCH_TIMEOUT:-900}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DLL="$ROOT/src/Cognate.Server/bin/Release/net10.0/Cognate.Server.dll"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cognate-import-bench.XXXXXX")"
PID=""

cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PID" 2>/dev/null && kill -9 "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  [ -n "${IMPORT_BENCH_KEEP_LOG:-}" ] && cp "$WORK/server.log" "$IMPORT_BENCH_KEEP_LOG" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -f "$DLL" ]; then
  echo "import-bench: building src/Cognate.Server (Release)" >&2
  (cd "$ROOT" && timeout 600 dotnet build src/Cognate.Server -c Release -nologo -v q) >&2
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
(
  cd "$ROOT"
  exec env ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Cognate="Data Source=$WORK/cognate.db" \
    Cognate__Import__PollSeconds=0.2 Cognate__Import__MaxRows="$(( N > 500000 ? N : 500000 ))" dotnet "$DLL" --urls "http://127.0.0.1:$PORT"
) >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/health/live" && break
  kill -0 "$PID" 2>/dev/null || { echo "import-bench: the server exited; log:" >&2; tail -n 20 "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

AWS_ACCESS_KEY_ID=AKIACOGNATEDEVELOPER AWS_SECRET_ACCESS_KEY=cognate-development-secret-key-not-for-production \
timeout "$((TIMEOUT + 120))" python3 - "http://127.0.0.1:$PORT" "$N" "$TIMEOUT" "$WORK/users.csv" "$PID" <<'PY'
import csv, os, sys, time, urllib.request
import boto3
from botocore.config import Config

endpoint, n, timeout, path, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]

def rss():
    """The server's current and peak resident set (VmRSS, VmHWM) in MB, from /proc/PID/status."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                fields[k] = int(v.split()[0]) / 1024
    return fields.get("VmRSS", 0), fields.get("VmHWM", 0)

def anon():
    """The server's anonymous resident memory (RssAnon, MB): the process's own heap, without mapped file pages (the database's
    memory map, which is the operating system's file cache)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0

def cpu():
    """CPU seconds (user + system) the server has used so far, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])

print(f"import-bench: load average before the import {load()}; server RSS {rss()[0]:.0f} MB")
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1", config=Config(retries={"max_attempts": 1}))
pool = idp.create_user_pool(PoolName="import-bench", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
header = idp.get_csv_header(UserPoolId=pool)["CSVHeader"]
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    for i in range(n):
        row = {"cognito:username": f"user{i:07d}", "email": f"user{i:07d}@example.com", "email_verified": "true",
               "given_name": f"User {i}", "cognito:mfa_enabled": "false"}
        w.writerow([row.get(c, "") for c in header])
size = os.path.getsize(path)
job = idp.create_user_import_job(UserPoolId=pool, JobName="bench", CloudWatchLogsRoleArn="arn:aws:iam::000000000000:role/bench")["UserImportJob"]
peak_anon = anon()
with open(path, "rb") as f:
    req = urllib.request.Request(job["PreSignedUrl"], data=f.read(), method="PUT", headers={"x-amz-server-side-encryption": "aws:kms"})
    urllib.request.urlopen(req, timeout=120).read()
peak_anon = max(peak_anon, anon())
t0 = time.monotonic()
cpu0 = cpu()
idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
while True:
    d = idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    if d["Status"] in ("Succeeded", "Failed", "Stopped", "Expired"):
        break
    if time.monotonic() - t0 > timeout:
        try:
            idp.stop_user_import_job(UserPoolId=pool, JobId=job["JobId"])
        except idp.exceptions.PreconditionNotMetException:
            continue  # it reached a final status in the meantime: describe it once more
        print(f"import-bench: not finished within {timeout:.0f} s ({d['ImportedUsers']} imported so far); stopped", file=sys.stderr)
        sys.exit(1)
    peak_anon = max(peak_anon, anon())
    time.sleep(0.5)
wall = time.monotonic() - t0
cpu_used = cpu() - cpu0
server = (d["CompletionDate"] - d["StartDate"]).total_seconds()
print(f"import-bench: {n} rows, {size / 1e6:.1f} MB CSV; status {d['Status']}: {d['ImportedUsers']} imported, "
      f"{d['SkippedUsers']} skipped, {d['FailedUsers']} failed")
print(f"import-bench: {d['ImportedUsers'] / max(server, 1e-3):,.0f} users/s (server: start to completion {server:.1f} s); "
      f"{d['ImportedUsers'] / wall:,.0f} users/s over the wall time ({wall:.1f} s, incl. 0.5 s polling)")
print(f"import-bench: server CPU during the import {cpu_used:.1f} s (user + system): {d['ImportedUsers'] / max(cpu_used, 1e-3):,.0f} users per CPU-second "
      f"(less sensitive to other load on the box than the wall-clock rate)")
now_rss, peak_rss = rss()
print(f"import-bench: server peak RSS (VmHWM) {peak_rss:.0f} MB, RSS at the end {now_rss:.0f} MB; peak anonymous RSS (RssAnon, sampled "
      f"around the upload and every 0.5 s during the job) {max(peak_anon, anon()):.0f} MB; load average at the end {load()}")
sys.exit(0 if d["Status"] == "Succeeded" and d["ImportedUsers"] == n else 1)
PY
