-- A finished delivery (DELIVERED or DEAD) has no next attempt: next_attempt_at is NULL. The due index then
-- orders only the queue, by destination and time: a claim reads the first due rows of its destination in index
-- order and stops at its limit, instead of collecting and sorting every PENDING and RETRYING row of the
-- destination (a backlog of thousands under load) on every claim.
ALTER TABLE delivery ALTER COLUMN next_attempt_at DROP NOT NULL;
UPDATE delivery SET next_attempt_at = NULL WHERE status IN ('DELIVERED', 'DEAD');
DROP INDEX ix_delivery_due;
CREATE INDEX ix_delivery_due ON delivery (destination, next_attempt_at);
