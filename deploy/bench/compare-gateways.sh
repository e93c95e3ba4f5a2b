#!/usr/bin/env bash
# Two gateway builds side by side: user-reactive, meeting-reactive (their built jars) and two gateways, A (the jar
# given with --a) and B (--b, by default the built gateway jar), in front of the same meeting-reactive. After a warm-up
# of both, CLIENTS clients book back to back through A, B, B, A, ... for --rounds rounds of SECONDS each, so that the
# machine's drift over the run cancels; each run prints its bookings/s and the gateway's CPU and context switches per
# booking (from /proc), and the end sums up A against B. Own database, key prefix and vhost, removed at the end. For
# trying one change of the gateway on a machine whose speed moves by a tenth within minutes. Never part of the tests.
#
# Usage: deploy/bench/compare-gateways.sh --a OLD.jar [--b NEW.jar] [--rounds N] [--seconds N] [--clients N] [--warmup SECONDS (180)]
# Environment: BENCH_PORT_BASE (18080): gateway A +0, meeting +1, user +2, gateway B +5; the services' JVM options as in
#   bench.sh (SERVICE_JAVA_OPTS, GATEWAY_JAVA_OPTS, ...).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

JAR_A="" JAR_B="gateway/target/gateway-0.1.0-SNAPSHOT.jar" ROUNDS=3 SECONDS_PER_RUN=20 CLIENTS=16 WARMUP=180 HEAP=256m
while [[ $# -gt 0 ]]; do
	case "$1" in
		--a) JAR_A="$2"; shift ;;
		--b) JAR_B="$2"; shift ;;
		--rounds) ROUNDS="$2"; shift ;;
		--seconds) SECONDS_PER_RUN="$2"; shift ;;
		--clients) CLIENTS="$2"; shift ;;
		--warmup) WARMUP="$2"; shift ;;
		-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[[ -f "$JAR_A" && -f "$JAR_B" ]] || { echo "--a and --b must be gateway jars (build: ./mvnw -B -DskipTests package)" >&2; exit 2; }

BASE=${BENCH_PORT_BASE:-18080}
GATEWAY_A_PORT=$BASE MEETING_PORT=$((BASE + 1)) USER_PORT=$((BASE + 2)) GATEWAY_B_PORT=$((BASE + 5))
RUN_ID="compare_$(date +%Y%m%d_%H%M%S)"
WORK="$ROOT/deploy/bench/target/$RUN_ID"
mkdir -p "$WORK/logs" "$WORK/gatling"
DB="$RUN_ID" VHOST="$RUN_ID" KEY_PREFIX="$RUN_ID:"
JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
PSQL=(psql -X -q -h 127.0.0.1 -U postgres)

log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }

source "$ROOT/deploy/bench/lib.sh"

cp "$JAR_A" "$WORK/gateway-a.jar"
cp "$JAR_B" "$WORK/gateway-b.jar"
prepare_run meeting-reactive user-reactive

COMMON=(--spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:5432/$DB" --spring.flyway.url="jdbc:postgresql://127.0.0.1:5432/$DB"
	--spring.rabbitmq.virtual-host="$VHOST")
GATEWAY=(--spring.profiles.active=local --gateway.jwt.secret="$JWT_SECRET" --gateway.redis-key-prefix="$KEY_PREFIX"
	--gateway.service-token="$SERVICE_TOKEN"
	--gateway.meeting-service-url="http://127.0.0.1:$MEETING_PORT" --gateway.user-service-url="http://127.0.0.1:$USER_PORT")
log "starting user-reactive, meeting-reactive and gateways A ($JAR_A) and B ($JAR_B)"
start_service user user-reactive "$USER_PORT" "${COMMON[@]}"
start_service meeting meeting-reactive "$MEETING_PORT" "${COMMON[@]}" --meeting.user-service.base-url="http://127.0.0.1:$USER_PORT" \
	--meeting.cache.key-prefix="$KEY_PREFIX" --meeting.gateway-token="$SERVICE_TOKEN" --meeting.invitations.secret="$INVITATION_SECRET"
start_service gateway-a gateway-a "$GATEWAY_A_PORT" "${GATEWAY[@]}"
start_service gateway-b gateway-b "$GATEWAY_B_PORT" "${GATEWAY[@]}"

