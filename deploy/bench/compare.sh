#!/usr/bin/env bash
# Bookings side by side, in one run: meeting-reactive straight, through the gateway, and the blocking reference
# (bookings/s and CPU-ms per booking per process); then the latency at a fixed rate through the gateway and the
# fan-out to a slow user directory. See deploy/bench/README.md.
#
#   deploy/bench/compare.sh [--quick] [--no-build] [--force]
#     --quick     short durations, to check the pipeline (about 3 minutes once built)
#     --no-build  use the jars already built (ours in */target, the reference's in its copy is always rebuilt)
#     --force     run even when the load average is 1 or more (the figures then say little)
#   REFERENCE_DIR    the blocking reference's sources (../shared/reference-blocking from the repository root)
#   BENCH_PORT_BASE  first of the ports used (18080: gateway, +1 meeting, +2 user, +5 reference, +6 delay proxy)
#   BENCH_JAVA_OPTS  JVM options of every service, ours and the reference alike (-Xms256m -Xmx256m)
#   REF_REDIS_DB     the reference's Redis database index (11); ours use a key prefix in database 0
#   GATEWAY_VARIANT  a git revision whose gateway is measured too, as "variant", beside this one (e.g. a branch that
#                    goes back to a framework part), on the same meeting-reactive
#   MEETING_VARIANT  a git revision whose meeting-reactive is measured too, straight, as "m-variant", right after this
#                    one's (on a database, vhost and key prefix of its own), e.g. the revision before a change
set -Eeuo pipefail
for tool in wrk hey psql rabbitmqctl redis-cli python3; do
	command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: apt-get install wrk hey)" >&2; exit 1; }
done
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

QUICK=0 BUILD=1 FORCE=0
for arg in "$@"; do
	case "$arg" in
		--quick) QUICK=1 ;; --no-build) BUILD=0 ;; --force) FORCE=1 ;;
		*) sed -n '2,16p' "$0"; exit 2 ;;
	esac
done
WARMUP=60 SECONDS_PER_RUN=15 RUNS=3 RATE=200 RATE_SECONDS=20 FANOUT_BOOKINGS=20 FANOUT_ATTENDEES=20 DELAY_MS=200
[[ $QUICK == 1 ]] && WARMUP=10 SECONDS_PER_RUN=5 RATE_SECONDS=5 FANOUT_BOOKINGS=5

REFERENCE_DIR="${REFERENCE_DIR:-$ROOT/../shared/reference-blocking}"
BASE="${BENCH_PORT_BASE:-18080}"
GATEWAY=$BASE MEETING=$((BASE + 1)) USERS=$((BASE + 2)) REFERENCE=$((BASE + 5)) PROXY=$((BASE + 6)) VARIANT=$((BASE + 7)) MVARIANT=$((BASE + 8))
GATEWAY_VARIANT="${GATEWAY_VARIANT:-}" MEETING_VARIANT="${MEETING_VARIANT:-}"
read -r -a JAVA_OPTS <<<"${BENCH_JAVA_OPTS:--Xms256m -Xmx256m}"
REF_REDIS_DB="${REF_REDIS_DB:-11}"
STAMP="$(date -u +%Y%m%d_%H%M%S)"
OUT="$ROOT/deploy/bench/target/$STAMP"
NAME="bench_$STAMP" # our database, vhost and key prefix; the reference's have _ref after it, the meeting variant's _var
PSQL=(psql -X -q -h 127.0.0.1 -U postgres -d postgres)
SECRET="$(openssl rand -hex 32)" SERVICE_TOKEN="$(openssl rand -hex 16)" INVITATION_SECRET="$(openssl rand -hex 32)"
mkdir -p "$OUT/jars"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
say() { echo "$*" | tee -a "$OUT/figures.txt"; }

LOAD="$(cut -d' ' -f1 /proc/loadavg)"
say "load average at the start: $LOAD (nproc $(nproc))$([[ $QUICK == 1 ]] && echo ', --quick')"
if awk -v l="$LOAD" 'BEGIN {exit !(l >= 1)}'; then
	[[ $FORCE == 1 ]] || { log "the machine is busy (load average >= 1): figures would mislead; --force runs anyway"; exit 1; }
	say "WARNING: load average $LOAD >= 1: other work shares the cores, the figures are indicative only"
fi

