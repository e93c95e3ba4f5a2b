package dev.seed.meetings.local;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the README tells a newcomer is what the launcher does. */
class ReadmeTests {

	private static final Path README = Path.of("../../README.md");

	/** The README's booking commands are the launcher's own, line for line (for the default gateway port). */
	@Test // #21
	void theReadmeShowsTheLaunchersTryItLines() throws Exception {
		String readme = Files.readString(README);
		for (String line : LocalSystem.tryIt("http://127.0.0.1:8080")) {
			assertThat(readme).contains(line);
		}
	}

	/** Every port setting of the launcher is in the README's table of ports. */
	@Test // #21
	void theReadmeNamesEveryPortSetting() throws Exception {
		String readme = Files.readString(README);
		LocalSystem.PORT_SETTINGS.forEach((variable, port) -> assertThat(readme).contains("`" + variable + "`")
			.contains(String.valueOf(port)));
		LocalSystem.STANDALONE_PORTS.values().forEach(port -> assertThat(readme).contains(String.valueOf(port)));
	}

}
