-- The relay leases the rows it is publishing, so that it holds no transaction while it waits for the broker and
-- another instance does not take the same rows until the lease runs out.
ALTER TABLE meeting.outbox ADD COLUMN claimed_until timestamptz;
