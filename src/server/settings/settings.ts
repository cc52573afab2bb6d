// Store settings: one row per key in SQLite, typed here with their defaults.
import type { Database } from "bun:sqlite";
import { defaultEmbeddedPatterns, type EmbeddedPattern } from "../../domain/kernel/barcode.ts";
import type { Pricing } from "../../domain/sale/sale.ts";

export type NegativeStockPolicy = "allow" | "warn" | "block";

export type StoreSettings = {
  storeName: string;
  storeAddress: string[];
  taxId: string | null;
  receiptHeader: string[];
  receiptFooter: string[];
  catalogVersion: string;
  /** Cashiers count the drawer before they see what it should hold. */
  blindCount: boolean;
  /** Discounts above this (basis points of the line or sale) need a manager's approval. */
  discountLimitBp: number;
  currency: string;
  timeZone: string;
  pricing: Pricing;
  negativeStock: NegativeStockPolicy;
  embeddedPatterns: readonly EmbeddedPattern[];
  /** Names the store's pages answer to besides its addresses, localhost and the machine's name (e.g. pos.shop.lan). */
  allowedHosts: string[];
  /** The return policy: days after the sale (null: no limit), SKUs not taken back, the most refunded without a receipt. */
  returns: { days: number | null; nonReturnable: string[]; maxWithoutReceipt: number };
  /** A stock adjustment worth more than this (minor units, at the shelf price) needs a manager. */
  adjustmentApproval: number;
};

export const defaultSettings: StoreSettings = {
  storeName: "ShopFlow Store",
  storeAddress: [],
  taxId: null,
  receiptHeader: [],
  receiptFooter: ["Thank you for shopping with us"],
  catalogVersion: "local",
  blindCount: true,
  discountLimitBp: 1000,
  currency: "EUR",
  timeZone: "UTC",
  pricing: { mode: "inclusive", cashRounding: 1 },
  negativeStock: "warn",
  embeddedPatterns: defaultEmbeddedPatterns,
  allowedHosts: [],
  returns: { days: 30, nonReturnable: [], maxWithoutReceipt: 5000 },
  adjustmentApproval: 5000,
};

type Raw = Record<string, string>;

export function readSettings(db: Database): StoreSettings {
  const raw: Raw = {};
  for (const r of db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings").all()) raw[r.key] = r.value;
  const d = defaultSettings;
  const policy = raw.negative_stock;
  return {
    storeName: raw.store_name ?? d.storeName,
    storeAddress: lines(raw.store_address) ?? d.storeAddress,
    taxId: raw.tax_id || d.taxId, // kept empty: none
    receiptHeader: lines(raw.receipt_header) ?? d.receiptHeader,
    receiptFooter: lines(raw.receipt_footer) ?? d.receiptFooter,
    catalogVersion: raw.catalog_version ?? d.catalogVersion,
    blindCount: raw.blind_count === undefined ? d.blindCount : raw.blind_count === "1",
    discountLimitBp: raw.discount_limit_bp ? Number(raw.discount_limit_bp) : d.discountLimitBp,
    currency: raw.currency ?? d.currency,
    timeZone: raw.time_zone ?? d.timeZone,
    pricing: {
      mode: raw.prices_include_tax === "0" ? "exclusive" : "inclusive",
      cashRounding: raw.cash_rounding ? Number(raw.cash_rounding) : d.pricing.cashRounding,
    },
    negativeStock: policy === "allow" || policy === "block" || policy === "warn" ? policy : d.negativeStock,
    embeddedPatterns: raw.embedded_patterns ? (JSON.parse(raw.embedded_patterns) as EmbeddedPattern[]) : d.embeddedPatterns,
    allowedHosts: (raw.allowed_hosts ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean),
    returns: {
      days: raw.return_days === undefined ? d.returns.days : raw.return_days === "" ? null : Number(raw.return_days),
      nonReturnable: lines(raw.non_returnable_skus) ?? d.returns.nonReturnable,
      maxWithoutReceipt: raw.return_max_without_receipt ? Number(raw.return_max_without_receipt) : d.returns.maxWithoutReceipt,
    },
    adjustmentApproval: raw.adjustment_approval_minor ? Number(raw.adjustment_approval_minor) : d.adjustmentApproval,
  };
}

/** Multi-line settings are stored as text with one line per line. */
function lines(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
}

export function writeSetting(db: Database, key: string, value: string): void {
  db.query("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
}
