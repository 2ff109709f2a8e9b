#!/usr/bin/env python3
"""Independent computation of the expected sessions of an EB-NeRD history replay (DESIGN.md 2-5).

Used to get the numbers asserted in EbnerdReplayITCase; run: python3 ebnerd_sessions.py PATH
A row is a VIEW at impression_time (naive, read as UTC) and a DwellEvent of read_time_s seconds
ending read_time_s later. Dwell > 4 h is a dead letter (DWELL_TOO_LONG). Per user, events in time
order; a gap >= 30 min, or an event >= 12 h after the session start, starts a new session.
Engaged time: each dwell capped at 30 min.
"""
import csv, sys
from collections import defaultdict
from datetime import datetime, timezone

GAP, CAP, DWELL_CAP, MAX_DWELL = 30 * 60_000, 12 * 3_600_000, 30 * 60_000, 4 * 3_600_000
events = defaultdict(list)
too_long = 0
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        t = int(datetime.fromisoformat(row["impression_time"]).replace(tzinfo=timezone.utc).timestamp() * 1000)
        r = int(row["read_time_s"]) * 1000
        events[row["user_id"]].append((t, 0, 0))
        if r > MAX_DWELL:
            too_long += 1
        else:
            events[row["user_id"]].append((t + r, 1, r))
sessions, engaged, bounces = 0, 0, 0
for user, evs in events.items():
    evs.sort()
    start = end = None
    for t, kind, r in evs:
        if start is None or t - end >= GAP or t - start >= CAP:
            sessions += 1
            start = t
        end = t
        engaged += min(r, DWELL_CAP)
print(f"users={len(events)} sessions={sessions} engaged_ms={engaged} dwell_too_long={too_long}")
