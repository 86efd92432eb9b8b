-- The audit trail is append-only in the database itself, not only in Weft's code (issue 10): H2 calls
-- io.weft.audit.AppendOnlyTrigger before every UPDATE or DELETE of an operator_audit row, and it refuses. Rows
-- stay for good: there is no retention for the audit (README "Audit trail"). H2 has no TRUNCATE trigger; TRUNCATE
-- needs the table's owner, the embedded database's only user, whose file is Weft's alone.
CREATE TRIGGER operator_audit_no_change BEFORE UPDATE, DELETE ON operator_audit
    FOR EACH ROW CALL 'io.weft.audit.AppendOnlyTrigger';
