package dev.seed.meetings.notifier.invitation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentLinesTests {

	/** A short line stays as it is, ended by CRLF. */
	@Test
	void shortLinesAreLeftWhole() {
		assertThat(ContentLines.fold("BEGIN:VCALENDAR\r\nVERSION:2.0\n")).isEqualTo("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	}

	/** 75 octets fit on a line; the 76th starts a continuation line with one space. */
	@Test
	void asciiFoldsAfterSeventyFiveOctets() {
		String line = "SUMMARY:" + "a".repeat(67);
		assertThat(line).hasSize(75);

		assertThat(ContentLines.fold(line)).isEqualTo(line + "\r\n");
		assertThat(ContentLines.fold(line + "b")).isEqualTo(line + "\r\n b\r\n");
		String long200 = "DESCRIPTION:" + "x".repeat(200);
		String folded = ContentLines.fold(long200);
		assertThat(octetsPerLine(folded)).allMatch((octets) -> octets <= 75);
		assertThat(unfold(folded)).isEqualTo(long200);
	}

	/** Multibyte characters count by their UTF-8 octets and are never cut; unfolding gives the text back. */
	@Test // #16
	void multibyteCharactersAreCountedInOctetsAndNeverSplit() {
		// 3-octet CJK, a 4-octet emoji (a surrogate pair in Java) and 2-octet accents, in every alignment
		for (int shift = 0; shift < 4; shift++) {
			String line = "SUMMARY:" + "x".repeat(shift) + "設計レビュー🗓️ café ñ 東京".repeat(8);

			String folded = ContentLines.fold(line);

			assertThat(octetsPerLine(folded)).allMatch((octets) -> octets <= 75);
			assertThat(folded.split("\r\n")).allMatch((part) -> !Character.isLowSurrogate(part.charAt(0))
					&& !Character.isHighSurrogate(part.charAt(part.length() - 1)));
			// no line is a broken UTF-8 sequence: each one encodes and decodes to itself
			assertThat(folded.split("\r\n")).allMatch((part) -> new String(part.getBytes(StandardCharsets.UTF_8),
					StandardCharsets.UTF_8).equals(part));
			assertThat(unfold(folded)).isEqualTo(line);
			assertThat(folded).endsWith("\r\n");
		}
	}

	static List<Integer> octetsPerLine(String text) {
		return Arrays.stream(text.split("\r\n")).map((line) -> line.getBytes(StandardCharsets.UTF_8).length).toList();
	}

	private static String unfold(String folded) {
		return folded.replace("\r\n ", "").replaceAll("\r\n$", "");
	}

}