# ---- everything this run starts is stopped, and its database, vhost and keys removed, on exit
declare -A PIDS=()
VARIANT_TREES=() # worktrees of the variants' builds
cleanup() {
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for db in "$NAME" "${NAME}_ref" "${NAME}_var"; do
		"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
		rabbitmqctl -q delete_vhost "$db" >/dev/null 2>&1 || true
	done
	redis-cli --scan --pattern "$NAME*" | xargs -r -n 500 redis-cli del >/dev/null
	for pattern in 'user:profile:*' 'meeting:info:*'; do
		redis-cli -n "$REF_REDIS_DB" --scan --pattern "$pattern" | xargs -r -n 500 redis-cli -n "$REF_REDIS_DB" del >/dev/null
	done
	[[ -n "${REF_BUILD:-}" ]] && rm -rf "$REF_BUILD"
	for tree in "${VARIANT_TREES[@]}"; do git worktree remove --force "$tree"; done
	log "everything of this run is in $OUT"
}
trap cleanup EXIT
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM

start() { # name command... (output in name.log)
	local name=$1; shift
	"$@" >"$OUT/$name.log" 2>&1 &
	PIDS[$name]=$!
}
service() { # name jar port args...
	local name=$1 jar=$2 port=$3; shift 3
	start "$name" java "${JAVA_OPTS[@]}" -jar "$OUT/jars/$jar.jar" --server.port="$port" --logging.level.root=WARN "$@"
}
wait_up() { # name url: any HTTP answer will do
	for _ in $(seq 900); do
		curl -s -o /dev/null --max-time 1 "$2" && return 0
		kill -0 "${PIDS[$1]}" 2>/dev/null || { tail -20 "$OUT/$1.log" >&2; exit 1; }
		sleep 0.5
	done
	log "$1 did not start"; exit 1
}
seed() { # base-url prefix count: creates users prefix1..prefixN through POST /api/users (409: already there)
	python3 - "$@" <<'PY'
import json, sys, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor
url, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
def create(i):
    body = json.dumps({"userId": f"{prefix}{i}", "name": f"User {i}", "email": f"{prefix}{i}@example.test",
                       "timezone": "Europe/Paris"}).encode()
    request = urllib.request.Request(url + "/api/users", body, {"Content-Type": "application/json"})
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as e:
        return e.code
statuses = list(ThreadPoolExecutor(8).map(create, range(1, count + 1)))
bad = [s for s in statuses if s not in (201, 409)]
if bad: sys.exit(f"seeding {url}: {len(bad)} answers not 201/409, e.g. {bad[0]}")
PY
}
book_one() { # base-url first-user last-user prefix: one POST /api/meetings with those attendees; prints "status seconds"
	local ids; ids="$(seq -f "\"$4%g\"" "$2" "$3" | paste -sd,)"
	curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST "$1/api/meetings" -H 'Content-Type: application/json' \
		-H "X-User-Id: u-1" -H "X-Gateway-Token: $SERVICE_TOKEN" -d "{\"title\":\"Review\",\"startAt\":\"2027-03-01T10:00:00Z\",
		\"endAt\":\"2027-03-01T11:00:00Z\",\"location\":\"Room 1\",\"attendees\":[$ids]}"
}
warm_cache() { # base-url: 100 bookings, one at a time, that name each of the 1,000 users once
	for first in $(seq 1 10 1000); do book_one "$1" "$first" $((first + 9)) u-; done | awk '$1 != 201 {bad++} END {print bad + 0}'
}

# ---- build
if [[ $BUILD == 1 ]]; then
	log "building user-reactive, meeting-reactive and the gateway"
	./mvnw -B -q -DskipTests -pl user-reactive,meeting-reactive,gateway,deploy/test-support -am package
