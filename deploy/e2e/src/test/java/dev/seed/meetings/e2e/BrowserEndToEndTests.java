package dev.seed.meetings.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The booking page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), against the running
 * system: sign in, book, watch the invitations go out and the answers come in live, reschedule and cancel from My
 * meetings; the session cookie opens the stream, CSRF and CORS hold.
 * Screenshots land in {@code target/screenshots/}.
 */
class BrowserEndToEndTests extends EndToEndTest {

	static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SEED_CHROMIUM", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("SEED_CHROMEDRIVER", "/usr/bin/chromedriver"));

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	/** The browser's own time zone, unlike the machine's, so that the page shows it converts. */
	static final String TIME_ZONE = "Asia/Tokyo";

	static ChromeDriver driver;

	static Path profile;

	static String organizer;

	@BeforeAll
	static void startBrowser() throws IOException {
		assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
			.as("The browser tests need Chromium and its driver at %s and %s (apt-get install -y chromium "
					+ "chromium-driver, or SEED_CHROMIUM / SEED_CHROMEDRIVER); nothing is downloaded", CHROMIUM,
					CHROMEDRIVER)
			.isTrue();
		Files.createDirectories(SCREENSHOTS);
		profile = Files.createTempDirectory("e2e-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--lang=en-US", "--window-size=1280,1000", "--user-data-dir=" + profile);
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		logs.enable(LogType.PERFORMANCE, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.withEnvironment(Map.of("TZ", TIME_ZONE))
			.build();
		driver = new ChromeDriver(service, options);
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));

