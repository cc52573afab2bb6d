-- The reports' sums kept per business day as sales and returns are written (triggers, in the same transaction), so a
-- month's report reads a few thousand rows instead of every line: by product, by category (the product's category when
-- sold or returned; 0: none), by tax rate, by cashier, by register, by the UTC quarter hour a sale completed (the
-- store's clock is applied when read: domain/reports/heatmap.ts), and money by tender.
-- `baskets` counts a sale once per row (the first of its lines in that row). Existing sales and returns are summed in.

-- by product
CREATE TABLE report_product_days (
  business_date TEXT NOT NULL,
  product_id INTEGER NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  discounts INTEGER NOT NULL DEFAULT 0,
  sales_tax INTEGER NOT NULL DEFAULT 0,
  items_milli INTEGER NOT NULL DEFAULT 0,
  baskets INTEGER NOT NULL DEFAULT 0,
  costed_net INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  costed_lines INTEGER NOT NULL DEFAULT 0,
  refunded INTEGER NOT NULL DEFAULT 0,
  refund_tax INTEGER NOT NULL DEFAULT 0,
  costed_refund_net INTEGER NOT NULL DEFAULT 0,
  returned_cost INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, product_id)
) STRICT, WITHOUT ROWID;

-- by product and week (its Monday): a long period reads whole weeks here, only its first and last days above
CREATE TABLE report_product_weeks (
  week TEXT NOT NULL,
  product_id INTEGER NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  discounts INTEGER NOT NULL DEFAULT 0,
  sales_tax INTEGER NOT NULL DEFAULT 0,
  items_milli INTEGER NOT NULL DEFAULT 0,
  baskets INTEGER NOT NULL DEFAULT 0,
  costed_net INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  costed_lines INTEGER NOT NULL DEFAULT 0,
  refunded INTEGER NOT NULL DEFAULT 0,
  refund_tax INTEGER NOT NULL DEFAULT 0,
  costed_refund_net INTEGER NOT NULL DEFAULT 0,
  returned_cost INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (week, product_id)
) STRICT, WITHOUT ROWID;

-- by category
CREATE TABLE report_category_days (
  business_date TEXT NOT NULL,
  category_id INTEGER NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  discounts INTEGER NOT NULL DEFAULT 0,
  sales_tax INTEGER NOT NULL DEFAULT 0,
  items_milli INTEGER NOT NULL DEFAULT 0,
  baskets INTEGER NOT NULL DEFAULT 0,
  costed_net INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  costed_lines INTEGER NOT NULL DEFAULT 0,
  refunded INTEGER NOT NULL DEFAULT 0,
  refund_tax INTEGER NOT NULL DEFAULT 0,
  costed_refund_net INTEGER NOT NULL DEFAULT 0,
  returned_cost INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, category_id)
) STRICT, WITHOUT ROWID;

-- by tax rate
CREATE TABLE report_rate_days (
  business_date TEXT NOT NULL,
  rate_bp INTEGER NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  discounts INTEGER NOT NULL DEFAULT 0,
  sales_tax INTEGER NOT NULL DEFAULT 0,
  items_milli INTEGER NOT NULL DEFAULT 0,
  baskets INTEGER NOT NULL DEFAULT 0,
  costed_net INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  costed_lines INTEGER NOT NULL DEFAULT 0,
  refunded INTEGER NOT NULL DEFAULT 0,
  refund_tax INTEGER NOT NULL DEFAULT 0,
  costed_refund_net INTEGER NOT NULL DEFAULT 0,
  returned_cost INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, rate_bp)
) STRICT, WITHOUT ROWID;

-- by cashier (0: none, an API sale)
CREATE TABLE report_cashier_days (
  business_date TEXT NOT NULL,
  cashier_id INTEGER NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  discounts INTEGER NOT NULL DEFAULT 0,
  sales_tax INTEGER NOT NULL DEFAULT 0,
  items_milli INTEGER NOT NULL DEFAULT 0,
  baskets INTEGER NOT NULL DEFAULT 0,
  costed_net INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  costed_lines INTEGER NOT NULL DEFAULT 0,
  refunded INTEGER NOT NULL DEFAULT 0,
  refund_tax INTEGER NOT NULL DEFAULT 0,
  costed_refund_net INTEGER NOT NULL DEFAULT 0,
  returned_cost INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, cashier_id)
) STRICT, WITHOUT ROWID;

