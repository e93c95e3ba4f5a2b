-- One row per (meeting, attendee): the consumer's memory of what it already mailed.
CREATE TABLE notifier.deliveries (
    meeting_id    uuid        NOT NULL,
    user_id       text        NOT NULL,
    email         text        NOT NULL,
    event_id      text        NOT NULL,
    status        varchar(16) NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    -- SENDING rows belong to one instance until claimed_until; after that another may take them over
    claimed_by    text,
    claimed_until timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    PRIMARY KEY (meeting_id, user_id)
);
