-- The retention pass (booking.Retention) deletes by age: keys past their replay window, events long published.
CREATE INDEX idempotency_keys_created_at ON meeting.idempotency_keys (created_at);
CREATE INDEX outbox_published ON meeting.outbox (published_at) WHERE published_at IS NOT NULL;
