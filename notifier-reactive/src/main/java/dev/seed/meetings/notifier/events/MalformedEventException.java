package dev.seed.meetings.notifier.events;

/** A message that no retry can ever process: it is parked, not requeued. */
public class MalformedEventException extends RuntimeException {

	public MalformedEventException(String message) {
		super(message);
	}

	public MalformedEventException(String message, Throwable cause) {
		super(message, cause);
	}

}
