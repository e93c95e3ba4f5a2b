package dev.seed.meetings.meeting.events;

import java.util.List;

/**
 * The broker's names of the contract (README, "Events"), the one place this service spells them: the topic exchange,
 * the routing keys of what is published on it and of what the live stream follows, the notifier's queue that is
 * declared here too so that no MeetingCreated is lost before the notifier first starts, and the names the service's
 * connections give themselves (as the broker's management lists them).
 */
public final class BrokerNames {

	public static final String EXCHANGE = "meeting.events";

	public static final String MEETING_CREATED = "meeting.created";

	public static final String MEETING_UPDATED = "meeting.updated";

	public static final String MEETING_CANCELLED = "meeting.cancelled";

	public static final String INVITATION_ANSWERED = "invitation.answered";

	/** Published by the notifier. */
	public static final String INVITATION_SENT = "invitation.sent";

	/** Published by the notifier. */
	public static final String INVITATION_FAILED = "invitation.failed";

	/** Every routing key on the exchange, in the order the contract lists them. */
	public static final List<String> ALL = List.of(MEETING_CREATED, MEETING_UPDATED, MEETING_CANCELLED,
			INVITATION_SENT, INVITATION_FAILED, INVITATION_ANSWERED);

	/** The notifier's queue of MeetingCreated. */
	public static final String NOTIFICATION_QUEUE = "notification.meeting.created";

	public static final String PUBLISHER_CONNECTION = "meeting-reactive";

	public static final String STREAM_CONNECTION = "meeting-reactive-stream";

	private BrokerNames() {
	}

}
