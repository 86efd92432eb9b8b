-- Journal at scale (bench/journal-scale.sh): the search pages newest first by (received_at, id) and continues after
-- a cursor with the row comparison (received_at, id) < (cursor's). With both columns in the receipt index, a page
-- is an index range that starts at the cursor and stops at the limit, in the search's order without a sort; on
-- received_at alone, a page deep in a 10 M message journal filtered every newer message first. The index keeps its
-- name: retention's purge and the flow statistics read it by received_at as before.
DROP INDEX ix_message_received;
CREATE INDEX ix_message_received ON message (received_at, id);
