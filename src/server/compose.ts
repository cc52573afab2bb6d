// The composition root: the one place that builds the store from its parts (database, clock, ids, settings).
import type { Database } from "bun:sqlite";
import { join } from "node:path";
import { catalogQueries } from "./catalog/products.ts";
import { systemClock, uuidIds, type Clock, type Ids } from "./clock.ts";
import { openDatabase } from "./db/open.ts";
import { checkout } from "./sales/checkout.ts";
import { saleQueries } from "./sales/sale-queries.ts";
import { saleStore } from "./sales/sale-store.ts";
import { till } from "./sales/till.ts";
import { readSettings, type StoreSettings } from "./store/settings.ts";
import { tokenAuthenticator } from "./store/tokens.ts";
import { journalWriter } from "./journal.ts";
import { version } from "./version.ts";

export type StoreOptions = { dataDir?: string; dbPath?: string; clock?: Clock; ids?: Ids };

export function databasePath(dataDir: string): string {
  return join(dataDir, "shopflow.db");
}

export function openStore(options: StoreOptions) {
  const path = options.dbPath ?? databasePath(options.dataDir ?? "./data");
  const db = openDatabase(path);
  return composeStore(db, options);
}

export function composeStore(db: Database, options: Pick<StoreOptions, "clock" | "ids"> = {}) {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidIds;
  ensureSyncState(db, ids);
  let settings = readSettings(db);
  const current = () => settings;
  const catalog = catalogQueries(db);
  const sales = saleStore(db, () => settings.timeZone);
  const sell = checkout({ db, catalog, sales, clock, ids, settings: current });
  return {
    db,
    clock,
    ids,
    version,
    settings: current,
    reloadSettings(): StoreSettings {
      settings = readSettings(db);
      return settings;
    },
    catalog,
    sales,
    checkout: sell,
    till: till({ db, catalog, sales, clock, ids, settings: current, checkout: sell }),
    reports: saleQueries(db),
    journal: journalWriter(db),
    authenticate: tokenAuthenticator(db),
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof composeStore>;

/** The epoch names this database's outbox sequence; a restored copy gets a new one (sync, DESIGN §7). */
function ensureSyncState(db: Database, ids: Ids): void {
  db.query("INSERT INTO sync_state(id, epoch, acked_seq) VALUES (1, ?, 0) ON CONFLICT(id) DO NOTHING").run(ids.next());
}
