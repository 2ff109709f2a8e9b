#!/usr/bin/env bash
# Usage: bin/attention cluster <command> (this script: deploy/local-cluster/cluster.sh)
#
# A real local cluster without any distribution: a Kafka broker (KRaft, broker and controller in
# one JVM) and a Flink standalone session cluster (a JobManager JVM and a TaskManager JVM, web UI),
# all from Maven artifacts, plus submitting the job jar with Flink's command-line client.
#
#   bin/attention cluster up                  start Kafka and Flink, create the topics (idempotent)
#   bin/attention cluster submit [--] [JOB OPTIONS]
#                                             submit job/target/attention-analytics-VERSION.jar (built if missing)
#   bin/attention cluster savepoint           take a savepoint of the running job
#   bin/attention cluster stop-with-savepoint stop the running job with a savepoint
#   bin/attention cluster resume [--from PATH] [--] [JOB OPTIONS]
#                                             submit again from the last savepoint (or PATH), with the
#                                             job options of the last submit unless new ones are given
#   bin/attention cluster status              processes, ports, jobs, last savepoint
#   bin/attention cluster down                stop exactly the processes `up` started, and wait for them
#   bin/attention cluster --help              this text
#
# Everything (pids, logs, data, conf, checkpoints, savepoints, the generated pseudonym key) lives in
# one state directory, ATTENTION_CLUSTER_DIR (default .attention/cluster in the project). Ports:
# ATTENTION_WEB_PORT (8081), ATTENTION_KAFKA_PORT (9092), ATTENTION_KAFKA_CONTROLLER_PORT (Kafka
# port + 1), ATTENTION_JOBMANAGER_PORT (6123); `up` records them, later commands use the recorded
# ones. Exit code 0 on success, 1 on failure (with the log file to look at), 2 on a usage error;
# status exits 3 when a process is not running.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ME="cluster"
CMD="bin/attention cluster" # how users run it, in hints
JAR="$ROOT/job/target/attention-analytics-0.1.0-SNAPSHOT.jar"

usage() { # [EXIT_CODE]: 0 prints to stdout, else to stderr
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&"$([[ "${1:-2}" == 0 ]] && echo 1 || echo 2)"
  exit "${1:-2}"
}

# Help and unknown commands before anything is created
case "${1:-}" in
  up | submit | resume | savepoint | stop-with-savepoint | status | down) ;;
  -h | --help | help) usage 0 ;;
  "") usage ;;
  *) echo "$ME: unknown command '$1'" >&2; usage ;;
esac

STATE="${ATTENTION_CLUSTER_DIR:-$ROOT/.attention/cluster}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
if [[ "$STATE$HERE" == *[[:space:]]* ]]; then
  echo "cluster: ERROR: the state dir and the project path must not contain spaces: $STATE, $HERE" >&2
  exit 2
fi
LOGS="$STATE/logs"
PIDS="$STATE/pids"
CONF="$STATE/conf"
CP_DIR="$STATE/classpath"
SAVEPOINTS="$STATE/savepoints"
CHECKPOINTS="$STATE/checkpoints"
PORTS_FILE="$STATE/ports.env"
JOB_ID_FILE="$STATE/job-id"
JOB_ARGS_FILE="$STATE/job-args"
LAST_SAVEPOINT_FILE="$STATE/last-savepoint"
KEY_FILE="$STATE/pseudonym.key"
# No plugins; without this Flink looks for ./plugins and warns
export FLINK_PLUGINS_DIR="$STATE/flink/plugins"

# Flink's usual opens for Java 17 (the pom property flink.jvm.opens)
OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.math=ALL-UNNAMED
  --add-opens=java.sql/java.sql=ALL-UNNAMED
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-exports=java.management/sun.management=ALL-UNNAMED
)

# Short-lived tool JVMs (storage format, topic creation, memory options, the client): start fast
TOOL_JVM=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

