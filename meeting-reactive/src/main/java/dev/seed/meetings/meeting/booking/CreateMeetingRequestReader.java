package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;

import org.springframework.boot.jackson.JacksonComponent;

import dev.seed.meetings.meeting.booking.InvalidMeetingException.FieldError;

/**
 * Reads the body of {@code POST /api/meetings} field by field, so that a value that cannot be read (a time
 * without an offset, a number for a list) is reported together with every other broken rule of the request, each
 * with what was expected, rather than alone as the first thing the parser tripped on.
 */
@JacksonComponent
class CreateMeetingRequestReader extends ValueDeserializer<CreateMeetingRequest> {

	private final MeetingRequestValidator validator;

	CreateMeetingRequestReader(MeetingRequestValidator validator) {
		this.validator = validator;
	}

	@Override
	public Class<?> handledType() {
		return CreateMeetingRequest.class;
	}

	@Override
	public CreateMeetingRequest deserialize(JsonParser parser, DeserializationContext context) {
		JsonNode body = context.readTree(parser);
		if (!body.isObject()) {
			return context.reportInputMismatch(CreateMeetingRequest.class, "the body must be a JSON object");
		}
		List<FieldError> unreadable = new ArrayList<>();
		CreateMeetingRequest request = new CreateMeetingRequest(text(body, "title", context, unreadable),
				time(body, "startAt", context, unreadable), time(body, "endAt", context, unreadable),
				text(body, "location", context, unreadable), texts(body, "attendees", context, unreadable));
		if (!unreadable.isEmpty()) {
			throw this.validator.invalid(request, unreadable);
		}
		return request;
	}

	// Each field is read straight from its node in the usual case (a string, an ISO-8601 time with an offset, an
	// array of strings), and otherwise by Jackson's own deserializer, which accepts the rest or says what is wrong:
	// going through Jackson for every field cost a twentieth of a booking's CPU (flight recordings under load)

	private static String text(JsonNode body, String field, DeserializationContext context,
			List<FieldError> unreadable) {
		JsonNode value = body.get(field);
		return (value != null && value.isString()) ? value.asString()
				: read(value, field, context.constructType(String.class), context, unreadable);
	}

	private static OffsetDateTime time(JsonNode body, String field, DeserializationContext context,
			List<FieldError> unreadable) {
		JsonNode value = body.get(field);
		if (value != null && value.isString()) {
			try {
				// in UTC, as Jackson gives it (its context's time zone)
				return OffsetDateTime.parse(value.asString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
					.withOffsetSameInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException ex) {
				// Jackson's own reading decides, and words the error
			}
		}
		return read(value, field, context.constructType(OffsetDateTime.class), context, unreadable);
	}

	private static List<String> texts(JsonNode body, String field, DeserializationContext context,
			List<FieldError> unreadable) {
		JsonNode value = body.get(field);
		if (value != null && value.isArray()) {
			List<String> values = new ArrayList<>(value.size());
			for (JsonNode element : value) {
				if (!element.isString()) {
					values = null;
					break;
				}
				values.add(element.asString());
			}
			if (values != null) {
				return values;
			}
		}
		return read(value, field, context.getTypeFactory().constructCollectionType(List.class, String.class), context,
				unreadable);
	}

	private static <T> T read(JsonNode value, String field, JavaType type, DeserializationContext context,
			List<FieldError> unreadable) {
		if (value == null || value.isNull()) {
			return null;
		}
		try {
			return context.readTreeAsValue(value, type);
		}
		catch (JacksonException ex) {
			String text = value.toString();
			unreadable.add(MeetingRequestValidator.error(field, "cannot be read: "
					+ ((text.length() > 60) ? text.substring(0, 60) + "…" : text)));
			return null;
		}
	}

}
