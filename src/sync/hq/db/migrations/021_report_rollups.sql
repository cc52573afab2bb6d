-- Head office's reports read rollups, never the raw sales: kept by hq_receive_batch in the statement that merges a batch,
-- from the rows that statement inserted (a duplicate or a replayed batch inserts none, so it adds nothing), and filled
-- here from what was merged before. Citus-ready: store_id first in every key, as the raw tables.
--  rollup_sales:        per store, business day and product: what sold and what came back (returns reduce net).
--  rollup_sales_months: the same per calendar month of the business day: a year's product report reads 12 rows per
--                       store and product instead of 365.
--  rollup_hours:        per store, business day and hour (the UTC hour it began, shown in head office's time zone):
--                       baskets, their totals and the returns; store, day and hour-of-week reports read it.
--  rollup_days:         the same per store and business day: a year's store and day reports read 365 rows a store.
--  rollup_tenders:      per store, business day and tender: what was paid and what was given back with it.
-- The product and hour rollups also hold the chain's rows, under the store id 00000000-0000-0000-0000-000000000000 (no
-- store has it): every store's figures together, so a year's report across the chain reads 12 rows per product, not
-- 12 per store and product. A report for some stores reads their own rows. Day and tender rollups have no chain rows
-- (their per-store rows are few enough).
-- Money in minor units; quantities in thousandths. Net = sales - refunds. Category is the catalog's, read when reported.

CREATE TABLE rollup_sales (
  store_id           uuid NOT NULL,
  business_day       date NOT NULL,
  sku                text NOT NULL,
  name               text NOT NULL,            -- the product's name on the last line merged
  qty_milli          bigint NOT NULL DEFAULT 0,
  gross_minor        bigint NOT NULL DEFAULT 0, -- before discounts
  discount_minor     bigint NOT NULL DEFAULT 0,
  sales_minor        bigint NOT NULL DEFAULT 0, -- the lines' totals: gross less discounts
  tax_minor          bigint NOT NULL DEFAULT 0,
  lines              bigint NOT NULL DEFAULT 0,
  returned_qty_milli bigint NOT NULL DEFAULT 0,
  refund_minor       bigint NOT NULL DEFAULT 0,
  refund_tax_minor   bigint NOT NULL DEFAULT 0,
  return_lines       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, business_day, sku)
);

CREATE TABLE rollup_sales_months (LIKE rollup_sales INCLUDING DEFAULTS);
ALTER TABLE rollup_sales_months RENAME COLUMN business_day TO month; -- the first day of the month
ALTER TABLE rollup_sales_months ADD PRIMARY KEY (store_id, month, sku);

CREATE TABLE rollup_hours (
  store_id         uuid NOT NULL,
  business_day     date NOT NULL,
  hour             timestamptz NOT NULL,      -- the hour the sale completed (the return was made), truncated in UTC
  baskets          bigint NOT NULL DEFAULT 0, -- completed sales
  items_milli      bigint NOT NULL DEFAULT 0, -- quantity sold over every line
  gross_minor      bigint NOT NULL DEFAULT 0,
  discount_minor   bigint NOT NULL DEFAULT 0,
  sales_minor      bigint NOT NULL DEFAULT 0, -- the sales' totals
  tax_minor        bigint NOT NULL DEFAULT 0,
  rounding_minor   bigint NOT NULL DEFAULT 0,
  change_minor     bigint NOT NULL DEFAULT 0, -- cash given back as change (tenders are counted as tendered)
  returns          bigint NOT NULL DEFAULT 0,
  refund_minor     bigint NOT NULL DEFAULT 0,
  refund_tax_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, business_day, hour)
);

CREATE TABLE rollup_days (LIKE rollup_hours INCLUDING DEFAULTS);
ALTER TABLE rollup_days DROP COLUMN hour, ADD PRIMARY KEY (store_id, business_day);
CREATE INDEX rollup_days_day ON rollup_days (business_day);

CREATE TABLE rollup_tenders (
  store_id       uuid NOT NULL,
  business_day   date NOT NULL,
  method         text NOT NULL,
  payments       bigint NOT NULL DEFAULT 0,
  paid_minor     bigint NOT NULL DEFAULT 0,
  refunds        bigint NOT NULL DEFAULT 0,
  refunded_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, business_day, method)
);
CREATE INDEX rollup_tenders_day ON rollup_tenders (business_day);

