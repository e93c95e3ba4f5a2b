package dev.seed.meetings.notifier.events;

/**
 * The broker's names of the contract (README, "Events"), the one place this service spells them: the topic exchange
 * meeting-reactive publishes on, the routing keys read and written here, the notifier's queues and their parking
 * queues, and the name its connection gives itself (as the broker's management lists it).
 */
final class BrokerNames {

	// the contract's names, one constant each: a list of declarations, nothing to share
	static final String EXCHANGE = "meeting.events";

	static final String MEETING_CREATED = "meeting.created";

	static final String MEETING_UPDATED = "meeting.updated";

	static final String MEETING_CANCELLED = "meeting.cancelled";

	static final String INVITATION_SENT = "invitation.sent";

	static final String INVITATION_FAILED = "invitation.failed";

	/** MeetingCreated, one invitation per attendee. */
	static final String CREATED_QUEUE = "notification.meeting.created";

	static final String CREATED_PARKING_QUEUE = "notification.meeting.created.dlq";

	/** MeetingUpdated and MeetingCancelled, one update or cancellation mail per attendee. */
	static final String CHANGED_QUEUE = "notification.meeting.changed";

	static final String CHANGED_PARKING_QUEUE = "notification.meeting.changed.dlq";

	/** The header of a parked message that says why it was parked. */
	static final String PARKED_REASON_HEADER = "x-parked-reason";

	static final String CONNECTION = "notifier-reactive";

	private BrokerNames() {
	}

}