say() { echo "$ME: $*"; }
die() { echo "$ME: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Ports: recorded by `up` while nothing runs, so that later commands talk to the running cluster.
load_ports() {
  if [[ -f "$PORTS_FILE" ]] && any_alive; then
    # shellcheck disable=SC1090
    source "$PORTS_FILE"
  else
    WEB_PORT="${ATTENTION_WEB_PORT:-8081}"
    KAFKA_PORT="${ATTENTION_KAFKA_PORT:-9092}"
    CONTROLLER_PORT="${ATTENTION_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
    JM_PORT="${ATTENTION_JOBMANAGER_PORT:-6123}"
  fi
  local p
  for p in "$WEB_PORT" "$KAFKA_PORT" "$CONTROLLER_PORT" "$JM_PORT"; do
    [[ "$p" =~ ^[0-9]+$ ]] && ((p >= 1 && p <= 65535)) || { echo "$ME: ERROR: not a port: '$p'" >&2; exit 2; }
  done
  BOOTSTRAP="localhost:$KAFKA_PORT"
  REST="http://localhost:$WEB_PORT"
}

save_ports() {
  printf 'WEB_PORT=%s\nKAFKA_PORT=%s\nCONTROLLER_PORT=%s\nJM_PORT=%s\n' \
    "$WEB_PORT" "$KAFKA_PORT" "$CONTROLLER_PORT" "$JM_PORT" >"$PORTS_FILE"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Processes: one pid file each; a pid counts only while its command line holds
# -Dattention.cluster.dir=<this state dir> (a reused pid of some other process is never touched).
COMPONENTS=(kafka jobmanager taskmanager)

pid_of() {
  local f="$PIDS/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-Dattention.cluster.dir=$STATE " || return 1
  echo "$pid"
}

alive() { pid_of "$1" >/dev/null; }

any_alive() {
  local c
  for c in "${COMPONENTS[@]}"; do alive "$c" && return 0; done
  return 1
}

log_of() { echo "$LOGS/$1.log"; }

# Fails with the log file and the end of the process's stdout when a component died at start.
fail_start() {
  local name="$1" why="$2"
  echo "$ME: ERROR: $name $why; see $(log_of "$name") and $LOGS/$name.out" >&2
  grep -v -E '^\s+at |^\s+\.\.\. [0-9]+ more|^WARNING: ' "$LOGS/$name.out" 2>/dev/null | tail -n 10 | sed 's/^/  | /' >&2 || true
  exit 1
}

# wait_for NAME SECONDS COMMAND...: until COMMAND succeeds, failing early when NAME's process died
wait_for() {
  local name="$1" timeout="$2" start=$SECONDS
  shift 2
  until "$@"; do
    alive "$name" || fail_start "$name" "exited during start"
    ((SECONDS - start < timeout)) || fail_start "$name" "not ready after ${timeout} s"
    sleep 0.5
  done
}

stop_process() {
  local name="$1" pid waited=0
  if ! pid="$(pid_of "$name")"; then
    rm -f "$PIDS/$name.pid"
    return 0
  fi
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 60)); then # 30 s
      say "$name (pid $pid) still running after 30 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.5
    waited=$((waited + 1))
    ((waited < 80)) || die "$name (pid $pid) does not stop"
  done
  rm -f "$PIDS/$name.pid"
}

# ---------------------------------------------------------------------------------------------
# Classpaths from Maven artifacts (what a distribution's lib/ would hold), cached in the state dir.
classpath() {
  local name="$1" pom="$HERE/$1-classpath.pom.xml" out="$CP_DIR/$1.cp"
  if [[ ! -s "$out" || "$pom" -nt "$out" ]]; then
    mkdir -p "$CP_DIR"
    say "resolving the $name classpath (Maven) ..." >&2
    if ! mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$out.tmp" >"$LOGS/maven-$name.log" 2>&1; then
      die "cannot resolve the $name classpath; see $LOGS/maven-$name.log"
    fi
    mv "$out.tmp" "$out"
  fi
  cat "$out"
}

# ---------------------------------------------------------------------------------------------
# Kafka
write_kafka_conf() {
  mkdir -p "$CONF" "$STATE/kafka-data"
  cat >"$CONF/server.properties" <<EOF
# Written by cluster.sh up: a single node that is broker and KRaft controller.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:$CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$STATE/kafka-data
num.partitions=2
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

kafka_java() {
  java "${TOOL_JVM[@]}" -Dlog4j2.configurationFile="$HERE/log4j-kafka.properties" -Dlog.file="$LOGS/kafka.log" "$@"
}

start_kafka() {
  local kcp
  kcp="$(classpath kafka)"
  write_kafka_conf
  if [[ ! -f "$STATE/kafka-data/meta.properties" ]]; then
    local uuid
    uuid="$(kafka_java -cp "$kcp" kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka.out")" \
      || fail_start kafka "storage id not generated"
    kafka_java -cp "$kcp" kafka.tools.StorageTool format -t "$uuid" -c "$CONF/server.properties" --standalone \
      >>"$LOGS/kafka.out" 2>&1 || fail_start kafka "storage not formatted"
  fi
  say "starting Kafka on $BOOTSTRAP (log: $LOGS/kafka.log)"
  nohup java -Xms256m -Xmx1g -Dlog4j2.configurationFile="$HERE/log4j-kafka.properties" \
    -Dlog.file="$LOGS/kafka.log" -Dattention.cluster.dir="$STATE" \
    -cp "$kcp" kafka.Kafka "$CONF/server.properties" >>"$LOGS/kafka.out" 2>&1 </dev/null &
  echo $! >"$PIDS/kafka.pid"
  wait_for kafka 60 port_busy "$KAFKA_PORT"
}

