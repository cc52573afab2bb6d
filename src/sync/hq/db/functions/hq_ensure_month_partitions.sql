-- Monthly partitions of the sales and returns tables for the months given (any day of the month will do).
-- Cheap when they exist; otherwise creates them under a lock so two head-office processes never race.
CREATE OR REPLACE FUNCTION hq_ensure_month_partitions(days date[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  month date;
  parent text;
  part text;
  created integer := 0;
  locked boolean := false;
BEGIN
  FOR month IN SELECT DISTINCT date_trunc('month', d)::date FROM unnest(days) AS d WHERE d IS NOT NULL ORDER BY 1 LOOP
    FOREACH parent IN ARRAY ARRAY['sales', 'sale_lines', 'sale_payments', 'hq_returns', 'hq_return_lines', 'hq_return_refunds'] LOOP
      part := format('%s_%s', parent, to_char(month, 'YYYY_MM'));
      IF to_regclass(part) IS NULL THEN
        -- a database migrated only part of the way (before 007_returns) has no returns tables yet
        CONTINUE WHEN to_regclass(parent) IS NULL;
        IF NOT locked THEN
          PERFORM pg_advisory_xact_lock({{HQ_LOCK_NAMESPACE}}, 1); -- second key 1: partitions
          locked := true;
        END IF;
        -- Another process may have made it while we waited for the lock (this function's catalog view can lag).
        BEGIN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                         part, parent, month, (month + interval '1 month')::date);
          created := created + 1;
        EXCEPTION WHEN duplicate_table THEN
          NULL;
        END;
      END IF;
    END LOOP;
  END LOOP;
  RETURN created;
END
$$;
