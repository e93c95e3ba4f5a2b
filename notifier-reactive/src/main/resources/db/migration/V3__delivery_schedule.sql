-- The delivery rows become the schedule: a transient SMTP failure leaves the row SCHEDULED for next_attempt_at, and
-- a poller mails due rows until retry_until (set at the first transient failure, from notifier.retry.give-up-after).
ALTER TABLE notifier.deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE notifier.deliveries
    ADD CONSTRAINT deliveries_status_check CHECK (status IN ('PENDING', 'SENDING', 'SCHEDULED', 'SENT', 'FAILED')),
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN retry_until     timestamptz;

-- what the poller looks for: scheduled rows that are due, and claims whose owner stopped renewing them
CREATE INDEX deliveries_due ON notifier.deliveries (next_attempt_at) WHERE status = 'SCHEDULED';
CREATE INDEX deliveries_claimed ON notifier.deliveries (claimed_until) WHERE status IN ('PENDING', 'SENDING');
CREATE INDEX deliveries_failed ON notifier.deliveries (updated_at) WHERE status = 'FAILED';

-- The event each delivery row was registered from, so that a row can be mailed without its message.
CREATE TABLE notifier.events (
    event_id    text        PRIMARY KEY,
    meeting_id  uuid        NOT NULL,
    body        bytea       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- How often each message failed to be processed (any exception but an unreadable body): parked at the bound.
CREATE TABLE notifier.message_failures (
    message_id text        PRIMARY KEY,
    failures   integer     NOT NULL,
    last_error text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
