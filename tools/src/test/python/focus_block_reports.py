#!/usr/bin/env python3
"""Independent computation of the focus-block reports (DESIGN.md section 13) of a bounded REES46
replay with --dwell.infer-from-gaps, for Rees46FocusBlocksITCase.

Run: python3 focus_block_reports.py DATA.csv BLOCKS.csv RULES.txt KEY_FILE
  -> one JSON object per expected FocusBlockReport, a line each, sorted by user, start and name;
     then one per expected DISTRACTED_IN_FOCUS_BLOCK alert ({"type", "user", "event_time",
     "category"}): at the engaged time that takes an occurrence's distraction-class engaged time to
     5 minutes or more, once per occurrence, the category of that engaged time; then one per
     expected POMODORO_BREAK ({"type", "user", "event_time", "cycle"}) in blocks with a cadence
     (pomodoro W/S/L/C minutes): in an occurrence that exists (it has had a view or engaged time),
     each row at t first covers [t, t], then its inferred engaged time [t - ms, t], then its view;
     an activity beginning S minutes or more after the occurrence's last covered time ends the
     work period, unless a later activity of the same row reaches back to within S minutes of
     that time (then the period goes on); a focus view starts a period when none runs; after the
     row, the covered time is t, and a period that started W minutes or more before t is over: an
     alert at t, the next period waits for the next focus view.

Method, written from DESIGN.md sections 5, 7 and 13 (not from the job's code):
- Rows: one event each, the user's rows ordered by time, then by the replay's event id
  "<file>:<data row, 1-based>:<view|add_to_cart|purchase>" as text (the job's order of equal times).
  Topic: category_code, else "category:<category_id>"; category and class from the rules file
  (rees46_trends.py reads it: longest match wins; "CATEGORY class:CLASS" gives the class).
- Sessions and engaged time as in rees46_trends.py: a row joins the session when it comes less than
  30 min after the session's latest row; a row later than that latest row gives each VIEW at the
  latest time min(30 min, gap) engaged ms, covering [t - ms, t] at the later row's time t. So at
  each row the activity is: first that engaged time, then the row's view start (a VIEW row).
- Blocks: the CSV of --focus-blocks (one row per block; start/end ISO-8601 for a one-off block;
  days MON+TUE.., local_start, local_end HH:mm in time_zone, else the user's zone, UTC here, for a
  weekly one, ending the next day when local_end <= local_start). Every record applies from the
  dataset's first event time (no updated_at in the file). A view belongs to the occurrence holding
  its start ([start, end)), a one-off block before a weekly one that overlaps it; engaged time
  covering [t - ms, t] counts in every occurrence it overlaps, by the overlap (ending at
  min(t, end)), unless t is at or past the occurrence's end plus the allowed lateness (5 min: its
  report is out by then). A weekly occurrence that overlaps a one-off block counts nothing.
- Per occurrence: views started in it; context switches (a view whose category differs from the
  previous view's in the occurrence); interruptions (distraction views); engaged ms by category
  and by class, where the block's focus_categories are focus, the rules' other focus categories
  neutral, and without focus_categories the rules' classes hold. Focus runs: a focus view start or
  focus engaged time opens a run at its start (engaged time clipped to the occurrence's start);
  focus and neutral activity extends it to its time unless it begins 5 min or more after the
  run's last activity (a break: the run ends at its last activity; engaged time that reaches back
  to within 5 min of a run so ended joins it again); a distraction view ends it at its start
  (at the last activity when that is 5 min or more before). longest_focus_ms: the longest run,
  the open one up to its last activity. mean_attention_span_ms = engaged // views;
  focus_share = focus / engaged. Only occurrences with a view start or engaged time get a report.
- block_id = first 16 bytes of SHA-256("<pseudonym>/<name>/<start ms>/block") in hex; pseudonym =
  first 16 bytes of HMAC-SHA256(key, user_id) in hex, the key file's bytes less one trailing newline.
"""
import csv, hashlib, hmac, json, sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from rees46_trends import CAP, GAP, MAX_DURATION, category_of, load_classes, load_rules

BREAK = 5 * 60_000
LATENESS = 5 * 60_000
DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


def ms(dt):
    return int(dt.timestamp() * 1000)


def iso(t):
    return datetime.fromtimestamp(t / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t % 1000:03d}Z"


def occurrences(block, zone, lo, hi):
    """[start, end) of the block's occurrences overlapping [lo, hi]."""
    if block["start"]:
        return [(block["start"], block["end"])]
    out = []
    tz = ZoneInfo(block["zone"] or zone)
    day = datetime.fromtimestamp(lo / 1000, tz).date() - timedelta(days=1)
    while ms(datetime(day.year, day.month, day.day, tzinfo=tz)) <= hi:
        if DAYS[day.weekday()] in block["days"]:
            sh, sm = block["local_start"]
            eh, em = block["local_end"]
            start = ms(datetime(day.year, day.month, day.day, sh, sm, tzinfo=tz))
            end_day = day if (eh, em) > (sh, sm) else day + timedelta(days=1)
            end = ms(datetime(end_day.year, end_day.month, end_day.day, eh, em, tzinfo=tz))
            out.append((start, end))
        day += timedelta(days=1)
    return out


