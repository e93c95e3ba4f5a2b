package dev.seed.meetings.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** A local SMTP server and a page that lists what it received, so that a person can read the invitations. */
final class LocalMail implements AutoCloseable {

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
			byte[] body = mail.render().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		page.start();
		return mail;
	}

	String pageUrl() {
		return "http://127.0.0.1:" + page.getAddress().getPort() + "/";
	}

	private String render() {
		StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>Invitations sent</title>")
			.append("<h1>Invitations sent</h1>");
		MimeMessage[] messages = greenMail.getReceivedMessages();
		html.append("<p>").append(messages.length).append(" message(s), newest last.</p>");
		for (MimeMessage message : messages) {
			try {
				html.append("<details><summary>")
					.append(escape(recipients(message)))
					.append(" — ")
					.append(escape(String.valueOf(message.getSubject())))
					.append("</summary><pre>")
					.append(escape(GreenMailUtil.getWholeMessage(message)))
					.append("</pre></details>");
			}
			catch (MessagingException ex) {
				html.append("<p>(unreadable message: ").append(escape(ex.getMessage())).append(")</p>");
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
