-- The audit trail (issue 10): operator_audit becomes the one append-only record of who did what, including
-- refused authentications (outcome 'refused', from which address, at which endpoint) and the configuration
-- loaded at start. Weft only ever INSERTs into it (io.weft.audit.AuditTrail); GET /api/audit reads it.
ALTER TABLE operator_audit ADD COLUMN outcome VARCHAR(16) DEFAULT 'ok' NOT NULL;
ALTER TABLE operator_audit ADD COLUMN remote VARCHAR(128);
ALTER TABLE operator_audit ADD COLUMN endpoint VARCHAR(256);
CREATE INDEX ix_audit_at ON operator_audit (at);
CREATE INDEX ix_audit_actor ON operator_audit (actor, at);