gatling() { # name port args...
	local name=$1 port=$2; shift 2
	java -Xms512m -Xmx512m -XX:MaxInlineLevel=20 -XX:MaxTrivialSize=12 --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$GATLING_CP" -Dusers=200 -Dattendees=10 \
		-DbaseUrl="http://127.0.0.1:$port" -Dauth=secret -DjwtSecret="$JWT_SECRET" -DtokenIssuedAt="$ISSUED_AT" -Dseed=false \
		"$@" io.gatling.app.Gatling -s dev.seed.meetings.gatling.BookingSimulation -rf "$WORK/gatling" -rd "$name" \
		>"$WORK/logs/gatling-$name.log" 2>&1 || true
}
ok_count() { awk -F'|' '/request count/ {gsub(/[ ,]/, "", $3); n = $3} END {print n + 0}' "$WORK/logs/gatling-$1.log"; }
ISSUED_AT="$(date +%s)"

log "seeding, then warming up each gateway: ${WARMUP}s of $CLIENTS clients back to back"
java -Xms512m -Xmx512m --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$GATLING_CP" -Dusers=200 -Dattendees=10 \
	-DbaseUrl="http://127.0.0.1:$MEETING_PORT" -Dauth=header -DgatewayToken="$SERVICE_TOKEN" -DusersUrl="http://127.0.0.1:$USER_PORT" \
	-Dconcurrency=8 -Dduration=20 \
	io.gatling.app.Gatling -s dev.seed.meetings.gatling.BookingSimulation -rf "$WORK/gatling" -rd seed \
	>"$WORK/logs/gatling-seed.log" 2>&1 || true
gatling warmup-a "$GATEWAY_A_PORT" -Dconcurrency="$CLIENTS" -Dduration="$WARMUP" -Dp99=100000
gatling warmup-b "$GATEWAY_B_PORT" -Dconcurrency="$CLIENTS" -Dduration="$WARMUP" -Dp99=100000

HZ=$(getconf CLK_TCK)
run() { # label
	local label=$1 port pid cpu0 csw0 ok
	port=$([[ $label == a ]] && echo "$GATEWAY_A_PORT" || echo "$GATEWAY_B_PORT")
	pid=${PIDS[gateway-$label]}
	RUN=$((RUN + 1))
	# each run from the same state, as bench.sh's capacity runs: no events piled up, no checkpoint due
	rabbitmqctl -q purge_queue -p "$VHOST" notification.meeting.created >/dev/null
	"${PSQL[@]}" -d "$DB" -c "CHECKPOINT" >/dev/null
	cpu0=$(ticks "$pid") csw0=$(switches "$pid")
	gatling "run-$RUN-$label" "$port" -Dconcurrency="$CLIENTS" -Dduration="$SECONDS_PER_RUN" -Dp99=100000
	ok=$(ok_count "run-$RUN-$label")
	python3 -c "
ok = max($ok, 1)
print(f'$label {ok / $SECONDS_PER_RUN:.1f} {1000 * ($(ticks "$pid") - $cpu0) / $HZ / ok:.3f} {($(switches "$pid") - $csw0) / ok:.2f}')" \
		| tee -a "$WORK/runs.txt" | awk '{printf "[compare] run %s: %s ok/s, gateway %s ms CPU and %s context switches per booking\n", $1, $2, $3, $4}' >&2
}
RUN=0
log "$ROUNDS round(s) of A, B, B, A: $CLIENTS clients back to back for ${SECONDS_PER_RUN}s each"
for _ in $(seq 1 "$ROUNDS"); do run a; run b; run b; run a; done
python3 - "$WORK/runs.txt" <<'PY'
import statistics, sys
runs = [line.split() for line in open(sys.argv[1])]
def of(label, column):
    return [float(r[column]) for r in runs if r[0] == label]
a_rps, b_rps = statistics.mean(of("a", 1)), statistics.mean(of("b", 1))
print(f"A: {a_rps:.1f} ok/s, {statistics.mean(of('a', 2)):.3f} ms gateway CPU, {statistics.mean(of('a', 3)):.2f} switches per booking")
print(f"B: {b_rps:.1f} ok/s, {statistics.mean(of('b', 2)):.3f} ms gateway CPU, {statistics.mean(of('b', 3)):.2f} switches per booking")
print(f"B/A: {100 * b_rps / a_rps:.0f} % of the bookings/s; runs in order: " + " ".join(r[0] + r[1] for r in runs))
PY
