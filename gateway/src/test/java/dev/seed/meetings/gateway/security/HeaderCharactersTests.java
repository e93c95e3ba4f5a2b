package dev.seed.meetings.gateway.security;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The firewall's header rules, without regular expressions, give the answers of Spring Security's patterns. */
class HeaderCharactersTests {

	private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

	private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

	@Test
	void everyCodePointIsJudgedAsByThePatterns() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String text = "a" + Character.toString(codePoint) + "b";
			assertThat(HeaderCharacters.isAllowedName(text)).as("name with U+%04X", codePoint)
				.isEqualTo(NAME.matcher(text).matches());
			assertThat(HeaderCharacters.isAllowedValue(text)).as("value with U+%04X", codePoint)
				.isEqualTo(VALUE.matcher(text).matches());
		}
	}

	@Test
	void typicalHeadersPassAndControlCharactersDoNot() {
		assertThat(HeaderCharacters.isAllowedName("X-Request-Id")).isTrue();
		assertThat(HeaderCharacters.isAllowedValue("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")).isTrue();
		assertThat(HeaderCharacters.isAllowedValue("a\tb")).isTrue();
		assertThat(HeaderCharacters.isAllowedName("a\tb")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("evil\r\nSet-Cookie: x")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("nul\u0000")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("")).isTrue();
		// what the firewall asks of a header that is not there
		assertThat(HeaderCharacters.isAllowedValue(null)).isTrue();
	}

	@Test
	void unpairedSurrogatesAreJudgedAsByThePatterns() {
		for (String text : new String[] { "\uD800", "x\uDC00", "\uD83D\uDE00", "\uDBFF\uDFFF" }) {
			assertThat(HeaderCharacters.isAllowedName(text)).as(text).isEqualTo(NAME.matcher(text).matches());
			assertThat(HeaderCharacters.isAllowedValue(text)).as(text).isEqualTo(VALUE.matcher(text).matches());
		}
	}

}
