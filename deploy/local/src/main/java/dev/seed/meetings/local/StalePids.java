package dev.seed.meetings.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The pids of the child processes of a run, so that the next run can stop what a crashed run left behind. */
final class StalePids {

	private StalePids() {
	}

	static void record(Path file, long pid) throws IOException {
		Files.writeString(file, pid + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	static void killLeftovers(Path file) throws IOException {
		if (!Files.exists(file)) {
			return;
		}
		List<String> lines = Files.readAllLines(file);
		for (String line : lines) {
			if (line.isBlank()) {
				continue;
			}
			ProcessHandle.of(Long.parseLong(line.trim()))
				.filter(process -> process.info().command().map(command -> command.endsWith("java")).orElse(false))
				.ifPresent(process -> {
					LocalSystem.say("Stopping process " + process.pid() + " left behind by an earlier run");
					process.destroyForcibly();
				});
		}
		Files.delete(file);
	}

}
