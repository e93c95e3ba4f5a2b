package dev.seed.meetings.meeting;

import reactor.netty.ReactorNetty;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class MeetingApplication {

	public static void main(String[] args) {
		// one Netty event loop per core, not Reactor Netty's minimum of four: on two cores, four loops took turns
		// on them, a context switch each (flight recordings under load); -Dreactor.netty.ioWorkerCount still decides
		if (System.getProperty(ReactorNetty.IO_WORKER_COUNT) == null) {
			System.setProperty(ReactorNetty.IO_WORKER_COUNT, Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
		SpringApplication.run(MeetingApplication.class, args);
	}

}
