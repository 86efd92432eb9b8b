-- bench/journal-scale.sh: the generator of a realistic journal, run by psql in the benchmark's database after
-- Weft's own migrations made the schema. Everything of the benchmark lives in the schema "bench"; Weft's tables
-- are only written to. Message i (0 <= i < n) is a pure function of i (hashes of i, no random()), so a range of
-- messages removed by the purge measurement can be put back exactly as it was (bench.fill skips present ones).
CREATE SCHEMA IF NOT EXISTS bench;

CREATE TABLE IF NOT EXISTS bench.journal_scale (
    n            BIGINT      NOT NULL,  -- messages generated
    start_ms     BIGINT      NOT NULL,  -- receipt time of message 0 (Unix ms)
    span_ms      BIGINT      NOT NULL,  -- receipts are spread evenly over this span
    generated_at TIMESTAMPTZ NOT NULL,  -- messages received after this are the benchmark's own publications
    fill_s       NUMERIC,               -- seconds: rows, then indexes and constraints, then VACUUM ANALYZE
    index_s      NUMERIC,
    vacuum_s     NUMERIC
);

-- A pseudo-random non-negative number below m for (i, salt).
CREATE OR REPLACE FUNCTION bench.r(i BIGINT, salt BIGINT, m BIGINT) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT abs(hashint8extended(i, salt) % m) $$;

