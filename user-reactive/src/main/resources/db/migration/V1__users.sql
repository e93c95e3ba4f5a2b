CREATE TABLE users.users (
	user_id    varchar(64)  NOT NULL,
	name       varchar(200) NOT NULL,
	email      varchar(254) NOT NULL,
	timezone   varchar(64)  NOT NULL,
	created_at timestamptz  NOT NULL DEFAULT now(),
	CONSTRAINT users_pkey PRIMARY KEY (user_id)
);

-- Addresses are unique whatever their case: Ann@Example.com and ann@example.com are one mailbox.
CREATE UNIQUE INDEX users_email_lower_key ON users.users (lower(email));