def read_blocks(path, lo, hi):
    blocks = defaultdict(list)  # user -> [block with its occurrences]
    for row in csv.DictReader(open(path, newline="", encoding="utf-8")):
        def at(name):
            return ms(datetime.fromisoformat(row[name].replace("Z", "+00:00"))) if row.get(name) else None
        b = {"name": row["name"], "start": at("start"), "end": at("end"),
             "days": {d.strip().upper()[:3] for d in (row.get("days") or "").split("+") if d.strip()},
             "local_start": tuple(map(int, row["local_start"].split(":"))) if row.get("local_start") else None,
             "local_end": tuple(map(int, row["local_end"].split(":"))) if row.get("local_end") else None,
             "focus": {c for c in (row.get("focus_categories") or "").split("+") if c},
             "zone": row.get("time_zone") or None,
             "cadence": [int(x) * 60_000 for x in row["pomodoro"].split("/")] if row.get("pomodoro") else None}
        b["occurrences"] = occurrences(b, "UTC", lo, hi)
        blocks[row["user_id"]].append(b)
    return blocks


def yields(blocks, o):
    return any(c["start"] and c["start"] < o[1] and o[0] < c["end"] for c in blocks)


def overlaps(blocks, frm, t):
    """(block, occurrence, ms, at) of every occurrence [frm, t] overlaps."""
    out = []
    for b in blocks:
        for o in b["occurrences"]:
            ms = min(t, o[1]) - max(frm, o[0])
            if ms > 0 and t < o[1] + LATENESS and (b["start"] or not yields(blocks, o)):
                out.append((b, o, ms, min(t, o[1])))
    return out


def occurrence_at(blocks, x):
    one_offs = [(b, o) for b in blocks if b["start"] for o in b["occurrences"] if o[0] <= x < o[1]]
    if one_offs:
        return one_offs[0]
    for b in blocks:
        for o in b["occurrences"]:
            if o[0] <= x < o[1] and not yields(blocks, o):
                return b, o
    return None


class Tally:
    def __init__(self):
        self.views, self.switches, self.interruptions = 0, 0, 0
        self.last = None
        self.engaged = defaultdict(int)
        self.by_class = defaultdict(int)
        self.run = None  # [start, last]
        self.broken = None
        self.longest = 0
        self.distracted = None  # (t, category) of the alert
        self.work = self.covered = self.broken = None  # pomodoro: period start, last covered, (start, covered)
        self.cycle = 0

    def pomodoro_activity(self, cadence, frm):
        if not cadence:
            return
        if self.broken and frm - self.broken[1] < cadence[1]:
            self.work = self.broken[0] if self.broken[0] is not None else self.work
            self.broken = None
        elif self.covered is not None and frm - self.covered >= cadence[1]:
            self.broken = (self.work, self.covered)
            self.work = None

    def pomodoro_after(self, cadence, t):
        """@return whether a work period is over at t"""
        self.covered = t if self.covered is None else max(self.covered, t)
        if not cadence or self.work is None or t - self.work < cadence[0]:
            return False
        self.cycle += 1
        self.work = None
        self.broken = None
        return True

    def close(self, end):
        self.longest = max(self.longest, end - self.run[0])
        self.run = None

    def extend(self, cls, frm, t):
        if self.broken and frm - self.broken[1] < BREAK:
            self.run = [self.broken[0], max(self.broken[1], self.run[1] if self.run else t)]
            self.broken = None
        elif self.run and frm - self.run[1] >= BREAK:
            self.broken = list(self.run)
            self.close(self.run[1])
        if self.run:
            self.run[1] = max(self.run[1], t)
        elif cls == "focus":
            self.run = [frm, t]

    def view(self, category, cls, t):
        self.views += 1
        if self.last is not None and self.last != category:
            self.switches += 1
        self.last = category
        if cls == "distraction":
            self.interruptions += 1
            if self.run:
                self.close(t if t - self.run[1] < BREAK else self.run[1])
            self.broken = None
        else:
            self.extend(cls, t, t)

    def engage(self, category, cls, amount, t, event_t):
        """amount ms covering [t - amount, t], of an event at event_t (the alert's time)"""
        self.engaged[category] += amount
        self.by_class[cls] += amount
        if cls == "distraction" and self.distracted is None and self.by_class[cls] >= 5 * 60_000:
            self.distracted = (event_t, category)
        if cls != "distraction":
            self.extend(cls, t - amount, t)


