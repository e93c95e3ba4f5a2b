-- GET /api/meetings lists a participant's meetings: those they attend come from meeting_attendees_user_id, those
-- they organize in the window from this one.
CREATE INDEX meetings_organizer_start_at ON meeting.meetings (organizer_id, start_at);
