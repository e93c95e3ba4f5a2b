-- A meeting changes after booking: its version is the ETag and the calendar SEQUENCE (0 at creation, one more per
-- change or cancellation); status becomes 'cancelled' on DELETE. A change of time sets every answer back to
-- needs-action.
ALTER TABLE meeting.meetings ADD COLUMN IF NOT EXISTS version int NOT NULL DEFAULT 0;
-- (the answers' column comes from V7, with its check; this line then does nothing)
ALTER TABLE meeting.meeting_attendees ADD COLUMN IF NOT EXISTS response text NOT NULL DEFAULT 'needs-action';