fi
for module in user-reactive meeting-reactive gateway; do cp "$module/target/$module-0.1.0-SNAPSHOT.jar" "$OUT/jars/$module.jar"; done
./mvnw -B -q -pl deploy/test-support dependency:build-classpath -Dmdep.outputFile="$OUT/test-support.classpath"
log "building the reference from $REFERENCE_DIR in a copy"
[[ -f "$REFERENCE_DIR/pom.xml" ]] || { log "no reference at $REFERENCE_DIR: set REFERENCE_DIR"; exit 1; }
REF_BUILD="$(mktemp -d)"
cp -r "$REFERENCE_DIR/." "$REF_BUILD"
(cd "$REF_BUILD" && mvn -B -q -DskipTests package) >"$OUT/reference-build.log" 2>&1
cp "$REF_BUILD/target/meeting-peer.jar" "$OUT/jars/reference.jar"
build_variant() { # revision module jar-name: that revision's module, built in a worktree
	log "building the $2 of $1 in a worktree"
	local tree; tree="$(mktemp -d -u)"
	git worktree add -q --detach "$tree" "$1"
	VARIANT_TREES+=("$tree")
	(cd "$tree" && ./mvnw -B -q -DskipTests -pl "$2" -am package) >"$OUT/$3-build.log" 2>&1
	cp "$tree/$2/target/$2-0.1.0-SNAPSHOT.jar" "$OUT/jars/$3.jar"
	say "$3: the $2 of $1 ($(git rev-parse --short "$1"))"
}
[[ -n "$GATEWAY_VARIANT" ]] && build_variant "$GATEWAY_VARIANT" gateway variant
[[ -n "$MEETING_VARIANT" ]] && build_variant "$MEETING_VARIANT" meeting-reactive m-variant

# ---- start: ours and the reference on their own databases, vhosts and Redis keys; no notifier on either side
DATABASES=("$NAME" "${NAME}_ref")
[[ -n "$MEETING_VARIANT" ]] && DATABASES+=("${NAME}_var")
for db in "${DATABASES[@]}"; do
	"${PSQL[@]}" -c "CREATE DATABASE $db" >/dev/null
	rabbitmqctl -q add_vhost "$db" >/dev/null
	rabbitmqctl -q set_permissions -p "$db" guest '.*' '.*' '.*' >/dev/null
done
on() { # database: a service's database and vhost of that name
	echo --spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:5432/$1" --spring.flyway.url="jdbc:postgresql://127.0.0.1:5432/$1" \
		--spring.rabbitmq.virtual-host="$1"
}
read -r -a OURS <<<"$(on "$NAME")"
log "starting the services and the reference (${JAVA_OPTS[*]} each)"
service user user-reactive "$USERS" "${OURS[@]}"
# meeting-reactive looks users up through a proxy that adds DELAY_MS to each lookup (DelayProxy, the test support's
# FaultProxy): only the cache's warming and the fan-out at the end miss the cache
start delay java -cp "deploy/test-support/target/classes:$(cat "$OUT/test-support.classpath")" deploy/bench/DelayProxy.java \
	"$USERS" "$DELAY_MS" "$PROXY"
MEETING_ARGS=(--meeting.gateway-token="$SERVICE_TOKEN" --meeting.invitations.secret="$INVITATION_SECRET"
	--meeting.user-service.base-url="http://127.0.0.1:$PROXY")
service meeting meeting-reactive "$MEETING" "${OURS[@]}" --meeting.cache.key-prefix="$NAME:" "${MEETING_ARGS[@]}"
if [[ -n "$MEETING_VARIANT" ]]; then
	read -r -a VARIANT_DB <<<"$(on "${NAME}_var")"
	service m-variant m-variant "$MVARIANT" "${VARIANT_DB[@]}" --meeting.cache.key-prefix="${NAME}_var:" "${MEETING_ARGS[@]}"
fi
GATEWAY_ARGS=(--spring.profiles.active=local --gateway.jwt.secret="$SECRET" --gateway.service-token="$SERVICE_TOKEN"
	--gateway.redis-key-prefix="$NAME:" --gateway.meeting-service-url="http://127.0.0.1:$MEETING"
	--gateway.user-service-url="http://127.0.0.1:$USERS")
service gateway gateway "$GATEWAY" "${GATEWAY_ARGS[@]}"
[[ -n "$GATEWAY_VARIANT" ]] && service variant variant "$VARIANT" "${GATEWAY_ARGS[@]}"
service reference reference "$REFERENCE" --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/${NAME}_ref" \
	--spring.data.redis.database="$REF_REDIS_DB" --spring.rabbitmq.virtual-host="${NAME}_ref" \
	--meeting.user-service.base-url="http://127.0.0.1:$REFERENCE"
