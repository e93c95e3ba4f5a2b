#!/usr/bin/env bash
# The notifier's figure on its own, as bench.sh measures it (step 6), in a minute rather than twenty: the notifier
# (its built jar) with --notifier.max-concurrent-sends=16 on BenchTools' SMTP sink; first WARMUP_EVENTS events mailed
# with the sink answering at once (the JIT's warm-up), then per run EVENTS MeetingCreated events x ATTENDEES attendees
# with the sink taking DELAY ms per message: emails/s between the first and the last mail at the sink. Own
# PostgreSQL database and RabbitMQ vhost, removed at the end. Never part of the test suite.
#
# Usage: deploy/bench/notifier-bench.sh [--runs N] [--events N] [--attendees N] [--delay MS] [--warmup-events N] [--jfr]
#        [-- notifier args...]
# Environment: BENCH_PORT_BASE (18080): notifier +3, SMTP sink +21, its stats +31; NOTIFIER_JAR (the module's jar).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

RUNS=1 EVENTS=200 ATTENDEES=20 DELAY=50 JFR=0 HEAP=256m WARMUP_EVENTS=200
EXTRA=()
while [[ $# -gt 0 ]]; do
	case "$1" in
		--runs) RUNS="$2"; shift ;;
		--events) EVENTS="$2"; shift ;;
		--attendees) ATTENDEES="$2"; shift ;;
		--delay) DELAY="$2"; shift ;;
		--warmup-events) WARMUP_EVENTS="$2"; shift ;;
		--jfr) JFR=1 ;;
		--) shift; EXTRA=("$@"); break ;;
		-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

BASE=${BENCH_PORT_BASE:-18080}
NOTIFIER_PORT=$((BASE + 3)) SMTP_PORT=$((BASE + 21)) SMTP_STATS=$((BASE + 31))
JAR="${NOTIFIER_JAR:-$ROOT/notifier-reactive/target/notifier-reactive-0.1.0-SNAPSHOT.jar}"
[[ -f "$JAR" ]] || { echo "missing $JAR: ./mvnw -B -o -pl notifier-reactive -DskipTests package" >&2; exit 1; }

RUN_ID="notifier_$(date +%Y%m%d_%H%M%S)"
WORK="$ROOT/deploy/bench/target/$RUN_ID"
mkdir -p "$WORK/logs" "$WORK/tools"
cp "$JAR" "$WORK/notifier-reactive.jar"
DB="$RUN_ID" VHOST="$RUN_ID"
AMQP_URI="amqp://guest:guest@127.0.0.1:5672/$VHOST"
PSQL=(psql -X -q -h 127.0.0.1 -U postgres)

log() { echo "[notifier-bench $(date +%H:%M:%S)] $*" >&2; }

source "$ROOT/deploy/bench/lib.sh"

M2="${MAVEN_REPO:-$HOME/.m2/repository}"
TOOLS_CP="$M2/com/rabbitmq/amqp-client/5.37.1/amqp-client-5.37.1.jar:$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:$WORK/tools"
javac -d "$WORK/tools" -cp "$TOOLS_CP" deploy/bench/BenchTools.java
TOOL=(java -Xmx128m -cp "$TOOLS_CP" BenchTools)

"${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
rabbitmqctl -q add_vhost "$VHOST" >/dev/null
rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null

"${TOOL[@]}" smtp-sink "$SMTP_PORT" 0 "$SMTP_STATS" >"$WORK/logs/smtp-sink.log" 2>&1 &
PIDS[smtp]=$!
for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$SMTP_STATS/stats" && break; sleep 0.2; done

# shellcheck disable=SC2206 # options, split on spaces
JAVA_OPTS=($(heap_opts) $(service_java_opts notifier) -XX:+ExitOnOutOfMemoryError)
[[ $JFR == 1 ]] && JAVA_OPTS+=("-XX:StartFlightRecording=filename=$WORK/notifier.jfr,settings=profile")
java "${JAVA_OPTS[@]}" -jar "$WORK/notifier-reactive.jar" --server.port="$NOTIFIER_PORT" \
	--spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:5432/$DB" --spring.flyway.url="jdbc:postgresql://127.0.0.1:5432/$DB" \
	--spring.rabbitmq.virtual-host="$VHOST" --logging.level.root=WARN \
	--notifier.smtp.host=127.0.0.1 --notifier.smtp.port="$SMTP_PORT" --notifier.max-concurrent-sends=16 \
	--notifier.invitations.secret="$INVITATION_SECRET" "${EXTRA[@]}" >"$WORK/logs/notifier.log" 2>&1 &
PIDS[notifier]=$!

# mails: publishes EVENTS x ATTENDEES, waits until the sink has them all (or a deadline), prints the sink's stats
mails() { # events attendees
	local expected=$(($1 * $2)) deadline sink sent
	curl -s -o /dev/null "http://127.0.0.1:$SMTP_STATS/reset"
	"${TOOL[@]}" publish-events "$AMQP_URI" "$1" "$2" >/dev/null 2>>"$WORK/logs/tools.log"
	deadline=$((SECONDS + expected / 50 + 90))
	while :; do
		sink="$(curl -s "http://127.0.0.1:$SMTP_STATS/stats")"
		sent="$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['messages'])" "$sink")"
		[[ "$sent" -ge "$expected" || $SECONDS -ge $deadline ]] && break
		kill -0 "${PIDS[notifier]}" 2>/dev/null || { log "the notifier died"; tail -30 "$WORK/logs/notifier.log" >&2; exit 1; }
		sleep 0.5
	done
	echo "$sink"
}

# a notifier runs for days: the figure is a warm one. The warm-up mails go to the sink with no delay.
log "warm-up: $WARMUP_EVENTS events x $ATTENDEES attendees, the sink answering at once"
mails "$WARMUP_EVENTS" "$ATTENDEES" >/dev/null
curl -s -o /dev/null "http://127.0.0.1:$SMTP_STATS/delay?ms=$DELAY"

EXPECTED=$((EVENTS * ATTENDEES))
IDEAL=$((16 * 1000 / DELAY))
for run in $(seq 1 "$RUNS"); do
	SINK="$(mails "$EVENTS" "$ATTENDEES")"
	QUEUED="$(rabbitmqctl -q list_queues -p "$VHOST" name messages | awk '$1 == "notification.meeting.created" {print $2}')"
	python3 - "$SINK" "$EXPECTED" "$DELAY" "$IDEAL" "$(cut -d' ' -f1 /proc/loadavg)" "$run" "${QUEUED:-?}" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
span = (s['lastMillis'] - s['firstMillis']) / 1000
rate = (s['messages'] - 1) / span if span > 0 else 0
print(f"notifier_emails run={sys.argv[6]}: per_s={rate:.0f} mails={s['messages']}/{sys.argv[2]} span={span:.1f}s "
      f"smtp={sys.argv[3]}ms/message max-concurrent-sends=16 ideal={sys.argv[4]}/s queue_left={sys.argv[7]} loadavg_1m={sys.argv[5]}")
PY
done
