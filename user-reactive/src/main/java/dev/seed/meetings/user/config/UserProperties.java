package dev.seed.meetings.user.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the user service.
 *
 * @param databaseTimeout the longest a single query may take before the request fails with 503
 */
@Validated
@ConfigurationProperties("user")
public record UserProperties(@NotNull @DefaultValue("3s") Duration databaseTimeout) {
}
