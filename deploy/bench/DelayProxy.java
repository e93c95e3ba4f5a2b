import java.time.Duration;

import dev.seed.meetings.testsupport.FaultProxy;

/**
 * {@code java -cp <test-support classpath> DelayProxy.java <upstream port> <delay ms> <port>}: a TCP proxy on
 * 127.0.0.1:&lt;port&gt; in front of 127.0.0.1:&lt;upstream port&gt; that holds each request and each response for half
 * the delay, so that a lookup (one small request, one small response) takes the delay longer. Runs until killed.
 */
public class DelayProxy {

	public static void main(String[] args) throws InterruptedException {
		FaultProxy proxy = FaultProxy.start("delay", "127.0.0.1", Integer.parseInt(args[0]), Integer.parseInt(args[2]));
		proxy.delay(Duration.ofMillis(Long.parseLong(args[1]) / 2));
		Thread.currentThread().join();
	}

}
