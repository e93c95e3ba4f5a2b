package dev.seed.meetings.meeting.booking;

import java.util.Arrays;

/**
 * Who reads: the user the gateway names in {@code X-User-Id} (null when none is named) and whether their token has the
 * scope {@code meetings:admin} ({@code X-User-Scopes}), which sees every meeting. Anyone else sees only the meetings
 * they organize or attend.
 */
public record Viewer(String userId, boolean admin) {

	public static final String ADMIN_SCOPE = "meetings:admin";

	/** The scopes as the gateway relays them: separated by spaces. */
	static boolean hasAdminScope(String scopes) {
		return scopes != null && Arrays.asList(scopes.strip().split("\\s+")).contains(ADMIN_SCOPE);
	}

}
