// Store settings: one row per key in SQLite, typed here with their defaults.
import type { Database } from "bun:sqlite";
import { defaultEmbeddedPatterns, type EmbeddedPattern } from "../../domain/barcode.ts";
import type { Pricing } from "../../domain/sale.ts";

export type NegativeStockPolicy = "allow" | "warn" | "block";

export type StoreSettings = {
  storeName: string;
  currency: string;
  timeZone: string;
  pricing: Pricing;
  negativeStock: NegativeStockPolicy;
  embeddedPatterns: readonly EmbeddedPattern[];
};

export const defaultSettings: StoreSettings = {
  storeName: "ShopFlow Store",
  currency: "EUR",
  timeZone: "UTC",
  pricing: { mode: "inclusive", cashRounding: 1 },
  negativeStock: "warn",
  embeddedPatterns: defaultEmbeddedPatterns,
};

type Raw = Record<string, string>;

export function readSettings(db: Database): StoreSettings {
  const raw: Raw = {};
  for (const r of db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings").all()) raw[r.key] = r.value;
  const d = defaultSettings;
  const policy = raw.negative_stock;
  return {
    storeName: raw.store_name ?? d.storeName,
    currency: raw.currency ?? d.currency,
    timeZone: raw.time_zone ?? d.timeZone,
    pricing: {
      mode: raw.prices_include_tax === "0" ? "exclusive" : "inclusive",
      cashRounding: raw.cash_rounding ? Number(raw.cash_rounding) : d.pricing.cashRounding,
    },
    negativeStock: policy === "allow" || policy === "block" || policy === "warn" ? policy : d.negativeStock,
    embeddedPatterns: raw.embedded_patterns ? (JSON.parse(raw.embedded_patterns) as EmbeddedPattern[]) : d.embeddedPatterns,
  };
}

export function writeSetting(db: Database, key: string, value: string): void {
  db.query("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
}