wait_up user "http://127.0.0.1:$USERS/actuator/health"
wait_up delay "http://127.0.0.1:$PROXY/actuator/health"
wait_up meeting "http://127.0.0.1:$MEETING/actuator/health"
wait_up gateway "http://127.0.0.1:$GATEWAY/actuator/health"
[[ -n "$GATEWAY_VARIANT" ]] && wait_up variant "http://127.0.0.1:$VARIANT/actuator/health"
[[ -n "$MEETING_VARIANT" ]] && wait_up m-variant "http://127.0.0.1:$MVARIANT/actuator/health"
wait_up reference "http://127.0.0.1:$REFERENCE/api/users/none"
log "seeding 1,000 users into each side"
seed "http://127.0.0.1:$USERS" u- 1000
seed "http://127.0.0.1:$REFERENCE" u- 1000
log "warming both caches: 100 bookings one at a time, each user once (non-201s: ours $(warm_cache "http://127.0.0.1:$MEETING"), reference $(warm_cache "http://127.0.0.1:$REFERENCE"))"
[[ -n "$MEETING_VARIANT" ]] && log "warming the meeting variant's cache (non-201s: $(warm_cache "http://127.0.0.1:$MVARIANT"))"
# the load's tokens: one HS256 JWT per user, signed with the gateway's secret, as an identity provider would
python3 - "$SECRET" >"$OUT/tokens.txt" <<'PY'
import base64, hashlib, hmac, json, sys, time
b64 = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
now = int(time.time())
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
for i in range(1, 1001):
    claims = b64(json.dumps({"sub": f"u-{i}", "iss": "bench", "iat": now, "exp": now + 8 * 3600}).encode())
    signature = b64(hmac.new(sys.argv[1].encode(), f"{head}.{claims}".encode(), hashlib.sha256).digest())
    print(f"u-{i} {head}.{claims}.{signature}")
PY

