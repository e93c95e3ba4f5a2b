package dev.seed.meetings.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/**
 * A local SMTP server and a page that lists what it received, so that a person can read the invitations, and
 * download each one as it arrived ({@code /messages/{n}.eml}) or its calendar part, decoded, to import into their
 * own calendar ({@code /messages/{n}.ics}); {@code n} counts from 1, oldest first.
 */
final class LocalMail implements AutoCloseable {

	private static final Pattern DOWNLOAD = Pattern.compile("/messages/([1-9][0-9]{0,8})\\.(eml|ics)");

	private final GreenMail greenMail;

	private final HttpServer page;

	private LocalMail(GreenMail greenMail, HttpServer page) {
		this.greenMail = greenMail;
		this.page = page;
	}

	static LocalMail start(String bindAddress, int smtpPort, int pagePort) throws IOException {
		GreenMail greenMail = new GreenMail(new ServerSetup(smtpPort, bindAddress, ServerSetup.PROTOCOL_SMTP));
		greenMail.start();
		HttpServer page = HttpServer.create(new InetSocketAddress(bindAddress, pagePort), 0);
		LocalMail mail = new LocalMail(greenMail, page);
		page.createContext("/", exchange -> {
			try {
				send(exchange, 200, "text/html; charset=utf-8", null, mail.render().getBytes(StandardCharsets.UTF_8));
			}
			finally {
				exchange.close();
			}
		});
		page.createContext("/messages/", exchange -> {
			try {
				mail.download(exchange);
			}
			finally {
				exchange.close();
			}
		});
		page.start();
		return mail;
	}

	String pageUrl() {
		return "http://127.0.0.1:" + page.getAddress().getPort() + "/";
	}

	private void download(HttpExchange exchange) throws IOException {
		Matcher path = DOWNLOAD.matcher(exchange.getRequestURI().getPath());
		MimeMessage[] messages = greenMail.getReceivedMessages();
		int number = path.matches() ? Integer.parseInt(path.group(1)) : 0;
		if (number < 1 || number > messages.length) {
			notFound(exchange, "No such message.");
			return;
		}
		MimeMessage message = messages[number - 1];
		try {
			if (path.group(2).equals("eml")) {
				ByteArrayOutputStream raw = new ByteArrayOutputStream();
				message.writeTo(raw);
				send(exchange, 200, "message/rfc822", "invitation-" + number + ".eml", raw.toByteArray());
				return;
			}
			Part calendar = calendarPart(message);
			if (calendar == null) {
				notFound(exchange, "This message has no calendar part.");
				return;
			}
			byte[] ics = calendar.getInputStream().readAllBytes();
			send(exchange, 200, "text/calendar; charset=utf-8; method=" + method(calendar),
					"invitation-" + number + ".ics", ics);
		}
		catch (MessagingException ex) {
			send(exchange, 500, "text/plain; charset=utf-8", null,
					("Unreadable message: " + ex.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
		}
	}

	/** The first text/calendar part, depth first; null when there is none. */
	private static Part calendarPart(Part part) throws MessagingException, IOException {
		if (part.isMimeType("text/calendar")) {
			return part;
		}
		if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				Part found = calendarPart(multipart.getBodyPart(i));
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	/** The part's iTIP method (REQUEST, CANCEL...), as its content type says; REQUEST when it says none. */
	private static String method(Part calendar) throws MessagingException {
		Matcher method = Pattern.compile("(?i);\\s*method=\"?([A-Za-z-]+)").matcher(calendar.getContentType());
		return method.find() ? method.group(1).toUpperCase(Locale.ROOT) : "REQUEST";
	}

	private static void notFound(HttpExchange exchange, String text) throws IOException {
		send(exchange, 404, "text/plain; charset=utf-8", null, text.getBytes(StandardCharsets.UTF_8));
	}

	private static void send(HttpExchange exchange, int status, String contentType, String attachment, byte[] body)
			throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		if (attachment != null) {
			exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + attachment + "\"");
		}
		exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private String render() {
		StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>Invitations sent</title>")
			.append("<h1>Invitations sent</h1>");
		MimeMessage[] messages = greenMail.getReceivedMessages();
		html.append("<p>").append(messages.length).append(" message(s), newest last.</p>");
		for (int i = 0; i < messages.length; i++) {
			MimeMessage message = messages[i];
			String number = String.valueOf(i + 1);
			try {
				html.append("<details><summary>")
					.append(escape(recipients(message)))
					.append(" — ")
					.append(escape(String.valueOf(message.getSubject())))
					.append(" · <a href=\"/messages/").append(number).append(".eml\" download>.eml</a>");
				if (calendarPart(message) != null) {
					html.append(" · <a href=\"/messages/").append(number).append(".ics\" download>.ics</a>");
				}
				html.append("</summary><pre>")
					.append(escape(GreenMailUtil.getWholeMessage(message)))
					.append("</pre></details>");
			}
			catch (MessagingException | IOException ex) {
				html.append("<p>(unreadable message: ").append(escape(String.valueOf(ex.getMessage()))).append(")</p>");
			}
		}
		return html.toString();
	}

	private static String recipients(MimeMessage message) throws MessagingException {
		StringBuilder to = new StringBuilder();
		Address[] addresses = message.getAllRecipients();
		for (int i = 0; addresses != null && i < addresses.length; i++) {
			to.append(i == 0 ? "" : ", ").append(addresses[i]);
		}
		return to.toString();
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	@Override
	public void close() {
		page.stop(0);
		greenMail.stop();
	}

}
