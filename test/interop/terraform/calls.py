#!/usr/bin/env python3
"""Summarise the Cognito calls in terraform TF_LOG=DEBUG logs (hashicorp/aws provider, aws-sdk-go-v2).

    python3 calls.py LOG...      # e.g. the logs/*.log that run.sh keeps with TF_INTEROP_KEEP=1

Prints, per log (one terraform command), each call as
    resource_type  tf_rpc  Action  HTTP-status  [error __type]
then a table of every action with its call count and statuses. Never prints bodies.
"""
import collections
import json
import os
import re
import sys

ENTRY = re.compile(r"\n(?=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")


def field(entry, name):
    m = re.search(r"(?:^|\s)" + re.escape(name) + r'=("(?:[^"\\]|\\.)*"|\S+)', entry)
    return m.group(1).strip('"') if m else ""


def body(entry):
    m = re.search(r"http\.response\.body=\n((?:  \|.*(?:\n|$))+)", entry)
    return "".join(l.split("|", 1)[1].strip() for l in m.group(1).splitlines()) if m else ""


def calls(path):
    text = open(path, errors="replace").read()
    for e in ENTRY.split(text):
        if "HTTP Response Received" not in e:
            continue
        action, status = field(e, "rpc.method"), field(e, "http.status_code")
        if not action:
            continue
        err = ""
        if status and status != "200":
            b = body(e)
            try:
                err = json.loads(b).get("__type", "")
            except ValueError:
                err = b[:80]
        yield field(e, "tf_resource_type"), field(e, "tf_rpc"), action, status, err


def main(paths):
    total = collections.defaultdict(collections.Counter)
    for p in paths:
        rows = list(calls(p))
        if not rows:
            continue
        print("## " + os.path.basename(p))
        for r in rows:
            print("  %-40s %-20s %-28s %s %s" % r)
            total[r[2]][r[3] + (" " + r[4] if r[4] else "")] += 1
    print("## all actions")
    for a in sorted(total):
        print("  %-28s %s" % (a, ", ".join("%s x%d" % kv for kv in sorted(total[a].items()))))


if __name__ == "__main__":
    main(sys.argv[1:])
