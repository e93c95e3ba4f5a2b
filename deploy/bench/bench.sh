#!/usr/bin/env bash
# The benchmark: starts the four services (their jars, on ports of their own), seeds users, warms up, runs the load
# and prints one line per figure, all measured in one run so that machine noise cancels:
#   machine, raw-work baselines (pgbench, redis-benchmark, confirmed publishes), bookings/s at the p99 bound through
#   the gateway and straight to meeting-reactive, fan-out latency with a slow user service, notifier emails/s with a
#   slow SMTP server, each service's resident memory after the run.
# It uses the local PostgreSQL, Redis and RabbitMQ, in a database, key prefix and vhost of its own (removed at the
# end). Never part of the test suite.
#
# Options:
#   --smoke           every step for a few seconds (checks that the pipeline works, figures mean little)
#   --no-build        use the jars already in */target
#   --p99 MS          the latency bound of the throughput search (50)
#   --step SECONDS    plateau of each rate step (20), longer where the rate needs it for --step-samples bookings
#   --step-samples N  bookings a step has at least, so that its p99 is not the second worst of a few hundred (2000)
#   --rates "R1 R2.." the arrival rates tried, lowest first, until one misses the bound (25 50 75 100 150 200 300 400)
#   --heap SIZE       -Xmx of each service (256m)
#   --clients N       capacity, both ways: N clients booking back to back (closed model), ok/s whatever the latency (16)
#   --soak SECONDS    after the figures, hold --soak-rate for SECONDS and print the RSS every 30 s
#   --soak-rate R     bookings/s of the soak, through the gateway (25): a fixed load, not one that follows the
#                     sustained rate, which a few stalls move from run to run
#   --capacity-only   the gateway cost alone: the warm-up, then the capacity both ways (no baselines, no rate search,
#                     no fan-out, no notifier, no memory figures); a few minutes, for trying one change
#   --capacity-rounds N  rounds of the capacity's gateway, straight, straight, gateway (3)
#   --capacity-seconds S each capacity run's length (40): a fresh load generator's own start-up falls inside it
#   --warmup-closed S    the closed warm-up: --clients clients back to back on each path for S seconds (180)
# Environment: BENCH_PORT_BASE (18080): gateway +0, meeting +1, user +2, notifier +3, fan-out meeting +11,
#   slow user service +12, SMTP sink +20, its stats +30. SERVICE_JAVA_OPTS, or one service's
#   GATEWAY_/MEETING_/USER_/NOTIFIER_JAVA_OPTS: JVM options besides the heap (defaults: lib.sh service_java_opts).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

WARMUP_CLOSED=180 STEP_SAMPLES=2000 SMOKE=0 BUILD=1 P99=50 STEP=20 HEAP=256m SOAK=0 SOAK_RATE=25 CLIENTS=16 CAPACITY_ONLY=0 CAPACITY_ROUNDS=3 CAPACITY_SECONDS=40
RATES="25 50 75 100 150 200 300 400"
while [[ $# -gt 0 ]]; do
	case "$1" in
		--smoke) SMOKE=1 ;;
		--no-build) BUILD=0 ;;
		--p99) P99="$2"; shift ;;
		--step) STEP="$2"; shift ;;
		--step-samples) STEP_SAMPLES="$2"; shift ;;
		--rates) RATES="$2"; shift ;;
		--heap) HEAP="$2"; shift ;;
		--clients) CLIENTS="$2"; shift ;;
		--soak) SOAK="$2"; shift ;;
		--soak-rate) SOAK_RATE="$2"; shift ;;
		--capacity-only) CAPACITY_ONLY=1 ;;
		--capacity-rounds) CAPACITY_ROUNDS="$2"; shift ;;
		--capacity-seconds) CAPACITY_SECONDS="$2"; shift ;;
		--warmup-closed) WARMUP_CLOSED="$2"; shift ;;
		-h|--help) sed -n '2,26p' "$0"; exit 0 ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
WARMUP=30 BASELINE_SECONDS=10 FANOUT_BOOKINGS=20 NOTIFIER_EVENTS=200 NOTIFIER_ATTENDEES=20
if [[ $SMOKE == 1 ]]; then
	STEP=5 STEP_SAMPLES=0 RATES="10 20" WARMUP=15 WARMUP_CLOSED=5 CLIENTS=4 CAPACITY_ROUNDS=1 CAPACITY_SECONDS=5 BASELINE_SECONDS=2 FANOUT_BOOKINGS=4 NOTIFIER_EVENTS=10
fi

BASE=${BENCH_PORT_BASE:-18080}
GATEWAY_PORT=$BASE MEETING_PORT=$((BASE + 1)) USER_PORT=$((BASE + 2)) NOTIFIER_PORT=$((BASE + 3))
FANOUT_MEETING_PORT=$((BASE + 11)) SLOW_USER_PORT=$((BASE + 12))
SMTP_PORT=$((BASE + 20)) SMTP_STATS=$((BASE + 30))

RUN_ID="bench_$(date +%Y%m%d_%H%M%S)"
WORK="$ROOT/deploy/bench/target/$RUN_ID"
mkdir -p "$WORK/logs" "$WORK/jars" "$WORK/gatling" "$WORK/meters"
DB="$RUN_ID"
VHOST="$RUN_ID"
KEY_PREFIX="$RUN_ID:"
# the gateway's HS256 secret for this run (below: the load generator signs its tokens with it)
JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
AMQP_URI="amqp://guest:guest@127.0.0.1:5672/$VHOST"
PSQL=(psql -X -q -h 127.0.0.1 -U postgres)

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
figure() { printf '%s\n' "$*" | tee -a "$WORK/figures.txt"; }

