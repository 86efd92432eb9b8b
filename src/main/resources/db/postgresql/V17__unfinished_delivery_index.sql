-- Journal at scale (bench/journal-scale.sh): the outbox statistics (observe/OutboxStats, every 5 s and for the
-- operations API) count each destination's unfinished and DEAD deliveries. Through the status index they had to read
-- every such row from the table for its destination; at 10 M messages (17 M deliveries, 370,000 of them DEAD)
-- PostgreSQL chose a parallel scan of the whole delivery table instead, 3.5-6.7 s each time, every 5 s. This index
-- holds only the deliveries that are not DELIVERED, with everything the statistics read (an index-only scan of a few
-- hundred thousand entries, 0.25 s there), and (status, message_id) first, so that it also answers the status
-- search's "has this message a delivery in that status" as ix_delivery_status_message does, from a far smaller index.
-- A delivery inserted PENDING and then delivered leaves it again.
CREATE INDEX ix_delivery_unfinished ON delivery (status, message_id, destination, created_at)
    WHERE status IN ('PENDING', 'RETRYING', 'DEAD');
