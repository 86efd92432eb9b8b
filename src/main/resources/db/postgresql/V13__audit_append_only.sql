-- The audit trail is append-only in the database itself, not only in Weft's code (issue 10): UPDATE, DELETE and
-- TRUNCATE on operator_audit are refused, whoever connects (Weft's own user included). Rows stay for good: there
-- is no retention for the audit (README "Audit trail"); a plant that must remove rows does it as the table's
-- owner with this trigger dropped, a change its own change process records.
CREATE FUNCTION operator_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'operator_audit is append-only: % is refused', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER operator_audit_no_change BEFORE UPDATE OR DELETE ON operator_audit
    FOR EACH ROW EXECUTE FUNCTION operator_audit_append_only();
CREATE TRIGGER operator_audit_no_truncate BEFORE TRUNCATE ON operator_audit
    FOR EACH STATEMENT EXECUTE FUNCTION operator_audit_append_only();
