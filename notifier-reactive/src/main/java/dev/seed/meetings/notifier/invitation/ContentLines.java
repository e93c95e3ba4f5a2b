package dev.seed.meetings.notifier.invitation;

/**
 * Folds iCalendar content lines as RFC 5545 §3.1 asks: no line longer than 75 octets without its CRLF, a long one
 * continued on lines that start with one space. Octets, not characters, and never inside a character's UTF-8
 * sequence, so that an unfolding reader gets the same text back.
 */
final class ContentLines {

	static final int MAX_OCTETS = 75;

	private static final String CRLF = "\r\n";

	private ContentLines() {
	}

	/** Each line of {@code unfolded} (ended by CRLF or LF), folded, every line ended by CRLF. */
	static String fold(String unfolded) {
		StringBuilder folded = new StringBuilder(unfolded.length() + unfolded.length() / 50 * 3);
		for (String line : unfolded.split("\r?\n")) {
			foldLine(line, folded);
		}
		return folded.toString();
	}

	private static void foldLine(String line, StringBuilder out) {
		int octets = 0;
		for (int i = 0; i < line.length();) {
			int codePoint = line.codePointAt(i);
			int width = utf8Length(codePoint);
			if (octets + width > MAX_OCTETS) {
				out.append(CRLF).append(' ');
				octets = 1;
			}
			out.appendCodePoint(codePoint);
			octets += width;
			i += Character.charCount(codePoint);
		}
		out.append(CRLF);
	}

	private static int utf8Length(int codePoint) {
		if (codePoint < 0x80) {
			return 1;
		}
		if (codePoint < 0x800) {
			return 2;
		}
		return (codePoint < 0x10000) ? 3 : 4;
	}

}
