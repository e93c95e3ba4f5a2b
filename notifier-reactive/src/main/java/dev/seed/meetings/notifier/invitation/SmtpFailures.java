package dev.seed.meetings.notifier.invitation;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.simplejavamail.mailer.MailCompletenessException;
import org.simplejavamail.mailer.MailInvalidAddressException;
import org.simplejavamail.mailer.MailValidationException;

/**
 * Tells a failure worth retrying (the server is away, slow, or said 4xx) from one that will fail again
 * (a 5xx reply, an address that is not one).
 */
final class SmtpFailures {

	private SmtpFailures() {
	}

	static boolean isTransient(Throwable failure) {
		boolean network = false;
		Map<Throwable, Boolean> seen = new IdentityHashMap<>();
		for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = next(cause)) {
			Integer code = replyCode(cause);
			if (code != null && code > 0) {
				return code >= 400 && code < 500;
			}
			if (cause instanceof AddressException || cause instanceof MailInvalidAddressException
					|| cause instanceof MailValidationException || cause instanceof MailCompletenessException) {
				return false;
			}
			if (cause instanceof IOException || cause instanceof MessagingException) {
				network = true;
			}
		}
		return network;
	}

	/** A short, single-line description for the delivery record: no stack trace, no message body. */
	static String describe(Throwable failure) {
		Throwable deepest = failure;
		Map<Throwable, Boolean> seen = new IdentityHashMap<>();
		for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = next(cause)) {
			if (replyCode(cause) != null) {
				deepest = cause;
				break;
			}
			deepest = cause;
		}
		String message = (deepest.getMessage() != null) ? Text.oneLine(deepest.getMessage()) : "";
		String description = deepest.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
		return (description.length() > 500) ? description.substring(0, 500) : description;
	}

	private static Integer replyCode(Throwable cause) {
		if (cause instanceof SMTPAddressFailedException ex) {
			return ex.getReturnCode();
		}
		if (cause instanceof SMTPSenderFailedException ex) {
			return ex.getReturnCode();
		}
		if (cause instanceof SMTPSendFailedException ex) {
			return ex.getReturnCode();
		}
		return null;
	}

	private static Throwable next(Throwable cause) {
		if (cause instanceof MessagingException messaging && messaging.getNextException() != null) {
			return messaging.getNextException();
		}
		return cause.getCause();
	}

}