create_topics() {
  # The job's own list (org.attentionanalytics.local.Topics): names and configs in one place.
  if ! "$ROOT/bin/attention" create-topics --bootstrap-servers "$BOOTSTRAP" --partitions "${ATTENTION_PARTITIONS:-2}" \
    >"$LOGS/topics.out" 2>&1; then
    sed 's/^/  | /' "$LOGS/topics.out" >&2
    die "cannot create the topics; see $LOGS/topics.out and $LOGS/kafka.log"
  fi
  say "topics: $(grep -c '^created' "$LOGS/topics.out" || true) created, $(grep -c ' exists$' "$LOGS/topics.out" || true) already there"
}

# ---------------------------------------------------------------------------------------------
# Flink
write_flink_conf() {
  mkdir -p "$CONF" "$CHECKPOINTS" "$SAVEPOINTS" "$FLINK_PLUGINS_DIR" "$STATE/flink/tmp" "$STATE/flink/work" \
    "$STATE/flink/web-upload" "$STATE/flink/blobs" "$STATE/flink/rocksdb-logs"
  cat >"$CONF/config.yaml" <<EOF
# Written by cluster.sh up (Flink 2.x reads config.yaml from --configDir / FLINK_CONF_DIR).
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $JM_PORT
jobmanager.bind-host: localhost
jobmanager.memory.process.size: 1600m
taskmanager.host: localhost
taskmanager.bind-host: localhost
taskmanager.numberOfTaskSlots: 2
taskmanager.memory.process.size: 2048m
parallelism.default: 2
rest.address: localhost
rest.bind-address: localhost
rest.port: $WEB_PORT
execution.checkpointing.dir: file://$CHECKPOINTS
execution.checkpointing.savepoint-dir: file://$SAVEPOINTS
state.backend.type: rocksdb
state.backend.rocksdb.log.dir: $STATE/flink/rocksdb-logs
io.tmp.dirs: $STATE/flink/tmp
process.working-dir: $STATE/flink/work
web.upload.dir: $STATE/flink/web-upload
blob.storage.directory: $STATE/flink/blobs
cluster.intercept-user-system-exit: THROW
EOF
}

flink_java_opts() { # LOG_NAME
  echo "-Dlog4j.configurationFile=$HERE/log4j-cluster.properties -Dlog.file=$LOGS/$1.log -Dattention.cluster.dir=$STATE"
}

# The memory options of a Flink process, as the distribution's scripts compute them:
# line 1 JVM options, line 2 dynamic -D options.
resource_params() { # GET_JM_RESOURCE_PARAMS | GET_TM_RESOURCE_PARAMS
  local fcp="$1" what="$2" out
  out="$(java "${TOOL_JVM[@]}" -cp "$fcp" -Dlog4j.configurationFile="$HERE/log4j-cluster.properties" -Dlog.file="$LOGS/bash-java-utils.log" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$what" --configDir "$CONF" 2>&1)" \
    || { echo "$out" >&2; die "cannot compute Flink memory options ($what); see $LOGS/bash-java-utils.log"; }
  echo "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# start_flink_process NAME MAIN_CLASS GET_*_RESOURCE_PARAMS "what to say"
