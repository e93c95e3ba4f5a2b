-- GET /api/meetings?from=&to=&attendee= reads meetings by time and, optionally, by attendee.
CREATE INDEX meetings_start_at ON meeting.meetings (start_at, id);
CREATE INDEX meeting_attendees_user_id ON meeting.meeting_attendees (user_id, meeting_id);
