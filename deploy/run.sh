#!/usr/bin/env bash
# Builds the services and runs the whole system on this machine (see deploy/local): the real PostgreSQL, Redis,
# RabbitMQ and SMTP where they answer at the configured addresses, embedded stand-ins where they do not.
# Options: --standalone  start stand-ins for all four servers, on ports of their own, whatever is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
exec java -jar deploy/local/target/local-0.1.0-SNAPSHOT-exec.jar "$@"
