#!/usr/bin/env python3
"""Independent computation of the alerts and daily reports of an EB-NeRD history replay
(DESIGN.md sections 7 and 8), for EbnerdReplayITCase; run: python3 ebnerd_attention.py PATH [ZONE]

As ebnerd_sessions.py: a row is a VIEW at impression_time (naive, read as UTC) and a DwellEvent of
read_time_s ending read_time_s later; dwell covers [impression_time, impression_time + read_time].
history_flat.csv has no topics and the replay publishes no catalog: every view has no topic, so
there are no topic switches (INFORMATION_OVERLOAD needs 10) and every engaged ms is in category
'other'; there are no budgets (no TIME_BUDGET_EXCEEDED).

TAKE_A_BREAK: per user, all covered intervals ([t, t] for a view, [t, t + r] for its dwell) are
merged when the gap between them is below 5 min (a gap of 5 min or more is a break). In each
merged stretch the alert fires at the first event time T (event times: the views' t, the dwells'
t + r) where T - (earliest start among intervals ending at or before T) >= 50 min.

Reports: one per user and local day (ZONE, default Europe/Copenhagen) with an event: engaged ms
(each dwell, capped at 30 min, on the day of its event time t + r), sessions started that day
(sessions as in ebnerd_sessions.py).

UNUSUAL_USAGE (DESIGN.md section 13; all engaged time is in 'other'): at each dwell, in event
order, the day's engaged ms so far against the user's baseline for that day: the engaged ms, cut
to whole seconds, of the last 30 earlier local days with an event (0 on such a day without dwell);
with at least 7 of them, the value at rank ceil(0.9 n) of the n sorted values, at least 60,000 ms.
The first dwell that brings the day to the baseline raises it, once per day.
"""
import csv, sys
from collections import defaultdict
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

GAP, CAP, DWELL_CAP = 30 * 60_000, 12 * 3_600_000, 30 * 60_000
BREAK_GAP, BREAK_AFTER = 5 * 60_000, 50 * 60_000
zone = ZoneInfo(sys.argv[2] if len(sys.argv) > 2 else "Europe/Copenhagen")
events = defaultdict(list)  # user -> (time, kind 0 view / 1 dwell, read ms)
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        t = int(datetime.fromisoformat(row["impression_time"]).replace(tzinfo=timezone.utc).timestamp() * 1000)
        r = int(row["read_time_s"]) * 1000
        events[row["user_id"]].append((t, 0, 0))
        events[row["user_id"]].append((t + r, 1, r))

def day(ms):
    return datetime.fromtimestamp(ms / 1000, tz=zone).date()

alerts = []
unusual = []
days = {}  # (user, date) -> [engaged, sessions]
for user, evs in events.items():
    evs.sort()
    # reports: every event's day, engaged by dwell day, sessions by start day
    start = end = None
    for t, kind, r in evs:
        d = days.setdefault((user, day(t)), [0, 0])
        d[0] += min(r, DWELL_CAP)
        if start is None or t - end >= GAP or t - start >= CAP:
            start = t
            d[1] += 1
        end = t
    # unusual usage: the days are complete when a later day begins (events in time order)
    user_days = sorted(d for (u, d) in days if u == user)
    today, alerted = {}, set()
    for t, kind, r in evs:
        if kind != 1:
            continue
        d = day(t)
        today[d] = today.get(d, 0) + min(r, DWELL_CAP)
        earlier = [x for x in user_days if x < d][-30:]
        if d in alerted or len(earlier) < 7:
            continue
        values = sorted(days[(user, x)][0] // 1000 * 1000 for x in earlier)
        threshold = max(60_000, values[-(-9 * len(values) // 10) - 1])
        if today[d] >= threshold:
            alerted.add(d)
            unusual.append((user, datetime.fromtimestamp(t / 1000, tz=timezone.utc).isoformat(), today[d], threshold))
    # breaks: merge intervals by start
    intervals = sorted((t - r, t) for t, kind, r in evs)
    stretches = []
    for lo, hi in intervals:
        if stretches and lo - stretches[-1][1] < BREAK_GAP:
            stretches[-1][1] = max(stretches[-1][1], hi)
            stretches[-1][2].append((lo, hi))
        else:
            stretches.append([lo, hi, [(lo, hi)]])
    for s_lo, s_hi, members in stretches:
        if s_hi - s_lo < BREAK_AFTER:
            continue
        for T in sorted(hi for lo, hi in members):
            earliest = min(lo for lo, hi in members if hi <= T)
            if T - earliest >= BREAK_AFTER:
                alerts.append((user, datetime.fromtimestamp(T / 1000, tz=timezone.utc).isoformat(), T - earliest))
                break

print(f"reports={len(days)} users={len({u for u, _ in days})} engaged_ms={sum(v[0] for v in days.values())} "
      f"sessions={sum(v[1] for v in days.values())}")
for a in sorted(alerts, key=lambda a: a[1]):
    print(f"TAKE_A_BREAK user_id={a[0]} at={a[1]} continuous_ms={a[2]}")
for a in sorted(unusual, key=lambda a: (a[1], a[0])):
    print(f"UNUSUAL_USAGE user_id={a[0]} at={a[1]} engaged_ms={a[2]} threshold_ms={a[3]}")
# the longest stretch that fell short, for the record