		organizer = createUserNamed("org", "Olivia Organizer");
		signIn(organizer);
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (driver != null) {
			driver.quit();
		}
		if (profile != null) {
			try (var files = Files.walk(profile)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	/**
	 * The seed flow in the browser: the form with two attendees picked by name from the directory, an empty title
	 * refused by the API next to the field, then the booking and its completion screen, where both invitations turn
	 * SENT within 30 s as the stream tells; apart from the refused empty title, no request fails and nothing is
	 * logged as an error on the way.
	 */
	@Test // #19
	void bookAMeetingAndWatchTheInvitationsGoOut() throws Exception {
		String ann = createUserNamed("ann", "Ann Attendee " + run);
		String bob = createUserNamed("bob", "Bob Attendee " + run);
		drainLogs();
		driver.get(system.gatewayUrl() + "/#book");
		WebElement title = waitFor(By.id("title"));
		assertThat(driver.findElement(By.id("who")).getText()).contains(organizer);
		assertThat(driver.findElement(By.id("zone-hint")).getText()).contains(TIME_ZONE);

		// keyboard only: type a part of the name, the first match is active, Enter picks it
		pickAttendee("Ann Attendee " + run, ann);
		pickAttendee("Bob Attendee " + run, bob);
		driver.findElement(By.id("location")).sendKeys("Room 3F-A");
		assertThat(driver.findElements(By.cssSelector("#attendees li")).stream().map(WebElement::getText))
			.anySatisfy((text) -> assertThat(text).contains("Ann Attendee " + run).contains(ann))
			.anySatisfy((text) -> assertThat(text).contains("Bob Attendee " + run).contains(bob));

		assertNoErrorsLogged();

		// an empty title: the API's field error (a 400 the page expects, so left out of the check below)
		driver.findElement(By.id("book")).sendKeys(Keys.ENTER);
		WebElement titleError = waitFor(By.id("title-error"));
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until((d) -> !titleError.getText().isBlank());
		assertThat(titleError.getText()).contains("must not be blank");
		assertThat(title.getDomAttribute("aria-invalid")).isEqualTo("true");
		assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("title");
		screenshot("2-field-error");
		drainLogs();

		title.sendKeys("Design review " + run);
		assertThat(titleError.isDisplayed()).as("the title's error once the title is edited").isFalse();
		screenshot("1-form");
		driver.findElement(By.id("book")).sendKeys(Keys.ENTER);

		WebElement meetingId = waitFor(By.id("meeting-id"));
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
			.until((d) -> meetingId.getText().matches("[0-9a-f-]{36}"));
		assertThat(driver.findElement(By.id("meeting-title")).getText()).isEqualTo("Booking complete");
		assertThat(driver.findElement(By.id("meeting-name")).getText()).isEqualTo("Design review " + run);
		assertThat(driver.findElement(By.id("meeting-when")).getText()).contains("GMT+9");
		new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until((d) -> statusOf(ann).equals("SENT")
				&& statusOf(bob).equals("SENT"));
		for (String attendee : List.of(ann, bob)) {
			assertThat(cellOf(attendee).getDomAttribute("data-via")).as("how %s's status arrived", attendee)
				.isEqualTo("stream");
		}
		screenshot("3-booking-complete");
		assertThat(answerOf(ann)).isEqualTo("needs-action");
		assertThat(answerOf(bob)).isEqualTo("needs-action");

		// the attendees answer through their invitation links: the same screen shows it, without a reload
		driver.executeScript("window.sameDocument = true");
		answer(meetingId.getText(), ann, "accepted");
		answer(meetingId.getText(), bob, "declined");
		new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until((d) -> answerOf(ann).equals("accepted")
				&& answerOf(bob).equals("declined"));
		assertThat(driver.findElement(By.cssSelector("tr[data-user-id='" + ann + "'] td.answer")).getText())
			.isEqualTo("Accepted");
		assertThat(driver.findElement(By.cssSelector("tr[data-user-id='" + bob + "'] td.answer"))
			.getDomAttribute("data-via")).isEqualTo("stream");
		assertThat(driver.executeScript("return window.sameDocument")).as("the page was not reloaded").isEqualTo(true);
		assertThat(driver.findElement(By.id("meeting-title")).getText()).isEqualTo("Booking complete");
		screenshot("5-booking-complete-answers");

		JsonNode stored = json.readTree(client.get()
			.uri("/api/meetings/{id}", meetingId.getText())
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange()
			.expectStatus().isOk()
			.expectBody().returnResult().getResponseBody());
		assertThat(stored.get("organizerId").asString()).isEqualTo(organizer);

		assertNoErrorsLogged();
	}

	/**
	 * My meetings lists a meeting the signed-in person organized; opened, it is rescheduled from the page (a change
	 * made meanwhile elsewhere is a 412 that reloads it, and a second save goes through: the API then shows the new
	 * time under a new ETag) and cancelled once confirmed. The session's PATCH and DELETE go through, so the page
	 * repeats the CSRF cookie in them; apart from the expected 400 and 412, no request fails and no console error is
	 * logged.
	 */
	@Test // #19
	void organizerReschedulesAndCancelsFromMyMeetings() throws Exception {
		String attendee = createUserNamed("guest", "Gina Guest " + run);
		OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.HOURS);
		String meetingId = bookAs(organizer, "Planning " + run, start, List.of(attendee));
		String firstEtag = etagOf(meetingId);
		drainLogs();

		driver.get(system.gatewayUrl() + "/#mine");
		WebElement link = waitFor(By.cssSelector("#mine-list a[data-meeting-id='" + meetingId + "']"));
		WebElement item = driver.findElement(By.cssSelector("#mine-list li[data-meeting-id='" + meetingId + "']"));
		assertThat(link.getText()).contains("Planning " + run).contains("Room 2");
		assertThat(item.getDomAttribute("data-role")).isEqualTo("organizer");
		assertThat(item.getText()).contains("You organize it");
		screenshot("6-my-meetings");
		link.sendKeys(Keys.ENTER);

		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
			.until((d) -> meetingId.equals(d.findElement(By.id("meeting-id")).getText()));
		assertThat(driver.findElement(By.id("meeting-status")).getText()).isEqualTo("scheduled");
		assertThat(driver.findElement(By.id("my-answer-row")).isDisplayed()).isFalse();
		WebElement open = waitFor(By.id("reschedule-open"));
		open.sendKeys(Keys.ENTER);
		WebElement startInput = waitFor(By.id("reschedule-startAt"));
		assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("reschedule-startAt");
		assertNoErrorsLogged();
		// the times are in the browser's zone; an end before the start is the API's field error next to the field
		setValue("reschedule-startAt", start.plusDays(1).atZoneSameInstant(ZoneId.of(TIME_ZONE)).toLocalDateTime());
		setValue("reschedule-endAt", start.atZoneSameInstant(ZoneId.of(TIME_ZONE)).toLocalDateTime());
		driver.findElement(By.id("reschedule-save")).sendKeys(Keys.ENTER);
		WebElement endError = waitFor(By.id("reschedule-endAt-error"));
		assertThat(endError.getText()).isNotBlank();
		assertThat(driver.findElement(By.id("reschedule-endAt")).getDomAttribute("aria-invalid")).isEqualTo("true");

		// meanwhile the meeting is changed elsewhere: the save is refused with 412 and the page reloads it
		OffsetDateTime newStart = start.plusDays(1).plusHours(2);
		client.patch()
			.uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.header("If-Match", firstEtag)
			.contentType(MediaType.valueOf("application/merge-patch+json"))
			.bodyValue(Map.of("location", "Room 5"))
			.exchange()
			.expectStatus().isOk();
		setValue("reschedule-endAt", newStart.plusHours(1).atZoneSameInstant(ZoneId.of(TIME_ZONE)).toLocalDateTime());
		setValue("reschedule-startAt", newStart.atZoneSameInstant(ZoneId.of(TIME_ZONE)).toLocalDateTime());
		driver.findElement(By.id("reschedule-save")).sendKeys(Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until(
				(d) -> d.findElement(By.id("reschedule-error")).getText().contains("changed meanwhile"));
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until(
				(d) -> d.findElement(By.id("meeting-location")).getText().equals("Room 5"));
		assertThat(startInput.isDisplayed()).as("the form stays open with the times typed").isTrue();
		screenshot("7-reschedule-changed-meanwhile");
		drainLogs();

		driver.findElement(By.id("reschedule-save")).sendKeys(Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until(
				(d) -> d.findElement(By.id("meeting-notice")).getText().startsWith("Rescheduled"));
		assertThat(startInput.isDisplayed()).isFalse();
		assertThat(driver.findElement(By.id("meeting-when")).getText()).contains(String.valueOf(
				newStart.atZoneSameInstant(ZoneId.of(TIME_ZONE)).getDayOfMonth()));
		JsonNode moved = json.readTree(client.get()
			.uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().value("ETag", (etag) -> assertThat(etag).isNotEqualTo(firstEtag).isEqualTo("\"2\""))
			.expectBody().returnResult().getResponseBody());
		assertThat(OffsetDateTime.parse(moved.get("startAt").asString())).isEqualTo(newStart);
		assertThat(OffsetDateTime.parse(moved.get("endAt").asString())).isEqualTo(newStart.plusHours(1));

		// cancel asks first; "Keep it" keeps it, then "Yes" cancels
		driver.findElement(By.id("cancel-open")).sendKeys(Keys.ENTER);
		waitFor(By.id("cancel-no"));
		assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("cancel-no");
		driver.switchTo().activeElement().sendKeys(Keys.ENTER);
		assertThat(driver.findElement(By.id("cancel-confirm")).isDisplayed()).isFalse();
		assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("cancel-open");
		driver.switchTo().activeElement().sendKeys(Keys.ENTER);
		waitFor(By.id("cancel-yes")).sendKeys(Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until(
				(d) -> d.findElement(By.id("meeting-status")).getText().equals("cancelled"));
		assertThat(driver.findElement(By.id("meeting-notice")).getText()).contains("cancelled");
		assertThat(driver.findElement(By.id("organizer-actions")).isDisplayed()).isFalse();
		screenshot("8-meeting-cancelled");
		client.get()
			.uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.status").isEqualTo("cancelled");

		driver.findElement(By.id("nav-mine")).sendKeys(Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until((d) -> "cancelled".equals(d.findElement(
				By.cssSelector("#mine-list li[data-meeting-id='" + meetingId + "']")).getDomAttribute("data-status")));
		assertNoErrorsLogged();
	}

	/** At a phone's width the form, My meetings and a meeting with its reschedule form fit without scrolling sideways. */
	@Test // #19
	void formFitsAPhone() throws Exception {
		driver.get(system.gatewayUrl() + "/#book");
		try {
			driver.manage().window().setSize(new Dimension(390, 844));
			waitFor(By.id("title"));
			assertNoSidewaysScroll();
			screenshot("4-form-phone");
			String meetingId = bookAs(organizer, "On the phone " + run, OffsetDateTime.now(ZoneOffset.UTC).plusDays(4),
					List.of(createUser("phone")));
			driver.get(system.gatewayUrl() + "/#mine");
			waitFor(By.cssSelector("#mine-list a[data-meeting-id='" + meetingId + "']"));
			assertNoSidewaysScroll();
			driver.get(system.gatewayUrl() + "/#meeting/" + meetingId);
			waitFor(By.id("reschedule-open")).sendKeys(Keys.ENTER);
			waitFor(By.id("reschedule-startAt"));
			assertNoSidewaysScroll();
			screenshot("9-meeting-phone");
		}
		finally {
			driver.manage().window().setSize(new Dimension(1280, 1000));
		}
	}

	/**
	 * A plain EventSource on the page, signed in by the session cookie only, gets a booking another client made with
	 * the signed-in person among the attendees (a stream gives a meeting only to its participants, #16).
	 */
	@Test // #19
	void eventSourceSignedInByCookieReceivesMeetingCreated() throws Exception {
		String attendee = createUserNamed("watched", "Wendy Watched " + run);
		driver.get(system.gatewayUrl() + "/#book");
		waitFor(By.id("title"));
		driver.executeScript("""
				window.received = []; window.streamOpen = false;
				const source = new EventSource('/api/meetings/stream?attendee=' + encodeURIComponent(arguments[0]));
				source.addEventListener('open', () => { window.streamOpen = true; });
				source.addEventListener('MeetingCreated', (event) => window.received.push(JSON.parse(event.data)));
				window.testSource = source;
				""", attendee);
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
			.until((d) -> Boolean.TRUE.equals(driver.executeScript("return window.streamOpen")));

		String otherClient = createUser("other");
		byte[] booked = client.post()
			.uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(otherClient))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meeting("Booked elsewhere " + run, List.of(attendee, organizer)))
			.exchange()
			.expectStatus().isCreated()
			.expectBody().returnResult().getResponseBody();
		String meetingId = json.readTree(booked).get("meetingId").asString();

		new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until((d) -> Boolean.TRUE.equals(driver.executeScript(
				"return window.received.some((e) => e.meetingId === arguments[0])", meetingId)));
		driver.executeScript("window.testSource.close()");
	}

	/**
	 * My meetings lists the meetings the signed-in person is invited to, with their answer; one opens with its
	 * invitations, without reschedule or cancel.
	 */
	@Test // #19
	void myMeetingsListsAndOpensAMeeting() throws Exception {
		String colleague = createUser("colleague");
		byte[] booked = client.post()
			.uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(colleague))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("title", "Invited " + run, "startAt", java.time.OffsetDateTime.now().plusDays(2).toString(),
					"endAt", java.time.OffsetDateTime.now().plusDays(2).plusHours(1).toString(), "location", "Room 1",
					"attendees", List.of(organizer)))
			.exchange()
			.expectStatus().isCreated()
			.expectBody().returnResult().getResponseBody();
		String meetingId = json.readTree(booked).get("meetingId").asString();
		// sent before the page opens it: the page shows the state so far, not only what the stream tells next
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
			.until(() -> client.get()
				.uri("/api/meetings/{id}/invitations", meetingId)
				.header("Authorization", "Bearer " + system.token(colleague))
				.exchange()
				.returnResult(String.class)
				.getResponseBody()
				.collectList()
				.map((parts) -> String.join("", parts).contains("\"SENT\""))
				.block(Duration.ofSeconds(10)));

		driver.get(system.gatewayUrl() + "/#mine");
		WebElement link = waitFor(By.cssSelector("#mine-list a[data-meeting-id='" + meetingId + "']"));
		assertThat(link.getText()).contains("Invited " + run).contains("Room 1");
		WebElement item = driver.findElement(By.cssSelector("#mine-list li[data-meeting-id='" + meetingId + "']"));
		assertThat(item.getDomAttribute("data-role")).isEqualTo("attendee");
		assertThat(item.getText()).contains("Your answer: Needs action");
		link.sendKeys(Keys.ENTER);

		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
			.until((d) -> meetingId.equals(d.findElement(By.id("meeting-id")).getText()));
		assertThat(driver.findElement(By.id("meeting-title")).getText()).isEqualTo("Meeting");
		assertThat(driver.findElement(By.id("meeting-name")).getText()).isEqualTo("Invited " + run);
		new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until((d) -> statusOf(organizer).equals("SENT"));
		// an attendee sees their answer, and can neither reschedule nor cancel
		assertThat(driver.findElement(By.id("my-answer")).getText()).isEqualTo("Needs action");
		assertThat(driver.findElement(By.id("organizer-actions")).isDisplayed()).isFalse();
	}

	/** The page's own origin, signed in, still cannot change anything without repeating the CSRF cookie. */
	@Test // #19
	void stateChangingRequestWithoutCsrfTokenIsRefused() {
		driver.get(system.gatewayUrl() + "/#book");
		waitFor(By.id("title"));
		Object status = driver.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch('/api/meetings', { method: 'POST', headers: { 'Content-Type': 'application/json' },
				  body: JSON.stringify(arguments[0]) }).then((r) => done(r.status), (e) => done(String(e)));
				""", meeting("Forged " + run, List.of(organizer)));
		assertThat(status).isEqualTo(403L);
	}

	/** A page of an origin not in gateway.cors.allowed-origins reads nothing, even with the user signed in. */
	@Test // #19
	void crossOriginPageGetsNoData() throws Exception {
		HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		byte[] page = "<!doctype html><title>elsewhere</title><p>elsewhere</p>".getBytes(StandardCharsets.UTF_8);
		other.createContext("/", (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "text/html");
			exchange.sendResponseHeaders(200, page.length);
			exchange.getResponseBody().write(page);
			exchange.close();
		});
		other.start();
		try {
			// "localhost" is another origin (and another site) than the gateway's 127.0.0.1
			driver.get("http://localhost:" + other.getAddress().getPort() + "/");
			List<Object> outcomes = new ArrayList<>();
			for (String credentials : List.of("include", "omit")) {
				outcomes.add(driver.executeAsyncScript("""
						const done = arguments[arguments.length - 1];
						fetch(arguments[0] + '/api/users/' + arguments[1], { credentials: arguments[2] })
						  .then((r) => r.text().then((body) => done('read: ' + r.status + ' ' + body)),
						        (e) => done('refused: ' + e.name));
						""", system.gatewayUrl(), organizer, credentials));
			}
			assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome).isEqualTo("refused: TypeError"));
		}
		finally {
			other.stop(0);
		}
	}

	private static void signIn(String userId) {
		driver.get(system.gatewayUrl() + "/");
		WebElement filter = waitFor(By.id("signin-filter"));
		filter.sendKeys(userId);
		// the list is drawn again as the filter narrows it: wait for the one button left
		By buttons = By.cssSelector("#signin-users button");
		new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until((d) -> {
			List<WebElement> found = d.findElements(buttons);
			return found.size() == 1 && userId.equals(found.get(0).getDomAttribute("data-user-id"));
		});
		driver.findElement(buttons).sendKeys(Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until(
				(d) -> driver.findElement(By.id("who")).getText().contains(userId));
	}

	private static void pickAttendee(String typed, String userId) {
		WebElement search = driver.findElement(By.id("attendee-search"));
		search.sendKeys(typed);
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until(ExpectedConditions
			.attributeToBe(By.cssSelector("#attendee-options [role=option][data-user-id='" + userId + "']"),
					"aria-selected", "true"));
		search.sendKeys(Keys.ENTER);
		waitFor(By.cssSelector("#attendees li[data-user-id='" + userId + "']"));
	}

	private static String answerOf(String userId) {
		List<WebElement> cells = driver.findElements(By.cssSelector("tr[data-user-id='" + userId + "'] td.answer"));
		return cells.isEmpty() ? "" : cells.get(0).getDomAttribute("data-answer");
	}

	/** The attendee answers through the invitation API, with their link's token, as the invitation page does. */
	private static void answer(String meetingId, String userId, String response) throws Exception {
		client.post()
			.uri("/api/invitations/{token}/response", InvitationEndToEndTests.token(UUID.fromString(meetingId), userId))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("response", response))
			.exchange()
			.expectStatus().isOk();
	}

	private static String bookAs(String userId, String title, OffsetDateTime start, List<String> attendees) {
		byte[] booked = client.post()
			.uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(userId))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("title", title, "startAt", start.toString(), "endAt", start.plusHours(1).toString(),
					"location", "Room 2", "attendees", attendees))
			.exchange()
			.expectStatus().isCreated()
			.expectBody().returnResult().getResponseBody();
		return json.readTree(booked).get("meetingId").asString();
	}

	private static String etagOf(String meetingId) {
		return client.get()
			.uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange()
			.expectStatus().isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getETag();
	}

	/** A datetime-local input set as a date picker would, with the input event the page listens to. */
	private static void setValue(String inputId, LocalDateTime value) {
		driver.executeScript("""
				const input = document.getElementById(arguments[0]);
				input.value = arguments[1];
				input.dispatchEvent(new Event('input', { bubbles: true }));
				""", inputId, value.truncatedTo(ChronoUnit.MINUTES).toString());
	}

	private static void assertNoSidewaysScroll() {
		Number overflow = (Number) driver.executeScript(
				"return document.documentElement.scrollWidth - document.documentElement.clientWidth");
		assertThat(overflow.intValue()).as("sideways scroll on %s", driver.getCurrentUrl()).isLessThanOrEqualTo(0);
	}

	private static String statusOf(String userId) {
		List<WebElement> cells = driver.findElements(By.cssSelector("tr[data-user-id='" + userId + "'] td.status"));
		return cells.isEmpty() ? "" : cells.get(0).getText();
	}

	private static WebElement cellOf(String userId) {
		return driver.findElement(By.cssSelector("tr[data-user-id='" + userId + "'] td.status"));
	}

	private static WebElement waitFor(By locator) {
		try {
			return new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
				.until(ExpectedConditions.visibilityOfElementLocated(locator));
		}
		catch (org.openqa.selenium.TimeoutException ex) {
			throw new AssertionError("Waited for " + locator + " on " + driver.getCurrentUrl() + "; console: "
					+ driver.manage().logs().get(LogType.BROWSER).getAll() + "; page: " + driver.getPageSource(), ex);
		}
	}

	private static void screenshot(String name) throws IOException {
		Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

	private static void drainLogs() {
		driver.manage().logs().get(LogType.BROWSER);
		driver.manage().logs().get(LogType.PERFORMANCE);
	}

	/** No console error, and no request that failed or was answered with an error, since the last drain. */
	private static void assertNoErrorsLogged() {
		List<String> consoleErrors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
		List<String> failedRequests = new ArrayList<>();
		for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
			JsonNode message = json.readTree(entry.getMessage()).path("message");
			String method = message.path("method").asString("");
			JsonNode params = message.path("params");
			if (method.equals("Network.responseReceived") && params.path("response").path("status").asInt() >= 400) {
				failedRequests.add(params.path("response").path("status").asInt() + " "
						+ params.path("response").path("url").asString(""));
			}
			// a stream the page closes itself, on leaving a meeting, is cancelled, not failed
			if (method.equals("Network.loadingFailed") && !params.path("canceled").asBoolean(false)) {
				failedRequests.add(params.path("errorText").asString("") + " " + params.path("requestId").asString(""));
			}
		}
		assertThat(consoleErrors).as("console errors").isEmpty();
		assertThat(failedRequests).as("failed requests").isEmpty();
	}

	private static String createUserNamed(String label, String name) {
		String userId = "u-" + label + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		client.post()
			.uri("/api/users")
			.header("Authorization", "Bearer " + system.token(userId))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", userId, "name", name, "email", userId + "@example.com", "timezone",
					"Asia/Seoul"))
			.exchange()
			.expectStatus().isCreated();
		return userId;
	}

}
