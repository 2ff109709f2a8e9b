#!/usr/bin/env bash
# End-to-end test on a real local cluster (cluster.sh): Kafka broker and Flink JobManager and
# TaskManager in their own JVMs, the shaded job jar submitted with Flink's command-line client.
#
#   1. build the jar if needed; cluster up (fresh state dir, ATTENTION_E2E_DIR, default
#      target/e2e-cluster; ports as for cluster.sh: ATTENTION_WEB_PORT, ATTENTION_KAFKA_PORT, ...)
#   2. replay ../shared/data/ebnerd/history_flat.csv (16,606 events), submit the job (checkpoints
#      every 2 s, idleness 5 s), wait until it has read every event (accumulator eventsIn)
#   3. stop with a savepoint; resume from it; replay a second small batch (2 users, 2023-03-01, far
#      after the EB-NeRD events, so the watermark passes every EB-NeRD session and closes it)
#   4. wait until the per-user operator's watermark passes the EB-NeRD sessions, stop with a
#      savepoint again (the job is unbounded), read attention-sessions and attention-dlq
#   5. check (e2e_check.py): 2,020 distinct EB-NeRD session ids, each with a CLOSED record and a
#      CLOSED latest record, total engaged time 348,916,000 ms over the latest record per session
#      (tools/src/test/python/ebnerd_sessions.py), no two CLOSED records of one session that differ, the
#      second batch's sessions present, no dead letters
#   6. cluster down, and no process of the state dir left
#
# The EB-NeRD replay goes to Kafka before the job starts: replaying as fast as possible into a
# running job whose partitions have gone idle lets the first partition that wakes up carry the
# watermark days ahead of the others, whose first events then are TOO_LATE.
# Prints PASS or FAIL with the reasons; exit code 0 on PASS. Needs Java 17, Maven, curl, python3.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLUSTER="$HERE/cluster.sh"
ATTENTION="$ROOT/bin/attention"
DATA="${ATTENTION_SHARED_DATA:-$ROOT/../shared/data}/ebnerd/history_flat.csv"
export ATTENTION_CLUSTER_DIR="${ATTENTION_E2E_DIR:-$ROOT/target/e2e-cluster}"
EXPECTED_EVENTS=16606        # 8,303 rows: a VIEW and a DwellEvent each
EXPECTED_SESSIONS=2020       # tools/src/test/python/ebnerd_sessions.py
EXPECTED_ENGAGED_MS=348916000
# Every EB-NeRD session is closed once the watermark passes its end plus the 30 min gap; the last
# EB-NeRD event is 2023-02-23T06:34:44 plus 79 s of reading.
CLOSE_ALL_WATERMARK=1677196800000 # 2023-02-24T00:00:00Z

T0=$SECONDS
PASSED=0
STARTED=0
WORK="$(mktemp -d "${TMPDIR:-/tmp}/attention-e2e.XXXXXX")"

step() { printf '\n[e2e %3ds] %s\n' "$((SECONDS - T0))" "$*"; }
fail() {
  echo "e2e: FAIL: $*" >&2
  exit 1
}

finish() {
  local rc=$?
  trap - EXIT
  if ((STARTED)); then
    step "cluster down"
    "$CLUSTER" down || rc=1
    if ps -eo args | grep -F -- "$ATTENTION_CLUSTER_DIR" | grep -v grep | grep -q java; then
      echo "e2e: processes of $ATTENTION_CLUSTER_DIR still running after down:" >&2
      ps -eo pid,args | grep -F -- "$ATTENTION_CLUSTER_DIR" | grep -v grep | grep java | cut -c1-150 >&2
      rc=1
    fi
  fi
  rm -rf "$WORK"
  echo
  if ((rc == 0 && PASSED)); then
    echo "e2e: PASS in $((SECONDS - T0)) s"
  else
    echo "e2e: FAIL after $((SECONDS - T0)) s; logs in $ATTENTION_CLUSTER_DIR/logs" >&2
    ((rc != 0)) || rc=1
  fi
  exit $rc
}
trap finish EXIT

for tool in java mvn curl python3; do
  command -v "$tool" >/dev/null || fail "$tool not found"
done
[[ -f "$DATA" ]] || fail "$DATA not found (the EB-NeRD history; set ATTENTION_SHARED_DATA to the shared data dir)"

# ------------------------------------------------------------------------------------------------
# REST helpers (ports recorded by cluster.sh up)
rest() { curl -sf --max-time 10 "http://localhost:$WEB_PORT$1"; }

# accumulator JID NAME: its value, or nothing while the job has not reported it
accumulator() {
  rest "/jobs/$1/accumulators" 2>/dev/null | python3 -c '
import json, sys
name = sys.argv[1]
for a in json.load(sys.stdin).get("user-task-accumulators", []):
    if a["name"] == name:
        print(a["value"])' "$2" || true
}

