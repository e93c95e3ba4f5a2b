#!/usr/bin/env bash
# Builds the services and runs the whole system on this machine (see deploy/local): the real PostgreSQL, Redis,
# RabbitMQ and SMTP where they answer their protocol at the configured addresses, embedded stand-ins where they do not.
# Options: --standalone  stand-ins for all four servers, on ports of their own, whatever is installed
#          --fresh       the stand-ins start empty (their data otherwise stays in .local/ from one run to the next)
# Ports and addresses: see "Ports" in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
logs="${SEED_LOCAL_DIR:-.local}/logs"
mkdir -p "$logs"
echo "[local] Building the services (log: $logs/build.log)"
begin=$(date +%s)
if ! ./mvnw -B -DskipTests package > "$logs/build.log" 2>&1; then
  echo "[local] FAILED: the build. Its last lines:"
  tail -n 30 "$logs/build.log" | sed 's/^/  | /'
  exit 1
fi
echo "[local] Built in $(( $(date +%s) - begin )) s"
exec java -jar deploy/local/target/local-0.1.0-SNAPSHOT-exec.jar "$@"
