package dev.seed.meetings.gateway.security;

import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * The header names and values {@link StrictServerWebExchangeFirewall} lets through, decided by a loop over the code
 * points instead of its regular expressions ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*} for a name, the same with
 * a tab allowed for a value). The firewall checks every header of every request, and each read of one: a twentieth
 * of the gateway's Java samples per request, about two fifths of it in these patterns (flight recordings under load). Same
 * rule, same answers (HeaderCharactersTests compares the two over every code point); a missing value ({@code null})
 * passes, as there.
 */
final class HeaderCharacters {

	private HeaderCharacters() {
	}

	static boolean isAllowedName(String name) {
		return allAllowed(name, false);
	}

	static boolean isAllowedValue(String value) {
		return allAllowed(value, true);
	}

	private static boolean allAllowed(String text, boolean tabAllowed) {
		if (text == null) {
			return true;
		}
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			boolean allowed = Character.isDefined(codePoint)
					&& (!Character.isISOControl(codePoint) || (tabAllowed && codePoint == '\t'));
			if (!allowed) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

}
