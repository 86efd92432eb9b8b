-- Leader leases: which instance runs a poller (the master: component's lock, e.g. qms-inspections, wms-inbox)
-- when several instances share PostgreSQL without Kubernetes. The holder renews its lease before expires_at;
-- once that has passed, any instance may take the lock over. Times are the database's clock, so the
-- instances' own clocks never decide. On the embedded store the table stays empty (one instance, always leader).
CREATE TABLE leader_lease (
    lock_name   VARCHAR(128) NOT NULL PRIMARY KEY,
    holder      VARCHAR(128) NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
