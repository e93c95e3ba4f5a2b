package dev.seed.meetings.meeting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * user-reactive as the tests want it: a MockWebServer that knows the users a test registers, can answer slowly or
 * fail, and remembers which ids were asked for.
 */
public final class UserDirectoryStub {

	private static final UserDirectoryStub INSTANCE = new UserDirectoryStub();

	private final MockWebServer server = new MockWebServer();

	private final Map<String, String> users = new ConcurrentHashMap<>();

	private final Queue<String> requested = new ConcurrentLinkedQueue<>();

	private volatile long delayMillis;

	private volatile int failWith;

	private UserDirectoryStub() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request);
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static UserDirectoryStub get() {
		return INSTANCE;
	}

	public String baseUrl() {
		String url = this.server.url("/").toString();
		return url.substring(0, url.length() - 1);
	}

	/** Registers users with fresh ids and gives the ids. */
	public List<String> newUsers(int count) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = "u-" + run + "-" + i;
			this.users.put(id, "{\"userId\":\"" + id + "\",\"name\":\"User " + i + "\",\"email\":\"" + id
					+ "@example.test\",\"timezone\":\"Asia/Tokyo\"}");
			ids.add(id);
		}
		return ids;
	}

	/** Registers one user with a fresh id, this name and time zone (none when null), and gives the id. */
	public String newUser(String name, String timezone) {
		String id = "u-" + UUID.randomUUID().toString().substring(0, 8);
		this.users.put(id, "{\"userId\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\"" + id
				+ "@example.test\",\"timezone\":" + ((timezone != null) ? "\"" + timezone + "\"" : "null") + "}");
		return id;
	}

	/** How many times each id was asked for since the last {@link #reset()}. */
	public List<String> requestedIds() {
		return List.copyOf(this.requested);
	}

	public void delay(long millis) {
		this.delayMillis = millis;
	}

	/** Answer every lookup with this status (0: answer normally). */
	public void failWith(int status) {
		this.failWith = status;
	}

	public void reset() {
		this.requested.clear();
		this.delayMillis = 0;
		this.failWith = 0;
	}

	private MockResponse answer(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		String id = path.substring(path.lastIndexOf('/') + 1);
		this.requested.add(id);
		MockResponse.Builder response = new MockResponse.Builder().headersDelay(this.delayMillis, TimeUnit.MILLISECONDS);
		if (this.failWith != 0) {
			return response.code(this.failWith).build();
		}
		String body = this.users.get(id);
		if (body == null) {
			return response.code(404)
				.addHeader("Content-Type", "application/problem+json")
				.body("{\"status\":404,\"title\":\"Not Found\"}")
				.build();
		}
		return response.code(200).addHeader("Content-Type", "application/json").body(body).build();
	}

}
