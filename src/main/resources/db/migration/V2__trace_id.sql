-- The trace a message was received in, so an operator can go from the journal to the trace and back.
ALTER TABLE message ADD COLUMN trace_id VARCHAR(32);
CREATE INDEX ix_message_trace ON message (trace_id);
