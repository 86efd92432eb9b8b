-- Bulk replay previews (issue 11): what an operator was shown (the filter, who, when) and the exact deliveries it
-- matched (no foreign key to delivery: the journal purge removes delivered rows). Confirming replays those of them still DEAD and marks each replayed, so a second confirmation queues
-- nothing. Previews expire after 15 minutes.
CREATE TABLE replay_preview (
    id           VARCHAR(36)   NOT NULL PRIMARY KEY,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by   VARCHAR(128)  NOT NULL,
    destination  VARCHAR(64)   NOT NULL,
    filter_text  VARCHAR(2000) NOT NULL,
    confirmed_at TIMESTAMP WITH TIME ZONE,
    confirmed_by VARCHAR(128)
);
CREATE INDEX ix_replay_preview_created ON replay_preview (created_at);

CREATE TABLE replay_preview_delivery (
    preview_id  VARCHAR(36) NOT NULL REFERENCES replay_preview (id),
    delivery_id BIGINT      NOT NULL ,
    replayed    BOOLEAN     NOT NULL DEFAULT FALSE,
    CONSTRAINT pk_replay_preview_delivery PRIMARY KEY (preview_id, delivery_id)
);
