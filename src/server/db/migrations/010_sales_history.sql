-- Finding a past sale fast at a year of sales (about 500,000): by day and time, by amount, by receipt number (the part
-- after the register, as a cashier reads it off a crumpled receipt), by a card's last four.
CREATE INDEX sales_history_day ON sales(business_date, completed_at) WHERE status = 'completed';
CREATE INDEX sales_history_total ON sales(total, completed_at) WHERE status = 'completed';
CREATE INDEX sales_history_seq ON sales(receipt_seq) WHERE status = 'completed';
CREATE INDEX sale_payments_last4 ON sale_payments(card_last4) WHERE card_last4 IS NOT NULL;
