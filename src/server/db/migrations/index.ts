// Numbered migrations, embedded in the binary as text and applied in order at start-up.
import store001 from "./001_store.sql" with { type: "text" };
import printing002 from "./002_printing.sql" with { type: "text" };
import quickKeys003 from "./003_quick_keys.sql" with { type: "text" };
import people004 from "./004_people.sql" with { type: "text" };
import catalog005 from "./005_catalog_releases.sql" with { type: "text" };
import reports006 from "./006_head_office_reports.sql" with { type: "text" };
import approvers007 from "./007_named_approvers.sql" with { type: "text" };
import catalogProblems008 from "./008_catalog_problems.sql" with { type: "text" };
import pinsAway009 from "./009_pins_away_from_registers.sql" with { type: "text" };
import salesHistory010 from "./010_sales_history.sql" with { type: "text" };
import quickKeyPages011 from "./011_quick_key_pages.sql" with { type: "text" };
import returns012 from "./012_returns.sql" with { type: "text" };
import scales013 from "./013_scales.sql" with { type: "text" };
import scanIds014 from "./014_scan_ids.sql" with { type: "text" };
import returnIdempotency015 from "./015_return_idempotency.sql" with { type: "text" };
import openSales016 from "./016_open_sales.sql" with { type: "text" };
import storeCredit017 from "./017_store_credit.sql" with { type: "text" };
import stockLedger018 from "./018_stock_ledger.sql" with { type: "text" };
import productDetails019 from "./019_product_details.sql" with { type: "text" };
import deliveries020 from "./020_deliveries.sql" with { type: "text" };
import stockCounts021 from "./021_stock_counts.sql" with { type: "text" };
import lowStockEvents022 from "./022_low_stock_events.sql" with { type: "text" };
import priceChanges023 from "./023_price_changes.sql" with { type: "text" };
import apiIdempotency024 from "./024_api_idempotency.sql" with { type: "text" };
import stockMovementCursor025 from "./025_stock_movement_cursor.sql" with { type: "text" };
import reservations026 from "./026_reservations.sql" with { type: "text" };
import catalogReleaseLog027 from "./027_catalog_release_log.sql" with { type: "text" };
import installation028 from "./028_installation.sql" with { type: "text" };
import storePrices029 from "./029_store_prices.sql" with { type: "text" };
import regionPrices030 from "./030_region_prices.sql" with { type: "text" };
import saleLineCost031 from "./031_sale_line_cost.sql" with { type: "text" };
import boughtTogether032 from "./032_bought_together.sql" with { type: "text" };
import reportRollups033 from "./033_report_rollups.sql" with { type: "text" };
import upgrades036 from "./036_upgrades.sql" with { type: "text" };
import journalClosures037 from "./037_journal_closures.sql" with { type: "text" };
import togetherDecay038 from "./038_together_decay.sql" with { type: "text" };

/** `rebuildsTables`: it makes a table anew that others refer to (run with foreign keys off, then checked). */
export type Migration = { version: number; name: string; sql: string; rebuildsTables?: boolean };

export const migrations: readonly Migration[] = [
  { version: 1, name: "001_store", sql: store001 },
  { version: 2, name: "002_printing", sql: printing002 },
  { version: 3, name: "003_quick_keys", sql: quickKeys003 },
  { version: 4, name: "004_people", sql: people004 },
  { version: 5, name: "005_catalog_releases", sql: catalog005 },
  { version: 6, name: "006_head_office_reports", sql: reports006 },
  { version: 7, name: "007_named_approvers", sql: approvers007 },
  { version: 8, name: "008_catalog_problems", sql: catalogProblems008 },
  { version: 9, name: "009_pins_away_from_registers", sql: pinsAway009 },
  { version: 10, name: "010_sales_history", sql: salesHistory010 },
  { version: 11, name: "011_quick_key_pages", sql: quickKeyPages011 },
  { version: 12, name: "012_returns", sql: returns012 },
  { version: 13, name: "013_scales", sql: scales013 },
  { version: 14, name: "014_scan_ids", sql: scanIds014 },
  { version: 15, name: "015_return_idempotency", sql: returnIdempotency015 },
  { version: 16, name: "016_open_sales", sql: openSales016 },
  { version: 17, name: "017_store_credit", sql: storeCredit017, rebuildsTables: true },
  { version: 18, name: "018_stock_ledger", sql: stockLedger018 },
  { version: 19, name: "019_product_details", sql: productDetails019 },
  { version: 20, name: "020_deliveries", sql: deliveries020 },
  { version: 21, name: "021_stock_counts", sql: stockCounts021 },
  { version: 22, name: "022_low_stock_events", sql: lowStockEvents022 },
  { version: 23, name: "023_price_changes", sql: priceChanges023 },
  { version: 24, name: "024_api_idempotency", sql: apiIdempotency024 },
  { version: 25, name: "025_stock_movement_cursor", sql: stockMovementCursor025 },
  { version: 26, name: "026_reservations", sql: reservations026 },
  { version: 27, name: "027_catalog_release_log", sql: catalogReleaseLog027 },
  { version: 28, name: "028_installation", sql: installation028 },
  { version: 29, name: "029_store_prices", sql: storePrices029 },
  { version: 30, name: "030_region_prices", sql: regionPrices030 },
  { version: 31, name: "031_sale_line_cost", sql: saleLineCost031 },
  { version: 32, name: "032_bought_together", sql: boughtTogether032 },
  { version: 33, name: "033_report_rollups", sql: reportRollups033 },
  { version: 36, name: "036_upgrades", sql: upgrades036 },
  { version: 37, name: "037_journal_closures", sql: journalClosures037 },
  { version: 38, name: "038_together_decay", sql: togetherDecay038 },
];
