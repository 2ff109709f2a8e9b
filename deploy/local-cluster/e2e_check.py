#!/usr/bin/env python3
"""Checks the outputs of deploy/local-cluster/e2e.sh (bin/attention consume JSON lines).

sessions.jsonl: every attention-sessions record in partition then offset order. A session's
records all share its user's key, so they are in one partition, in the order written: the last one
is the latest. Sessions that start before --before are the EB-NeRD replay's, the others the second
batch's. Exit code 0 when every check passes; each check prints ok or FAIL.
"""
import argparse
import json
import sys
from collections import defaultdict


def main():
    p = argparse.ArgumentParser()
    p.add_argument("sessions")
    p.add_argument("dlq")
    p.add_argument("--expected-sessions", type=int, required=True)
    p.add_argument("--expected-engaged-ms", type=int, required=True)
    p.add_argument("--late-users", type=int, required=True)
    p.add_argument("--before", required=True, help="ISO-8601 UTC; sessions starting earlier are the first replay's")
    a = p.parse_args()

    records = defaultdict(list)
    with open(a.sessions) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    for r in lines:
        records[r["session_id"]].append(r)
    with open(a.dlq) as f:
        dead_letters = [json.loads(line) for line in f if line.strip()]

    first = {s: rs for s, rs in records.items() if rs[0]["start"] < a.before}
    second = {s: rs for s, rs in records.items() if rs[0]["start"] >= a.before}
    with_closed = [s for s, rs in first.items() if any(r["status"] == "CLOSED" for r in rs)]
    latest = {s: rs[-1] for s, rs in first.items()}
    latest_not_closed = [s for s, r in latest.items() if r["status"] != "CLOSED"]
    engaged = sum(r["engaged_ms"] for r in latest.values())
    conflicting = [s for s, rs in first.items()
                   if len({json.dumps(r, sort_keys=True) for r in rs if r["status"] == "CLOSED"}) > 1]
    repeated = sum(sum(1 for r in rs if r["status"] == "CLOSED") - 1 for rs in first.values() if any(
        r["status"] == "CLOSED" for r in rs))
    late_users = {rs[0]["user"] for rs in second.values()}

    print(f"attention-sessions: {len(lines)} records, {len(records)} sessions "
          f"({len(first)} of the EB-NeRD replay, {len(second)} of the second batch); "
          f"attention-dlq: {len(dead_letters)} records")
    checks = [
        (f"EB-NeRD sessions: {len(first)} distinct session ids", len(first) == a.expected_sessions,
         f"expected {a.expected_sessions}"),
        (f"EB-NeRD sessions with a CLOSED record: {len(with_closed)}", len(with_closed) == a.expected_sessions,
         f"expected {a.expected_sessions}"),
        (f"EB-NeRD sessions whose latest record is not CLOSED: {len(latest_not_closed)}", not latest_not_closed,
         "e.g. " + ", ".join(f"{s} {latest[s]['status']}" for s in latest_not_closed[:3])),
        (f"engaged time over the latest record per EB-NeRD session: {engaged:,} ms",
         engaged == a.expected_engaged_ms, f"expected {a.expected_engaged_ms:,}"),
        (f"sessions with CLOSED records that differ: {len(conflicting)} ({repeated} repeated CLOSED records)",
         not conflicting, "e.g. " + ", ".join(conflicting[:3])),
        (f"second batch (after the resume): {len(second)} sessions of {len(late_users)} users",
         len(late_users) == a.late_users, f"expected {a.late_users} users"),
        (f"dead letters: {len(dead_letters)}", not dead_letters,
         "reasons: " + ", ".join(sorted({d.get('reason', '?') for d in dead_letters}))),
    ]
    failed = 0
    for text, ok, why in checks:
        print(("  ok    " if ok else "  FAIL  ") + text + ("" if ok else f" ({why})"))
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
