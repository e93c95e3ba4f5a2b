package dev.seed.meetings.notifier.invitation;

import java.net.URI;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.notifier.delivery.SendOutcome;
import dev.seed.meetings.notifier.events.MeetingCreated;
import dev.seed.meetings.support.context.RequestContext;

/**
 * Renders and mails invitations. simple-java-mail blocks, so every send runs on the {@code smtp} scheduler, which
 * has exactly {@code max-concurrent-sends} threads: that is the bound on SMTP sends in flight across all messages.
 */
@Component
public class InvitationSender implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(InvitationSender.class);

	private final NotifierProperties properties;

	private final SmtpMailer mailer;

	private final InvitationRenderer renderer;

	private final CalendarRenderer calendars;

	private final Scheduler smtp;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Counter sent;

	private final Counter failed;

	private final Counter retried;

	InvitationSender(NotifierProperties properties, MeterRegistry registry) {
		this.properties = properties;
		this.mailer = new SmtpMailer(properties);
		this.renderer = new InvitationRenderer(properties.publicBaseUrl(),
				new InvitationTokens(properties.invitations().secret()));
		this.calendars = new CalendarRenderer(Clock.systemUTC(), properties.mail().from());
		int bound = properties.maxConcurrentSends();
		// queued tasks: at most prefetch (= bound) messages, each with at most bound attendees in flight
		this.smtp = Schedulers.newBoundedElastic(bound, Math.max(1_024, bound * bound), "smtp");
		this.sent = outcome(registry, "sent");
		this.failed = outcome(registry, "failed");
		this.retried = outcome(registry, "retried");
		Gauge.builder("notifier.emails.in-flight", this.inFlight, AtomicInteger::get)
			.description("SMTP sends in progress")
			.register(registry);
	}

	private static Counter outcome(MeterRegistry registry, String outcome) {
		return Counter.builder("notifier.emails").description("Invitation emails by outcome")
			.tag("outcome", outcome).register(registry);
	}

	/** The meeting's calendar part, rendered once for all of its attendees, off the caller's thread. */
	public Mono<MeetingCalendar> calendar(MeetingCreated event) {
		return Mono.fromCallable(() -> this.calendars.prepare(event))
			.subscribeOn(Schedulers.boundedElastic());
	}

	/** The calendar part of a later state of the meeting: {@code SEQUENCE} = {@code sequence}; REQUEST or CANCEL. */
	Mono<MeetingCalendar> calendar(MeetingCreated meeting, int sequence, Notice notice) {
		return Mono.fromCallable(() -> this.calendars.prepare(meeting, sequence, notice.cancels()))
			.subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * One SMTP attempt for one attendee; never fails: the outcome says SENT, RETRY (a transient failure: 4xx, the
	 * server away or slow) or FAILED (a 5xx reply, an address that is not one). Retries are scheduled in the
	 * delivery rows, not here, so a message never waits for an SMTP server to come back.
	 */
	public Mono<SendOutcome> send(MeetingCreated event, MeetingCreated.Attendee attendee, MeetingCalendar calendar) {
		return send(event, attendee, calendar, Notice.INVITATION);
	}

	/** The same for any notice about the meeting. */
	Mono<SendOutcome> send(MeetingCreated event, MeetingCreated.Attendee attendee, MeetingCalendar calendar,
			Notice notice) {
		return Mono.fromRunnable(() -> sendNow(event, attendee, calendar, notice))
			.subscribeOn(this.smtp)
			.then(Mono.fromSupplier(() -> sent(attendee)))
			// its log line carries the message's trace
			.onErrorResume((ex) -> RequestContext.within(() -> Mono.just(failed(event, attendee, ex))));
	}

	private void sendNow(MeetingCreated event, MeetingCreated.Attendee attendee, MeetingCalendar calendar,
			Notice notice) {
		this.inFlight.incrementAndGet();
		try {
			this.mailer.send(render(event, attendee, calendar, notice));
		}
		finally {
			this.inFlight.decrementAndGet();
		}
	}

	/** This attendee's mail: the times in their zone, the link and calendar copy carrying their own token. */
	private Invitation render(MeetingCreated event, MeetingCreated.Attendee attendee, MeetingCalendar calendar,
			Notice notice) {
		ZoneId zone = InvitationRenderer.zoneFor(event, attendee, this.properties.defaultZone());
		URI link = this.renderer.link(event, attendee);
		return this.renderer.render(event, attendee, zone, link, calendar.forAttendee(link), notice);
	}

	private SendOutcome sent(MeetingCreated.Attendee attendee) {
		this.sent.increment();
		return SendOutcome.sent(attendee.userId().strip());
	}

	private SendOutcome failed(MeetingCreated event, MeetingCreated.Attendee attendee, Throwable ex) {
		String error = SmtpFailures.describe(ex);
		String userId = attendee.userId().strip();
		if (SmtpFailures.isTransient(ex)) {
			this.retried.increment();
			log.debug("Invitation to {} for meeting {} will be tried again: {}", userId, event.meetingId(), error);
			return SendOutcome.retry(userId, error);
		}
		this.failed.increment();
		log.warn("Invitation to {} for meeting {} failed for good: {}", userId, event.meetingId(), error);
		return SendOutcome.failed(userId, error);
	}

	@Override
	public void destroy() {
		this.smtp.dispose();
		this.mailer.close();
	}

}