-- by register
CREATE TABLE report_register_days (
  business_date TEXT NOT NULL,
  register_id INTEGER NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  discounts INTEGER NOT NULL DEFAULT 0,
  sales_tax INTEGER NOT NULL DEFAULT 0,
  items_milli INTEGER NOT NULL DEFAULT 0,
  baskets INTEGER NOT NULL DEFAULT 0,
  costed_net INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  costed_lines INTEGER NOT NULL DEFAULT 0,
  refunded INTEGER NOT NULL DEFAULT 0,
  refund_tax INTEGER NOT NULL DEFAULT 0,
  costed_refund_net INTEGER NOT NULL DEFAULT 0,
  returned_cost INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, register_id)
) STRICT, WITHOUT ROWID;

-- by the UTC quarter hour the sale completed or the return was taken
CREATE TABLE report_slot_days (
  business_date TEXT NOT NULL,
  slot TEXT NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  discounts INTEGER NOT NULL DEFAULT 0,
  sales_tax INTEGER NOT NULL DEFAULT 0,
  items_milli INTEGER NOT NULL DEFAULT 0,
  baskets INTEGER NOT NULL DEFAULT 0,
  costed_net INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  costed_lines INTEGER NOT NULL DEFAULT 0,
  refunded INTEGER NOT NULL DEFAULT 0,
  refund_tax INTEGER NOT NULL DEFAULT 0,
  costed_refund_net INTEGER NOT NULL DEFAULT 0,
  returned_cost INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, slot)
) STRICT, WITHOUT ROWID;

-- money by tender: what each took (change given back in cash taken off), in how many sales, and what went back
CREATE TABLE report_tender_days (
  business_date TEXT NOT NULL,
  method        TEXT NOT NULL,
  taken         INTEGER NOT NULL DEFAULT 0,
  baskets       INTEGER NOT NULL DEFAULT 0,
  refunded      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, method)
) STRICT, WITHOUT ROWID;

