package dev.seed.meetings.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue #20: {@code deploy/compose.yaml} runs the four services from their images beside the servers they use. */
class ComposeFileTests {

	private static Map<String, Map<String, Object>> services;

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void parse() throws IOException {
		try (InputStream in = Files.newInputStream(Repository.root().resolve("deploy/compose.yaml"))) {
			Map<String, Object> compose = new Yaml().load(in);
			services = (Map<String, Map<String, Object>>) compose.get("services");
		}
	}

	@Test // #20
	void theFourServicesFromTheirImagesBesideTheServersAndAnSmtpCatcher() {
		assertThat(services.keySet()).containsExactlyInAnyOrder("gateway", "meeting-reactive", "user-reactive",
				"notifier-reactive", "postgres", "redis", "rabbitmq", "mailpit");
		for (String module : ServiceConfiguration.SERVICES) {
			assertThat(services.get(module).get("image")).as(module + " image").isEqualTo(Repository.image(module));
			assertThat(services.get(module).get("read_only")).as(module + " read-only").isEqualTo(true);
		}
		assertThat(String.valueOf(services.get("rabbitmq").get("image"))).as("with the management UI").endsWith("-management");
		assertThat(ports("rabbitmq")).contains("15672:15672");
		assertThat(ports("gateway")).as("the only public entry").contains("8080:8080");
		assertThat(ports("mailpit")).contains("8025:8025");
	}

	@Test // #20
	void eachServiceListensOnItsConfiguredPortAndReadsEveryVariableItIsGiven() {
		for (String module : ServiceConfiguration.SERVICES) {
			ServiceConfiguration service = ServiceConfiguration.of(module);
			List<String> ports = new java.util.ArrayList<>(ports(module));
			ports.addAll(strings(services.get(module).get("expose")));
			assertThat(ports).as(module + " port").anyMatch((port) -> port.endsWith(String.valueOf(service.serverPort())));
			for (String variable : environment(module).keySet()) {
				assertThat(service.propertyOf(variable)).as(module + " reads " + variable).isPresent();
			}
		}
	}

	@Test // #20
	void addressesNameAComposeServiceAndTheSecretsComeFromTheEnvironment() {
		for (String module : ServiceConfiguration.SERVICES) {
			environment(module).forEach((variable, value) -> {
				String text = String.valueOf(value);
				if (variable.endsWith("_URL")) {
					URI uri = URI.create(text.replaceFirst("^(r2dbc|jdbc):", ""));
					assertThat(services).as(variable + " = " + text).containsKey(uri.getHost());
					if (services.containsKey(uri.getHost()) && ServiceConfiguration.SERVICES.contains(uri.getHost())) {
						assertThat(uri.getPort()).as(variable).isEqualTo(ServiceConfiguration.of(uri.getHost()).serverPort());
					}
				}
				if (variable.endsWith("_HOST")) {
					assertThat(services).as(variable + " = " + text).containsKey(text);
				}
				if (variable.matches(".*(PASSWORD|SECRET|TOKEN).*")) {
					assertThat(text).as(module + " " + variable + " from the environment, never written here").matches("\\$\\{[A-Z_]+(:\\?[^}]*)?}");
				}
			});
		}
		assertThat(environment("notifier-reactive")).containsEntry("NOTIFIER_SMTP_HOST", "mailpit");
		assertThat(String.valueOf(environment("postgres").get("POSTGRES_PASSWORD"))).startsWith("${");
		assertThat(String.valueOf(environment("rabbitmq").get("RABBITMQ_DEFAULT_PASS"))).startsWith("${");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> environment(String service) {
		return (Map<String, Object>) services.get(service).getOrDefault("environment", Map.of());
	}

	private static List<String> ports(String service) {
		return strings(services.get(service).get("ports"));
	}

	private static List<String> strings(Object list) {
		return (list == null) ? List.of() : ((List<?>) list).stream().map(String::valueOf).toList();
	}

}