# ---- processes this script started, stopped by their pid on exit

source "$ROOT/deploy/bench/lib.sh"

start() { # name logfile command...
	local name=$1; shift
	"$@" >"$WORK/logs/$name.log" 2>&1 &
	PIDS[$name]=$!
}

wait_http() { # name url [seconds]
	local name=$1 url=$2 limit=${3:-90}
	for _ in $(seq 1 $((limit * 4))); do
		if curl -s -o /dev/null --max-time 1 "$url"; then return 0; fi
		if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
			log "$name died; the end of its log:"; tail -30 "$WORK/logs/$name.log" >&2; exit 1
		fi
		sleep 0.25
	done
	log "$name did not answer at $url within ${limit}s"; tail -30 "$WORK/logs/$name.log" >&2; exit 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---- build and tools

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing: $1 ($2)" >&2; exit 1; }; }
need java "a JDK 17+"
need curl "apt-get install -y curl"
need psql "the PostgreSQL client"
need pgbench "postgresql-contrib / the PostgreSQL client"
need redis-benchmark "redis-tools"
need redis-cli "redis-tools"
need rabbitmqctl "the RabbitMQ server on this machine"
need python3 "python3 (reads Gatling's stats.json)"
if command -v wrk >/dev/null 2>&1; then
	log "wrk is installed; the load comes from Gatling all the same (open workload model, the repository's simulations)"
else
	log "wrk is not installed (apt-get install -y wrk); not needed: the load comes from Gatling"
fi

if [[ $BUILD == 1 ]]; then
	log "building the services (./mvnw -B -q -DskipTests package)"
	./mvnw -B -q -DskipTests package
fi
for module in gateway meeting-reactive user-reactive notifier-reactive; do
	jar="$module/target/$module-0.1.0-SNAPSHOT.jar"
	[[ -f "$jar" ]] || { echo "missing $jar: run without --no-build" >&2; exit 1; }
	# a copy, so that a rebuild during the run cannot pull a jar from under a running service
	cp "$jar" "$WORK/jars/$module.jar"
done
log "compiling the simulations and the bench tools"
./mvnw -B -q -pl deploy/gatling test-compile dependency:build-classpath \
	-Dmdep.outputFile="$WORK/gatling.classpath" -Dmdep.includeScope=test
GATLING_CP="$ROOT/deploy/gatling/target/test-classes:$(cat "$WORK/gatling.classpath")"
./mvnw -B -q dependency:copy -Dartifact=com.rabbitmq:amqp-client:5.37.1 -DoutputDirectory="$WORK/tools" >/dev/null
./mvnw -B -q dependency:copy -Dartifact=org.slf4j:slf4j-api:2.0.17 -DoutputDirectory="$WORK/tools" >/dev/null
TOOLS_CP="$WORK/tools/*:$WORK/tools"
javac -d "$WORK/tools" -cp "$TOOLS_CP" deploy/bench/BenchTools.java
TOOL=(java -Xmx128m -cp "$TOOLS_CP" BenchTools)
tool() { "${TOOL[@]}" "$@" 2>>"$WORK/logs/tools.log"; }
# the machine's own stalls, for the whole run: each rate step reports those that fell inside it (BenchTools stall-meter)
start stall-meter "${TOOL[@]}" stall-meter "$WORK/stalls.txt"
# a step's seconds at RATE: --step, or longer where that gives fewer than --step-samples bookings. Rare stalls of 70-190 ms
# were seen at any rate on this machine; in a 20 s step at 10/s (200 bookings) the p99 is the second worst, decided by
# two of them, while 600 s at 25/s held a p99 of 42 ms (15,025 bookings)
step_seconds() { # rate
	echo $(( STEP_SAMPLES > STEP * $1 ? (STEP_SAMPLES + $1 - 1) / $1 : STEP ))
}

# ---- the machine

CPU_MODEL="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
MEM_GIB="$(awk '/^MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)"
JDK="$(java -version 2>&1 | head -1 | sed 's/"//g')"
figure "machine: nproc=$(nproc) memory=${MEM_GIB}GiB cpu=\"$CPU_MODEL\" jdk=\"$JDK\" heap_per_service=$HEAP collectors=\"gateway $(service_java_opts gateway), meeting $(service_java_opts meeting), user $(service_java_opts user), notifier $(service_java_opts notifier)\" loadavg_1m=$(cut -d' ' -f1 /proc/loadavg)$([[ $SMOKE == 1 ]] && echo ' SMOKE')"
if awk -v n="$(nproc)" '{exit !($1 > n)}' /proc/loadavg; then
	log "WARNING: the load average is above the number of cores: other work shares this machine and the figures will show it"
fi

# ---- isolated slice of the local servers

"${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
rabbitmqctl -q add_vhost "$VHOST" >/dev/null
rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null

# ---- raw-work baselines, before the services start, on the same servers

PG_TPS=0 CONFIRMS=0
if [[ $CAPACITY_ONLY == 0 ]]; then
log "baselines: pgbench, redis-benchmark, confirmed publishes (${BASELINE_SECONDS}s each)"
"${PSQL[@]}" -d "$DB" -c "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, meeting_id uuid NOT NULL, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())" >/dev/null
cat >"$WORK/insert.sql" <<'SQL'
BEGIN;
INSERT INTO bench_insert (meeting_id, title) VALUES (gen_random_uuid(), 'Design review');
COMMIT;
SQL
PG_TPS="$(pgbench -n -h 127.0.0.1 -U postgres -c 8 -j 2 -T "$BASELINE_SECONDS" -f "$WORK/insert.sql" "$DB" 2>/dev/null \
	| awk '/^tps/ {printf "%.0f", $3; exit}')"
figure "baseline_pgbench_one_insert_tx: tps=$PG_TPS clients=8"
redis-cli -h 127.0.0.1 mset $(for i in $(seq 1 10); do echo "${KEY_PREFIX}rb:$i v$i"; done) >/dev/null
REDIS_N=$((BASELINE_SECONDS * 20000))
redis_rps() { redis-benchmark -h 127.0.0.1 -c 50 -n "$REDIS_N" --csv "$@" 2>/dev/null | awk -F'","' 'NR > 1 {gsub(/"/, "", $2); printf "%.0f", $2; exit}'; }
R_SET="$(redis_rps SET "${KEY_PREFIX}rb:set" value)"
R_GET="$(redis_rps GET "${KEY_PREFIX}rb:1")"
R_MGET="$(redis_rps MGET $(for i in $(seq 1 10); do echo "${KEY_PREFIX}rb:$i"; done))"
figure "baseline_redis_benchmark: set_per_s=$R_SET get_per_s=$R_GET mget10_per_s=$R_MGET clients=50"
CONFIRMS="$(tool confirm-loop "$AMQP_URI" 8 "$BASELINE_SECONDS" | sed -n 's/.*confirms_per_s=\([0-9]*\).*/\1/p')"
figure "baseline_rabbitmq_confirmed_publish: per_s=$CONFIRMS publishers=8 (each waits for its confirm)"
# the tail of the same raw work at the search's first rate, one at a time: what the p99 bound leaves for the services
LOW_RATE="${RATES%% *}"
LOW_STEP="$(step_seconds "$LOW_RATE")"
pgbench -n -h 127.0.0.1 -U postgres -c 1 -R "$LOW_RATE" -T "$LOW_STEP" -f "$WORK/insert.sql" --log \
	--log-prefix="$WORK/logs/pgbench-paced" "$DB" >/dev/null 2>&1
PG_TAIL="$(cat "$WORK"/logs/pgbench-paced.* | awk '{print $3 / 1000}' | sort -n \
	| awk '{v[NR] = $1} END {if (NR) printf "p50=%.1fms p99=%.1fms max=%.1fms", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[NR]}')"
MQ_TAIL="$(tool confirm-latency "$AMQP_URI" "$LOW_RATE" "$LOW_STEP" | sed -n 's/^confirm_latency_ms: \(p50=[0-9.]*\) \(p99=[0-9.]*\) \(max=[0-9.]*\).*/\1ms \2ms \3ms/p')"
figure "baseline_raw_work_tail_at_${LOW_RATE}_per_s: pgbench_one_insert_tx ${PG_TAIL} confirmed_publish ${MQ_TAIL} (one at a time, ${LOW_STEP}s each)"
fi

# ---- the system

# shellcheck disable=SC2207 # options, split on spaces
JAVA_OPTS=($(heap_opts) -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$WORK/logs/gc-%p.log":time,uptime)
# the common options, then the service's own (lib.sh: service_java_opts)
java_opts() { # service
	# shellcheck disable=SC2206 # options, split on spaces
	local own=($(service_java_opts "$1"))
	echo "${JAVA_OPTS[@]}" "${own[@]}"
}
COMMON=(--spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:5432/$DB" --spring.flyway.url="jdbc:postgresql://127.0.0.1:5432/$DB"
	--spring.rabbitmq.virtual-host="$VHOST" --logging.level.root=WARN)

# a histogram bucket at the p99 bound in each server's http.server.requests timer: a rate step counts the requests
# that took longer inside the gateway and inside meeting-reactive, beside those the load generator saw
SLOW_BUCKET=(--management.metrics.distribution.slo.http.server.requests="${P99}ms"
	--management.metrics.distribution.slo.meeting.booking.stage="${P99}ms"
	--management.metrics.distribution.slo.meeting.events.confirm="${P99}ms")
# that bucket's label in Prometheus' text (seconds)
SLOW_LE="le=\"$(python3 -c "print(f'{$P99 / 1000}')")\""
start_meeting() { # name port user-service-url [more properties]
	local name=$1 port=$2 users=$3; shift 3
	# shellcheck disable=SC2046 # options, split on spaces
	start "$name" java $(java_opts meeting) -jar "$WORK/jars/meeting-reactive.jar" --server.port="$port" "${COMMON[@]}" \
		--meeting.user-service.base-url="$users" --meeting.cache.key-prefix="$KEY_PREFIX" \
		--meeting.gateway-token="$SERVICE_TOKEN" --meeting.invitations.secret="$INVITATION_SECRET" "${SLOW_BUCKET[@]}" "$@"
}
start_notifier() { # smtp-port
	# shellcheck disable=SC2046 # options, split on spaces
	start notifier java $(java_opts notifier) -jar "$WORK/jars/notifier-reactive.jar" --server.port="$NOTIFIER_PORT" \
		"${COMMON[@]}" --notifier.smtp.host=127.0.0.1 --notifier.smtp.port="$1" --notifier.max-concurrent-sends=16 \
		--notifier.invitations.secret="$INVITATION_SECRET"
}

log "starting the SMTP sinks and the services (heap $HEAP each)"
# one sink: no delay while bookings are measured, 50 ms per message for the notifier's own figure
start smtp "${TOOL[@]}" smtp-sink "$SMTP_PORT" 0 "$SMTP_STATS"
# shellcheck disable=SC2046 # options, split on spaces
start user java $(java_opts user) -jar "$WORK/jars/user-reactive.jar" --server.port="$USER_PORT" "${COMMON[@]}"
wait_http user "http://127.0.0.1:$USER_PORT/actuator/health"
start_meeting meeting "$MEETING_PORT" "http://127.0.0.1:$USER_PORT"
start_notifier "$SMTP_PORT"
# shellcheck disable=SC2046 # options, split on spaces
start gateway java $(java_opts gateway) -jar "$WORK/jars/gateway.jar" --server.port="$GATEWAY_PORT" --spring.profiles.active=local \
	--logging.level.root=WARN --gateway.redis-key-prefix="$KEY_PREFIX" --gateway.jwt.secret="$JWT_SECRET" \
	--gateway.service-token="$SERVICE_TOKEN" "${SLOW_BUCKET[@]}" \
	--gateway.meeting-service-url="http://127.0.0.1:$MEETING_PORT" --gateway.user-service-url="http://127.0.0.1:$USER_PORT" \
	--gateway.notifier-service-url="http://127.0.0.1:$NOTIFIER_PORT"
wait_http meeting "http://127.0.0.1:$MEETING_PORT/actuator/health"
wait_http notifier "http://127.0.0.1:$NOTIFIER_PORT/actuator/health"
wait_http gateway "http://127.0.0.1:$GATEWAY_PORT/actuator/health"
wait_http smtp "http://127.0.0.1:$SMTP_STATS/stats"

# ---- Gatling

# gatling SIMULATION NAME -Dprop=value... ; prints "ok ko rps p50 p95 p99 max slow" of the run (all requests; slow:
# the successful ones that took the p99 bound or longer)
gatling() {
	local simulation=$1 name=$2; shift 2
	local out="$WORK/gatling/$name"
	mkdir -p "$out"
	java -Xms512m -Xmx512m -XX:MaxInlineLevel=20 -XX:MaxTrivialSize=12 --add-opens=java.base/java.lang=ALL-UNNAMED \
		-Xlog:gc:file="$WORK/logs/gc-gatling-$name.log":uptime -Dgatling.charting.indicators.lowerBound="$P99" \
		-cp "$GATLING_CP" "$@" io.gatling.app.Gatling -s "dev.seed.meetings.gatling.$simulation" \
		-rf "$out" -rd "$name" >"$WORK/logs/gatling-$name.log" 2>&1 || true
	python3 - "$WORK/logs/gatling-$name.log" <<'PY'
import re, sys
# the "Global Information" table Gatling prints at the end: total | OK | KO columns
text = open(sys.argv[1], errors="replace").read()
block = text[text.rfind("---- Global Information"):] if "---- Global Information" in text else ""
def row(label):
    m = re.search(r"> " + re.escape(label) + r"\s*\|\s*([\d,.\-]+)\s*\|\s*([\d,.\-]+)\s*\|\s*([\d,.\-]+)", block)
    if not m:
        return ["0", "0", "0"]
    return [v.replace(",", "").replace("-", "0") for v in m.groups()]
count = row("request count")
fast = re.search(r"> (?:OK: )?t < \d+ ms\s+([\d,]+)", block)
print(count[1], count[2], row("mean throughput (rps)")[1], row("response time 50th percentile (ms)")[0],
      row("response time 95th percentile (ms)")[0], row("response time 99th percentile (ms)")[0],
      row("max response time (ms)")[0], int(count[1]) - int(fast.group(1).replace(",", "")) if fast else 0)
PY
}

POOL=(-Dusers=200 -Dattendees=10)
# the load generator signs its users' tokens with the gateway's secret, as an identity provider would; the local
# profile's POST /local/token (another handler than the routes) called at the start of each run deoptimised the
# gateway's compiled request path, whose recompiling then took a quarter of its CPU in the run; so did seeding the
# pool through the gateway at the start of each run (another route, 409 answers): the first run seeds it, straight to
# user-reactive, and the others do not (-Dseed=false), so that the gateway receives nothing but the load it is measured on
# (profile.sh, JFR). Its users keep their tokens from run to run (one issue instant), as clients do
THROUGH_GATEWAY=(-DbaseUrl="http://127.0.0.1:$GATEWAY_PORT" -Dauth=secret -DjwtSecret="$JWT_SECRET" -DtokenIssuedAt="$(date +%s)")
STRAIGHT=(-DbaseUrl="http://127.0.0.1:$MEETING_PORT" -Dauth=header -DgatewayToken="$SERVICE_TOKEN"
	-DusersUrl="http://127.0.0.1:$USER_PORT")

log "seeding users and warming up (1 -> 20 bookings/s over ${WARMUP}s, then ${WARMUP}s at 20/s, straight to meeting-reactive, then the same through the gateway)"
# straight first: a cold meeting-reactive behind a cold gateway trips its own circuit breakers
read -r ok ko _ <<<"$(gatling BookingSimulation warmup-straight "${POOL[@]}" "${STRAIGHT[@]}" -Drate=20 -DstartRate=1 -Dramp="$WARMUP" -Dduration="$WARMUP")"
log "warm-up straight to meeting-reactive: ok=$ok ko=$ko"
[[ "$ok" -gt 0 ]] || { log "no booking succeeded during the warm-up: see $WORK/logs"; exit 1; }
POOL+=(-Dseed=false)
read -r ok ko _ <<<"$(gatling BookingSimulation warmup-gateway "${POOL[@]}" "${THROUGH_GATEWAY[@]}" -Drate=20 -DstartRate=1 -Dramp="$WARMUP" -Dduration="$WARMUP")"
log "warm-up through the gateway: ok=$ok ko=$ko"
# The notifier mails 10 invitations per booking, as many SMTP conversations with a sink on the same two cores: on
# a machine of its own it would not take the cores the booking path is measured on. It is stopped while bookings
# are measured (their events wait in its queue, purged before its own step) and measured on its own in step 6.
# drain_notifier: waits until a running notifier has emptied its queue.
drain_notifier() {
	[[ -n "${PIDS[notifier]:-}" ]] || return 0
	local limit=$((SECONDS + 180)) waiting
	while :; do
		waiting="$(rabbitmqctl -q list_queues -p "$VHOST" name messages 2>/dev/null \
			| awk '$1 == "notification.meeting.created" {print $2}')"
		[[ "${waiting:-0}" == 0 ]] && return 0
		if [[ $SECONDS -ge $limit ]]; then
			log "the notifier still has $waiting event(s) queued after 180 s; measuring anyway"
			return 0
		fi
		sleep 1
	done
}

drain_notifier
log "the notifier stops until its own step: bookings are measured without its mails"
stop notifier

# the ramp is about a thousand bookings, too few for the JIT's last tier on a request's methods (thousands of calls
# each): $CLIENTS clients back to back on each path for ${WARMUP_CLOSED}s, with the notifier stopped (its mails
# would take the cores), let it finish, so that the figures are of compiled code on both paths. With 20 s each, the
# gateway's compiler threads still took a third of its CPU in the first measured step (JFR's jdk.ThreadCPULoad); with
# 60 s on a slower machine (2026-12), the gateway's CPU per booking still fell from 1.9 to 1.1 ms over the next six
# minutes of load, and after 180 s it started at 0.7-0.9 ms (compare-gateways.sh --warmup 60 / 180).
read -r ok ko _ <<<"$(gatling BookingSimulation warmup-straight-closed "${POOL[@]}" "${STRAIGHT[@]}" -Dconcurrency="$CLIENTS" -Dduration="$WARMUP_CLOSED" -Dp99=100000)"
read -r ok2 ko2 _ <<<"$(gatling BookingSimulation warmup-gateway-closed "${POOL[@]}" "${THROUGH_GATEWAY[@]}" -Dconcurrency="$CLIENTS" -Dduration="$WARMUP_CLOSED" -Dp99=100000)"
log "warm-up, $CLIENTS clients back to back for ${WARMUP_CLOSED}s: straight ok=$ok ko=$ko, through the gateway ok=$ok2 ko=$ko2"

# PostgreSQL checkpoints so far (timed and requested): a checkpoint's writes and fsyncs on this machine's disk have
# been seen to hold commits for up to a second, which a step's p99 shows; each step's log line says whether one ran
checkpoints() {
	"${PSQL[@]}" -d "$DB" -At -c "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter" 2>/dev/null || echo 0
}
# the WAL written so far (bytes): a step's share per booking shows what a commit waits on (full-page images after a
# checkpoint included)
wal_bytes() {
	"${PSQL[@]}" -d "$DB" -At -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint" 2>/dev/null || echo 0
}
wal_kib_per_booking() { # bytes-before ok
	python3 -c "print(f'{($(wal_bytes) - $1) / 1024 / max($2, 1):.1f}')"
}

# Where a step's slow bookings came from. snapshot PORT FILE: the server's meters now. slow_between BEFORE AFTER METRIC
# [LABEL]: how many of the timer's events between the two snapshots took longer than the p99 bound (its SLO bucket,
# SLOW_BUCKET), for the series with LABEL (e.g. method="POST"). stalls_between FROM_MS TO_MS: "count longest_ms" of the
# machine's stalls in that window. gc_longest NAME: the load generator's longest GC pause in run NAME (ms).
snapshot() { curl -s --max-time 5 "http://127.0.0.1:$1/actuator/prometheus" >"$2" || true; }
slow_between() {
	awk -v m="$3" -v label="${4:-}" -v le="$SLOW_LE" '
		index($0, m "_count{") == 1 && index($0, label) {n[FILENAME] += $NF}
		index($0, m "_bucket{") == 1 && index($0, label) && index($0, le) {fast[FILENAME] += $NF}
		END {printf "%d\n", (n[ARGV[2]] - fast[ARGV[2]]) - (n[ARGV[1]] - fast[ARGV[1]])}' "$1" "$2"
}
stalls_between() {
	awk -v from="$1" -v to="$2" '$1 >= from && $1 <= to {n++; if ($2 > m) m = $2} END {printf "%d %d\n", n, m}' \
		"$WORK/stalls.txt"
}
gc_longest() {
	grep -ho 'Pause.* \([0-9.]*\)ms$' "$WORK/logs/gc-gatling-$1.log" 2>/dev/null \
		| awk '{v = $NF; sub(/ms$/, "", v); if (v + 0 > m) m = v + 0} END {printf "%.0f\n", m}'
}
now_ms() { date +%s%3N; }
# before_step NAME: the servers' meters and the time, before a step. slow_sources NAME CLIENT_SLOW: who was slow during
# it, over the bound: the load generator's count, the gateway's and meeting-reactive's own (the difference is the
# network and the load generator), meeting-reactive's booking stages and broker confirms, the machine's stalls and the
# load generator's GC
before_step() {
	snapshot "$GATEWAY_PORT" "$WORK/meters/$1-gateway-before"
	snapshot "$MEETING_PORT" "$WORK/meters/$1-meeting-before"
	now_ms >"$WORK/meters/$1-started"
}
slow_sources() {
	local name=$1 client=$2 m="$WORK/meters/$1" stalls stages="" stage
	snapshot "$GATEWAY_PORT" "$m-gateway-after"
	snapshot "$MEETING_PORT" "$m-meeting-after"
	read -r -a stalls <<<"$(stalls_between "$(cat "$m-started")" "$(now_ms)")"
	for stage in resolve save cache publish; do
		stages+=" $stage=$(slow_between "$m-meeting-before" "$m-meeting-after" meeting_booking_stage_seconds "stage=\"$stage\"")"
	done
	echo "over_${P99}ms: client=$client" \
		"gateway=$(slow_between "$m-gateway-before" "$m-gateway-after" http_server_requests_seconds 'method="POST"')" \
		"meeting=$(slow_between "$m-meeting-before" "$m-meeting-after" http_server_requests_seconds 'method="POST"')" \
		"meeting_stages:${stages} confirm=$(slow_between "$m-meeting-before" "$m-meeting-after" meeting_events_confirm_seconds)" \
		"machine_stalls=${stalls[0]} longest_stall=${stalls[1]}ms load_generator_gc_longest=$(gc_longest "$name")ms"
}

# fresh_start: what each rate step and capacity run starts from: the stopped notifier's queue purged (it otherwise holds
# the warm-up's hundred thousand events, which a consuming notifier never leaves there) and a PostgreSQL checkpoint
# just done
fresh_start() {
	rabbitmqctl -q purge_queue -p "$VHOST" notification.meeting.created >/dev/null
	"${PSQL[@]}" -d "$DB" -c "CHECKPOINT" >/dev/null
}

# search NAME ARGS...: tries each rate until p99 > bound or > 1 % failures; prints the best step that held the bound
# ("rate ok/s p50 p95 p99", zeros if none did) and the first that did not ("rate ok/s p50 p95 p99 failed%").
# Each step starts from fresh_start, as each capacity run does. Left to the timer (every 5 minutes here), a
# checkpoint falls inside some steps and not others, and a stall of up to a second is 2.5 % of a 40 s step at 50/s,
# past its p99, but 0.3 % of those 5 minutes: the steps would weigh it several times over what a steady load meets.
# The soak (--soak) leaves the timer alone, and its p99 includes the checkpoints of its minutes.
search() {
	local name=$1; shift
	local best="0 0 0 0 0" miss="- - - - - -"
	for rate in $RATES; do
		local checkpoints wal
		fresh_start
		checkpoints=$(checkpoints) wal=$(wal_bytes)
		before_step "$name-$rate"
		read -r ok ko rps p50 p95 p99 max slow <<<"$(gatling BookingSimulation "$name-$rate" "${POOL[@]}" "$@" \
			-Drate="$rate" -DstartRate="$rate" -Dramp=1 -Dduration="$(step_seconds "$rate")" -Dp99="$P99")"
		local total=$((ok + ko))
		log "$name rate=$rate/s: ok=$ok ko=$ko ok/s=$rps p50=${p50}ms p95=${p95}ms p99=${p99}ms max=${max}ms" \
			"postgres_checkpoints_during_step=$(($(checkpoints) - checkpoints)) wal_kib_per_booking=$(wal_kib_per_booking "$wal" "$ok")" \
			"$(slow_sources "$name-$rate" "$slow")"
		if [[ $total -eq 0 ]] || (( ko * 100 > total )) || (( p99 > P99 )); then
			miss="$rate $rps $p50 $p95 $p99 $(( total > 0 ? ko * 100 / total : 100 ))"
			break
		fi
		best="$rate $rps $p50 $p95 $p99"
	done
	echo "$best $miss"
}

if [[ $CAPACITY_ONLY == 0 ]]; then
log "throughput search through the gateway: rates $RATES, ${STEP}s each (at least $STEP_SAMPLES bookings), bound p99 <= ${P99}ms"
read -r G_RATE G_RPS G_P50 G_P95 G_P99 GM_RATE GM_RPS GM_P50 GM_P95 GM_P99 GM_KO <<<"$(search gateway "${THROUGH_GATEWAY[@]}")"
figure "bookings_through_gateway: sustained_rate=${G_RATE}/s achieved=${G_RPS}/s p50=${G_P50}ms p95=${G_P95}ms p99=${G_P99}ms" \
	"| first rate over the bound: ${GM_RATE}/s achieved=${GM_RPS}/s p50=${GM_P50}ms p95=${GM_P95}ms p99=${GM_P99}ms failed=${GM_KO}%" \
	"(p99 bound ${P99}ms, 10 attendees, warm cache, open model, ${STEP}s per step or ${STEP_SAMPLES} bookings)"
log "throughput search straight to meeting-reactive (X-User-Id)"
read -r S_RATE S_RPS S_P50 S_P95 S_P99 SM_RATE SM_RPS SM_P50 SM_P95 SM_P99 SM_KO <<<"$(search straight "${STRAIGHT[@]}")"
figure "bookings_straight_to_meeting: sustained_rate=${S_RATE}/s achieved=${S_RPS}/s p50=${S_P50}ms p95=${S_P95}ms p99=${S_P99}ms" \
	"| first rate over the bound: ${SM_RATE}/s achieved=${SM_RPS}/s p50=${SM_P50}ms p95=${SM_P95}ms p99=${SM_P99}ms failed=${SM_KO}%"
RATIO="$(python3 -c "print(f'{100 * float($G_RPS) / float($S_RPS):.0f}%' if float($S_RPS) > 0 else 'n/a (no rate held the bound straight)')")"
figure "gateway_cost: sustained through_gateway/straight=${RATIO} (target >= 80%)"
fi
# capacity: clients that book back to back (closed model); what completes per second is the capacity. Measured in
# --capacity-rounds rounds of gateway, straight, straight, gateway, so that drift over the run cancels (this machine's
# speed has been seen to move by a tenth within a minute); the figure is the mean of each path's runs, with the worst
# of their p99s. Each run starts from the same state: the stopped notifier's queue purged, and a PostgreSQL checkpoint
# just done, so that a timed one (its writes and fsyncs) does not fall inside the run.
capacity() { # name args...
	local name=$1; shift
	fresh_start
	local wal; wal=$(wal_bytes)
	read -r ok ko rps p50 p95 p99 max _ <<<"$(gatling BookingSimulation "capacity-$name" "${POOL[@]}" "$@" \
		-Dconcurrency="$CLIENTS" -Dduration="$CAPACITY_SECONDS" -Dp99=100000)"
	log "capacity $name: ok/s=$rps p50=${p50}ms p99=${p99}ms ok=$ok ko=$ko wal_kib_per_booking=$(wal_kib_per_booking "$wal" "$ok")"
	echo "$rps $p50 $p99 $ok $ko"
}
mean_of() { # "rps p50 p99 ok ko"... -> the mean rps and p50, the worst p99, the summed ok and ko
	python3 -c "
import sys
runs = [list(map(float, x.split())) for x in sys.argv[1:]]
n = len(runs)
print(f'{sum(r[0] for r in runs) / n:.1f} {sum(r[1] for r in runs) / n:.0f} {max(r[2] for r in runs):.0f} {sum(r[3] for r in runs):.0f} {sum(r[4] for r in runs):.0f}')" "$@"
}
log "capacity: $CLIENTS clients booking back to back for ${CAPACITY_SECONDS}s, $CAPACITY_ROUNDS round(s) of gateway, straight, straight, gateway"
G_RUNS=() S_RUNS=() ORDER=()
gateway_run() { G_RUNS+=("$(capacity "gateway-$1" "${THROUGH_GATEWAY[@]}")"); ORDER+=("g${G_RUNS[-1]%% *}"); }
straight_run() { S_RUNS+=("$(capacity "straight-$1" "${STRAIGHT[@]}")"); ORDER+=("s${S_RUNS[-1]%% *}"); }
for round in $(seq 1 "$CAPACITY_ROUNDS"); do
	gateway_run "$round-a"; straight_run "$round-a"; straight_run "$round-b"; gateway_run "$round-b"
done
read -r GC_RPS GC_P50 GC_P99 GC_OK GC_KO <<<"$(mean_of "${G_RUNS[@]}")"
read -r SC_RPS SC_P50 SC_P99 SC_OK SC_KO <<<"$(mean_of "${S_RUNS[@]}")"
CAP_RATIO="$(python3 -c "print(f'{100 * float($GC_RPS) / float($SC_RPS):.0f}%' if float($SC_RPS) > 0 else 'n/a')")"
figure "capacity_${CLIENTS}_clients_back_to_back: through_gateway=${GC_RPS} ok/s (p50=${GC_P50}ms p99=${GC_P99}ms ko=${GC_KO})" \
	"straight=${SC_RPS} ok/s (p50=${SC_P50}ms p99=${SC_P99}ms ko=${SC_KO}) gateway/straight=${CAP_RATIO} (target >= 80%)" \
	"runs in order: ${ORDER[*]} ok/s"
if [[ $CAPACITY_ONLY == 1 ]]; then
	log "capacity only: figures in $WORK/figures.txt"
	exit 0
fi

if [[ "$PG_TPS" -gt 0 && "$CONFIRMS" -gt 0 ]]; then
	figure "booking_vs_raw_work: bookings/s sustained=${G_RPS} capacity=${GC_RPS} (through the gateway)" \
		"pgbench_tx/s=${PG_TPS} confirmed_publish/s=${CONFIRMS} redis_mget/s=${R_MGET}" \
		"(a booking needs >= 1 transaction, 1 MGET, 1 SET, 1 confirmed publish)"
fi

# ---- fan-out: a second meeting-reactive whose user service answers after 200 ms

fanout() { # label extra-args...
	local label=$1; shift
	start_meeting meeting-fanout "$FANOUT_MEETING_PORT" "http://127.0.0.1:$SLOW_USER_PORT" "$@"
	wait_http meeting-fanout "http://127.0.0.1:$FANOUT_MEETING_PORT/actuator/health"
	local result p50 max busy
	result="$(tool fanout "http://127.0.0.1:$FANOUT_MEETING_PORT" "$FANOUT_BOOKINGS" 20 "$SERVICE_TOKEN" || echo failed)"
	read -r p50 max <<<"$(sed -n 's/.*fanout_ms_p50=\([0-9]*\) fanout_ms_max=\([0-9]*\).*/\1 \2/p' <<<"$result")"
	busy="$(sed -n 's/.*machine_busy_before=\([0-9]*%\).*/\1/p' <<<"$result")"
	figure "fanout_20_uncached_attendees_200ms_lookup ($label): p50=${p50:-?}ms max=${max:-?}ms over ${FANOUT_BOOKINGS} bookings, after a warm-up, machine ${busy:-?} busy before (target <= 250ms; sequential would be 4000ms)"
	stop meeting-fanout
}
# the measured bookings' events, waiting for the stopped notifier: tens of thousands of them keep the broker busy
rabbitmqctl -q purge_queue -p "$VHOST" notification.meeting.created >/dev/null
log "fan-out: meeting-reactive on :$FANOUT_MEETING_PORT, user service stand-in answering after 200 ms"
start slow-user "${TOOL[@]}" user-stub "$SLOW_USER_PORT" 200
wait_http slow-user "http://127.0.0.1:$SLOW_USER_PORT/api/users/probe"
fanout "service defaults"
fanout "max-concurrent-lookups=32" --meeting.user-service.max-concurrent-lookups=32
stop slow-user

# ---- notifier: started again, warmed up on events mailed to the sink at once, then the sink takes 50 ms per message

rabbitmqctl -q purge_queue -p "$VHOST" notification.meeting.created >/dev/null
start_notifier "$SMTP_PORT"
wait_http notifier "http://127.0.0.1:$NOTIFIER_PORT/actuator/health"
log "notifier: warm-up, $NOTIFIER_EVENTS x $NOTIFIER_ATTENDEES invitations to the sink answering at once"
tool publish-events "$AMQP_URI" "$NOTIFIER_EVENTS" "$NOTIFIER_ATTENDEES" >/dev/null
drain_notifier
EXPECTED=$((NOTIFIER_EVENTS * NOTIFIER_ATTENDEES))
log "notifier: $NOTIFIER_EVENTS MeetingCreated events x $NOTIFIER_ATTENDEES attendees, the sink taking 50 ms per message"
curl -s -o /dev/null "http://127.0.0.1:$SMTP_STATS/delay?ms=50"
curl -s -o /dev/null "http://127.0.0.1:$SMTP_STATS/reset"
tool publish-events "$AMQP_URI" "$NOTIFIER_EVENTS" "$NOTIFIER_ATTENDEES" >/dev/null
DEADLINE=$((SECONDS + EXPECTED / 50 + 60))
while :; do
	SINK="$(curl -s "http://127.0.0.1:$SMTP_STATS/stats")"
	SENT="$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['messages'])" "$SINK")"
	[[ "$SENT" -ge "$EXPECTED" || $SECONDS -ge $DEADLINE ]] && break
	sleep 1
