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

	/** Records the processes that stand-ins started (postgres, redis-server) besides the service JVMs. */
	static void recordDescendants(Path file) throws IOException {
		for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
			record(file, child.pid());
		}
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
				.filter(process -> process.info().command().map(StalePids::ours).orElse(false))
				.ifPresent(process -> {
					LocalSystem.say("Stopping process " + process.pid() + " left behind by an earlier run");
					process.destroyForcibly();
				});
		}
		Files.delete(file);
	}

	/** Only what a run starts, so that a recycled pid of some other program is left alone. */
	private static boolean ours(String command) {
		return command.endsWith("java") || command.contains("postgres") || command.contains("redis-server");
	}

}
