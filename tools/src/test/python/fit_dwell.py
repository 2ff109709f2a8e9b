#!/usr/bin/env python3
"""Fits the benchmark generator's distributions (org.attentionanalytics.bench.EventGenerator) on
EB-NeRD history_flat.csv (8,303 reads by 44 users).

- read time: log-normal maximum-likelihood fit of read_time_s > 0 (mu, sigma of ln seconds: the
  mean and population standard deviation of the logs), and the share of 0 s reads;
- sessions: a user's reads split where consecutive impression times are 30 min or more apart;
  reads per session (mean: the generator draws a geometric count with this mean);
- think time: impression gap minus the earlier read's read time within a session (seconds,
  clamped at 1 s), log-normal fit as above.

Usage: python3 tools/src/test/python/fit_dwell.py [../shared/data/ebnerd/history_flat.csv]
Prints the parameters; EventGenerator's constants are these numbers (BENCHMARKS.md lists them).
"""
import csv
import math
import statistics
import sys
from datetime import datetime

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ebnerd/history_flat.csv"
rows = []
with open(path) as fh:
    for r in csv.DictReader(fh):
        rows.append((r["user_id"], datetime.fromisoformat(r["impression_time"]), float(r["read_time_s"] or 0)))

def lognormal(xs):
    logs = [math.log(x) for x in xs]
    return statistics.fmean(logs), statistics.pstdev(logs)

reads = [r for _, _, r in rows]
positive = [r for r in reads if r > 0]
mu, sigma = lognormal(positive)
print(f"reads {len(reads)} zero {len(reads) - len(positive)} zero_share {(len(reads) - len(positive)) / len(reads):.4f}")
print(f"read_time_s lognormal mu {mu:.4f} sigma {sigma:.4f} (median {math.exp(mu):.1f} s, mean {math.exp(mu + sigma * sigma / 2):.1f} s)")

rows.sort()
sessions = 0
per_session = []
think = []
prev = None
count = 0
for user, t, read in rows:
    if prev is None or prev[0] != user or (t - prev[1]).total_seconds() >= 1800:
        if count:
            per_session.append(count)
        count = 0
    elif prev is not None:
        think.append(max(1.0, (t - prev[1]).total_seconds() - prev[2]))
    count += 1
    prev = (user, t, read)
per_session.append(count)
tmu, tsigma = lognormal(think)
print(f"sessions {len(per_session)} reads_per_session mean {statistics.fmean(per_session):.2f} median {statistics.median(per_session)}")
print(f"think_time_s lognormal mu {tmu:.4f} sigma {tsigma:.4f} (median {math.exp(tmu):.1f} s)")
