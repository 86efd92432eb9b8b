-- The trace a message was received in (W3C traceparent), so that its deliveries continue that trace and an
-- operator can go from the journal to the trace and back by trace id.
ALTER TABLE message ADD COLUMN traceparent VARCHAR(55);
ALTER TABLE message ADD COLUMN trace_id VARCHAR(32);
CREATE INDEX ix_message_trace ON message (trace_id);
