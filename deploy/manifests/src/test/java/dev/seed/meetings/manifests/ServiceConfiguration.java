package dev.seed.meetings.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * What one service reads: the keys of its {@code application.yml}, the properties of its own
 * {@code @ConfigurationProperties} (the {@code spring-configuration-metadata.json} its build writes), and Spring Boot's
 * properties under a group its {@code application.yml} configures ({@code spring.r2dbc.password} for a service with
 * {@code spring.r2dbc.url}, {@code spring.data.redis.ssl.enabled} beside {@code spring.data.redis.host}, never
 * {@code spring.rabbitmq.*} for one without a broker).
 */
final class ServiceConfiguration {

	static final List<String> SERVICES = List.of("gateway", "meeting-reactive", "user-reactive", "notifier-reactive");

	/** The library every service depends on, whose properties each of them reads. */
	private static final String SHARED_MODULE = "deploy/service-support";

	private static final ObjectMapper json = new ObjectMapper();

	private static final Set<String> bootProperties = bootProperties();

	final String module;

	/** application.yml, flattened to dotted keys. */
	final Map<String, Object> yml;

	private final Set<String> ownProperties;

	private ServiceConfiguration(String module, Map<String, Object> yml, Set<String> ownProperties) {
		this.module = module;
		this.yml = yml;
		this.ownProperties = ownProperties;
	}

	static ServiceConfiguration of(String module) {
		Path dir = Repository.root().resolve(module);
		try (InputStream in = Files.newInputStream(dir.resolve("src/main/resources/application.yml"))) {
			Map<String, Object> flat = new LinkedHashMap<>();
			flatten("", new Yaml().load(in), flat);
			Path metadata = dir.resolve("target/classes/META-INF/spring-configuration-metadata.json");
			if (!Files.exists(metadata)) {
				throw new IllegalStateException(metadata + " is missing: build " + module + " first (./mvnw -B verify builds it before deploy/)");
			}
			Set<String> own = new HashSet<>();
			json.readTree(metadata.toFile()).path("properties").forEach((property) -> own.add(property.get("name").asText()));
			// every service also reads what the shared module's @ConfigurationProperties read (service.*, spring.rabbitmq.*)
			Path shared = Repository.root().resolve(SHARED_MODULE).resolve("target/classes/META-INF/spring-configuration-metadata.json");
			if (!Files.exists(shared)) {
				throw new IllegalStateException(shared + " is missing: build " + SHARED_MODULE + " first");
			}
			json.readTree(shared.toFile()).path("properties").forEach((property) -> own.add(property.get("name").asText()));
			return new ServiceConfiguration(module, flat, own);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The property that an environment variable sets, as Spring Boot maps one to the other, if this service reads it. */
	Optional<String> propertyOf(String environmentVariable) {
		ConfigurationPropertySource environment = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(environmentVariable, "set")));
		return candidates().stream()
			.filter(ConfigurationPropertyName::isValid)
			.filter((property) -> environment.getConfigurationProperty(ConfigurationPropertyName.of(property)) != null)
			.findFirst();
	}

	int serverPort() {
		return Integer.parseInt(String.valueOf(yml.get("server.port")));
	}

	/** Where the actuator's health groups answer: liveness, readiness and any group configured. */
	Set<String> healthPaths() {
		if (!exposed("health") || !Boolean.TRUE.equals(yml.get("management.endpoint.health.probes.enabled"))) {
			return Set.of();
		}
		String base = String.valueOf(yml.getOrDefault("management.endpoints.web.base-path", "/actuator"));
		Set<String> paths = new HashSet<>(Set.of(base + "/health", base + "/health/liveness", base + "/health/readiness"));
		Pattern group = Pattern.compile("management\\.endpoint\\.health\\.group\\.([^.]+)\\..*");
		for (String key : yml.keySet()) {
			Matcher matcher = group.matcher(key);
			if (matcher.matches()) {
				paths.add(base + "/health/" + matcher.group(1));
			}
		}
		return paths;
	}

	/** The port the actuator answers on: management.server.port, else the server's. */
	int managementPort() {
		Object port = yml.get("management.server.port");
		return (port != null) ? Integer.parseInt(String.valueOf(port)) : serverPort();
	}

	Duration shutdownPhase() {
		return duration(String.valueOf(yml.getOrDefault("spring.lifecycle.timeout-per-shutdown-phase", "30s")));
	}

	static Duration duration(String text) {
		Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.trim());
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not a duration: " + text);
		}
		long amount = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofHours(amount);
		};
	}

	private boolean exposed(String endpoint) {
		String include = String.valueOf(yml.getOrDefault("management.endpoints.web.exposure.include", "health"));
		return List.of(include.split(",")).stream().map(String::trim).anyMatch((id) -> id.equals(endpoint) || id.equals("*"));
	}

	private Set<String> candidates() {
		Set<String> candidates = new HashSet<>(yml.keySet());
		candidates.addAll(ownProperties);
		Set<String> groups = new HashSet<>();
		for (String key : yml.keySet()) {
			String group = key.substring(0, Math.max(0, key.lastIndexOf('.')));
			if (group.indexOf('.') > 0) {
				groups.add(group + ".");
			}
		}
		for (String property : bootProperties) {
			if (groups.stream().anyMatch(property::startsWith)) {
				candidates.add(property);
			}
		}
		return candidates;
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Object node, Map<String, Object> flat) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, flat));
		}
		else if (node instanceof List<?> list) {
			flat.put(prefix, String.join(",", ((List<Object>) list).stream().map(String::valueOf).toList()));
			for (int i = 0; i < list.size(); i++) {
				flatten(prefix + "[" + i + "]", list.get(i), flat);
			}
		}
		else {
			flat.put(prefix, node);
		}
	}

	private static Set<String> bootProperties() {
		Set<String> properties = new HashSet<>();
		try {
			for (URL url : Collections.list(ServiceConfiguration.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				try (InputStream in = url.openStream()) {
					JsonNode metadata = json.readTree(in);
					metadata.path("properties").forEach((property) -> properties.add(property.get("name").asText()));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

}
