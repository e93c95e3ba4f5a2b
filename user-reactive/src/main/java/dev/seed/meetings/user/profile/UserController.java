package dev.seed.meetings.user.profile;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/users")
class UserController {

	private final UserRepository users;

	UserController(UserRepository users) {
		this.users = users;
	}

	static final int MAX_QUERY_LENGTH = 100;

	static final int MAX_RESULTS = 50;

	/**
	 * {@code GET /api/users?query=}: the users whose id or name contains the query (any case), by id, at most
	 * {@code limit} (1 to 50, default 20); an empty query lists the first users by id.
	 */
	@GetMapping
	Flux<User> search(@RequestParam(defaultValue = "") String query, @RequestParam(defaultValue = "20") int limit) {
		String text = query.strip();
		if (text.length() > MAX_QUERY_LENGTH) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"query must be at most " + MAX_QUERY_LENGTH + " characters");
		}
		if (limit < 1 || limit > MAX_RESULTS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_RESULTS);
		}
		return this.users.search(text, limit);
	}

	@GetMapping("/{userId}")
	Mono<User> get(@PathVariable String userId) {
		return this.users.findById(userId).switchIfEmpty(Mono.error(() -> new UserNotFoundException(userId)));
	}

	@PostMapping
	Mono<ResponseEntity<User>> create(@Valid @RequestBody NewUser body) {
		return this.users.insert(body.toUser())
			.map(user -> ResponseEntity.created(URI.create("/api/users/" + user.userId())).body(user));
	}

}