start_flink_process() {
  local name="$1" main="$2" what="$3" label="$4" fcp params jvm dyn
  fcp="$(classpath flink)"
  params="$(resource_params "$fcp" "$what")"
  jvm="$(sed -n 1p <<<"$params")"
  dyn="$(sed -n 2p <<<"$params")"
  say "starting the Flink $label (log: $LOGS/$name.log)"
  # shellcheck disable=SC2046,SC2086
  nohup java "${OPENS[@]}" $jvm $(flink_java_opts "$name") -cp "$fcp" "$main" --configDir "$CONF" $dyn \
    >>"$LOGS/$name.out" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

start_jobmanager() {
  start_flink_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    GET_JM_RESOURCE_PARAMS "JobManager, web UI $REST"
}

start_taskmanager() {
  start_flink_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    GET_TM_RESOURCE_PARAMS "TaskManager, 2 slots"
}

rest_get() { curl -sf --max-time 10 "$REST$1"; }

web_up() { rest_get /overview >/dev/null 2>&1; }

taskmanager_registered() { rest_get /overview 2>/dev/null | grep -q '"taskmanagers":[1-9]'; }

# ---------------------------------------------------------------------------------------------
# Jobs
require_up() {
  alive kafka || die "Kafka is not running (state dir $STATE): run '$CMD up' first"
  alive jobmanager && web_up || die "the Flink JobManager is not running or not answering on $REST: run '$CMD up' first (log: $LOGS/jobmanager.log)"
  alive taskmanager || die "the Flink TaskManager is not running: run '$CMD up' (log: $LOGS/taskmanager.log)"
}

job_state() { # JID -> RUNNING, FINISHED, ... or nothing
  rest_get "/jobs/$1" 2>/dev/null | grep -o '"state":"[A-Z_]*"' | head -1 | sed 's/.*:"\(.*\)"/\1/'
}

running_job() { # the job this state dir submitted, while it runs
  local jid
  [[ -f "$JOB_ID_FILE" ]] || return 1
  jid="$(cat "$JOB_ID_FILE")"
  case "$(job_state "$jid")" in
    RUNNING | CREATED | INITIALIZING | RESTARTING) echo "$jid" ;;
    *) return 1 ;;
  esac
}

flink_cli() { # CliFrontend with the cluster's configuration; output to stdout, log in client.log
  local fcp
  fcp="$(classpath flink)"
  FLINK_CONF_DIR="$CONF" java "${TOOL_JVM[@]}" "${OPENS[@]}" -Dlog4j.configurationFile="$HERE/log4j-cluster.properties" \
    -Dlog.file="$LOGS/client.log" -cp "$fcp" org.apache.flink.client.cli.CliFrontend "$@"
}

ensure_jar() {
  if [[ ! -f "$JAR" ]]; then
    say "building the job jar (mvn package -DskipTests) ..."
    mvn -q -B -f "$ROOT/pom.xml" -pl job -DskipTests package >"$LOGS/maven-package.log" 2>&1 \
      || die "build failed; see $LOGS/maven-package.log"
  elif [[ -n "$(find "$ROOT/job/src/main" "$ROOT/schemas" "$ROOT/pom.xml" "$ROOT/job/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]]; then
    say "note: sources changed since $JAR was built; submitting it anyway (mvn package -DskipTests to rebuild)"
  fi
}

ensure_key() {
  if [[ ! -s "$KEY_FILE" ]]; then
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$KEY_FILE.tmp" && echo >>"$KEY_FILE.tmp" && mv "$KEY_FILE.tmp" "$KEY_FILE")
    say "pseudonym key: generated in $KEY_FILE (keep it to get the same pseudonyms next time)"
  else
    say "pseudonym key: $KEY_FILE"
  fi
}

has_option() { # NAME ARGS...: whether --NAME or --NAME=... is among ARGS
  local name="$1" a
  shift
  for a in "$@"; do
    [[ "$a" == "--$name" || "$a" == "--$name="* ]] && return 0
  done
  return 1
}

# The job options: the cluster's defaults for what the user did not give, then the user's.
job_args() {
  local -a args=()
  has_option bootstrap-servers "$@" || args+=(--bootstrap-servers "$BOOTSTRAP")
  has_option pseudonym-key-file "$@" || args+=(--pseudonym-key-file "$KEY_FILE")
  has_option checkpoint-dir "$@" || args+=(--checkpoint-dir "file://$CHECKPOINTS")
  has_option parallelism "$@" || args+=(--parallelism 2)
  printf '%s\n' "${args[@]}" "$@"
}

