package dev.seed.meetings.meeting.invitation;

/**
 * The body of {@code POST /api/invitations/{token}/response}: {@code accepted}, {@code tentative} or
 * {@code declined}.
 */
record AnswerRequest(String response) {
}
