package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
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
		JavaType strings = context.getTypeFactory().constructCollectionType(List.class, String.class);
		CreateMeetingRequest request = new CreateMeetingRequest(read(body, "title", String.class, context, unreadable),
				read(body, "startAt", OffsetDateTime.class, context, unreadable),
				read(body, "endAt", OffsetDateTime.class, context, unreadable),
				read(body, "location", String.class, context, unreadable),
				read(body, "attendees", strings, context, unreadable));
		if (!unreadable.isEmpty()) {
			throw this.validator.invalid(request, unreadable);
		}
		return request;
	}

	private static <T> T read(JsonNode body, String field, Class<T> type, DeserializationContext context,
			List<FieldError> unreadable) {
		return read(body, field, context.constructType(type), context, unreadable);
	}

	private static <T> T read(JsonNode body, String field, JavaType type, DeserializationContext context,
			List<FieldError> unreadable) {
		JsonNode value = body.get(field);
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
