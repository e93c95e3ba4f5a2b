# Shared by bench.sh, notifier-bench.sh and profile.sh: stopping what a run started, and removing its database,
# vhost and Redis keys. Expects PSQL (an array), DB, VHOST, WORK and a log function; KEY_PREFIX when the run wrote
# Redis keys.

declare -A PIDS=()

# What the run's gateway sends meeting-reactive in X-Gateway-Token (gateway.service-token, meeting.gateway-token),
# and what a load that goes straight to meeting-reactive sends with its X-User-Id, as the gateway would
SERVICE_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
# The key that signs invitation links (meeting.invitations.secret; the notifier's notifier.invitations.secret)
INVITATION_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"

# Stops one process this run started, by the name it was recorded under: TERM, up to 20 s, then KILL.
stop() {
	local name=$1 pid=${PIDS[$1]:-}
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	unset "PIDS[$name]"
}

# Stops every process this run started and drops its vhost and database.
stop_all_and_drop() {
	for name in "${!PIDS[@]}"; do stop "$name"; done
	rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
	"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
}

# The exit trap of every script: stops, removes, says where the run's files are, and keeps the exit status.
cleanup() {
	local status=$?
	stop_all_and_drop
	if [[ -n "${KEY_PREFIX:-}" ]]; then
		redis-cli -h 127.0.0.1 --scan --pattern "$KEY_PREFIX*" 2>/dev/null \
			| xargs -r -n 500 redis-cli -h 127.0.0.1 del >/dev/null 2>&1 || true
	fi
	log "files of this run (logs, reports, recordings): $WORK"
	exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A service's JVM options besides the heap: <NAME>_JAVA_OPTS (GATEWAY_, MEETING_, USER_, NOTIFIER_), else
# SERVICE_JAVA_OPTS, else the collector measured to suit it on 2 cores: the throughput collector where nothing
# outlives a request (it leaves more of the cores to the bookings than G1), G1 for meeting-reactive, which under
# load promotes about 2 MB per young collection (its stream keeps recent events for resumes) and which the throughput
# collector stopped for 60-235 ms full collections every few minutes (deploy/bench/README.md).
service_java_opts() {
	local name=${1%%-*} own
	own="${name^^}_JAVA_OPTS"
	if [[ -n "${!own:-}" ]]; then echo "${!own}"; return; fi
	if [[ -n "${SERVICE_JAVA_OPTS:-}" ]]; then echo "$SERVICE_JAVA_OPTS"; return; fi
	if [[ $name == meeting ]]; then echo "-XX:+UseG1GC"; else echo "-XX:+UseParallelGC"; fi
}

# A service's heap: $HEAP, all of it resident from the start, so that an RSS that grows afterwards is something
# besides the heap (without it, an old generation that fills slowly reaches pages nothing had touched before)
heap_opts() {
	echo -Xms"$HEAP" -Xmx"$HEAP" -XX:+AlwaysPreTouch
}

# Starts $WORK/JAR.jar as NAME on PORT (the arguments after the port go to the service) and waits until its health
# endpoint answers. JVM options: heap_opts, service_java_opts NAME, then JVM_EXTRA (a string) when set.
start_service() { # name jar port args...
	local name=$1 jar=$2 port=$3; shift 3
	local opts; opts="$(heap_opts) $(service_java_opts "$name") ${JVM_EXTRA:-}"
	# shellcheck disable=SC2086 # options, split on spaces
	java $opts -XX:+ExitOnOutOfMemoryError -jar "$WORK/$jar.jar" --server.port="$port" \
		--logging.level.root=WARN "$@" >"$WORK/logs/$name.log" 2>&1 &
	PIDS[$name]=$!
	for _ in $(seq 1 360); do
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/actuator/health" && return 0
		kill -0 "${PIDS[$name]}" 2>/dev/null || { tail -30 "$WORK/logs/$name.log" >&2; exit 1; }
		sleep 0.25
	done
	log "$name did not start"; exit 1
}

# What profile.sh and compare-gateways.sh prepare alike: the built jars of MODULES copied to $WORK (a rebuild during
# the run cannot pull one from under a service), the simulations compiled with their classpath in GATLING_CP, and
# the run's own database and vhost.
prepare_run() { # modules...
	local module
	for module in "$@"; do
		[[ -f "$module/target/$module-0.1.0-SNAPSHOT.jar" ]] || { echo "missing $module's jar: ./mvnw -B -DskipTests package" >&2; exit 1; }
		cp "$module/target/$module-0.1.0-SNAPSHOT.jar" "$WORK/$module.jar"
	done
	./mvnw -B -q -pl deploy/gatling test-compile dependency:build-classpath \
		-Dmdep.outputFile="$WORK/gatling.classpath" -Dmdep.includeScope=test
	GATLING_CP="$ROOT/deploy/gatling/target/test-classes:$(cat "$WORK/gatling.classpath")"
	"${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
	rabbitmqctl -q add_vhost "$VHOST" >/dev/null
	rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
}

# A process's CPU time (user and kernel) in clock ticks, and the context switches of all its threads (each wake-up of
# a thread that had to wait is one): read before and after a measured window.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print n}'; }
