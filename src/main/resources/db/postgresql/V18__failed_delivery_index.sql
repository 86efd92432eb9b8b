-- Journal at scale: GET /api/deliveries?status=DEAD (or RETRYING) and the failures page (the newest 10,000 DEAD
-- deliveries, DeadDeliveries) read the failed deliveries newest first, by id. No status index is ordered by id, so
-- PostgreSQL walked the primary key backwards until it had met enough of them: at 10 M messages 109 ms p50 once the
-- newest half million deliveries held no DEAD one, and most of the failures page's 0.9-1.2 s (bench/journal-scale.sh).
-- This index holds the failed deliveries only, in id order per status. The hot path does not touch it: a delivery is
-- inserted PENDING and updated to DELIVERED, neither of which is in it. H2 has no partial indexes, and the embedded
-- store is not meant for a journal of millions: it keeps V6's status index.
CREATE INDEX ix_delivery_failed ON delivery (status, id) WHERE status IN ('RETRYING', 'DEAD');
