-- Status search (GET /api/messages?status=DEAD) starts from the deliveries in that status, found through this
-- index (status first, the message id in the index itself), instead of evaluating every message's status.
-- It replaces the index on status alone, which it covers (the outbox statistics read deliveries by status).
CREATE INDEX ix_delivery_status_message ON delivery (status, message_id);
DROP INDEX ix_delivery_status;
-- Journal retention purges inbound rejections by age across all sources.
CREATE INDEX ix_rejection_rejected_at ON inbound_rejection (rejected_at);
