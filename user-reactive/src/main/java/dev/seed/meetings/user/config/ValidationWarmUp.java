package dev.seed.meetings.user.config;

import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Hibernate Validator reads its message bundles from a jar the first time a constraint fails.
 * Making one fail at start-up keeps that file read off the Netty threads.
 */
@Component
class ValidationWarmUp implements SmartInitializingSingleton {

	private final Validator validator;

	ValidationWarmUp(Validator validator) {
		this.validator = validator;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.validator.validate(new Probe(null));
	}

	record Probe(@NotNull Object value) {
	}

}
