#!/usr/bin/env python3
"""Independent computation of the REES46 topic trends without noise (DESIGN.md section 9), for Rees46PrivacyITCase.

Run: python3 rees46_trends.py DATA.csv RULES.txt [--infer-from-gaps]
  -> one line per released (hour, category): window start (UTC), category, users, engaged minutes,
     then the suppressed (hour, category) pairs that had any user, the totals, and how much the
     bounding cut (most categories of a user in an hour, contributions over 12 minutes).

Categories: the rules file's format (CategoryRules): "CATEGORY prefix:P" matches a topic equal to P
or continuing after P with "." or ":"; "CATEGORY regex:R" is searched in the topic, ignoring case;
the longest matched text wins (prefix: len(P); regex: the length of its first match), ties the
earlier line; no match -> "other". The category set is the file's categories in order of first
appearance, "other" last. Topic of a row: category_code, else "category:<category_id>".

Per user and 1-hour UTC window [h, h + 1 h): the categories of the user's VIEW rows in the window
(cart and purchase rows start no view), with engaged ms 0. REES46 has no dwell; with
--infer-from-gaps (dwell.infer-from-gaps, SessionTracker): the user's rows in time order form
sessions (a row joins the current session when it comes less than 30 min after the session's
latest row, else starts a new one); a row later than the session's latest row gives each VIEW at
that latest time min(30 min, gap) engaged ms, counted in the window of the *later* row (the
engaged time is attributed at the event that ends the gap), in the category of the view. The last
views of a session get nothing. Bounding: the user's 5 categories with most engaged ms (ties: the
category earlier in the category set), each 1 user and min(12, floor(ms / 60000)) minutes.
Release: users >= 20 (no noise: epsilon 1e300).
"""
import csv, re, sys
from collections import defaultdict
from datetime import datetime, timezone

HOUR = 3_600_000
GAP = 30 * 60_000
CAP = 30 * 60_000
MAX_DURATION = 12 * HOUR
MIN_USERS = 20


def load_rules(path):
    categories, rules = [], []
    for line_no, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        category = parts[0]
        if category != "other" and category not in categories:
            categories.append(category)
        if len(parts) == 1:
            continue
        rest = parts[1].strip()
        if rest.startswith("class:"):  # CATEGORY class:CLASS [rule]: the class is section 13's business
            rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
            if not rest:
                continue
        kind, _, value = rest.partition(":")
        value = value.strip()
        if kind == "prefix":
            rules.append((line_no, category, "prefix", value.lower()))
        elif kind == "regex":
            rules.append((line_no, category, "regex", re.compile(value, re.IGNORECASE)))
        else:
            raise ValueError(f"line {line_no}: {line}")
    return categories + ["other"], rules


def load_classes(path, categories):
    """CATEGORY -> focus | neutral | distraction: "CATEGORY class:CLASS" lines; unclassed: neutral."""
    classes = {c: "neutral" for c in categories}
    for raw in open(path, encoding="utf-8"):
        parts = raw.split()
        if len(parts) >= 2 and not parts[0].startswith("#") and parts[1].startswith("class:"):
            classes[parts[0]] = parts[1][len("class:"):]
    return classes


def category_of(topic, rules):
    topic = topic.strip().lower()
    best = None  # (length, -line, category)
    for line_no, category, kind, value in rules:
        if kind == "prefix":
            if topic == value or (topic.startswith(value) and topic[len(value)] in ".:"):
                length = len(value)
            else:
                continue
        else:
            m = value.search(topic)
            if not m:
                continue
            length = m.end() - m.start()
        if best is None or (length, -line_no) > best[:2]:
            best = (length, -line_no, category)
    return best[2] if best else "other"


def main():
    data, rules_path = sys.argv[1], sys.argv[2]
    infer = "--infer-from-gaps" in sys.argv[3:]
    categories, rules = load_rules(rules_path)
    index = {c: i for i, c in enumerate(categories)}
    events = defaultdict(list)  # user -> [(t, type, category)] in file order
    with open(data, newline="") as f:
        for row in csv.DictReader(f):
            t = int(datetime.strptime(row["event_time"], "%Y-%m-%d %H:%M:%S UTC")
                    .replace(tzinfo=timezone.utc).timestamp() * 1000)
            topic = row["category_code"] or "category:" + row["category_id"]
            events[row["user_id"]].append((t, row["event_type"], category_of(topic, rules)))

    # (user, hour start) -> category -> engaged ms
    windows = defaultdict(lambda: defaultdict(int))
    for user, evs in events.items():
        evs.sort(key=lambda e: e[0])  # stable: ties keep file order (which does not matter, see above)
        start = end = None
        views = []  # (time, category) of the current session's views
        for t, kind, cat in evs:
            if start is not None and t < end + GAP and max(end, t) - min(start, t) < MAX_DURATION:
                if infer and t > end:
                    for vt, vcat in views:
                        if vt == end:
                            windows[(user, t // HOUR * HOUR)][vcat] += min(t - vt, CAP)
                end = max(end, t)
            else:
                start = end = t
                views = []
            if kind == "view":
                views.append((t, cat))
                windows[(user, t // HOUR * HOUR)][cat] += 0

    users = defaultdict(int)
    minutes = defaultdict(int)
    most_categories = capped = uncapped_minutes = 0
    for (user, hour), cats in windows.items():
        most_categories = max(most_categories, len(cats))
        ranked = sorted(cats.items(), key=lambda kv: (-kv[1], index[kv[0]]))[:5]
        for cat, ms in ranked:
            users[(hour, cat)] += 1
            minutes[(hour, cat)] += min(12, ms // 60_000)
            capped += ms // 60_000 > 12
            uncapped_minutes += ms // 60_000

    def iso(ms):
        return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    released = sorted((k for k in users if users[k] >= MIN_USERS), key=lambda k: (k[0], index[k[1]]))
    for hour, cat in released:
        print("released", iso(hour), cat, users[(hour, cat)], minutes[(hour, cat)])
    for hour, cat in sorted((k for k in users if users[k] < MIN_USERS), key=lambda k: (k[0], index[k[1]])):
        print("suppressed", iso(hour), cat, users[(hour, cat)], minutes[(hour, cat)])
    print("totals", "users", len(events), "user-windows", len(windows), "released", len(released),
          "engaged_ms", sum(sum(c.values()) for c in windows.values()))
    print("bounding", "most-categories-in-a-user-window", most_categories, "contributions-capped-at-12", capped,
          "minutes-before-cap", uncapped_minutes, "after", sum(minutes.values()))


if __name__ == "__main__":
    main()
