// The composition root: the one place that builds the store from its parts (database, clock, ids, settings).
import type { Database } from "bun:sqlite";
import { join } from "node:path";
import { businessDate } from "../domain/kernel/calendar.ts";
import type { Clock, Ids } from "../domain/kernel/clock.ts";
import { type DeviceRules, shopDeviceRules } from "../hardware/printers/device-rules.ts";
import type { PrinterConfig } from "../hardware/printers/registry.ts";
import type { Transport } from "../hardware/printers/transport.ts";
import { catalogPuller } from "../sync/catalog-puller.ts";
import { uploader } from "../sync/uploader.ts";
import { tokenAuthenticator } from "./api/tokens.ts";
import { auditLog } from "./audit/audit-log.ts";
import { catalogQueries } from "./catalog/queries.ts";
import { openDatabase } from "./db/open.ts";
import { dayTotals, recentBusinessDays } from "./head-office/day-totals.ts";
import { readHeadOfficeLink } from "./head-office/link.ts";
import { outboxWriter } from "./head-office/outbox.ts";
import { journalWriter } from "./journal/journal.ts";
import { userStore } from "./people/actions.ts";
import { sessionStore } from "./people/sessions.ts";
import { systemClock, uuidIds } from "./platform/clock.ts";
import { version } from "./platform/version.ts";
import { printing } from "./printing/actions.ts";
import { till } from "./selling/actions.ts";
import { checkout } from "./selling/checkout.ts";
import { saleQueries } from "./selling/queries.ts";
import { saleStore } from "./selling/sale-events.ts";
import { readSettings, type StoreSettings } from "./settings/settings.ts";
import { shiftStore } from "./shifts/actions.ts";

export type StoreOptions = {
  dataDir?: string;
  dbPath?: string;
  clock?: Clock;
  ids?: Ids;
  /** Tests may reach printers their own way; the store uses the real transports. */
  transportFor?: (p: PrinterConfig, jobId: number | null) => Transport;
  /** Where printers may be; a real shop's rules unless a test reaches its printers through a pty. */
  deviceRules?: DeviceRules;
  fetch?: typeof fetch;
};

export function databasePath(dataDir: string): string {
  return join(dataDir, "shopflow.db");
}

export function openStore(options: StoreOptions) {
  const path = options.dbPath ?? databasePath(options.dataDir ?? "./data");
  const db = openDatabase(path);
  return composeStore(db, options);
}

export function composeStore(db: Database, options: Pick<StoreOptions, "clock" | "ids" | "transportFor" | "deviceRules" | "fetch"> = {}) {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidIds;
  ensureSyncState(db, ids);
  let settings = readSettings(db);
  const current = () => settings;
  const catalog = catalogQueries(db);
  const sales = saleStore(db, () => settings.timeZone);
  const sell = checkout({ db, catalog, sales, clock, ids, settings: current });
  const journal = journalWriter(db);
  const print = printing({
    db,
    clock,
    settings: current,
    journal,
    deviceRules: options.deviceRules ?? shopDeviceRules,
    ...(options.transportFor ? { transportFor: options.transportFor } : {}),
  });
  ensureVirtualPrinter(db, print.printers, clock);
  const reports = saleQueries(db);
  const days = dayTotals(db, reports, outboxWriter(db));
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
    till: till({ db, catalog, sales, clock, ids, settings: current, checkout: sell, onCompleted: (sale) => print.queueReceipt(sale) }),
    printing: print,
    users: userStore(db),
    sessions: sessionStore(db),
    shifts: shiftStore(db, { timeZone: () => settings.timeZone, dayTotals: days }),
    audit: auditLog(db),
    headOffice: () => readHeadOfficeLink(db),
    sync: uploader({ db, clock, ids, link: () => readHeadOfficeLink(db), ...(options.fetch ? { fetch: options.fetch } : {}) }),
    catalogReleases: catalogPuller({
      db,
      clock,
      link: () => readHeadOfficeLink(db),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onApplied: () => {
        settings = readSettings(db);
      },
    }),
    reports,
    dayTotals: days,
    /** Report yesterday's and today's totals to head office where they changed since the last report. */
    reportDayTotals(): string[] {
      const at = clock.now();
      return recentBusinessDays(at, (d) => businessDate(d, settings.timeZone)).filter((d) => days.reportIfChanged(d, at.toISOString()));
    },
    journal,
    authenticate: tokenAuthenticator(db),
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof composeStore>;

/** A new store prints on the built-in virtual printer; once set up, the printer list is the manager's. */
function ensureVirtualPrinter(db: Database, printers: ReturnType<typeof printing>["printers"], clock: Clock): void {
  const done = db.query("SELECT 1 FROM settings WHERE key = 'printers_initialised'").get();
  if (done) return;
  db.transaction(() => {
    printers.ensureVirtual(clock.now().toISOString());
    db.query("INSERT INTO settings(key, value) VALUES ('printers_initialised', '1')").run();
  }).immediate();
}

/** The epoch names this database's outbox sequence; a restored copy gets a new one (sync, DESIGN §7). */
function ensureSyncState(db: Database, ids: Ids): void {
  db.query("INSERT INTO sync_state(id, epoch, acked_seq) VALUES (1, ?, 0) ON CONFLICT(id) DO NOTHING").run(ids.next());
}