job_running() { [[ "$(rest "/jobs/$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' || true)" == RUNNING ]]; }

# min_watermark JID NAME_PREFIX: the lowest input watermark over the subtasks of that vertex
min_watermark() {
  local vid
  vid="$(rest "/jobs/$1" | python3 -c '
import json, sys
print(next(v["id"] for v in json.load(sys.stdin)["vertices"] if v["name"].startswith(sys.argv[1])))' "$2")"
  rest "/jobs/$1/vertices/$vid/watermarks" | python3 -c '
import json, sys
print(min(int(w["value"]) for w in json.load(sys.stdin) if w["id"].endswith("currentInputWatermark")))'
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 2 s
wait_until() {
  local timeout="$1" what="$2" start=$SECONDS
  shift 2
  until "$@"; do
    ((SECONDS - start < timeout)) || fail "$what: not after ${timeout} s"
    sleep 2
  done
  echo "e2e: $what ($((SECONDS - start)) s)"
}

events_in_is() { # JID N
  local v
  v="$(accumulator "$1" eventsIn)"
  [[ -n "$v" ]] && echo "  eventsIn=$v" && [[ "$v" -ge "$2" ]]
}

watermark_past() { # JID MILLIS
  local wm
  wm="$(min_watermark "$1" "Per-user activity" 2>/dev/null || echo 0)"
  echo "  per-user watermark=$wm"
  [[ "$wm" -ge "$2" ]]
}

job_id() { cat "$ATTENTION_CLUSTER_DIR/job-id"; }

# ------------------------------------------------------------------------------------------------
step "build (when sources changed) and a fresh state dir $ATTENTION_CLUSTER_DIR"
"$ATTENTION" --help >/dev/null # builds the modules and the job jar (mvn package) when needed
[[ -f "$ROOT/job/target/attention-analytics-0.1.0-SNAPSHOT.jar" ]] \
  || mvn -q -B -f "$ROOT/pom.xml" -pl job -DskipTests package
"$CLUSTER" down >/dev/null # a previous run's processes, if any
if [[ -d "$ATTENTION_CLUSTER_DIR" ]]; then # keep the resolved classpaths
  find "$ATTENTION_CLUSTER_DIR" -mindepth 1 -maxdepth 1 ! -name classpath -exec rm -rf {} +
fi

step "cluster up"
STARTED=1
"$CLUSTER" up
# shellcheck disable=SC1091
source "$ATTENTION_CLUSTER_DIR/ports.env"
BOOTSTRAP="localhost:$KAFKA_PORT"

step "replay the EB-NeRD history ($DATA)"
"$ATTENTION" replay --bootstrap-servers "$BOOTSTRAP" --dataset "ebnerd-history:$DATA" --no-progress

step "submit the job"
"$CLUSTER" submit -- --checkpoint-interval "2 s" --idleness "5 s"
JOB1="$(job_id)"
wait_until 180 "job $JOB1 read all $EXPECTED_EVENTS events" events_in_is "$JOB1" "$EXPECTED_EVENTS"

step "stop with a savepoint"
"$CLUSTER" stop-with-savepoint
SAVEPOINT1="$(cat "$ATTENTION_CLUSTER_DIR/last-savepoint")"
CLOSED1="$(accumulator "$JOB1" sessionsClosed)"
echo "e2e: job $JOB1: $(accumulator "$JOB1" sessionsStarted) sessions started, $CLOSED1 closed (the watermark stops at the slowest partition's last events)"

step "resume from $SAVEPOINT1"
"$CLUSTER" resume
JOB2="$(job_id)"
[[ "$JOB2" != "$JOB1" ]] || fail "resume did not submit a new job"
wait_until 60 "job $JOB2 running" job_running "$JOB2"
RESTORED="$(rest "/jobs/$JOB2/checkpoints" | python3 -c '
import json, sys
r = (json.load(sys.stdin).get("latest") or {}).get("restored") or {}
print(r.get("external_path", ""))')"
[[ "$RESTORED" == "$SAVEPOINT1" ]] || fail "job $JOB2 restored from '$RESTORED', not from $SAVEPOINT1"
echo "e2e: job $JOB2 restored from $RESTORED"

step "replay a second batch: 2 users on 2023-03-01"
LATE="$WORK/e2e_late_batch.csv"
cat >"$LATE" <<'EOF'
user_id,impression_time,article_id,read_time_s,scroll_percentage
e2e-late-1,2023-03-01T10:00:00,9615953,20,50
e2e-late-2,2023-03-01T10:00:10,9615953,15,40
e2e-late-1,2023-03-01T10:01:00,9614381,30,80
e2e-late-2,2023-03-01T10:01:30,9614381,25,90
EOF
"$ATTENTION" replay --bootstrap-servers "$BOOTSTRAP" --dataset "ebnerd-history:$LATE" --no-progress
wait_until 120 "job $JOB2 read the 8 new events" events_in_is "$JOB2" 8
wait_until 120 "the per-user watermark passed every EB-NeRD session" watermark_past "$JOB2" "$CLOSE_ALL_WATERMARK"

step "stop with a savepoint again"
"$CLUSTER" stop-with-savepoint
echo "e2e: job $JOB2: $(accumulator "$JOB2" sessionsClosed) more sessions closed, $(accumulator "$JOB2" lateEvents) late events"

step "read and check the outputs"
"$ATTENTION" consume --bootstrap-servers "$BOOTSTRAP" --topic attention-sessions >"$WORK/sessions.jsonl"
"$ATTENTION" consume --bootstrap-servers "$BOOTSTRAP" --topic attention-dlq >"$WORK/dlq.jsonl"
python3 "$HERE/e2e_check.py" "$WORK/sessions.jsonl" "$WORK/dlq.jsonl" \
  --expected-sessions "$EXPECTED_SESSIONS" --expected-engaged-ms "$EXPECTED_ENGAGED_MS" \
  --late-users 2 --before 2023-03-01T00:00:00.000Z
PASSED=1
