-- Inbound messages that arrived without a caller to answer (a row of a dropped file, an MQTT message, a polled
-- table row) and could not be published: the input as received, where it came from and why, so an operator
-- finds it (GET /api/rejections). HTTP senders get a problem answer instead and are not recorded here.
-- One row per source message: recording the same rejection again (a file or row read again after a restart)
-- is a no-op; messages without a source id (NULL) are each recorded.
CREATE TABLE inbound_rejection (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    rejected_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    source_system     VARCHAR(64)   NOT NULL,
    route_id          VARCHAR(128),
    type              VARCHAR(64),
    source_message_id VARCHAR(256),
    origin            VARCHAR(512),
    locator           VARCHAR(128),
    reason            VARCHAR(32)   NOT NULL,
    problem           VARCHAR(4000) NOT NULL,
    diagnostics       TEXT,
    input             TEXT,
    CONSTRAINT uq_rejection_source UNIQUE (source_system, source_message_id)
);
CREATE INDEX ix_rejection_at ON inbound_rejection (source_system, rejected_at);
CREATE INDEX ix_rejection_origin ON inbound_rejection (source_system, origin);
