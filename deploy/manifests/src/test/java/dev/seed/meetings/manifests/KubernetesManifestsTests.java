package dev.seed.meetings.manifests;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue #20: {@code deploy/k8s} and its production overlay, rendered by kustomize ({@code kubectl kustomize}) and read
 * into fabric8's Kubernetes model, agree with the services they deploy.
 */
class KubernetesManifestsTests {

	private static final KubernetesSerialization serialization = new KubernetesSerialization();

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void everyServiceHasADeploymentWithResourcesProbesAndANonRootReadOnlyContainer(String dir) throws Exception {
		Rendered rendered = render(dir);
		assertThat(rendered.all(Deployment.class).stream().map((d) -> d.getMetadata().getName()))
			.containsExactlyInAnyOrderElementsOf(ServiceConfiguration.SERVICES);
		for (Deployment deployment : rendered.all(Deployment.class)) {
			String name = deployment.getMetadata().getName();
			PodSpec pod = deployment.getSpec().getTemplate().getSpec();
			Container container = pod.getContainers().get(0);
			assertThat(container.getResources().getRequests()).as(name + " requests").containsKeys("cpu", "memory");
			assertThat(container.getResources().getLimits()).as(name + " limits").containsKeys("cpu", "memory");
			assertThat(Stream.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe()))
				.as(name + " startup, liveness and readiness probes").doesNotContainNull();
			assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
			assertThat(pod.getSecurityContext().getRunAsUser()).as(name + " user").isPositive();
			assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name + " read-only root").isTrue();
			assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
			assertThat(container.getVolumeMounts()).as(name + " writable /tmp")
				.anyMatch((mount) -> mount.getMountPath().equals("/tmp"));
			assertThat(pod.getTopologySpreadConstraints()).as(name + " spread over nodes").isNotEmpty()
				.allSatisfy((spread) -> assertThat(spread.getLabelSelector().getMatchLabels())
					.isEqualTo(deployment.getSpec().getSelector().getMatchLabels()))
				.anyMatch((spread) -> spread.getTopologyKey().equals("kubernetes.io/hostname"));
		}
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void probesAskTheActuatorGroupsOnThePortEachServiceListensOn(String dir) throws Exception {
		Rendered rendered = render(dir);
		for (Deployment deployment : rendered.all(Deployment.class)) {
			ServiceConfiguration service = ServiceConfiguration.of(deployment.getMetadata().getName());
			Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
			assertThat(container.getPorts()).as(service.module + " container port")
				.anyMatch((port) -> port.getContainerPort() == service.serverPort());
			Map<String, Probe> probes = Map.of("startup", container.getStartupProbe(), "liveness",
					container.getLivenessProbe(), "readiness", container.getReadinessProbe());
			probes.forEach((kind, probe) -> {
				HTTPGetAction get = probe.getHttpGet();
				assertThat(get).as(service.module + " " + kind + " probe over HTTP").isNotNull();
				assertThat(service.healthPaths()).as(service.module + " " + kind + " probe path").contains(get.getPath());
				assertThat(containerPort(container, get)).as(service.module + " " + kind + " probe port")
					.isEqualTo(service.managementPort());
			});
			assertThat(container.getLivenessProbe().getHttpGet().getPath()).endsWith("/health/liveness");
			assertThat(container.getReadinessProbe().getHttpGet().getPath()).endsWith("/health/readiness");

			Service kubeService = rendered.named(Service.class, service.module);
			assertThat(kubeService.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
			assertThat(kubeService.getSpec().getPorts()).anyMatch((port) -> port.getPort() == service.serverPort());
		}
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void everyConfigMapKeyAndSecretReferenceIsAPropertyTheServiceReads(String dir) throws Exception {
		Rendered rendered = render(dir);
		for (Deployment deployment : rendered.all(Deployment.class)) {
			ServiceConfiguration service = ServiceConfiguration.of(deployment.getMetadata().getName());
			Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
			List<String> variables = new ArrayList<>();
			container.getEnvFrom().forEach((source) -> {
				assertThat(source.getConfigMapRef()).as(service.module + " takes its settings from a ConfigMap").isNotNull();
				variables.addAll(rendered.named(ConfigMap.class, source.getConfigMapRef().getName()).getData().keySet());
			});
			container.getEnv().forEach((variable) -> variables.add(variable.getName()));
			assertThat(variables).as(service.module + " settings").isNotEmpty();
			for (String variable : variables) {
				assertThat(service.propertyOf(variable)).as(service.module + " reads " + variable).isPresent();
			}
			for (EnvVar variable : container.getEnv()) {
				assertThat(variable.getValueFrom()).as(service.module + " " + variable.getName() + " from a Secret").isNotNull();
				assertThat(variable.getValueFrom().getSecretKeyRef()).isNotNull();
			}
		}
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void serviceUrlsNameAServiceAndItsPort(String dir) throws Exception {
		Rendered rendered = render(dir);
		for (ConfigMap map : rendered.all(ConfigMap.class)) {
			map.getData().forEach((key, value) -> {
				if (value.startsWith("http://") && key.endsWith("_URL")) {
					URI uri = URI.create(value);
					Service target = rendered.named(Service.class, uri.getHost());
					assertThat(target.getSpec().getPorts()).as(key + " = " + value).anyMatch((port) -> port.getPort() == uri.getPort());
				}
			});
		}
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void autoscalersAndDisruptionBudgetsTargetTheDeployments(String dir) throws Exception {
		Rendered rendered = render(dir);
		List<Deployment> deployments = rendered.all(Deployment.class);
		assertThat(rendered.all(HorizontalPodAutoscaler.class).stream().map((hpa) -> hpa.getSpec().getScaleTargetRef().getName()))
			.containsExactlyInAnyOrder("meeting-reactive", "notifier-reactive");
		for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
			assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
			rendered.named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
			assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2).isLessThan(hpa.getSpec().getMaxReplicas());
		}
		for (Deployment deployment : deployments) {
			Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
			assertThat(rendered.all(PodDisruptionBudget.class))
				.as(deployment.getMetadata().getName() + " has a disruption budget")
				.filteredOn((pdb) -> podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()))
				.hasSize(1);
		}
		for (PodDisruptionBudget pdb : rendered.all(PodDisruptionBudget.class)) {
			assertThat(deployments).as(pdb.getMetadata().getName() + " selects a Deployment's pods")
				.anyMatch((deployment) -> deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet()
					.containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
		}
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void terminationWaitsLongerThanTheServicesShutdown(String dir) throws Exception {
		for (Deployment deployment : render(dir).all(Deployment.class)) {
			ServiceConfiguration service = ServiceConfiguration.of(deployment.getMetadata().getName());
			PodSpec pod = deployment.getSpec().getTemplate().getSpec();
			Container container = pod.getContainers().get(0);
			long preStop = Optional.ofNullable(container.getLifecycle())
				.map((lifecycle) -> lifecycle.getPreStop().getSleep().getSeconds())
				.orElse(0L);
			// the web server's drain and the next phase (the notifier's shutdown-grace lies within its own)
			Duration shutdown = service.shutdownPhase().multipliedBy(2).plusSeconds(preStop);
			assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds())).as(service.module + " grace period")
				.isGreaterThan(shutdown);
		}
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void migrationsRunOnceInAJobPerServiceAndNotInTheReplicas(String dir) throws Exception {
		Rendered rendered = render(dir);
		List<String> withDatabase = new ArrayList<>();
		for (Deployment deployment : rendered.all(Deployment.class)) {
			ServiceConfiguration service = ServiceConfiguration.of(deployment.getMetadata().getName());
			if (!service.yml.containsKey("spring.flyway.schemas")) {
				continue;
			}
			withDatabase.add(service.module);
			String configMap = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
				.getConfigMapRef().getName();
			assertThat(rendered.named(ConfigMap.class, configMap).getData()).containsEntry("SPRING_FLYWAY_ENABLED", "false");
			Job job = rendered.named(Job.class, service.module + "-migrate");
			PodSpec pod = job.getSpec().getTemplate().getSpec();
			Map<String, EnvVar> env = new java.util.HashMap<>();
			pod.getContainers().get(0).getEnv().forEach((variable) -> env.put(variable.getName(), variable));
			assertThat(env.get("FLYWAY_SCHEMAS").getValue()).isEqualTo(service.yml.get("spring.flyway.schemas"));
			assertThat(env.get("FLYWAY_USER").getValueFrom().getSecretKeyRef()).isNotNull();
			assertThat(env.get("FLYWAY_PASSWORD").getValueFrom().getSecretKeyRef()).isNotNull();
			assertThat(pod.getInitContainers().get(0).getImage()).as("the migrations of the release's own image")
				.isEqualTo(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
			assertThat(Files.isDirectory(Repository.root().resolve(service.module).resolve("src/main/resources/db/migration")))
				.as("Jib copies src/main/resources to /app/resources").isTrue();
		}
		assertThat(withDatabase).containsExactlyInAnyOrder("meeting-reactive", "user-reactive", "notifier-reactive");
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void noSecretValueIsKeptInTheManifests(String dir) throws Exception {
		Rendered rendered = render(dir);
		for (Secret secret : rendered.all(Secret.class)) {
			assertThat(secret.getData()).as("Secret " + secret.getMetadata().getName()).isNullOrEmpty();
			assertThat(secret.getStringData()).as("Secret " + secret.getMetadata().getName()).isNullOrEmpty();
		}
		for (ConfigMap map : rendered.all(ConfigMap.class)) {
			assertThat(map.getData().keySet()).as("ConfigMap " + map.getMetadata().getName())
				.noneMatch(KubernetesManifestsTests::secretLike);
		}
		List<Container> containers = new ArrayList<>();
		rendered.all(Deployment.class).forEach((d) -> containers.addAll(d.getSpec().getTemplate().getSpec().getContainers()));
		rendered.all(Job.class).forEach((job) -> containers.addAll(job.getSpec().getTemplate().getSpec().getContainers()));
		for (Container container : containers) {
			for (EnvVar variable : container.getEnv()) {
				if (secretLike(variable.getName())) {
					assertThat(variable.getValue()).as(container.getName() + " " + variable.getName() + " literal").isNull();
					assertThat(variable.getValueFrom().getSecretKeyRef()).as(variable.getName()).isNotNull();
				}
			}
		}
	}

	@ParameterizedTest // #20
	@ValueSource(strings = { "deploy/k8s", "deploy/k8s/overlays/production" })
	void imagesAreTheOnesJibBuilds(String dir) throws Exception {
		for (Deployment deployment : render(dir).all(Deployment.class)) {
			String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
			String name = deployment.getMetadata().getName();
			if (dir.endsWith("production")) {
				assertThat(image).matches(".+/" + name + ":[0-9][^:]*");
			}
			else {
				assertThat(image).isEqualTo(Repository.image(name));
			}
		}
	}

	private static boolean secretLike(String name) {
		return name.matches(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL).*");
	}

	private static int containerPort(Container container, HTTPGetAction get) {
		if (get.getPort().getStrVal() != null) {
			return container.getPorts().stream()
				.filter((port) -> get.getPort().getStrVal().equals(port.getName()))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no container port named " + get.getPort().getStrVal()))
				.getContainerPort();
		}
		return get.getPort().getIntVal();
	}

	/** The documents that {@code kubectl kustomize <dir>} prints, as fabric8 model objects. */
	static Rendered render(String dir) throws IOException, InterruptedException {
		assumeTrue(kubectlPresent(), "kubectl is not on the PATH: the kustomize rendering of " + dir + " is not checked here");
		Process process = new ProcessBuilder("kubectl", "kustomize", dir).directory(Repository.root().toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("kubectl kustomize " + dir + ":\n" + output).isZero();
		List<HasMetadata> documents = new ArrayList<>();
		for (String document : output.split("(?m)^---\\s*$")) {
			if (!document.isBlank()) {
				documents.add(serialization.unmarshal(document, HasMetadata.class));
			}
		}
		assertThat(documents).isNotEmpty();
		return new Rendered(documents);
	}

	private static boolean kubectlPresent() {
		String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
		return Stream.of(path.split(java.io.File.pathSeparator)).anyMatch((dir) -> Files.isExecutable(Path.of(dir, "kubectl")));
	}

	record Rendered(List<HasMetadata> documents) {

		<T extends HasMetadata> List<T> all(Class<T> type) {
			return documents.stream().filter(type::isInstance).map(type::cast).toList();
		}

		<T extends HasMetadata> T named(Class<T> type, String name) {
			return all(type).stream()
				.filter((resource) -> resource.getMetadata().getName().equals(name))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
		}

	}

}
