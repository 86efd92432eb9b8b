-- Inbound messages a spoke without a caller to answer (polled table, MQTT) could not accept: the input as
-- received, why, and where. Nothing of them is journaled; operators find them at GET /api/rejections.
CREATE TABLE inbound_rejection (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    rejected_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    source_system     VARCHAR(64)   NOT NULL,
    route_id          VARCHAR(128),
    type              VARCHAR(64),
    source_message_id VARCHAR(256),
    origin            VARCHAR(512),
    reason            VARCHAR(32)   NOT NULL,
    error_message     VARCHAR(4000) NOT NULL,
    diagnostics       TEXT,
    input             TEXT
);
CREATE INDEX ix_rejection_source ON inbound_rejection (source_system, rejected_at);
