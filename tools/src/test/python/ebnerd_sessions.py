#!/usr/bin/env python3
"""Independent computation of the expected sessions of an EB-NeRD history replay (DESIGN.md 2-5).

Used to get the numbers asserted in EbnerdReplayITCase; run: python3 ebnerd_sessions.py PATH
A row is a VIEW at impression_time (naive, read as UTC) and a DwellEvent of read_time_s seconds
ending read_time_s later. Dwell > 4 h is a dead letter (DWELL_TOO_LONG). Per user, events in time
order; a gap >= 30 min, or an event >= 12 h after the session start, starts a new session.
Engaged time: each dwell capped at 30 min, in the session of its event time (t + r).
Engaged session (DESIGN.md section 5, GA4's rule, the --engaged.* defaults): engaged time > 10 s or
>= 2 views (no conversion events in the history); bounce = not engaged. bounces_old is the earlier
definition (exactly one view and engaged time < 10 s), which left a single view of exactly 10 s
neither bounce nor engaged (neither_old).
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
MIN_VIEWS, MIN_ENGAGED = 2, 10_000
sessions, engaged = 0, 0
per_session = []  # [views, engaged ms]
for user, evs in events.items():
    evs.sort()
    start = end = None
    for t, kind, r in evs:
        if start is None or t - end >= GAP or t - start >= CAP:
            sessions += 1
            per_session.append([0, 0])
            start = t
        end = t
        engaged += min(r, DWELL_CAP)
        per_session[-1][0] += kind == 0
        per_session[-1][1] += min(r, DWELL_CAP)
bounces = sum(1 for v, e in per_session if not (e > MIN_ENGAGED or v >= MIN_VIEWS))
bounces_old = sum(1 for v, e in per_session if v == 1 and e < MIN_ENGAGED)
neither_old = sum(1 for v, e in per_session if v == 1 and e == MIN_ENGAGED)
print(f"users={len(events)} sessions={sessions} engaged_ms={engaged} dwell_too_long={too_long} "
      f"bounces={bounces} bounces_old={bounces_old} neither_old={neither_old}")
