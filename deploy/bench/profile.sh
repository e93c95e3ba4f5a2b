#!/usr/bin/env bash
# Where a booking's CPU goes: starts user-reactive, meeting-reactive and the gateway (their built jars) with Java
# Flight Recorder on, seeds and warms up with Gatling, then CLIENTS clients book back to back for SECONDS through the
# gateway (or straight to meeting-reactive with --straight) while JFR samples. Prints each service's hottest methods
# and its CPU share, and keeps the recordings (open them in JDK Mission Control). Own database, key prefix and vhost,
# removed at the end. Never part of the test suite.
#
# Usage: deploy/bench/profile.sh [--seconds N] [--clients N] [--warmup SECONDS] [--straight] [-- extra args for every service...]
# Environment: BENCH_PORT_BASE (18080): gateway +0, meeting +1, user +2; JFR_JDK (a JDK >= 21 for `jfr view`);
#   SERVICE_JAVA_OPTS: the services' JVM options besides the heap, GATEWAY_JAVA_OPTS / MEETING_JAVA_OPTS /
#   USER_JAVA_OPTS one service's (the defaults are bench.sh's).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

SECONDS_UNDER_LOAD=30 CLIENTS=16 STRAIGHT=0 HEAP=256m WARMUP=30
EXTRA=()
while [[ $# -gt 0 ]]; do
	case "$1" in
		--seconds) SECONDS_UNDER_LOAD="$2"; shift ;;
		--clients) CLIENTS="$2"; shift ;;
		--straight) STRAIGHT=1 ;;
		--warmup) WARMUP="$2"; shift ;;
		--) shift; EXTRA=("$@"); break ;;
		-h|--help) sed -n '2,9p' "$0"; exit 0 ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

JFR_JDK="${JFR_JDK:-$(ls -d /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/*-2[1-9]-* 2>/dev/null | head -1)}"
[[ -x "$JFR_JDK/bin/jfr" ]] || { echo "set JFR_JDK to a JDK >= 21 (its jfr tool has 'view')" >&2; exit 1; }

BASE=${BENCH_PORT_BASE:-18080}
GATEWAY_PORT=$BASE MEETING_PORT=$((BASE + 1)) USER_PORT=$((BASE + 2))
RUN_ID="profile_$(date +%Y%m%d_%H%M%S)"
WORK="$ROOT/deploy/bench/target/$RUN_ID"
mkdir -p "$WORK/logs" "$WORK/gatling"
DB="$RUN_ID" VHOST="$RUN_ID" KEY_PREFIX="$RUN_ID:"
# the gateway's secret for this run: the load generator signs its tokens with it, as bench.sh does
JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
PSQL=(psql -X -q -h 127.0.0.1 -U postgres)

log() { echo "[profile $(date +%H:%M:%S)] $*" >&2; }

source "$ROOT/deploy/bench/lib.sh"

prepare_run gateway meeting-reactive user-reactive

# JFR records from the start (starting it later makes every JVM recompile its hot code while the load runs); only
# the window of the load is dumped
service() { # name jar port args...
	JVM_EXTRA="-XX:StartFlightRecording=name=profile,settings=profile,maxage=10m" start_service "$@" "${EXTRA[@]}"
}
COMMON=(--spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:5432/$DB" --spring.flyway.url="jdbc:postgresql://127.0.0.1:5432/$DB"
	--spring.rabbitmq.virtual-host="$VHOST")
log "starting user-reactive, meeting-reactive and the gateway"
service user user-reactive "$USER_PORT" "${COMMON[@]}"
service meeting meeting-reactive "$MEETING_PORT" "${COMMON[@]}" --meeting.user-service.base-url="http://127.0.0.1:$USER_PORT" \
	--meeting.cache.key-prefix="$KEY_PREFIX" --meeting.gateway-token="$SERVICE_TOKEN" --meeting.invitations.secret="$INVITATION_SECRET"
service gateway gateway "$GATEWAY_PORT" --spring.profiles.active=local --gateway.jwt.secret="$JWT_SECRET" \
	--gateway.redis-key-prefix="$KEY_PREFIX" --gateway.service-token="$SERVICE_TOKEN" \
	--gateway.meeting-service-url="http://127.0.0.1:$MEETING_PORT" --gateway.user-service-url="http://127.0.0.1:$USER_PORT"

gatling() { # name args...
	local name=$1; shift
	java -Xms512m -Xmx512m --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$GATLING_CP" -Dusers=200 -Dattendees=10 "$@" \
		io.gatling.app.Gatling -s dev.seed.meetings.gatling.BookingSimulation -rf "$WORK/gatling" -rd "$name" \
		>"$WORK/logs/gatling-$name.log" 2>&1 || true
	grep -E "request count|mean throughput|50th|99th" "$WORK/logs/gatling-$name.log" | tail -4 | sed "s/^/[$name] /" >&2
}
# seeded once, by the first warm-up (straight to user-reactive); the tokens stay the same from run to run (bench.sh)
THROUGH_GATEWAY=(-DbaseUrl="http://127.0.0.1:$GATEWAY_PORT" -Dauth=secret -DjwtSecret="$JWT_SECRET" -DtokenIssuedAt="$(date +%s)"
	-Dseed=false)