def main():
    data, blocks_path, rules_path, key_file = sys.argv[1:5]
    categories, rules = load_rules(rules_path)
    classes = load_classes(rules_path, categories)
    file_name = data.replace("\\", "/").rsplit("/", 1)[-1]
    kinds = {"view": "view", "cart": "add_to_cart", "purchase": "purchase"}
    events = defaultdict(list)
    with open(data, newline="") as f:
        for row_no, row in enumerate(csv.DictReader(f), 1):
            t = ms(datetime.strptime(row["event_time"], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=timezone.utc))
            topic = row["category_code"] or "category:" + row["category_id"]
            kind = kinds.get(row["event_type"], "other")
            events[row["user_id"]].append((t, f"{file_name}:{row_no}:{kind}", kind, category_of(topic, rules)))
    lo = min(e[0] for evs in events.values() for e in evs)
    hi = max(e[0] for evs in events.values() for e in evs)
    blocks = read_blocks(blocks_path, lo, hi)
    key = open(key_file, "rb").read()
    key = key[:-1] if key.endswith(b"\n") else key

    reports, alerts = [], []
    for user, user_blocks in blocks.items():
        tallies = {}

        def klass(block, category):
            cls = classes.get(category, "neutral")
            if not block["focus"]:
                return cls
            return "focus" if category in block["focus"] else ("neutral" if cls == "focus" else cls)

        def tally_of(b, o):
            return tallies.setdefault((o[0], b["name"]), (b, o, Tally()))[2]

        def tally(x, create=True):
            found = occurrence_at(user_blocks, x)
            if not found or (not create and (found[1][0], found[0]["name"]) not in tallies):
                return None, None
            b, o = found
            return b, tally_of(b, o)

        pseudonym = hmac.new(key, user.encode(), hashlib.sha256).hexdigest()[:32]

        start = end = None
        views = []
        for t, _, kind, cat in sorted(events.get(user, []), key=lambda e: (e[0], e[1])):
            b, tl = tally(t, create=False)
            if tl:
                tl.pomodoro_activity(b["cadence"], t)
            if start is not None and t < end + GAP and max(end, t) - min(start, t) < MAX_DURATION:
                if t > end:
                    for vt, vcat in views:
                        if vt == end:
                            for b, o, part, at in overlaps(user_blocks, t - min(t - vt, CAP), t):
                                tl = tally_of(b, o)
                                tl.pomodoro_activity(b["cadence"], at - part)
                                tl.engage(vcat, klass(b, vcat), part, at, t)
                end = max(end, t)
            else:
                start = end = t
                views = []
            if kind == "view":
                views.append((t, cat))
                b, tl = tally(t)
                if tl:
                    tl.view(cat, klass(b, cat), t)
                    if b["cadence"] and klass(b, cat) == "focus" and tl.work is None:
                        tl.work = t
            b, tl = tally(t, create=False)
            if tl and tl.pomodoro_after(b["cadence"], t):
                alerts.append({"type": "POMODORO_BREAK", "user": pseudonym, "event_time": iso(t), "cycle": tl.cycle})

        for (o_start, name), (b, o, tl) in tallies.items():
            total = sum(tl.engaged.values())
            longest = max(tl.longest, tl.run[1] - tl.run[0] if tl.run else 0)
            reports.append({
                "_key": pseudonym,
                "block_id": hashlib.sha256(f"{pseudonym}/{name}/{o_start}/block".encode()).hexdigest()[:32],
                "user": pseudonym, "name": name, "start": iso(o[0]), "end": iso(o[1]),
                "zone": b["zone"] or "UTC",
                "engaged_ms_by_category": {c: v for c, v in sorted(tl.engaged.items()) if v > 0},
                "focus_ms": tl.by_class["focus"], "neutral_ms": tl.by_class["neutral"],
                "distraction_ms": tl.by_class["distraction"],
                "focus_share": tl.by_class["focus"] / total if total else 0.0,
                "context_switches": tl.switches, "longest_focus_ms": longest,
                "mean_attention_span_ms": total // tl.views if tl.views else 0,
                "interruptions": tl.interruptions, "views": tl.views})
            if tl.distracted:
                alerts.append({"type": "DISTRACTED_IN_FOCUS_BLOCK", "user": pseudonym,
                               "event_time": iso(tl.distracted[0]), "category": tl.distracted[1]})
    for r in sorted(reports, key=lambda r: (r["user"], r["start"], r["name"])):
        print(json.dumps(r, sort_keys=True))
    for a in sorted(alerts, key=lambda a: (a["type"], a["user"], a["event_time"])):
        print(json.dumps(a, sort_keys=True))


if __name__ == "__main__":
    main()
