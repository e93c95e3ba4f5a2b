package dev.seed.meetings.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer standing in for one service; answers every request with the response set last. */
final class Upstream {

	private final MockWebServer server = new MockWebServer();

	private volatile MockResponse response = ok();

	Upstream() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return Upstream.this.response;
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static MockResponse ok() {
		return new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/json")
			.body("{\"ok\":true}")
			.build();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getPort();
	}

	void answer(MockResponse response) {
		this.response = response;
	}

	/** The next request this service received, or null if none came within a second. */
	RecordedRequest next() throws InterruptedException {
		return this.server.takeRequest(1, TimeUnit.SECONDS);
	}

	/** Forgets requests received so far and answers 200 again. */
	void reset() throws InterruptedException {
		this.response = ok();
		while (this.server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
			// drained
		}
	}

	int requestCount() {
		return this.server.getRequestCount();
	}

}