-- Every batch adds to rows already there: room on each page lets PostgreSQL update them in place (HOT, no index entry);
-- only the primary keys index them (a report reads one store's rows, some stores' or the chain's, by the key).
ALTER TABLE rollup_sales SET (fillfactor = 70);
ALTER TABLE rollup_sales_months SET (fillfactor = 70);
ALTER TABLE rollup_hours SET (fillfactor = 70);
ALTER TABLE rollup_days SET (fillfactor = 70);
ALTER TABLE rollup_tenders SET (fillfactor = 70);

-- What was merged before this migration, summed from the raw tables.
INSERT INTO rollup_sales (store_id, business_day, sku, name, qty_milli, gross_minor, discount_minor, sales_minor, tax_minor,
  lines, returned_qty_milli, refund_minor, refund_tax_minor, return_lines)
SELECT store_id, business_date, sku, max(name), sum(qty), sum(gross), sum(discount), sum(total), sum(tax), sum(lines),
  sum(rqty), sum(refund), sum(rtax), sum(rlines)
FROM (
  SELECT store_id, business_date, sku, name, qty_milli AS qty, amount_minor AS gross, discount_minor AS discount,
    total_minor AS total, tax_minor AS tax, 1 AS lines, 0 AS rqty, 0 AS refund, 0 AS rtax, 0 AS rlines
  FROM sale_lines
  UNION ALL
  SELECT store_id, business_date, sku, name, 0, 0, 0, 0, 0, 0, qty_milli, refund_minor, tax_minor, 1 FROM hq_return_lines
) x
GROUP BY store_id, business_date, sku;

INSERT INTO rollup_sales_months (store_id, month, sku, name, qty_milli, gross_minor, discount_minor, sales_minor, tax_minor,
  lines, returned_qty_milli, refund_minor, refund_tax_minor, return_lines)
SELECT store_id, date_trunc('month', business_day)::date, sku, max(name), sum(qty_milli), sum(gross_minor), sum(discount_minor),
  sum(sales_minor), sum(tax_minor), sum(lines), sum(returned_qty_milli), sum(refund_minor), sum(refund_tax_minor), sum(return_lines)
FROM rollup_sales
GROUP BY 1, 2, 3;

INSERT INTO rollup_hours (store_id, business_day, hour, baskets, items_milli, gross_minor, discount_minor, sales_minor, tax_minor,
  rounding_minor, change_minor, returns, refund_minor, refund_tax_minor)
SELECT store_id, business_date, hour, sum(baskets), sum(items), sum(gross), sum(discount), sum(total), sum(tax), sum(rounding),
  sum(change), sum(returns), sum(refund), sum(rtax)
FROM (
  SELECT s.store_id, s.business_date, date_trunc('hour', s.completed_at, 'UTC') AS hour, 1 AS baskets,
    coalesce((SELECT sum(l.qty_milli) FROM sale_lines l
      WHERE l.store_id = s.store_id AND l.sale_id = s.sale_id AND l.business_date = s.business_date), 0) AS items,
    s.subtotal_minor AS gross, s.discount_minor AS discount, s.total_minor AS total, s.tax_minor AS tax,
    s.rounding_minor AS rounding, s.change_minor AS change, 0 AS returns, 0 AS refund, 0 AS rtax
  FROM sales s
  UNION ALL
  SELECT store_id, business_date, date_trunc('hour', returned_at, 'UTC'), 0, 0, 0, 0, 0, 0, 0, 0, 1, total_minor, tax_minor
  FROM hq_returns
) x
GROUP BY store_id, business_date, hour;

INSERT INTO rollup_tenders (store_id, business_day, method, payments, paid_minor, refunds, refunded_minor)
SELECT store_id, business_date, method, sum(payments), sum(paid), sum(refunds), sum(refunded)
FROM (
  SELECT store_id, business_date, method, 1 AS payments, amount_minor AS paid, 0 AS refunds, 0 AS refunded FROM sale_payments
  UNION ALL
  SELECT store_id, business_date, method, 0, 0, 1, amount_minor FROM hq_return_refunds
) x
GROUP BY store_id, business_date, method;

INSERT INTO rollup_days (store_id, business_day, baskets, items_milli, gross_minor, discount_minor, sales_minor, tax_minor,
  rounding_minor, change_minor, returns, refund_minor, refund_tax_minor)
SELECT store_id, business_day, sum(baskets), sum(items_milli), sum(gross_minor), sum(discount_minor), sum(sales_minor),
  sum(tax_minor), sum(rounding_minor), sum(change_minor), sum(returns), sum(refund_minor), sum(refund_tax_minor)
FROM rollup_hours GROUP BY store_id, business_day;

-- The chain's rows: every store's together.
INSERT INTO rollup_sales (store_id, business_day, sku, name, qty_milli, gross_minor, discount_minor, sales_minor, tax_minor,
  lines, returned_qty_milli, refund_minor, refund_tax_minor, return_lines)
SELECT '00000000-0000-0000-0000-000000000000'::uuid, business_day, sku, max(name), sum(qty_milli), sum(gross_minor), sum(discount_minor), sum(sales_minor),
  sum(tax_minor), sum(lines), sum(returned_qty_milli), sum(refund_minor), sum(refund_tax_minor), sum(return_lines)
FROM rollup_sales GROUP BY business_day, sku;
INSERT INTO rollup_sales_months (store_id, month, sku, name, qty_milli, gross_minor, discount_minor, sales_minor, tax_minor,
  lines, returned_qty_milli, refund_minor, refund_tax_minor, return_lines)
SELECT '00000000-0000-0000-0000-000000000000'::uuid, month, sku, max(name), sum(qty_milli), sum(gross_minor), sum(discount_minor), sum(sales_minor),
  sum(tax_minor), sum(lines), sum(returned_qty_milli), sum(refund_minor), sum(refund_tax_minor), sum(return_lines)
FROM rollup_sales_months GROUP BY month, sku;
INSERT INTO rollup_hours (store_id, business_day, hour, baskets, items_milli, gross_minor, discount_minor, sales_minor, tax_minor,
  rounding_minor, change_minor, returns, refund_minor, refund_tax_minor)
SELECT '00000000-0000-0000-0000-000000000000'::uuid, business_day, hour, sum(baskets), sum(items_milli), sum(gross_minor), sum(discount_minor), sum(sales_minor),
  sum(tax_minor), sum(rounding_minor), sum(change_minor), sum(returns), sum(refund_minor), sum(refund_tax_minor)
FROM rollup_hours GROUP BY business_day, hour;
