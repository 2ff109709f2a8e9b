#!/usr/bin/env python3
"""Independent computation of REES46 interest vectors (DESIGN.md section 6), for Rees46VectorsITCase.

Run: python3 rees46_vectors.py PATH [N]  -> the N users with the most events, each with the vector
as of their last event: signals VIEW 1, ADD_TO_CART (cart) 3, PURCHASE 5, topic = category_code or
category:<category_id>, decayed with a half-life of 7 days to the user's last event time; top 20
as a unit vector (ties by topic name), norm of the whole vector. No dwell in REES46.
"""
import csv, math, sys
from collections import defaultdict
from datetime import datetime, timezone

H = 7 * 86_400_000
SIGNAL = {"view": 1, "cart": 3, "purchase": 5}
events = defaultdict(list)
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        t = int(datetime.strptime(row["event_time"], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=timezone.utc).timestamp() * 1000)
        topic = row["category_code"] or "category:" + row["category_id"]
        events[row["user_id"]].append((t, topic, SIGNAL.get(row["event_type"], 0)))
n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
for user in sorted(events, key=lambda u: (-len(events[u]), u))[:n]:
    as_of = max(t for t, _, _ in events[user])
    w = defaultdict(float)
    for t, topic, s in events[user]:
        if s > 0:
            w[topic] += s * 2 ** (-(as_of - t) / H)
    top = sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    top_norm = math.sqrt(sum(v * v for _, v in top))
    norm = math.sqrt(sum(v * v for v in w.values()))
    counted = sum(1 for _, _, s in events[user] if s > 0)
    print(user, as_of, repr(norm), counted, " ".join(f"{k}={v / top_norm!r}" for k, v in top))
