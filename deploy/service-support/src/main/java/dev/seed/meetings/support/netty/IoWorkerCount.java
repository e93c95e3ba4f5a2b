package dev.seed.meetings.support.netty;

import reactor.netty.ReactorNetty;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * One Netty event loop per core, not Reactor Netty's minimum of four: on two cores, four loops took turns on them, a
 * context switch each (flight recordings under load). Set before the application context, and so before Reactor
 * Netty reads it once for its loops; {@code -Dreactor.netty.ioWorkerCount} still decides.
 */
public class IoWorkerCount implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (System.getProperty(ReactorNetty.IO_WORKER_COUNT) == null) {
			System.setProperty(ReactorNetty.IO_WORKER_COUNT, Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
	}

}