-- 16 hex digits for (i, salt).
CREATE OR REPLACE FUNCTION bench.hex(i BIGINT, salt BIGINT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT lpad(to_hex(hashint8extended(i, salt)), 16, '0') $$;

-- A UUID v7 as Weft's TimeOrderedIds makes them: 48 bits of Unix ms, version 7, variant 10, random bits.
CREATE OR REPLACE FUNCTION bench.uuid7(ms BIGINT, i BIGINT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT substr(t, 1, 8) || '-' || substr(t, 9, 4) || '-7' || substr(a, 1, 3) || '-'
        || substr('89ab', bench.r(i, 9, 4)::int + 1, 1) || substr(a, 4, 3) || '-' || substr(a, 7, 10) || substr(b, 1, 2)
    FROM (SELECT lpad(to_hex(ms), 12, '0') AS t, bench.hex(i, 1) AS a, bench.hex(i, 3) AS b) x
$$;

-- The sample plant's message of number i: type (the mix below), sending system, business key, plant, the
-- destinations routes/hub.camel.yaml gives it, and its payload.
CREATE OR REPLACE FUNCTION bench.message_of(i BIGINT, OUT type TEXT, OUT source TEXT, OUT subject TEXT,
                                            OUT plant TEXT, OUT destinations TEXT[], OUT data TEXT)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    t INT := bench.r(i, 2, 100);
    qty INT := 10 + bench.r(i, 5, 990);
    mat TEXT := 'MAT-' || (4000 + bench.r(i, 6, 800));
    day TEXT := '2026-' || lpad((1 + bench.r(i, 7, 12))::text, 2, '0') || '-' || lpad((1 + bench.r(i, 8, 28))::text, 2, '0');
BEGIN
    plant := CASE WHEN bench.r(i, 10, 10) < 8 THEN 'P1' ELSE 'P2' END;
    IF t < 20 THEN
        type := 'ProductionOrder'; source := 'erp'; subject := (1000000 + i / 5)::text;
        destinations := CASE WHEN plant = 'P1' THEN ARRAY['mes', 'wms'] ELSE ARRAY['wms'] END;
        data := format('{"orderNumber":"%s","plant":"%s","material":"%s","quantity":%s,"unit":"PC","plannedStart":"%s",'
            '"plannedEnd":"%s","status":"RELEASED"}', subject, plant, mat, qty, day, day);
    ELSIF t < 50 THEN
        type := 'ProductionPerformance'; source := 'mes'; subject := (1000000 + i / 5)::text;
        destinations := ARRAY['erp', 'qms'];
        data := format('{"orderNumber":"%s","plant":"%s","line":"L%s","material":"%s","yield":%s,"scrap":%s,"unit":"PC",'
            '"lots":[{"lot":"LOT-%s-1","quantity":%s},{"lot":"LOT-%s-2","quantity":%s}],"reportedAt":"%sT14:05:00Z"}',
            subject, plant, 1 + bench.r(i, 11, 4), mat, qty, bench.r(i, 12, 20), i, qty / 2, i, qty - qty / 2, day);
    ELSIF t < 60 THEN
        type := 'QualityInspection'; source := 'qms'; subject := 'IL' || (100000000 + i / 4);
        destinations := ARRAY['erp', 'mes'];
        data := format('{"inspectionLot":"%s","orderNumber":"%s","plant":"%s","material":"%s","result":"%s",'
            '"characteristics":[{"name":"diameter","value":%s,"unit":"mm"},{"name":"hardness","value":%s,"unit":"HRC"}],'
            '"inspectedAt":"%sT09:30:00Z"}', subject, 1000000 + i / 5, plant, mat,
            CASE WHEN bench.r(i, 13, 20) = 0 THEN 'FAIL' ELSE 'PASS' END, 12 + bench.r(i, 14, 100) / 1000.0,
            55 + bench.r(i, 15, 10), day);
    ELSIF t < 68 THEN
        type := 'PurchaseOrder'; source := 'erp'; subject := '45' || lpad((i / 6)::text, 8, '0');
        destinations := ARRAY['supplier', 'wms'];
        data := format('{"poNumber":"%s","plant":"%s","supplier":"SUP-%s","lines":[{"item":10,"material":"%s",'
            '"quantity":%s,"unit":"KG"},{"item":20,"material":"MAT-%s","quantity":%s,"unit":"KG"}],"deliveryDate":"%s"}',
            subject, plant, 100 + bench.r(i, 16, 40), mat, qty, 4000 + bench.r(i, 17, 800), qty * 2, day);
    ELSIF t < 76 THEN
        type := 'ShipmentNotice'; source := 'supplier'; subject := 'SN' || (70000000 + i / 6);
        destinations := ARRAY['erp', 'wms'];
        data := format('{"shipmentNumber":"%s","poNumber":"45%s","plant":"%s","carrier":"DHL","trackingId":"JD%s",'
            '"lines":[{"item":10,"material":"%s","quantity":%s,"unit":"KG"}],"expectedAt":"%sT08:00:00Z"}',
            subject, lpad((i / 6)::text, 8, '0'), plant, bench.hex(i, 18), mat, qty, day);
    ELSIF t < 86 THEN
        type := 'GoodsReceipt'; source := 'wms'; subject := 'GR' || (5000000 + i / 3);
        destinations := ARRAY['erp'];
        data := format('{"receiptNumber":"%s","poNumber":"45%s","plant":"%s","material":"%s","quantity":%s,'
            '"unit":"KG","storageLocation":"SL%s","receivedAt":"%sT11:20:00Z"}',
            subject, lpad((i / 6)::text, 8, '0'), plant, mat, qty, 10 + bench.r(i, 19, 30), day);
    ELSIF t < 90 THEN
        type := 'SalesOrder'; source := 'crm'; subject := 'SO' || (300000000 + i / 8);
        destinations := ARRAY['erp'];
        data := format('{"salesOrderNumber":"%s","customer":"C-%s","plant":"%s","lines":[{"item":10,"material":"%s",'
            '"quantity":%s,"unit":"PC","price":%s}],"requestedDate":"%s"}',
            subject, 10000 + bench.r(i, 20, 5000), plant, mat, qty, 5 + bench.r(i, 21, 50000) / 100.0, day);
    ELSE
        type := 'MachineAlarm'; source := 'iot'; subject := 'ALM-L' || (1 + bench.r(i, 11, 4)) || '-M' || (1 + bench.r(i, 22, 12))
            || '-' || (i / 2);
        destinations := ARRAY['mes'];
        data := format('{"alarmId":"%s","plant":"%s","line":"L%s","machine":"M%s","metric":"temperature","value":%s,'
            '"limit":90,"raisedAt":"%sT03:12:44Z"}', subject, plant, 1 + bench.r(i, 11, 4), 1 + bench.r(i, 22, 12),
            90 + bench.r(i, 23, 100) / 10.0, day);
    END IF;
END
$$;

-- Messages lo <= i < hi that are not in the journal, with their deliveries and attempts. Deliveries: 2 % DEAD
-- (5 % to the supplier), half refused at once (HTTP 422), half unreachable through all 8 attempts; 5 % of the
-- delivered ones needed a retry after a 503. The supplier has been paused for maintenance for the last 6 hours:
-- its deliveries since are PENDING, or RETRYING when their first attempts came before the pause (a paused
-- destination's deliveries are never claimed, so nothing here is due for the dispatcher).
CREATE OR REPLACE FUNCTION bench.fill(lo BIGINT, hi BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    meta bench.journal_scale;
    first_delivery BIGINT;
    added BIGINT;
BEGIN
    SELECT * INTO meta FROM bench.journal_scale;
    SELECT COALESCE(max(id), 0) INTO first_delivery FROM delivery;
    -- Deliveries of this call have ids above this (another call may be filling another range at the same time).
    CREATE TEMP TABLE IF NOT EXISTS fill_message (i BIGINT, id TEXT, received_at TIMESTAMPTZ, ms BIGINT, type TEXT,
        source TEXT, subject TEXT, plant TEXT, destinations TEXT[], data TEXT) ON COMMIT DROP;
    INSERT INTO fill_message
    SELECT g.i, g.id, to_timestamp(g.ms / 1000.0), g.ms, m.type, m.source, m.subject, m.plant, m.destinations, m.data
    FROM (SELECT s AS i, ms, bench.uuid7(ms, s) AS id
          FROM generate_series(lo, hi - 1) s, LATERAL (SELECT meta.start_ms + s * meta.span_ms / meta.n AS ms) t) g,
         LATERAL bench.message_of(g.i) m
    WHERE NOT EXISTS (SELECT 1 FROM message x WHERE x.id = g.id);
    GET DIAGNOSTICS added = ROW_COUNT;

    INSERT INTO message (id, source_system, source_message_id, type, subject, correlation_id, received_at, envelope,
                         trace_id, traceparent)
    SELECT f.id, f.source, smid, f.type, f.subject, f.id, f.received_at,
           format('{"specversion":"1.0","id":"%s","source":"/plants/%s/systems/%s","type":"%s","subject":"%s",'
               '"time":"%s","datacontenttype":"application/json","dataschema":"/schemas/%s.schema.json",'
               '"correlationid":"%s","sourcemessageid":"%s","traceparent":"%s","data":%s}',
               f.id, f.plant, f.source, f.type, f.subject,
               to_char(f.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), f.type, f.id, smid, tp, f.data),
           trace, tp
    FROM fill_message f,
         LATERAL (SELECT CASE f.source WHEN 'qms' THEN 'qms:INSP-' || (800000000 + f.i)
                                       WHEN 'iot' THEN 'alarm:' || f.subject || ':temperature:' || f.i
                                       ELSE 'sha256:' || encode(sha256(int8send(f.i)), 'hex') END AS smid,
                         bench.hex(f.i, 24) || bench.hex(f.i, 25) AS trace) ids,
         LATERAL (SELECT '00-' || ids.trace || '-' || bench.hex(f.i, 26) || '-01' AS tp) p
    ORDER BY f.i;

    INSERT INTO delivery (message_id, destination, status, attempts, cycle_attempts, next_attempt_at, last_error,
                          delivered_at, created_at)
    SELECT f.id, d.destination, s.status, s.attempts, s.attempts,
           CASE WHEN s.status IN ('PENDING', 'RETRYING') THEN f.received_at + interval '5 minutes' END,
           CASE WHEN s.status = 'DEAD' AND s.attempts = 1
                    THEN 'HTTP operation failed invoking http://' || d.destination || '.plant.local/api with statusCode: 422'
                WHEN s.status IN ('DEAD', 'RETRYING')
                    THEN 'Connect to ' || d.destination || '.plant.local:443 failed: Connection refused' END,
           CASE WHEN s.status = 'DELIVERED'
                    THEN f.received_at + (40 + s.r % 900 + (s.attempts - 1) * 2500) * interval '1 millisecond' END,
           f.received_at
    FROM fill_message f, LATERAL unnest(f.destinations) WITH ORDINALITY d(destination, k),
         LATERAL (SELECT bench.r(f.i * 8 + d.k, 4, 10000) AS r) x,
         LATERAL (SELECT x.r, CASE
                     WHEN d.destination = 'supplier' AND f.ms > meta.start_ms + meta.span_ms - 6 * 3600000
                         THEN CASE WHEN x.r % 3 = 0 THEN 'RETRYING' ELSE 'PENDING' END
                     WHEN x.r < CASE d.destination WHEN 'supplier' THEN 500 ELSE 200 END THEN 'DEAD'
                     ELSE 'DELIVERED' END AS status) s0,
         LATERAL (SELECT s0.r, s0.status, CASE s0.status
                     WHEN 'PENDING' THEN 0
                     WHEN 'RETRYING' THEN 1 + s0.r % 3
                     WHEN 'DEAD' THEN CASE WHEN s0.r % 2 = 0 THEN 1 ELSE 8 END
                     ELSE CASE WHEN s0.r % 20 = 0 THEN 2 ELSE 1 END END AS attempts) s
    ORDER BY f.i, d.k;

    INSERT INTO delivery_attempt (delivery_id, attempt, started_at, duration_ms, outcome, outcome_class, http_status,
                                  error_class, error_message, response_excerpt, instance)
    SELECT d.id, a.n, d.created_at + (a.n - 1) * interval '2 seconds' + interval '20 milliseconds',
           5 + (d.id * 7 + a.n) % 180,
           CASE WHEN last_ok THEN 'SUCCESS' ELSE 'FAILURE' END,
           CASE WHEN last_ok THEN 'DELIVERED' WHEN d.status = 'DELIVERED' THEN 'TRANSIENT'
                WHEN d.status = 'DEAD' AND d.attempts = 1 THEN 'REFUSED' ELSE 'UNREACHABLE' END,
           CASE WHEN last_ok THEN 200 WHEN d.status = 'DELIVERED' THEN 503
                WHEN d.status = 'DEAD' AND d.attempts = 1 THEN 422 END,
           CASE WHEN last_ok THEN NULL
                WHEN d.status = 'DELIVERED' OR d.attempts = 1 THEN 'org.apache.camel.http.base.HttpOperationFailedException'
                ELSE 'org.apache.hc.client5.http.HttpHostConnectException' END,
           CASE WHEN last_ok THEN NULL WHEN d.status = 'DELIVERED' OR d.attempts = 1 THEN
                    'HTTP operation failed invoking http://' || d.destination || '.plant.local/api with statusCode: '
                    || CASE WHEN d.status = 'DELIVERED' THEN '503' ELSE '422' END
                ELSE 'Connect to ' || d.destination || '.plant.local:443 failed: Connection refused' END,
           CASE WHEN last_ok THEN NULL WHEN d.status = 'DELIVERED' THEN 'Service Unavailable'
                WHEN d.attempts = 1 THEN '{"error":"unknown material MAT-' || (4000 + d.id % 800) || '"}' END,
           'weft-' || (d.id % 3)
    FROM delivery d, LATERAL generate_series(1, d.attempts) a(n),
         LATERAL (SELECT d.status = 'DELIVERED' AND a.n = d.attempts AS last_ok) o
    WHERE d.id > first_delivery AND d.message_id IN (SELECT id FROM fill_message)
    ORDER BY d.id, a.n;
    RETURN added;
END
$$;

-- The bulk load runs faster without the secondary indexes, unique and foreign-key constraints of the journal
-- tables: their definitions (exactly as Weft's migrations made them) are kept here, dropped, and created again
-- from this table after the load, so the schema ends up as Weft's own.
CREATE TABLE IF NOT EXISTS bench.saved_ddl (seq SERIAL, kind TEXT NOT NULL, drop_ddl TEXT NOT NULL, create_ddl TEXT NOT NULL);

CREATE OR REPLACE PROCEDURE bench.drop_secondary() LANGUAGE plpgsql AS $$
DECLARE
    s RECORD;
BEGIN
    INSERT INTO bench.saved_ddl (kind, drop_ddl, create_ddl)
    SELECT CASE c.contype WHEN 'f' THEN 'b-fk' ELSE 'a-unique' END,
           format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
    FROM pg_constraint c
    WHERE c.contype IN ('f', 'u') AND c.conrelid IN ('message'::regclass, 'delivery'::regclass, 'delivery_attempt'::regclass)
    UNION ALL
    SELECT 'a-index', format('DROP INDEX %I', i.indexname), i.indexdef
    FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename IN ('message', 'delivery', 'delivery_attempt')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I', i.indexname)::regclass);
    FOR s IN SELECT * FROM bench.saved_ddl ORDER BY kind DESC, seq LOOP
        EXECUTE s.drop_ddl;
    END LOOP;
END
$$;

CREATE OR REPLACE PROCEDURE bench.restore_secondary() LANGUAGE plpgsql AS $$
DECLARE
    s RECORD;
BEGIN
    FOR s IN SELECT * FROM bench.saved_ddl ORDER BY kind, seq LOOP
        RAISE NOTICE '%', s.create_ddl;
        EXECUTE s.create_ddl;
        DELETE FROM bench.saved_ddl WHERE seq = s.seq;
        COMMIT;
    END LOOP;
END
$$;
