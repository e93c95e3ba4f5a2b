package dev.seed.meetings.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The local mail page, on a real SMTP conversation and real HTTP requests. */
class LocalMailTests {

	private static final String ICS = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0",
			"PRODID:-//Seed Meetings//Notifier//EN", "METHOD:REQUEST", "BEGIN:VEVENT",
			"UID:5b0f7c1e-9c4e-4a55-9d6b-2f1f4c3e8a10@meetings.seed", "DTSTAMP:20261120T080000Z",
			"DTSTART:20261201T010000Z", "DTEND:20261201T020000Z",
			"SUMMARY:設計レビュー\\, 東京 — a title long enough that quoted-printable has to wrap it, = and all",
			"END:VEVENT", "END:VCALENDAR", "");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private LocalMail mail;

	private int smtpPort;

	@BeforeEach
	void start() throws IOException {
		this.smtpPort = freePort();
		this.mail = LocalMail.start("127.0.0.1", this.smtpPort, 0);
	}

	@AfterEach
	void stop() {
		this.mail.close();
	}

	/** Each message is offered raw as .eml and its calendar part decoded as .ics, both as downloads. */
	@Test // #16
	void offersEachMessageAsEmlAndItsCalendarAsIcs() throws Exception {
		send("Invitation: Design review", true);
		send("Just text", false);

		HttpResponse<String> page = get("");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("href=\"/messages/1.eml\"", "href=\"/messages/1.ics\"",
				"href=\"/messages/2.eml\"")
			.doesNotContain("href=\"/messages/2.ics\"");

		HttpResponse<byte[]> ics = getBytes("messages/1.ics");
		assertThat(ics.statusCode()).isEqualTo(200);
		assertThat(ics.headers().firstValue("Content-Type")).hasValue("text/calendar; charset=utf-8; method=REQUEST");
		assertThat(ics.headers().firstValue("Content-Disposition"))
			.hasValue("attachment; filename=\"invitation-1.ics\"");
		assertThat(new String(ics.body(), StandardCharsets.UTF_8)).isEqualTo(ICS);

		HttpResponse<byte[]> eml = getBytes("messages/1.eml");
		assertThat(eml.statusCode()).isEqualTo(200);
		assertThat(eml.headers().firstValue("Content-Type")).hasValue("message/rfc822");
		assertThat(eml.headers().firstValue("Content-Disposition"))
			.hasValue("attachment; filename=\"invitation-1.eml\"");
		MimeMessage read = new MimeMessage(Session.getInstance(new Properties()),
				new ByteArrayInputStream(eml.body()));
		assertThat(read.getSubject()).isEqualTo("Invitation: Design review");
		assertThat(new String(eml.body(), StandardCharsets.US_ASCII)).contains("quoted-printable")
			.doesNotContain("設計");

		assertThat(getBytes("messages/2.eml").statusCode()).isEqualTo(200);
		assertThat(getBytes("messages/2.ics").statusCode()).isEqualTo(404);
		assertThat(getBytes("messages/3.eml").statusCode()).isEqualTo(404);
		assertThat(getBytes("messages/0.eml").statusCode()).isEqualTo(404);
		assertThat(getBytes("messages/x.ics").statusCode()).isEqualTo(404);
	}

	private void send(String subject, boolean withCalendar) throws Exception {
		Properties properties = new Properties();
		properties.put("mail.smtp.host", "127.0.0.1");
		properties.put("mail.smtp.port", String.valueOf(this.smtpPort));
		Session session = Session.getInstance(properties);
		MimeMessage message = new MimeMessage(session);
		message.setFrom(new InternetAddress("invitations@meetings.local"));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress("haruki@example.com"));
		message.setSubject(subject, "UTF-8");
		MimeMultipart alternative = new MimeMultipart("alternative");
		MimeBodyPart text = new MimeBodyPart();
		text.setText("Hello", "UTF-8");
		alternative.addBodyPart(text);
		if (withCalendar) {
			MimeBodyPart calendar = new MimeBodyPart();
			calendar.setContent(ICS, "text/calendar; charset=UTF-8; method=REQUEST");
			calendar.setHeader("Content-Transfer-Encoding", "quoted-printable");
			alternative.addBodyPart(calendar);
		}
		message.setContent(alternative);
		Transport.send(message);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.mail.pageUrl() + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<byte[]> getBytes(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.mail.pageUrl() + path)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
