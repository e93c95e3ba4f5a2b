package dev.seed.meetings.meeting.attendee;

import java.time.Duration;
import java.util.List;

import dev.seed.meetings.meeting.IntegrationTest;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.seed.meetings.meeting.cache.CacheKeys;

import static org.assertj.core.api.Assertions.assertThat;

class AttendeeResolverTests extends IntegrationTest {

	@Autowired
	AttendeeResolver resolver;

	@Autowired
	ReactiveStringRedisTemplate redis;

	@Autowired
	CacheKeys keys;

	/** When every profile is cached the user directory is not asked at all. */
	@Test
	void allHitsDoNotCallTheDirectory() {
		List<String> ids = users.newUsers(3);
		ids.forEach((id) -> this.redis.opsForValue()
			.set(this.keys.userProfile(id), "{\"userId\":\"" + id + "\",\"name\":\"Cached\",\"email\":\"c@x.test\"}")
			.as(StepVerifier::create)
			.expectNext(true)
			.verifyComplete());

		this.resolver.resolve(ids)
			.as(StepVerifier::create)
			.assertNext((profiles) -> assertThat(profiles).extracting(AttendeeProfile::name).containsOnly("Cached"))
			.verifyComplete();
		assertThat(users.requestedIds()).isEmpty();
	}

	/** Every miss is fetched exactly once and cached with a TTL of at most 600 s. */
	@Test
	void missesAreFetchedOnceAndCached() {
		List<String> ids = users.newUsers(4);

		this.resolver.resolve(ids)
			.as(StepVerifier::create)
			.assertNext((profiles) -> assertThat(profiles).extracting(AttendeeProfile::userId).isEqualTo(ids))
			.verifyComplete();

		assertThat(users.requestedIds()).containsExactlyInAnyOrderElementsOf(ids);
		for (String id : ids) {
			this.redis.getExpire(this.keys.userProfile(id))
				.as(StepVerifier::create)
				.assertNext((ttl) -> assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(600)))
				.verifyComplete();
		}
	}

	/** Cached and uncached attendees mix: only the misses reach the directory, the order of the request is kept. */
	@Test
	void mixOfHitsAndMisses() {
		List<String> ids = users.newUsers(4);
		this.redis.opsForValue()
			.set(this.keys.userProfile(ids.get(1)), "{\"userId\":\"" + ids.get(1) + "\",\"name\":\"Cached\"}")
			.as(StepVerifier::create)
			.expectNext(true)
			.verifyComplete();

		this.resolver.resolve(ids)
			.as(StepVerifier::create)
			.assertNext((profiles) -> {
				assertThat(profiles).extracting(AttendeeProfile::userId).isEqualTo(ids);
				assertThat(profiles.get(1).name()).isEqualTo("Cached");
			})
			.verifyComplete();
		assertThat(users.requestedIds()).containsExactlyInAnyOrder(ids.get(0), ids.get(2), ids.get(3));
	}

	/** Unknown ids fail the lookup with one error that lists every one of them. */
	@Test
	void unknownIdsAreAllReported() {
		List<String> ids = users.newUsers(2);
		List<String> asked = List.of(ids.get(0), "nobody-1", ids.get(1), "nobody-2");

		this.resolver.resolve(asked)
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(UnknownAttendeesException.class)
				.extracting((e) -> ((UnknownAttendeesException) e).userIds())
				.isEqualTo(List.of("nobody-1", "nobody-2")))
			.verify();
		this.redis.hasKey(this.keys.userProfile("nobody-1")).as(StepVerifier::create).expectNext(false).verifyComplete();
	}

}