# ---- throughput and CPU per booking
TICK_MS=$((1000 / $(getconf CLK_TCK)))
ticks() { # group pids...: "<group> <pid> <user + system ticks>" per process
	local group=$1; shift
	for pid in "$@"; do cat "/proc/$pid/stat" 2>/dev/null || true; done | awk -v g="$group" '{print g, $1, $14 + $15}'
}
# the JVMs named, every PostgreSQL, RabbitMQ and Redis process, and the whole machine (busy ticks of /proc/stat)
cpu_snapshot() { # jvm-names...
	for name in "$@"; do ticks "$name" "${PIDS[$name]}"; done
	ticks postgres $(pgrep -x postgres)
	ticks rabbitmq $(pgrep -x beam.smp)
	ticks redis $(pgrep -x redis-server)
	awk '/^cpu / {print "machine 0", $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}
purge() { rabbitmqctl -q purge_queue -p "$1" notification.meeting.created >/dev/null 2>&1 || true; }
book() { # seconds url auth: one wrk run, prints its RESULT line
	AUTH=$3 TOKENS="$OUT/tokens.txt" GATEWAY_TOKEN="$SERVICE_TOKEN" \
		wrk -t2 -c64 -d"$1s" --timeout 5s -s deploy/bench/booking.lua "$2" | grep '^RESULT'
}
# every path is warmed up once, then measured run by run in turn (straight, m-variant, gateway, variant, reference,
# then again), so that the machine's drift during the run falls on all of them alike
PATHS=() # "label url auth vhost jvm-names..."
PATHS+=("straight http://127.0.0.1:$MEETING header $NAME meeting")
[[ -n "$MEETING_VARIANT" ]] && PATHS+=("m-variant http://127.0.0.1:$MVARIANT header ${NAME}_var m-variant")
PATHS+=("gateway http://127.0.0.1:$GATEWAY bearer $NAME gateway meeting")
[[ -n "$GATEWAY_VARIANT" ]] && PATHS+=("variant http://127.0.0.1:$VARIANT bearer $NAME variant meeting")
PATHS+=("reference http://127.0.0.1:$REFERENCE header ${NAME}_ref reference")
for path in "${PATHS[@]}"; do
	read -r label url auth vhost _ <<<"$path"
	purge "$vhost"
	log "$label: ${WARMUP}s warm-up"
	book "$WARMUP" "$url" "$auth" >"$OUT/$label-warmup.txt"
done
for run in $(seq "$RUNS"); do
	for path in "${PATHS[@]}"; do
		read -r label url auth vhost names <<<"$path"
		purge "$vhost"
		cpu_snapshot $names | sed "s/^/$run before /" >>"$OUT/$label-cpu.txt"
		book "$SECONDS_PER_RUN" "$url" "$auth" | sed "s/^/$label run $run: /" | tee -a "$OUT/$label-runs.txt" >&2
		cpu_snapshot $names | sed "s/^/$run after /" >>"$OUT/$label-cpu.txt"
	done
done
report() { # label: median bookings/s of its runs, non-201s, then CPU-ms per 201 for each group over its runs (a
	# process that ended or started within a run is left out of that run)
	awk -v label="$1" -v tick="$TICK_MS" '
		FNR == 1 {file++}
		file == 1 {sub(/^.*RESULT /, ""); split($1, c, "="); split($2, o, "="); split($3, s, "="); rate[++n] = c[2] / s[2]; ok += c[2]; bad += o[2]}
		file == 2 && $2 == "before" {before[$1, $3, $4] = $5; if (!($3 in seen)) {seen[$3]; order[++groups] = $3}}
		file == 2 && $2 == "after" && (($1, $3, $4) in before) {used[$3] += $5 - before[$1, $3, $4]}
		END {
			asort(rate); line = sprintf("%-10s %7.0f  %-17s %6d ", label, rate[int((n + 1) / 2)], sprintf("%.0f/%.0f/%.0f", rate[1], rate[2], rate[3]), bad)
			for (g = 1; g <= groups; g++) line = line sprintf(" %s=%.2f", order[g], used[order[g]] * tick / (ok ? ok : 1))
			print line
		}' "$OUT/$1-runs.txt" "$OUT/$1-cpu.txt" | tee -a "$OUT/figures.txt"
}
say "bookings/s (median, min/mid/max of $RUNS x ${SECONDS_PER_RUN}s, the paths in turn, wrk -t2 -c64, 10 of 1,000 users, warm cache), non-201, CPU-ms per booking:"
say "path       booked/s  runs             non-201  per process"
for path in "${PATHS[@]}"; do report "${path%% *}"; done
awk '{rate[$1] = $2} END {
	printf "ours straight / reference = %.2f (target >= 1.5); gateway / straight = %.0f%% (target >= 80%%)\n",
		rate["straight"] / rate["reference"], 100 * rate["gateway"] / rate["straight"]
	if ("variant" in rate) printf "gateway / variant = %.1f%% of bookings/s\n", 100 * rate["gateway"] / rate["variant"]
	if ("m-variant" in rate) printf "straight / m-variant = %.1f%% of bookings/s\n", 100 * rate["straight"] / rate["m-variant"]}' \
	<(grep -E '^(straight|m-variant|gateway|variant|reference) ' "$OUT/figures.txt") | tee -a "$OUT/figures.txt"
# what the 1.5x target leaves meeting-reactive, when the machine is CPU-bound: the reference's machine CPU per booking
# over 1.5, less what our own PostgreSQL, RabbitMQ and Redis work and the rest (wrk, the kernel) take per booking
awk '{for (i = 2; i <= NF; i++) if (split($i, kv, "=") == 2) cpu[$1, kv[1]] = kv[2]} END {
	servers = cpu["straight", "postgres"] + cpu["straight", "rabbitmq"] + cpu["straight", "redis"]
	rest = cpu["straight", "machine"] - servers - cpu["straight", "meeting"]
	budget = cpu["reference", "machine"] / 1.5 - servers - rest
	printf "at 1.5x the reference, meeting-reactive could spend %.2f CPU-ms per booking (now %.2f; the reference'\''s JVM %.2f): the machine %.2f, less PostgreSQL, RabbitMQ and Redis %.2f and the rest %.2f\n",
		budget, cpu["straight", "meeting"], cpu["reference", "reference"], cpu["reference", "machine"] / 1.5, servers, rest}' \
	<(grep -E '^(straight|reference) ' "$OUT/figures.txt") | tee -a "$OUT/figures.txt"