TARGET=("${THROUGH_GATEWAY[@]}")
STRAIGHT_TO_MEETING=(-DbaseUrl="http://127.0.0.1:$MEETING_PORT" -Dauth=header -DgatewayToken="$SERVICE_TOKEN"
	-DusersUrl="http://127.0.0.1:$USER_PORT")
[[ $STRAIGHT == 1 ]] && TARGET=("${STRAIGHT_TO_MEETING[@]}" -Dseed=false)

log "seeding and warming up (${WARMUP}s straight, ${WARMUP}s through the gateway)"
gatling warmup-straight "${STRAIGHT_TO_MEETING[@]}" -Dconcurrency=8 -Dduration="$WARMUP"
gatling warmup-gateway "${THROUGH_GATEWAY[@]}" -Dconcurrency=8 -Dduration="$WARMUP"

declare -A CPU0=() SYS0=() CSW0=()
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }
for name in gateway meeting user; do
	CPU0[$name]=$(ticks "${PIDS[$name]}") SYS0[$name]=$(sys_ticks "${PIDS[$name]}") CSW0[$name]=$(switches "${PIDS[$name]}")
done
# the rest of the machine: the servers every booking also uses, and all of it (load generator included)
server_ticks() { local n=0 pid; for pid in $(pgrep -x "$1"); do n=$((n + $(ticks "$pid" 2>/dev/null || echo 0))); done; echo "$n"; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
SERVERS=(postgres redis-server beam.smp)
declare -A SRV0=()
for server in "${SERVERS[@]}"; do SRV0[$server]=$(server_ticks "$server"); done
MACHINE0=$(machine_ticks)
log "profiling: $CLIENTS clients back to back for ${SECONDS_UNDER_LOAD}s $([[ $STRAIGHT == 1 ]] && echo 'straight to meeting-reactive' || echo 'through the gateway')"
gatling load "${TARGET[@]}" -Dconcurrency="$CLIENTS" -Dduration="$SECONDS_UNDER_LOAD" -Dp99=100000
# read before the recordings are dumped, which costs CPU of its own
declare -A CPU1=() SYS1=() CSW1=() SRV1=()
for name in gateway meeting user; do
	CPU1[$name]=$(ticks "${PIDS[$name]}") SYS1[$name]=$(sys_ticks "${PIDS[$name]}") CSW1[$name]=$(switches "${PIDS[$name]}")
done
for server in "${SERVERS[@]}"; do SRV1[$server]=$(server_ticks "$server"); done
MACHINE1=$(machine_ticks)
for name in gateway meeting user; do
	jcmd "${PIDS[$name]}" JFR.dump name=profile begin=-"$((SECONDS_UNDER_LOAD + 2))"s filename="$WORK/$name.jfr" >/dev/null
done
HZ=$(getconf CLK_TCK)
BOOKINGS="$(awk -F'|' '/request count/ {gsub(/[ ,]/, "", $3); n = $3} END {print n + 0}' "$WORK/logs/gatling-load.log")"
for name in gateway meeting user; do
	python3 -c "
cpu = (${CPU1[$name]} - ${CPU0[$name]}) / $HZ
sys = (${SYS1[$name]} - ${SYS0[$name]}) / $HZ
csw = ${CSW1[$name]} - ${CSW0[$name]}
bookings = max($BOOKINGS, 1)
print(f'cpu $name: {cpu:.1f}s over ${SECONDS_UNDER_LOAD}s, {1000 * cpu / bookings:.2f} ms per booking ($BOOKINGS ok), '
      f'of which kernel {1000 * sys / bookings:.2f} ms; {csw / bookings:.1f} context switches per booking')"
done
for server in "${SERVERS[@]}"; do
	echo "cpu $server: $(python3 -c "print(f'{1000 * (${SRV1[$server]} - ${SRV0[$server]}) / $HZ / max($BOOKINGS, 1):.2f}')") ms per booking"
done
echo "cpu machine (all processes, load generator included): $(python3 -c "print(f'{1000 * ($MACHINE1 - $MACHINE0) / $HZ / max($BOOKINGS, 1):.2f}')") ms per booking"
for name in gateway meeting user; do
	echo "requests $name: $(curl -s "http://127.0.0.1:$([[ $name == gateway ]] && echo $GATEWAY_PORT || ([[ $name == meeting ]] && echo $MEETING_PORT || echo $USER_PORT))/actuator/prometheus" \
		| awk '/^http_server_requests_seconds_count/ && !/actuator/ {match($0, /uri="[^"]*"/); n[substr($0, RSTART, RLENGTH)] += $NF} END {for (u in n) printf "%s=%d ", u, n[u]}')"
done
for name in gateway meeting user; do
	echo "==== $name"
	"$JFR_JDK/bin/jfr" view --width 200 hot-methods "$WORK/$name.jfr" | head -30
	"$JFR_JDK/bin/jfr" view gc-pauses "$WORK/$name.jfr" | grep -E "Total|Number|Median|Maximum"
done
