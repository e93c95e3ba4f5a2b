import java.time.Duration;

import dev.seed.meetings.testsupport.FaultProxy;

/**
 * {@code java -cp <test-support classpath> DelayProxy.java <upstream port> <delay ms>}: a TCP proxy in front of
 * 127.0.0.1:&lt;upstream port&gt; that holds each request and each response for half the delay, so that a lookup
 * (one small request, one small response) takes the delay longer. Prints its own port, then runs until killed.
 */
public class DelayProxy {

	public static void main(String[] args) throws InterruptedException {
		FaultProxy proxy = FaultProxy.start("delay", "127.0.0.1", Integer.parseInt(args[0]));
		proxy.delay(Duration.ofMillis(Long.parseLong(args[1]) / 2));
		System.out.println("port " + proxy.port());
		Thread.currentThread().join();
	}

}
