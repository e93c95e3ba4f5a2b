package dev.seed.meetings.user.profile;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.zone.ZoneRulesProvider;
import java.util.Set;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A region-based time zone id from the IANA database, such as {@code Asia/Tokyo}. Fixed offsets
 * ({@code +09:00}, {@code UTC+9}) are refused although {@code ZoneId.of} parses them: they lose
 * daylight-saving rules, which invitations need to show the right local time.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IanaTimeZone.Validator.class)
@interface IanaTimeZone {

	String message() default "must be an IANA time zone id, e.g. Europe/Paris";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<IanaTimeZone, String> {

		private static final Set<String> ZONE_IDS = ZoneRulesProvider.getAvailableZoneIds();

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			return value == null || ZONE_IDS.contains(value);
		}

	}

}
