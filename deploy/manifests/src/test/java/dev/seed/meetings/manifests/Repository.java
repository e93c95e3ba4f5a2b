package dev.seed.meetings.manifests;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, wherever the tests run from. */
final class Repository {

	private Repository() {
	}

	static Path root() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("Not inside the repository");
		}
		return dir;
	}

	/** The image Jib builds for a module by default (the parent pom's jib-maven-plugin configuration). */
	static String image(String module) {
		return System.getProperty("image.registry", "meetings") + "/" + module + ":"
				+ System.getProperty("project.version", "0.1.0-SNAPSHOT");
	}

}
