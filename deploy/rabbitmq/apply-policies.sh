#!/usr/bin/env bash
# RabbitMQ-only queue features, declared as policies rather than x-* queue arguments so that the services'
# declarations stay identical on every AMQP 0-9-1 broker (the embedded Qpid stand-in refuses x-* arguments).
#   notification.meeting.created: messages rejected without requeue go to notification.meeting.created.dlq
# Usage: deploy/rabbitmq/apply-policies.sh [vhost]   (default "/"; needs rabbitmqctl on the broker's host)
set -euo pipefail
vhost="${1:-/}"

rabbitmqctl set_policy -p "$vhost" --apply-to queues notification-dlx \
  '^notification\.meeting\.created$' \
  '{"dead-letter-exchange":"","dead-letter-routing-key":"notification.meeting.created.dlq"}'
