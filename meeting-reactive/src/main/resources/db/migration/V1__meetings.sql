CREATE TABLE meeting.meetings (
    id           uuid        PRIMARY KEY,
    title        varchar(200) NOT NULL,
    start_at     timestamptz NOT NULL,
    end_at       timestamptz NOT NULL,
    location     varchar(200),
    organizer_id varchar(200),
    status       varchar(20) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at > start_at)
);

CREATE TABLE meeting.meeting_attendees (
    meeting_id uuid         NOT NULL REFERENCES meeting.meetings (id) ON DELETE CASCADE,
    user_id    varchar(100) NOT NULL,
    name       text,
    email      text,
    position   int          NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- Events are written here in the meeting's transaction, so that a broker outage loses none of them.
CREATE TABLE meeting.outbox (
    id           uuid        PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    routing_key  varchar(100) NOT NULL,
    payload      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts     int         NOT NULL DEFAULT 0
);

CREATE INDEX outbox_unpublished ON meeting.outbox (created_at) WHERE published_at IS NULL;
