package dev.seed.meetings.user.user;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/users")
class UserController {

	private final UserRepository users;

	UserController(UserRepository users) {
		this.users = users;
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
