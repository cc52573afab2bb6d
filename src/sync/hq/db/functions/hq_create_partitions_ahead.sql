-- The partitions a running head office keeps ahead of time: last month to three months on.
CREATE OR REPLACE FUNCTION hq_create_partitions_ahead() RETURNS integer
LANGUAGE sql AS $$
  SELECT hq_ensure_month_partitions(ARRAY(
    SELECT generate_series(date_trunc('month', now()) - interval '1 month',
                           date_trunc('month', now()) + interval '3 months',
                           interval '1 month')::date))
$$;
