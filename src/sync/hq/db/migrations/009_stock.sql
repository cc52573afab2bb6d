-- Stock at head office: every store's stock movements as they come in outbox items of kind 'stock_movements', and each
-- store's level of each product read from them in the transaction that merges the batch (hq_receive_batch, then
-- ../functions/hq_stock_levels_follow.sql), so levels and movements never disagree. Keys start with store_id (Citus-ready).
--
-- A plain table, not monthly partitions like the sales: one batch of movements spans any months (a store that was
-- offline, the opening stock its ledger began with, dated then), where a sale has one business day; and the ledger is
-- read by store and product, never by month. A movement is its store's id for it and when it moved: a store database
-- restored from a backup hands out the same ids again (as shift ids), for other movements at other times, while the
-- movements it sends again are the same id at the same time and change nothing.
CREATE TABLE hq_stock_movements (
  store_id            uuid NOT NULL REFERENCES stores (store_id),
  movement_id         bigint NOT NULL,
  moved_at            timestamptz NOT NULL,
  sku                 text NOT NULL,
  name                text NOT NULL,       -- the product's name at the store when the batch was made
  qty_milli           bigint NOT NULL,     -- thousandths; negative took stock off the shelf
  reason              text NOT NULL,       -- sale, return, write_off, delivery, count, adjustment, transfer, opening
  on_hand_milli       bigint NOT NULL,     -- the product's on-hand at the store right after this movement
  reorder_point_milli bigint,              -- the store's reorder point for it when the batch was made (null: none)
  sale_id             uuid,
  return_id           uuid,
  document            text,                -- the delivery, adjustment or count it belongs to
  epoch               text NOT NULL,       -- the outbox item that brought it
  seq                 bigint NOT NULL,
  received_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, movement_id, moved_at)
);
-- a product's history at a store, newest first
CREATE INDEX hq_stock_movements_product ON hq_stock_movements (store_id, sku, movement_id);
-- what one batch added: the levels are read from it
CREATE INDEX hq_stock_movements_item ON hq_stock_movements (store_id, epoch, seq);

-- Each store's on-hand of each product, as of the last movement head office holds of it. `low`: at or under the
-- store's reorder point; the list of low stock across the chain reads its partial index.
CREATE TABLE stock_levels (
  store_id            uuid NOT NULL REFERENCES stores (store_id),
  sku                 text NOT NULL,
  name                text NOT NULL,
  on_hand_milli       bigint NOT NULL,
  reorder_point_milli bigint,
  low                 boolean NOT NULL GENERATED ALWAYS AS (reorder_point_milli IS NOT NULL AND on_hand_milli <= reorder_point_milli) STORED,
  movement_id         bigint NOT NULL,     -- the last movement read
  moved_at            timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, sku)
);
-- the chain's stock by product (then store), paged by (sku, store_id)
CREATE INDEX stock_levels_by_sku ON stock_levels (sku, store_id);
CREATE INDEX stock_levels_low ON stock_levels (sku, store_id) WHERE low;
