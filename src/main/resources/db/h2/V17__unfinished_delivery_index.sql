-- Journal at scale: the outbox statistics (observe/OutboxStats) count each destination's unfinished and DEAD
-- deliveries; with status, destination and created_at in one index they read the index alone instead of every such
-- row. PostgreSQL's V17 is the same index restricted to those statuses; H2 has no partial indexes.
CREATE INDEX ix_delivery_unfinished ON delivery (status, message_id, destination, created_at);
