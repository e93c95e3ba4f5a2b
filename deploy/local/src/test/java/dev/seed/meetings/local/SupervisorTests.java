package dev.seed.meetings.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher's watch over the processes it started, with small fake services as those processes. */
class SupervisorTests {

	@TempDir
	Path logs;

	private final List<ServiceProcess> started = new ArrayList<>();

	private final List<String> said = new CopyOnWriteArrayList<>();

	private final Supervisor supervisor = new Supervisor(this.said::add);

	@AfterEach
	void stopAll() {
		this.started.forEach(ServiceProcess::close);
	}

	/** Each service is said to be ready with its start-up time; then the one that exits is named with its log. */
	@Test // #21
	void namesTheServiceThatExitsWithTheEndOfItsLog() throws Exception {
		ServiceProcess steady = start("steady-service", "steady");
		ServiceProcess dying = start("dying-service", "die-after:3000");
		this.supervisor.awaitReady(List.of(steady, dying), Duration.ofSeconds(60));
		assertThat(this.said).anySatisfy(line -> assertThat(line).matches("steady-service ready on .* in [0-9.]+ s"))
			.anySatisfy(line -> assertThat(line).startsWith("dying-service ready on"));

		Instant begin = Instant.now();
		Supervisor.Failure failure = this.supervisor.watch(List.of(steady, dying), List.of());

		assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(15));
		assertThat(failure.getMessage()).isEqualTo("dying-service exited with code 3");
		assertThat(failure.logTail()).contains("boom: giving up");
		assertThat(steady.isAlive()).isTrue();
	}

	/** A service that dies while the others start ends the wait at once, not after the start-up timeout. */
	@Test // #21
	void aServiceThatDiesWhileStartingFailsTheStartAtOnce() throws Exception {
		ServiceProcess steady = start("steady-service", "steady");
		ServiceProcess broken = start("broken-service", "die-early");
		Instant begin = Instant.now();

		assertThatThrownBy(() -> this.supervisor.awaitReady(List.of(steady, broken), Duration.ofSeconds(120)))
			.isInstanceOfSatisfying(Supervisor.Failure.class, failure -> {
				assertThat(failure.getMessage()).isEqualTo("broken-service exited with code 3");
				assertThat(failure.logTail()).contains("boom: cannot start");
			});
		assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(15));
	}

	/** A service that keeps running but whose health check fails is named too. */
	@Test // #21
	void namesTheServiceWhoseHealthCheckFails() throws Exception {
		ServiceProcess sick = start("sick-service", "unhealthy-after:2000");
		this.supervisor.awaitReady(List.of(sick), Duration.ofSeconds(60));
		Instant begin = Instant.now();

		Supervisor.Failure failure = this.supervisor.watch(List.of(sick), List.of());

		assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(15));
		assertThat(failure.getMessage()).isEqualTo("sick-service failed its health check 3 times in a row");
		assertThat(failure.logTail()).contains("lost my database");
	}

	/** A server that stops answering its protocol is named. */
	@Test // #21
	void namesTheServerThatStopsAnswering() throws Exception {
		int port = TestPorts.free();
		Supervisor.Watched smtp = new Supervisor.Watched("SMTP", Probes.SMTP, "127.0.0.1", port);
		Supervisor.Failure failure = this.supervisor.watch(List.of(), List.of(smtp));
		assertThat(failure.getMessage()).isEqualTo("SMTP stopped answering SMTP on 127.0.0.1:" + port);
	}

	private ServiceProcess start(String name, String mode) throws Exception {
		Path log = this.logs.resolve(name + ".log");
		Files.createDirectories(this.logs);
		ServiceProcess process = FakeService.start(name, TestPorts.free(), mode, log);
		this.started.add(process);
		return process;
	}

}