-- a completed sale's line (lines are written once, when the sale completes, after the sale row)
CREATE TRIGGER report_sale_line AFTER INSERT ON sale_lines BEGIN
  INSERT INTO report_product_days(business_date, product_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT s.business_date, NEW.product_id, NEW.total + NEW.discount, NEW.discount, NEW.tax, NEW.qty_milli, NOT EXISTS (SELECT 1 FROM sale_lines e WHERE e.sale_id = NEW.sale_id AND e.line_no < NEW.line_no AND e.product_id = NEW.product_id), CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE NEW.total - NEW.tax END, CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE (NEW.qty_milli * NEW.unit_cost + 500) / 1000 END, NEW.unit_cost IS NOT NULL FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL
    ON CONFLICT(business_date, product_id) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  INSERT INTO report_product_weeks(week, product_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT date(s.business_date, '-6 days', 'weekday 1'), NEW.product_id, NEW.total + NEW.discount, NEW.discount, NEW.tax, NEW.qty_milli, NOT EXISTS (SELECT 1 FROM sale_lines e WHERE e.sale_id = NEW.sale_id AND e.line_no < NEW.line_no AND e.product_id = NEW.product_id), CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE NEW.total - NEW.tax END, CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE (NEW.qty_milli * NEW.unit_cost + 500) / 1000 END, NEW.unit_cost IS NOT NULL FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL
    ON CONFLICT(week, product_id) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  INSERT INTO report_category_days(business_date, category_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT s.business_date, coalesce((SELECT category_id FROM products WHERE id = NEW.product_id), 0), NEW.total + NEW.discount, NEW.discount, NEW.tax, NEW.qty_milli, NOT EXISTS (SELECT 1 FROM sale_lines e WHERE e.sale_id = NEW.sale_id AND e.line_no < NEW.line_no AND coalesce((SELECT category_id FROM products WHERE id = e.product_id), 0) = coalesce((SELECT category_id FROM products WHERE id = NEW.product_id), 0)), CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE NEW.total - NEW.tax END, CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE (NEW.qty_milli * NEW.unit_cost + 500) / 1000 END, NEW.unit_cost IS NOT NULL FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL
    ON CONFLICT(business_date, category_id) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  INSERT INTO report_rate_days(business_date, rate_bp, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT s.business_date, NEW.tax_rate_bp, NEW.total + NEW.discount, NEW.discount, NEW.tax, NEW.qty_milli, NOT EXISTS (SELECT 1 FROM sale_lines e WHERE e.sale_id = NEW.sale_id AND e.line_no < NEW.line_no AND e.tax_rate_bp = NEW.tax_rate_bp), CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE NEW.total - NEW.tax END, CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE (NEW.qty_milli * NEW.unit_cost + 500) / 1000 END, NEW.unit_cost IS NOT NULL FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL
    ON CONFLICT(business_date, rate_bp) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  INSERT INTO report_cashier_days(business_date, cashier_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT s.business_date, coalesce(s.cashier_id, 0), NEW.total + NEW.discount, NEW.discount, NEW.tax, NEW.qty_milli, NOT EXISTS (SELECT 1 FROM sale_lines e WHERE e.sale_id = NEW.sale_id AND e.line_no < NEW.line_no AND 1), CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE NEW.total - NEW.tax END, CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE (NEW.qty_milli * NEW.unit_cost + 500) / 1000 END, NEW.unit_cost IS NOT NULL FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL
    ON CONFLICT(business_date, cashier_id) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  INSERT INTO report_register_days(business_date, register_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT s.business_date, s.register_id, NEW.total + NEW.discount, NEW.discount, NEW.tax, NEW.qty_milli, NOT EXISTS (SELECT 1 FROM sale_lines e WHERE e.sale_id = NEW.sale_id AND e.line_no < NEW.line_no AND 1), CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE NEW.total - NEW.tax END, CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE (NEW.qty_milli * NEW.unit_cost + 500) / 1000 END, NEW.unit_cost IS NOT NULL FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL
    ON CONFLICT(business_date, register_id) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  INSERT INTO report_slot_days(business_date, slot, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT s.business_date, substr(s.completed_at, 1, 14) || printf('%02d', (CAST(substr(s.completed_at, 15, 2) AS INTEGER) / 15) * 15) || ':00Z', NEW.total + NEW.discount, NEW.discount, NEW.tax, NEW.qty_milli, NOT EXISTS (SELECT 1 FROM sale_lines e WHERE e.sale_id = NEW.sale_id AND e.line_no < NEW.line_no AND 1), CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE NEW.total - NEW.tax END, CASE WHEN NEW.unit_cost IS NULL THEN 0 ELSE (NEW.qty_milli * NEW.unit_cost + 500) / 1000 END, NEW.unit_cost IS NOT NULL FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL
    ON CONFLICT(business_date, slot) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
END;

-- the register stamps who sold a sale just after it completes: its sums move to that cashier
CREATE TRIGGER report_sale_cashier AFTER UPDATE OF cashier_id ON sales
  WHEN NEW.status = 'completed' AND OLD.status = 'completed' AND NEW.cashier_id IS NOT OLD.cashier_id AND NEW.business_date IS NOT NULL BEGIN
  INSERT INTO report_cashier_days(business_date, cashier_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT NEW.business_date, coalesce(OLD.cashier_id, 0), -sum(l.total + l.discount), -sum(l.discount), -sum(l.tax), -sum(l.qty_milli), -1, -sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), -sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), -count(l.unit_cost)
    FROM sale_lines l WHERE l.sale_id = NEW.id HAVING count(*) > 0
    ON CONFLICT(business_date, cashier_id) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  INSERT INTO report_cashier_days(business_date, cashier_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
    SELECT NEW.business_date, coalesce(NEW.cashier_id, 0), sum(l.total + l.discount), sum(l.discount), sum(l.tax), sum(l.qty_milli), 1, sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), count(l.unit_cost)
    FROM sale_lines l WHERE l.sale_id = NEW.id HAVING count(*) > 0
    ON CONFLICT(business_date, cashier_id) DO UPDATE SET sold = sold + excluded.sold, discounts = discounts + excluded.discounts, sales_tax = sales_tax + excluded.sales_tax, items_milli = items_milli + excluded.items_milli, baskets = baskets + excluded.baskets, costed_net = costed_net + excluded.costed_net, cost = cost + excluded.cost, costed_lines = costed_lines + excluded.costed_lines;
  DELETE FROM report_cashier_days WHERE business_date = NEW.business_date AND cashier_id = coalesce(OLD.cashier_id, 0)
    AND baskets = 0 AND sold = 0 AND items_milli = 0 AND refunded = 0 AND costed_lines = 0;
END;

-- a completed sale's payment; the change the sale gave comes off its first cash payment
CREATE TRIGGER report_sale_payment AFTER INSERT ON sale_payments BEGIN
  INSERT INTO report_tender_days(business_date, method, taken, baskets)
    SELECT s.business_date, NEW.method,
      NEW.amount - CASE WHEN NEW.method = 'cash' AND NOT EXISTS (SELECT 1 FROM sale_payments e WHERE e.sale_id = NEW.sale_id AND e.n < NEW.n AND e.method = 'cash')
        THEN s.change_due ELSE 0 END,
      NOT EXISTS (SELECT 1 FROM sale_payments e WHERE e.sale_id = NEW.sale_id AND e.n < NEW.n AND e.method = NEW.method)
    FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed' AND s.business_date IS NOT NULL
    ON CONFLICT(business_date, method) DO UPDATE SET taken = taken + excluded.taken, baskets = baskets + excluded.baskets;
END;

-- a return's line, on the day and at the register it was taken back (its rate as the return's document keeps it)
CREATE TRIGGER report_return_line AFTER INSERT ON return_lines BEGIN
  INSERT INTO report_product_days(business_date, product_id, refunded, refund_tax, costed_refund_net, returned_cost)
    SELECT r.business_date, NEW.product_id, NEW.refund, NEW.tax, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE NEW.refund - NEW.tax END, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE (NEW.qty_milli * (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) + 500) / 1000 END FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(business_date, product_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;
  INSERT INTO report_product_weeks(week, product_id, refunded, refund_tax, costed_refund_net, returned_cost)
    SELECT date(r.business_date, '-6 days', 'weekday 1'), NEW.product_id, NEW.refund, NEW.tax, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE NEW.refund - NEW.tax END, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE (NEW.qty_milli * (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) + 500) / 1000 END FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(week, product_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;
  INSERT INTO report_category_days(business_date, category_id, refunded, refund_tax, costed_refund_net, returned_cost)
    SELECT r.business_date, coalesce((SELECT category_id FROM products WHERE id = NEW.product_id), 0), NEW.refund, NEW.tax, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE NEW.refund - NEW.tax END, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE (NEW.qty_milli * (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) + 500) / 1000 END FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(business_date, category_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;
  INSERT INTO report_rate_days(business_date, rate_bp, refunded, refund_tax, costed_refund_net, returned_cost)
    SELECT r.business_date, coalesce((SELECT json_extract(j.value, '$.rateBp') FROM json_each(r.data, '$.lines') j WHERE json_extract(j.value, '$.lineNo') = NEW.sale_line_no), -1), NEW.refund, NEW.tax, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE NEW.refund - NEW.tax END, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE (NEW.qty_milli * (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) + 500) / 1000 END FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(business_date, rate_bp) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;
  INSERT INTO report_cashier_days(business_date, cashier_id, refunded, refund_tax, costed_refund_net, returned_cost)
    SELECT r.business_date, coalesce(r.cashier_id, 0), NEW.refund, NEW.tax, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE NEW.refund - NEW.tax END, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE (NEW.qty_milli * (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) + 500) / 1000 END FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(business_date, cashier_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;
  INSERT INTO report_register_days(business_date, register_id, refunded, refund_tax, costed_refund_net, returned_cost)
    SELECT r.business_date, r.register_id, NEW.refund, NEW.tax, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE NEW.refund - NEW.tax END, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE (NEW.qty_milli * (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) + 500) / 1000 END FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(business_date, register_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;
  INSERT INTO report_slot_days(business_date, slot, refunded, refund_tax, costed_refund_net, returned_cost)
    SELECT r.business_date, substr(r.at, 1, 14) || printf('%02d', (CAST(substr(r.at, 15, 2) AS INTEGER) / 15) * 15) || ':00Z', NEW.refund, NEW.tax, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE NEW.refund - NEW.tax END, CASE WHEN (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) IS NULL THEN 0 ELSE (NEW.qty_milli * (SELECT unit_cost FROM sale_lines l WHERE r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = NEW.sale_line_no) + 500) / 1000 END FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(business_date, slot) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;
END;

CREATE TRIGGER report_return_refund AFTER INSERT ON return_refunds BEGIN
  INSERT INTO report_tender_days(business_date, method, refunded)
    SELECT r.business_date, NEW.method, NEW.amount FROM returns r WHERE r.id = NEW.return_id
    ON CONFLICT(business_date, method) DO UPDATE SET refunded = refunded + excluded.refunded;
END;

-- what the store sold and took back before these tables existed

INSERT INTO report_product_days(business_date, product_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
  SELECT s.business_date, l.product_id, sum(l.total + l.discount), sum(l.discount), sum(l.tax), sum(l.qty_milli), count(DISTINCT s.id),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), count(l.unit_cost)
  FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id
  WHERE s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL GROUP BY 1, 2;

INSERT INTO report_category_days(business_date, category_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
  SELECT s.business_date, coalesce(p.category_id, 0), sum(l.total + l.discount), sum(l.discount), sum(l.tax), sum(l.qty_milli), count(DISTINCT s.id),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), count(l.unit_cost)
  FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id
  WHERE s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL GROUP BY 1, 2;

INSERT INTO report_rate_days(business_date, rate_bp, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
  SELECT s.business_date, l.tax_rate_bp, sum(l.total + l.discount), sum(l.discount), sum(l.tax), sum(l.qty_milli), count(DISTINCT s.id),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), count(l.unit_cost)
  FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id
  WHERE s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL GROUP BY 1, 2;

INSERT INTO report_cashier_days(business_date, cashier_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
  SELECT s.business_date, coalesce(s.cashier_id, 0), sum(l.total + l.discount), sum(l.discount), sum(l.tax), sum(l.qty_milli), count(DISTINCT s.id),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), count(l.unit_cost)
  FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id
  WHERE s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL GROUP BY 1, 2;

INSERT INTO report_register_days(business_date, register_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
  SELECT s.business_date, s.register_id, sum(l.total + l.discount), sum(l.discount), sum(l.tax), sum(l.qty_milli), count(DISTINCT s.id),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), count(l.unit_cost)
  FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id
  WHERE s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL GROUP BY 1, 2;

INSERT INTO report_slot_days(business_date, slot, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines)
  SELECT s.business_date, substr(s.completed_at, 1, 14) || printf('%02d', (CAST(substr(s.completed_at, 15, 2) AS INTEGER) / 15) * 15) || ':00Z', sum(l.total + l.discount), sum(l.discount), sum(l.tax), sum(l.qty_milli), count(DISTINCT s.id),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE l.total - l.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (l.qty_milli * l.unit_cost + 500) / 1000 END), count(l.unit_cost)
  FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id
  WHERE s.status = 'completed' AND s.business_date IS NOT NULL AND s.completed_at IS NOT NULL GROUP BY 1, 2;

INSERT INTO report_product_days(business_date, product_id, refunded, refund_tax, costed_refund_net, returned_cost)
  SELECT r.business_date, rl.product_id, sum(rl.refund), sum(rl.tax),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE rl.refund - rl.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (rl.qty_milli * l.unit_cost + 500) / 1000 END)
  FROM returns r JOIN return_lines rl ON rl.return_id = r.id LEFT JOIN products p ON p.id = rl.product_id
    LEFT JOIN sale_lines l ON r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = rl.sale_line_no
  WHERE true GROUP BY 1, 2
  ON CONFLICT(business_date, product_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;

INSERT INTO report_category_days(business_date, category_id, refunded, refund_tax, costed_refund_net, returned_cost)
  SELECT r.business_date, coalesce(p.category_id, 0), sum(rl.refund), sum(rl.tax),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE rl.refund - rl.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (rl.qty_milli * l.unit_cost + 500) / 1000 END)
  FROM returns r JOIN return_lines rl ON rl.return_id = r.id LEFT JOIN products p ON p.id = rl.product_id
    LEFT JOIN sale_lines l ON r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = rl.sale_line_no
  WHERE true GROUP BY 1, 2
  ON CONFLICT(business_date, category_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;

INSERT INTO report_rate_days(business_date, rate_bp, refunded, refund_tax, costed_refund_net, returned_cost)
  SELECT r.business_date, coalesce((SELECT json_extract(j.value, '$.rateBp') FROM json_each(r.data, '$.lines') j WHERE json_extract(j.value, '$.lineNo') = rl.sale_line_no), -1), sum(rl.refund), sum(rl.tax),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE rl.refund - rl.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (rl.qty_milli * l.unit_cost + 500) / 1000 END)
  FROM returns r JOIN return_lines rl ON rl.return_id = r.id LEFT JOIN products p ON p.id = rl.product_id
    LEFT JOIN sale_lines l ON r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = rl.sale_line_no
  WHERE true GROUP BY 1, 2
  ON CONFLICT(business_date, rate_bp) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;

INSERT INTO report_cashier_days(business_date, cashier_id, refunded, refund_tax, costed_refund_net, returned_cost)
  SELECT r.business_date, coalesce(r.cashier_id, 0), sum(rl.refund), sum(rl.tax),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE rl.refund - rl.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (rl.qty_milli * l.unit_cost + 500) / 1000 END)
  FROM returns r JOIN return_lines rl ON rl.return_id = r.id LEFT JOIN products p ON p.id = rl.product_id
    LEFT JOIN sale_lines l ON r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = rl.sale_line_no
  WHERE true GROUP BY 1, 2
  ON CONFLICT(business_date, cashier_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;

INSERT INTO report_register_days(business_date, register_id, refunded, refund_tax, costed_refund_net, returned_cost)
  SELECT r.business_date, r.register_id, sum(rl.refund), sum(rl.tax),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE rl.refund - rl.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (rl.qty_milli * l.unit_cost + 500) / 1000 END)
  FROM returns r JOIN return_lines rl ON rl.return_id = r.id LEFT JOIN products p ON p.id = rl.product_id
    LEFT JOIN sale_lines l ON r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = rl.sale_line_no
  WHERE true GROUP BY 1, 2
  ON CONFLICT(business_date, register_id) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;

INSERT INTO report_slot_days(business_date, slot, refunded, refund_tax, costed_refund_net, returned_cost)
  SELECT r.business_date, substr(r.at, 1, 14) || printf('%02d', (CAST(substr(r.at, 15, 2) AS INTEGER) / 15) * 15) || ':00Z', sum(rl.refund), sum(rl.tax),
    sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE rl.refund - rl.tax END), sum(CASE WHEN l.unit_cost IS NULL THEN 0 ELSE (rl.qty_milli * l.unit_cost + 500) / 1000 END)
  FROM returns r JOIN return_lines rl ON rl.return_id = r.id LEFT JOIN products p ON p.id = rl.product_id
    LEFT JOIN sale_lines l ON r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = rl.sale_line_no
  WHERE true GROUP BY 1, 2
  ON CONFLICT(business_date, slot) DO UPDATE SET refunded = refunded + excluded.refunded, refund_tax = refund_tax + excluded.refund_tax, costed_refund_net = costed_refund_net + excluded.costed_refund_net, returned_cost = returned_cost + excluded.returned_cost;

INSERT INTO report_product_weeks(week, product_id, sold, discounts, sales_tax, items_milli, baskets, costed_net, cost, costed_lines, refunded, refund_tax, costed_refund_net, returned_cost)
  SELECT date(business_date, '-6 days', 'weekday 1'), product_id, sum(sold), sum(discounts), sum(sales_tax), sum(items_milli), sum(baskets), sum(costed_net), sum(cost), sum(costed_lines), sum(refunded), sum(refund_tax), sum(costed_refund_net), sum(returned_cost) FROM report_product_days GROUP BY 1, 2;

INSERT INTO report_tender_days(business_date, method, taken, baskets)
  SELECT s.business_date, p.method, sum(p.amount), count(DISTINCT s.id) FROM sales s JOIN sale_payments p ON p.sale_id = s.id
  WHERE s.status = 'completed' AND s.business_date IS NOT NULL GROUP BY 1, 2;
UPDATE report_tender_days SET taken = taken - (SELECT coalesce(sum(s.change_due), 0) FROM sales s
  WHERE s.status = 'completed' AND s.business_date = report_tender_days.business_date
    AND EXISTS (SELECT 1 FROM sale_payments p WHERE p.sale_id = s.id AND p.method = 'cash'))
  WHERE method = 'cash';
INSERT INTO report_tender_days(business_date, method, refunded)
  SELECT r.business_date, f.method, sum(f.amount) FROM returns r JOIN return_refunds f ON f.return_id = r.id WHERE true GROUP BY 1, 2
  ON CONFLICT(business_date, method) DO UPDATE SET refunded = refunded + excluded.refunded;
