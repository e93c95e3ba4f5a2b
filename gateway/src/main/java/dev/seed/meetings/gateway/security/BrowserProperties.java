package dev.seed.meetings.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How browsers sign in. Sessions are kept by Spring Session in Redis ({@code spring.session.*}); the OpenID Connect
 * provider is a Spring Security client registration ({@code spring.security.oauth2.client.registration.*}).
 *
 * @param localSignIn the sign-in screen lists the users of the directory to pick one, without a password: for trying
 * the system on one machine only (the local profile turns it on)
 */
@ConfigurationProperties("gateway.browser")
record BrowserProperties(@DefaultValue("false") boolean localSignIn) {
}
