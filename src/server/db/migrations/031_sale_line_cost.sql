-- What each line sold cost the shop when it was sold (minor units per unit, per kg when weighed), taken from the
-- product's cost in the completing transaction, so margins of past sales stay as they were when the cost moves later.
-- NULL: the product had no cost then (or the sale is older than this column).
ALTER TABLE sale_lines ADD COLUMN unit_cost INTEGER CHECK (unit_cost IS NULL OR unit_cost >= 0);

-- Lines taken off sales (voids), found by when they happened for the loss-prevention report.
CREATE INDEX sale_events_removed ON sale_events(at) WHERE type = 'ItemRemoved';

-- What each product sold over a period and when it last sold, from the stock ledger's sale movements (one a line, at
-- completion), for the dead-stock and slow-movers report: each product's range read from the index alone.
CREATE INDEX stock_movements_sold ON stock_movements(product_id, at, qty_milli) WHERE reason = 'sale';

-- Completed sales per cashier over a period (loss prevention's "per 100 sales"), each cashier's range read from the
-- index alone.
CREATE INDEX sales_completed_cashier ON sales(cashier_id, completed_at) WHERE status = 'completed';
