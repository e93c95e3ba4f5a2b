# Shared by bench.sh and notifier-bench.sh: stopping what a run started, and removing its database and vhost.
# Expects PSQL (an array), DB and VHOST to be set by the caller.

declare -A PIDS=()

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