done
EMAILS_PER_S="$(python3 -c "
import json, sys
s = json.loads(sys.argv[1])
span = (s['lastMillis'] - s['firstMillis']) / 1000
print(f\"{(s['messages'] - 1) / span:.0f}\" if span > 0 else '0')" "$SINK")"
figure "notifier_emails: per_s=${EMAILS_PER_S} mails=${SENT}/${EXPECTED} smtp=50ms/message max-concurrent-sends=16 (ideal 320/s, target >= 288/s)"
curl -s -o /dev/null "http://127.0.0.1:$SMTP_STATS/delay?ms=0"

# ---- memory, optionally under a long steady load

# what a service holds outside its heap, from its own meters, in KiB: "code metaspace direct threads" (JIT-compiled
# code, class metadata, NIO direct buffers, live threads, each thread with its stack). Read at the soak's start and
# end: the part of an RSS growth that these explain, and what is left for the native allocations of libraries
non_heap() { # snapshot-file
	awk '
		/^jvm_memory_used_bytes\{/ && /area="nonheap"/ { if (/CodeHeap|CodeCache/) code += $NF; else if (/Metaspace|Compressed Class Space/) meta += $NF }
		/^jvm_buffer_memory_used_bytes\{/ && /id="direct"/ {direct += $NF}
		/^jvm_threads_live_threads[ {]/ {threads = $NF}
		END {printf "code=%d metaspace=%d direct=%d threads=%d\n", code / 1024, meta / 1024, direct / 1024, threads}' "$1"
}
non_heap_figure() { # label
	local line="soak_non_heap_kib: $1" name port file
	for name in gateway meeting user notifier; do
		port="${name^^}_PORT" file="$WORK/meters/soak-$name-${1%%s}"
		snapshot "${!port}" "$file"
		line+=" | $name $(non_heap "$file")"
	done
	figure "$line"
}

if [[ $SOAK -gt 0 ]]; then
	log "soak: ${SOAK_RATE}/s through the gateway for ${SOAK}s; RSS every 30 s"
	non_heap_figure "t=0s"
	before_step soak
	( gatling BookingSimulation soak "${POOL[@]}" "${THROUGH_GATEWAY[@]}" -Drate="$SOAK_RATE" -DstartRate="$SOAK_RATE" \
		-Dramp=1 -Dduration="$SOAK" -Dp99=100000 >"$WORK/soak.txt" ) &
	SOAK_PID=$!
	SOAK_T0=$SECONDS
	while kill -0 "$SOAK_PID" 2>/dev/null; do
		line="soak_rss_kib: t=$((SECONDS - SOAK_T0))s"
		for name in gateway meeting user notifier; do line+=" $name=$(rss_kib "${PIDS[$name]}")"; done
		figure "$line"
		sleep 30
	done
	non_heap_figure "t=$((SECONDS - SOAK_T0))s"
	read -r ok ko rps p50 p95 p99 max slow <"$WORK/soak.txt"
	figure "soak: rate=${SOAK_RATE}/s seconds=$SOAK ok=$ok ko=$ko p50=${p50}ms p99=${p99}ms max=${max}ms" \
		"$(slow_sources soak "$slow")"
fi

line="rss_after_run_mib:"
for name in gateway meeting user notifier; do
	line+=" $name=$(( $(rss_kib "${PIDS[$name]}") / 1024 ))"
done
figure "$line (heap -Xmx$HEAP each)"
figure "machine_load_at_end: loadavg_1m=$(cut -d' ' -f1 /proc/loadavg) (above nproc=$(nproc) means other work shared the cores)"
log "figures also in $WORK/figures.txt"