# ---- latency at a fixed rate through the gateway: hey (a light Go client, beside the JVMs on the same cores), four
# users at a quarter of the rate each (each user's own rate limit stays far), 10 workers per user at a fixed pace
purge "$NAME"
log "fixed rate: $RATE bookings/s through the gateway for ${RATE_SECONDS}s (hey, 4 users)"
BODY='{"title":"Review","startAt":"2027-03-01T10:00:00Z","endAt":"2027-03-01T11:00:00Z","location":"Room 1",
"attendees":["u-11","u-12","u-13","u-14","u-15","u-16","u-17","u-18","u-19","u-20"]}'
HEY=()
for user in 1 2 3 4; do
	hey -z "${RATE_SECONDS}s" -c 10 -q "$((RATE / 40))" -t 5 -m POST -T application/json -d "$BODY" -o csv \
		-H "Authorization: Bearer $(awk -v u="u-$user" '$1 == u {print $2}' "$OUT/tokens.txt")" \
		"http://127.0.0.1:$GATEWAY/api/meetings" >"$OUT/fixed-rate-$user.csv" &
	HEY+=($!)
done
wait "${HEY[@]}" || true
# columns: response-time (s), ..., status-code, offset
awk -F, -v rate=$RATE -v s="$RATE_SECONDS" '
	FNR > 1 {ms[++n] = $1 * 1000; if ($7 != 201) bad++}
	END {asort(ms); printf "fixed rate through the gateway, %d/s for %ds: %d sent (%.0f/s), p50 = %.0f ms, p99 = %.0f ms (target <= 50), max = %.0f ms, non-201 = %d\n",
		rate, s, n, n / s, ms[int(n * 0.5)], ms[int(n * 0.99)], ms[n], bad}' "$OUT"/fixed-rate-*.csv | tee -a "$OUT/figures.txt"

# ---- fan-out: bookings of users nobody looked up before, straight to meeting-reactive, whose lookups pass the proxy
log "fan-out: $FANOUT_ATTENDEES uncached attendees per booking, ${DELAY_MS} ms per lookup, $FANOUT_BOOKINGS warm-up + $FANOUT_BOOKINGS measured"
seed "http://127.0.0.1:$USERS" f- $((2 * FANOUT_BOOKINGS * FANOUT_ATTENDEES))
say "one lookup through the proxy: $(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PROXY/api/users/u-1") s"
purge "$NAME"
meters() { curl -s "http://127.0.0.1:$1/actuator/prometheus" >"$OUT/$2.prom"; }
meters "$MEETING" fanout-meeting-before; meters "$USERS" fanout-user-before
for booking in $(seq $((2 * FANOUT_BOOKINGS))); do
	book_one "http://127.0.0.1:$MEETING" $(((booking - 1) * FANOUT_ATTENDEES + 1)) $((booking * FANOUT_ATTENDEES)) f-
done >"$OUT/fanout.txt"
# where the time went: meeting-reactive's booking stages and user-reactive's own time per lookup (the fan-out's means)
meters "$MEETING" fanout-meeting; meters "$USERS" fanout-user
awk '{sign = FILENAME ~ /before/ ? -1 : 1} /^meeting_booking_stage_seconds_(sum|count)\{/ {match($0, /stage="[a-z]+"/); k = substr($0, RSTART + 7, RLENGTH - 8); v[k, /_sum/] += sign * $NF}
	/^http_server_requests_seconds_(sum|count)\{/ && /uri="\/api\/users\/\{userId\}"/ && /method="GET"/ {v["user lookup", /_sum/] += sign * $NF}
	END {for (k in v) {split(k, key, SUBSEP); if (key[2]) line = line sprintf(" %s=%.1f", key[1], 1000 * v[k] / v[key[1], 0])}
		print "fan-out, mean ms (warm-up included): booking stages" line}' "$OUT"/fanout-*.prom | tee -a "$OUT/figures.txt"
tail -n "$FANOUT_BOOKINGS" "$OUT/fanout.txt" | sort -k2 -n | awk -v d=$DELAY_MS -v n="$FANOUT_BOOKINGS" '
	{ms[NR] = $2 * 1000; if ($1 != 201) bad++}
	END {printf "fan-out, %d bookings of 20 uncached attendees, %d ms per lookup: median = %.0f ms, max = %.0f ms (target median <= %.0f), non-201 = %d\n",
		n, d, ms[int((NR + 1) / 2)], ms[NR], 1.25 * d, bad}' | tee -a "$OUT/figures.txt"
say "load average at the end: $(cut -d' ' -f1 /proc/loadavg)"
