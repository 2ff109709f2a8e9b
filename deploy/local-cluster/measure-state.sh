#!/usr/bin/env bash
# Sizing numbers for README "Operating": per-user state and checkpoint sizes of the job running on
# the local cluster (bin/attention cluster up / submit). Not part of CI.
#
#   measure-state.sh produce USERS MINUTES PREFIX   send USERS simulated users' traffic with event
#                                                   times in the last MINUTES (StateSizeMeasure),
#                                                   user ids prefixed with PREFIX; prints how many
#                                                   users had a decodable record (the true user count)
#   measure-state.sh wait                           until the per-user key count stops growing and
#                                                   one more checkpoint completed
#   measure-state.sh report                         keys, live data size, bytes/key, latest checkpoint,
#                                                   TOO_LATE dead letters (must be 0)
#
# One produce per job: submit a fresh job first (bin/attention cluster submit -- --checkpoint-interval
# "5 s" --starting-offsets latest --group-id measure-N). A second batch of "the last hour" sent to a
# job whose watermark already passed it is mostly TOO_LATE (behind by more than --allowed-lateness).
# The exact serialized state: bin/attention cluster savepoint, then the savepoint's size (REST
# /jobs/<jid>/checkpoints, latest.savepoint.state_size) / users; estimate-num-keys over-counts until
# RocksDB has compacted the overwritten values.
# Uses the ports recorded by `cluster up` in ATTENTION_CLUSTER_DIR (default .attention/cluster),
# curl and jq. The classes: bench/target/test-classes (mvn -q -o test-compile), the job's test-jar
# (mvn -q -o package -DskipTests) and bench/target/classpath.txt (written by bin/attention).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${ATTENTION_CLUSTER_DIR:-$ROOT/.attention/cluster}"
[[ -f "$STATE/ports.env" ]] || { echo "measure-state: no $STATE/ports.env: run 'bin/attention cluster up' first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$STATE/ports.env"
REST="http://localhost:$WEB_PORT"
get() { curl -sf --max-time 10 "$REST$1"; }

job_id() { get /jobs/overview | jq -r '[.jobs[] | select(.state == "RUNNING")][0].jid'; }
vertex_id() { get "/jobs/$1" | jq -r '.vertices[] | select(.name | startswith("Per-user activity")) | .id'; }

# metric JID VID SUFFIX: the sum over the vertex's subtasks of the metric whose name ends in SUFFIX
metric() {
  local names
  names="$(get "/jobs/$1/vertices/$2/metrics" | jq -r --arg s "$3" '[.[].id | select(endswith($s))] | join(",")')"
  [[ -n "$names" ]] || { echo 0; return; }
  get "/jobs/$1/vertices/$2/metrics?get=$names" | jq '[.[].value | tonumber] | add'
}

keys() { metric "$1" "$2" "user-state.rocksdb_estimate-num-keys"; }

case "${1:-}" in
  produce)
    [[ $# -eq 4 ]] || { echo "usage: $0 produce USERS MINUTES PREFIX" >&2; exit 2; }
    java -cp "$ROOT/bench/target/test-classes:$ROOT/bench/target/classes:$ROOT/job/target/attention-analytics-job-0.1.0-SNAPSHOT-tests.jar:$(cat "$ROOT/bench/target/classpath.txt")" \
      -Dlog4j.configurationFile="$ROOT/conf/log4j2-local.properties" \
      org.attentionanalytics.bench.StateSizeMeasure "localhost:$KAFKA_PORT" "$2" "$3" "$4"
    ;;
  wait)
    jid="$(job_id)"; vid="$(vertex_id "$jid")"
    prev=-1; same=0
    while ((same < 3)); do
      sleep 10
      k="$(keys "$jid" "$vid")"
      if [[ "$k" == "$prev" ]]; then same=$((same + 1)); else same=0; fi
      prev="$k"
      echo "measure-state: keys $k"
    done
    c0="$(get "/jobs/$jid/checkpoints" | jq '.counts.completed')"
    until (( $(get "/jobs/$jid/checkpoints" | jq '.counts.completed') > c0 + 1 )); do sleep 2; done
    ;;
  report)
    jid="$(job_id)"; vid="$(vertex_id "$jid")"
    k="$(keys "$jid" "$vid")"
    live="$(metric "$jid" "$vid" "user-state.rocksdb_estimate-live-data-size")"
    cp="$(get "/jobs/$jid/checkpoints" | jq -c '.latest.completed | {id, state_size, checkpointed_size, end_to_end_duration}')"
    echo "job $jid, per-user vertex $vid"
    echo "keys=$k live_data_size=$live bytes_per_key=$(( k > 0 ? live / k : 0 ))"
    echo "latest completed checkpoint: $cp"
    echo "TOO_LATE dead letters: $(metric "$jid" "$vid" "deadLetters.TOO_LATE")"
    ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
