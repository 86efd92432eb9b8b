-- Fenced leases: every claim writes a fresh token; an attempt's result is written only while the delivery still
-- carries the token of the claim it was attempted under (UPDATE ... WHERE id = ? AND claim_token = ?), so a
-- worker whose lease was taken over can no longer record over the new holder.
ALTER TABLE delivery ADD COLUMN claim_token VARCHAR(36);
CREATE INDEX ix_delivery_claim_token ON delivery (claim_token);

-- What each attempt's outcome was, by what failed: DELIVERED, REFUSED, UNTRANSLATABLE, UNREACHABLE, TRANSIENT,
-- PERMANENT (see delivery/OutcomeClass). Attempts recorded before this column existed are classified from what
-- was recorded of them (success, HTTP status); the rest stay NULL.
ALTER TABLE delivery_attempt ADD COLUMN outcome_class VARCHAR(16);
UPDATE delivery_attempt SET outcome_class = 'DELIVERED' WHERE outcome = 'SUCCESS';
UPDATE delivery_attempt SET outcome_class = 'TRANSIENT'
    WHERE outcome = 'FAILURE' AND (http_status >= 500 OR http_status IN (408, 425, 429));
UPDATE delivery_attempt SET outcome_class = 'REFUSED'
    WHERE outcome = 'FAILURE' AND http_status >= 400 AND http_status < 500 AND http_status NOT IN (408, 425, 429);
