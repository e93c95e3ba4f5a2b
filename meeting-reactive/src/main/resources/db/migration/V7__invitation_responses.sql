-- Each attendee's answer to the invitation (RFC 5545 PARTSTAT, in lower case): needs-action until they answer.
ALTER TABLE meeting.meeting_attendees
    ADD COLUMN response varchar(20) NOT NULL DEFAULT 'needs-action'
        CHECK (response IN ('needs-action', 'accepted', 'tentative', 'declined'));
