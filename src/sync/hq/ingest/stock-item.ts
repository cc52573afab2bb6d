// A "stock_movements" outbox item as head office sees it: a batch of a store's stock ledger it can merge, or the reason
// it cannot. PostgreSQL takes each movement, and its product's name and reorder point, from the document
// (db/functions/hq_receive_batch.sql), so what it reads there is checked here first: by the contract's schema, and by
// the ledger's own order, which head office does not take on trust — the store's levels are read from the last movement.
import type { z } from "zod";
import { findTextProblem } from "../../../domain/kernel/text.ts";
import { acceptedPayloads, outboxRef } from "../../contracts.ts";
import { type ItemCheck, readDocument } from "./documents.ts";

type StockDocument = z.output<(typeof acceptedPayloads)["stock_movements"]>;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first of head office's rules a batch breaks, or null. */
function ledgerOrder(d: StockDocument): string | null {
  const skus = new Set<string>();
  for (const [i, p] of d.products.entries()) {
    if (skus.has(p.sku)) return `products[${i}].sku: the batch names each product once`;
    skus.add(p.sku);
  }
  let last = 0;
  for (const [i, m] of d.movements.entries()) {
    if (m.id <= last) return `movements[${i}].id: movements come in the order of the store's ledger, each once`;
    last = m.id;
    if (m.qty_milli === 0) return `movements[${i}].qty_milli: a movement moves some stock`;
    if (!skus.has(m.sku)) return `movements[${i}].sku: the batch does not name product ${m.sku.slice(0, 64)}`;
    if ([m.sale_id, m.return_id, m.document].filter((x) => x !== undefined).length > 1) {
      return `movements[${i}]: a movement belongs to one document at most`;
    }
  }
  return null;
}

/**
 * The text gate over the movements, the ids aside: a sale's or return's id (a UUID, the schema checked it) and a
 * document named by one are random hex that can pass a card number's check by chance, and no place to write one.
 * Everything else — SKUs as product codes, reasons, any other document name — passes the gate as a sale's text does.
 */
function movementsGate(d: StockDocument): string | null {
  const look = d.movements.map(({ sale_id: _s, return_id: _r, document, ...rest }) =>
    document === undefined || uuid.test(document) ? rest : { ...rest, document },
  );
  const found = findTextProblem(look, new Set(["sku"]), 100_000);
  if (!found) return null;
  const path = `movements${found.path === "(body)" ? "" : found.path}`;
  return found.problem.code === "card_data_refused"
    ? `${path} looks like a card number: head office keeps no card data, so this item was not merged`
    : `${path}: refused by the text gate (${found.problem.code.replaceAll("_", " ")})`;
}

/**
 * Checks the payload of a "stock_movements" item. The ref is the first and last movement ids and when the last moved;
 * the business date the ledger is given is the UTC day of the last movement (the kind is kept in no monthly partition).
 */
export function checkStockItem(item: { ref: unknown; payload: string }): ItemCheck {
  // "movements" is gated below, without its ids; the products (SKU, name) by the usual gate
  const r = readDocument(item.payload, acceptedPayloads.stock_movements, "a stock movements document", ["movements"]);
  if (!r.ok) return r;
  const doc = r.data;
  if (item.ref !== outboxRef.stock_movements(doc)) return { ok: false, reason: "ref does not match the first and last movements in the payload" };
  const broken = ledgerOrder(doc) ?? movementsGate(doc);
  if (broken) return { ok: false, reason: broken };
  return { ok: true, ref: item.ref, businessDate: doc.movements.at(-1)!.at.slice(0, 10), doc: r.doc };
}
