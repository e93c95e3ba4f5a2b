package dev.seed.meetings.notifier.invitation;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.angus.mail.util.MailStreamProvider;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.StringUtils;

import dev.seed.meetings.notifier.config.NotifierProperties;

/**
 * simple-java-mail behind one blocking call. The batch module keeps a pool of at most
 * {@code max-concurrent-sends} SMTP connections, so a busy notifier does not pay a handshake per mail.
 */
final class SmtpMailer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);

	private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

	static {
		// jakarta.mail looks its StreamProvider up again for every multipart, body part and encoded header (several
		// per mail), by default with a ServiceLoader scan of every jar of the application: most of a send's CPU.
		// Named here, the lookup is a class-name lookup instead (an explicit setting is left as it is).
		if (System.getProperty(STREAM_PROVIDER) == null) {
			System.setProperty(STREAM_PROVIDER, MailStreamProvider.class.getName());
		}
	}

	private final Mailer mailer;

	private final String from;

	private final String fromName;

	SmtpMailer(NotifierProperties properties) {
		NotifierProperties.Smtp smtp = properties.smtp();
		int timeoutMillis = (int) smtp.timeout().toMillis();
		this.mailer = MailerBuilder
			.withSMTPServer(smtp.host(), smtp.port(), emptyToNull(smtp.username()), emptyToNull(smtp.password()))
			.withTransportStrategy(TransportStrategy.SMTP)
			.withSessionTimeout(timeoutMillis)
			.withConnectionPoolCoreSize(0)
			.withConnectionPoolMaxSize(properties.maxConcurrentSends())
			.withConnectionPoolClaimTimeoutMillis(timeoutMillis)
			.withConnectionPoolExpireAfterMillis(30_000)
			.buildMailer();
		this.from = properties.mail().from();
		this.fromName = properties.mail().fromName();
	}

	/** Sends one invitation on the calling thread; throws what the SMTP conversation threw. */
	void send(Invitation invitation) {
		Email email = EmailBuilder.startingBlank()
			.from(this.fromName, this.from)
			.to(StringUtils.hasText(invitation.recipientName()) ? invitation.recipientName() : null,
					invitation.recipientEmail())
			.withSubject(invitation.subject())
			.withPlainText(invitation.text())
			.withHTMLText(invitation.html())
			.withCalendarText(invitation.method(), invitation.calendar())
			.buildEmail();
		try {
			// simple-java-mail blocks; InvitationSender calls this only on its bounded "smtp" scheduler
			this.mailer.sendMail(email, false).join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
	}

	@Override
	public void close() {
		try {
			this.mailer.shutdownConnectionPool().get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			log.warn("Closing the SMTP connection pool failed: {}", ex.toString());
		}
	}

	private static String emptyToNull(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

}
