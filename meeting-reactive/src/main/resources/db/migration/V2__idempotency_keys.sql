-- Idempotency-Key of POST /api/meetings, scoped to the caller; written in the meeting's own transaction.
CREATE TABLE meeting.idempotency_keys (
    caller       varchar(200) NOT NULL,
    key          varchar(200) NOT NULL,
    request_hash varchar(64)  NOT NULL,
    meeting_id   uuid         NOT NULL,
    status       int          NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