# run_job [SAVEPOINT] -- USER_ARGS...
run_job() {
  local savepoint="$1" out jid
  shift
  [[ "${1:-}" == "--" ]] && shift
  local -a user=("$@") full=()
  has_option pseudonym-key-file "${user[@]}" || ensure_key
  mapfile -t full < <(job_args "${user[@]}")
  local -a run=(run -d)
  [[ -n "$savepoint" ]] && run+=(-s "$savepoint")
  say "submitting $(basename "$JAR")${savepoint:+ from savepoint $savepoint}"
  [[ ${#user[@]} -gt 0 ]] && say "job options: ${user[*]}"
  if ! out="$(flink_cli "${run[@]}" "$JAR" "${full[@]}" 2>&1)"; then
    echo "$out" | grep -v '^\s*$' | tail -n 25 | sed 's/^/  | /' >&2
    die "submission failed; see $LOGS/client.log and $LOGS/jobmanager.log"
  fi
  jid="$(echo "$out" | sed -n 's/.*submitted with JobID \([0-9a-f]\{32\}\).*/\1/p' | head -1)"
  [[ -n "$jid" ]] || { echo "$out" | sed 's/^/  | /' >&2; die "no JobID in the client's output; see $LOGS/client.log"; }
  echo "$jid" >"$JOB_ID_FILE"
  if [[ ${#user[@]} -gt 0 ]]; then printf '%s\n' "${user[@]}" >"$JOB_ARGS_FILE"; else : >"$JOB_ARGS_FILE"; fi
  say "job $jid submitted: $REST/#/job/running/$jid/overview"
}

# savepoint_of OUTPUT: the path in the client's "Savepoint completed. Path: ..." line
savepoint_of() { sed -n 's/.*Savepoint completed\. Path: \([^ ]*\).*/\1/p' <<<"$1" | head -1; }

# ---------------------------------------------------------------------------------------------
# Commands
cmd_up() {
  command -v java >/dev/null || die "java not found (Java 17 is needed)"
  command -v curl >/dev/null || die "curl not found"
  command -v mvn >/dev/null || die "mvn not found"
  mkdir -p "$LOGS" "$PIDS"
  local c
  if ! any_alive; then
    for c in "${COMPONENTS[@]}"; do rm -f "$PIDS/$c.pid"; done
    local p
    for p in "$KAFKA_PORT" "$CONTROLLER_PORT" "$WEB_PORT" "$JM_PORT"; do
      port_busy "$p" && die "port $p is in use by another process; choose other ports with ATTENTION_WEB_PORT, ATTENTION_KAFKA_PORT, ATTENTION_KAFKA_CONTROLLER_PORT, ATTENTION_JOBMANAGER_PORT"
    done
    save_ports
  fi
  classpath flink >/dev/null
  classpath kafka >/dev/null
  if alive kafka; then
    say "Kafka already running (pid $(pid_of kafka)) on $BOOTSTRAP"
  else
    start_kafka
  fi
  create_topics
  if alive jobmanager; then
    say "Flink JobManager already running (pid $(pid_of jobmanager))"
  else
    write_flink_conf
    start_jobmanager
  fi
  wait_for jobmanager 90 web_up
  if alive taskmanager; then
    say "Flink TaskManager already running (pid $(pid_of taskmanager))"
  else
    start_taskmanager
  fi
  wait_for taskmanager 90 taskmanager_registered
  say "up: Kafka $BOOTSTRAP, Flink web UI $REST, state in $STATE"
}

cmd_submit() {
  require_up
  local jid
  if jid="$(running_job)"; then
    die "job $jid is already running; stop it first ('$CMD stop-with-savepoint')"
  fi
  ensure_jar
  run_job "" "$@"
}

cmd_resume() {
  local from=""
  if [[ "${1:-}" == "--from" ]]; then
    [[ $# -ge 2 ]] || usage
    from="$2"
    shift 2
  elif [[ "${1:-}" == --from=* ]]; then
    from="${1#--from=}"
    shift
  fi
  [[ "${1:-}" == "--" ]] && shift
  require_up
  local jid
  if jid="$(running_job)"; then
    die "job $jid is still running; stop it first ('$CMD stop-with-savepoint')"
  fi
  if [[ -z "$from" ]]; then
    [[ -s "$LAST_SAVEPOINT_FILE" ]] || die "no savepoint yet in $STATE (take one with '$CMD stop-with-savepoint', or pass --from PATH)"
    from="$(cat "$LAST_SAVEPOINT_FILE")"
  fi
  local -a args=("$@")
  if [[ ${#args[@]} -eq 0 && -f "$JOB_ARGS_FILE" ]]; then
    mapfile -t args <"$JOB_ARGS_FILE"
  fi
  ensure_jar
  run_job "$from" -- "${args[@]}"
}

current_job_or_die() {
  require_up
  running_job || die "no running job submitted from $STATE (status: '$CMD status')"
}

cmd_savepoint() {
  local jid out sp
  jid="$(current_job_or_die)"
  say "taking a savepoint of job $jid ..."
  if ! out="$(flink_cli savepoint "$jid" "file://$SAVEPOINTS" 2>&1)"; then
    echo "$out" | grep -v '^\s*$' | tail -n 25 | sed 's/^/  | /' >&2
    die "savepoint failed; see $LOGS/client.log and $LOGS/jobmanager.log"
  fi
  sp="$(savepoint_of "$out")"
  [[ -n "$sp" ]] || { echo "$out" | sed 's/^/  | /' >&2; die "no savepoint path in the client's output"; }
  echo "$sp" >"$LAST_SAVEPOINT_FILE"
  say "savepoint $sp"
}

cmd_stop_with_savepoint() {
  local jid out sp
  jid="$(current_job_or_die)"
  say "stopping job $jid with a savepoint ..."
  if ! out="$(flink_cli stop --savepointPath "file://$SAVEPOINTS" "$jid" 2>&1)"; then
    echo "$out" | grep -v '^\s*$' | tail -n 25 | sed 's/^/  | /' >&2
    die "stop with savepoint failed; see $LOGS/client.log and $LOGS/jobmanager.log"
  fi
  sp="$(savepoint_of "$out")"
  [[ -n "$sp" ]] || { echo "$out" | sed 's/^/  | /' >&2; die "no savepoint path in the client's output"; }
  echo "$sp" >"$LAST_SAVEPOINT_FILE"
  # the client returns when the savepoint is complete; the job finishes a moment later
  local start=$SECONDS state
  while state="$(job_state "$jid")"; [[ "$state" != FINISHED && "$state" != CANCELED && "$state" != FAILED ]]; do
    ((SECONDS - start < 60)) || die "job $jid is still $state 60 s after its savepoint; see $LOGS/jobmanager.log"
    sleep 0.5
  done
  say "job $jid stopped ($state); savepoint $sp (resume with '$CMD resume')"
}

cmd_status() {
  local c pid rc=0
  echo "state dir: $STATE"
  for c in "${COMPONENTS[@]}"; do
    if pid="$(pid_of "$c")"; then
      printf '  %-12s running (pid %s), log %s\n' "$c" "$pid" "$(log_of "$c")"
    else
      printf '  %-12s stopped\n' "$c"
      rc=3
    fi
  done
  if any_alive; then
    echo "Kafka:        $BOOTSTRAP"
    echo "Flink web UI: $REST"
  fi
  if web_up; then
    local jobs
    jobs="$(rest_get /jobs/overview | grep -o '"jid":"[0-9a-f]*","name":"[^"]*"[^{}]*"state":"[A-Z_]*"' \
      | sed 's/"jid":"\([0-9a-f]*\)","name":"\([^"]*\)".*"state":"\([A-Z_]*\)"/  \1  \3  \2/' || true)"
    echo "jobs:"
    echo "${jobs:-  (none)}"
  fi
  [[ -s "$LAST_SAVEPOINT_FILE" ]] && echo "last savepoint: $(cat "$LAST_SAVEPOINT_FILE")"
  return $rc
}

cmd_down() {
  local c
  for c in taskmanager jobmanager kafka; do stop_process "$c"; done
  say "down (state kept in $STATE)"
}

cmd="$1"
shift
mkdir -p "$LOGS" "$PIDS"
load_ports
case "$cmd" in
  up) [[ $# -eq 0 ]] || usage; cmd_up ;;
  submit) [[ "${1:-}" == "--" ]] && shift; cmd_submit "$@" ;;
  resume) cmd_resume "$@" ;;
  savepoint) [[ $# -eq 0 ]] || usage; cmd_savepoint ;;
  stop-with-savepoint) [[ $# -eq 0 ]] || usage; cmd_stop_with_savepoint ;;
  status) [[ $# -eq 0 ]] || usage; cmd_status ;;
  down) [[ $# -eq 0 ]] || usage; cmd_down ;;
esac
