-- The meeting's life after booking (MeetingUpdated, MeetingCancelled), mailed as iTIP REQUEST / CANCEL with the
-- meeting's version as SEQUENCE.

-- An invitation not mailed yet when a newer state of the meeting arrived is not mailed at all: the newer one is.
ALTER TABLE notifier.deliveries DROP CONSTRAINT IF EXISTS deliveries_status_check;
ALTER TABLE notifier.deliveries ADD CONSTRAINT deliveries_status_check
    CHECK (status IN ('PENDING', 'SENDING', 'SCHEDULED', 'SENT', 'FAILED', 'SUPERSEDED'));

-- The newest sequence taken for each attendee of a meeting: an event with an older (or the same) one mails them
-- nothing, so that an older state never follows a newer one.
CREATE TABLE notifier.attendee_sequences (
    meeting_id uuid        NOT NULL,
    user_id    text        NOT NULL,
    sequence   integer     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, user_id)
);

-- One row per (meeting, attendee, sequence) of a change: a redelivered event mails nobody twice.
CREATE TABLE notifier.change_deliveries (
    meeting_id    uuid        NOT NULL,
    user_id       text        NOT NULL,
    sequence      integer     NOT NULL,
    notice        varchar(16) NOT NULL CHECK (notice IN ('INVITATION', 'UPDATE', 'MOVE', 'REMOVAL', 'CANCELLATION')),
    email         text        NOT NULL,
    event_id      text        NOT NULL,
    status        varchar(16) NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SUPERSEDED')),
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    claimed_by    text,
    claimed_until timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    PRIMARY KEY (meeting_id, user_id, sequence)
);
