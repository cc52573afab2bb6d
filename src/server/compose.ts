// The composition root: the one place that builds the store from its parts (database, clock, ids, settings, printers,
// head office's address) and starts and stops its background work (print worker, sending to head office, catalog
// pulls, day totals).
import type { Database } from "bun:sqlite";
import { dirname, join } from "node:path";
import { businessDate } from "../domain/kernel/calendar.ts";
import type { Clock, Ids } from "../domain/kernel/clock.ts";
import type { EarlierReturns } from "../domain/return/return.ts";
import { type DeviceRules, shopDeviceRules } from "../hardware/printers/device-rules.ts";
import type { PrinterConfig } from "../hardware/printers/registry.ts";
import type { Transport } from "../hardware/printers/transport.ts";
import { type CatalogPuller, catalogPuller } from "../sync/catalog-puller.ts";
import { findReceiptElsewhere, type ReceiptLookup, returnsOfSaleElsewhere } from "../sync/receipt-lookup.ts";
import { type Uploader, uploader } from "../sync/uploader.ts";
import { tokenAuthenticator } from "./api/tokens.ts";
import { auditLog } from "./audit/audit-log.ts";
import { nightlyBackups } from "./backups/nightly.ts";
import { sendBackupsToHeadOffice } from "./backups/upload.ts";
import { catalogQueries } from "./catalog/queries.ts";
import { openDatabase } from "./db/open.ts";
import { deviceActions } from "./devices/actions.ts";
import { scales } from "./devices/scales.ts";
import { dayTotals, recentBusinessDays } from "./head-office/day-totals.ts";
import { readHeadOfficeLink } from "./head-office/link.ts";
import { outboxWriter } from "./head-office/outbox.ts";
import { stockMovementBatches } from "./head-office/stock-movements.ts";
import { adjustmentActions } from "./inventory/adjustments.ts";
import { countActions } from "./inventory/counts.ts";
import { deliveryActions } from "./inventory/deliveries.ts";
import { stockLedger } from "./inventory/ledger.ts";
import { stockLevels } from "./inventory/levels.ts";
import { stockReservations } from "./inventory/reservations.ts";
import { journalClosures } from "./journal/closures.ts";
import { journalWriter } from "./journal/journal.ts";
import { journalKeyPath, loadOrMakeJournalKey } from "./journal/keys.ts";
import { journalBatches } from "./journal/outbox.ts";
import { type LiveChannel, liveChannel } from "./live/channel.ts";
import { peopleActions } from "./people/actions.ts";
import { userRecords } from "./people/records.ts";
import { sessionRecords } from "./people/sessions.ts";
import { systemClock, uuidIds } from "./platform/clock.ts";
import { type Logger, stderrLog } from "./platform/log/log.ts";
import { version } from "./platform/version.ts";
import { type Printing, printing } from "./printing/actions.ts";
import { registerActions } from "./registers/actions.ts";
import { saleTraffic } from "./reports/sale-traffic.ts";
import { togetherCounts } from "./reports/together-counts.ts";
import { togetherQueries } from "./reports/together-queries.ts";
import { togetherWorker } from "./reports/together-worker.ts";
import { returnActions } from "./returns/actions.ts";
import { returnRecords } from "./returns/records.ts";
import { sellingActions } from "./selling/actions.ts";
import { checkout } from "./selling/checkout.ts";
import { salesHistory } from "./selling/history.ts";
import { saleQueries } from "./selling/queries.ts";
import { saleEvents } from "./selling/sale-events.ts";
import { till } from "./selling/till.ts";
import { readSettings, type StoreSettings } from "./settings/settings.ts";
import { shiftActions } from "./shifts/actions.ts";
import { shiftRecords } from "./shifts/records.ts";
import { storeCreditRecords } from "./store-credit/records.ts";

export type ShopOptions = {
  dataDir?: string;
  dbPath?: string;
  clock?: Clock;
  ids?: Ids;
  /** Tests may reach printers their own way; the store uses the real transports. */
  transportFor?: (p: PrinterConfig, jobId: number | null) => Transport;
  /** Where printers may be; a real shop's rules unless a test reaches its printers through a pty. */
  deviceRules?: DeviceRules;
  fetch?: typeof fetch;
  /** The key file that signs the journal's closures; by the database on disk (none: no closures are written). */
  journalKey?: string;
  /** Where the store's runtime events go (serve: the data folder's logs/; otherwise warnings and errors to stderr). */
  log?: Logger;
};

export function databasePath(dataDir: string): string {
  return join(dataDir, "shopflow.db");
}

export function openShop(options: ShopOptions) {
  const path = options.dbPath ?? databasePath(options.dataDir ?? "./data");
  const db = openDatabase(path, options.log ? { log: options.log } : {});
  const journalKey = options.journalKey ?? (path === ":memory:" ? undefined : journalKeyPath(dirname(path)));
  return composeShop(db, { ...options, ...(journalKey ? { journalKey } : {}) });
}

export function composeShop(db: Database, options: Pick<ShopOptions, "clock" | "ids" | "transportFor" | "deviceRules" | "fetch" | "journalKey" | "log"> = {}) {
  const log = options.log ?? stderrLog;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidIds;
  ensureSyncState(db, ids);
  let settings = readSettings(db);
  const current = () => settings;
  const catalog = catalogQueries(db);
  const sales = saleEvents(db, () => settings.timeZone);
  const stock = stockLevels(db, () => settings.negativeStock);
  const reservations = stockReservations(db);
  // what open and parked sales hold, from their events: right after an upgrade or a restore as at any start
  reservations.rebuild((saleId) => sales.load(saleId).state);
  const ledger = stockLedger(db);
  const credits = storeCreditRecords(db);
  // low stock and printer news for the open /events streams, told right after each action's COMMIT
  const live = liveChannel({ db, log });
  const sell = checkout({ db, catalog, sales, stock, clock, ids, settings: current, credits });
  const journal = journalWriter(db);
  // daily, monthly and yearly closures, signed with the store's key (journal/closures.ts)
  const signer = options.journalKey ? loadOrMakeJournalKey(options.journalKey) : null;
  const closures = signer ? journalClosures(db, signer, () => settings.timeZone) : null;
  const print = printing({
    db,
    clock,
    settings: current,
    journal,
    deviceRules: options.deviceRules ?? shopDeviceRules,
    onPrinterStatus: live.printerStatusChanged,
    log,
    ...(options.transportFor ? { transportFor: options.transportFor } : {}),
  });
  ensureVirtualPrinter(db, print.printers, clock);
  const reports = saleQueries(db);
  const days = dayTotals(db, reports, outboxWriter(db));
  const stockUp = stockMovementBatches(db, outboxWriter(db));
  const journalUp = journalBatches(db, outboxWriter(db));
  const audit = auditLog(db);
  const users = userRecords(db);
  const sessions = sessionRecords(db);
  const shifts = shiftRecords(db, { timeZone: () => settings.timeZone, dayTotals: days });
  const sync = uploader({
    db,
    clock,
    ids,
    link: () => readHeadOfficeLink(db),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // head office reads the store's hours on its clock and checks its closures with this key
    facts: () => ({ time_zone: settings.timeZone, ...(signer ? { journal_key: signer.publicPem } : {}) }),
  });
  const catalogReleases = catalogPuller({
    db,
    clock,
    link: () => readHeadOfficeLink(db),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onApplied: () => {
      settings = readSettings(db);
    },
  });
  /** Report yesterday's and today's totals to head office where they changed since the last report. */
  const reportDayTotals = (): string[] => {
    const at = clock.now();
    return recentBusinessDays(at, (d) => businessDate(d, settings.timeZone)).filter((d) => days.reportIfChanged(d, at.toISOString()));
  };
  const returns = returnRecords(db);
  // frequently bought together: counted from completed sales in the background, never in a sale's transaction
  const together = togetherCounts(db);
  // the selling routes say when a sale request comes and goes: the counter waits for a quiet moment
  const traffic = saleTraffic();
  const togetherWork = togetherWorker(together, { traffic, log });
  const scaleSettings = scales(db, options.deviceRules ?? shopDeviceRules);
  const registerTill = till({
    db,
    catalog,
    sales,
    stock,
    clock,
    ids,
    settings: current,
    checkout: sell,
    credits,
    onCompleted: (sale) => {
      print.queueReceipt(sale); // in this same transaction
      live.afterCommit(); // once it has committed
    },
  });
  const background = backgroundWork({
    log,
    printing: print,
    live,
    sync,
    catalogReleases,
    reportDayTotals,
    // the stock ledger, then the journal's entries (head office checks the chain: journal/outbox.ts)
    sendStockMovements: async () => (await stockUp.appendAll(() => clock.now().toISOString())) + (await journalUp.appendAll(() => clock.now().toISOString())),
    hasHeadOffice: () => readHeadOfficeLink(db) !== null,
    closeJournal: () => closures?.closeDue(clock.now()) ?? [],
  });
  return {
    db,
    clock,
    ids,
    version,
    /** The store's log (compose's caller closes it: it may outlive the database). */
    log,
    settings: current,
    reloadSettings(): StoreSettings {
      settings = readSettings(db);
      return settings;
    },
    catalog,
    sales,
    // a sale through the API may take a product to its reorder point too
    checkout: { ...sell, sell: live.announcing(sell.sell) },
    till: registerTill,
    history: salesHistory(db),
    returnRecords: returns,
    returns: returnActions({
      db,
      clock,
      ids,
      sales,
      records: returns,
      stock,
      printing: print,
      audit,
      journal,
      outbox: outboxWriter(db),
      settings: current,
      catalog,
      till: registerTill,
      credits,
    }),
    /** Store credit: codes issued with returns, spent as a tender. */
    credits,
    /** The stock ledger: movements and on-hand together, and the check that they agree. */
    ledger,
    /** What open and parked sales hold: on hand less this is what is available to sell. */
    reservations,
    /** Deliveries taken in: movements, the moving-average cost, the audit row, at once. */
    deliveries: ((d) => ({ ...d, receive: live.announcing(d.receive) }))(deliveryActions({ db, clock, ids, audit, ledger })),
    /** Stock adjusted by hand, with the shop's reasons. */
    adjustments: ((a) => ({ ...a, adjust: live.announcing(a.adjust) }))(adjustmentActions({ db, clock, ids, audit, catalog, ledger })),
    /** Stock counts: scans from any device into one sheet; approval puts the differences on the books at once. */
    counts: ((k) => ({ ...k, approve: live.announcing(k.approve) }))(countActions({ db, clock, ids, audit, ledger, settings: current })),
    /**
     * The live channel (/events): `live.afterCommit()` after an action that moves stock tells the back office of low
     * stock at once (the trigger of migration 022 has written it; a 1 s beat tells it anyway).
     */
    live,
    /** Another store's sales with this receipt number, through head office (when the store is connected and it answers). */
    receiptsElsewhere(number: string): Promise<ReceiptLookup> {
      const link = readHeadOfficeLink(db);
      if (!link) return Promise.resolve({ status: "unreachable", reason: "this store is not connected to head office" });
      return findReceiptElsewhere(link, number, options.fetch ? { fetch: options.fetch } : {});
    },
    /**
     * What other stores of the chain took back of one of this store's sales, as head office knows it; null when the
     * store is not connected or head office cannot say now (the store then goes by its own returns).
     */
    returnedElsewhere(saleId: string): Promise<EarlierReturns | null> {
      const link = readHeadOfficeLink(db);
      if (!link) return Promise.resolve(null);
      return returnsOfSaleElsewhere(link, saleId, options.fetch ? { fetch: options.fetch } : {});
    },
    selling: sellingActions({ db, clock, till: registerTill, sales, audit, printing: print }),
    printing: print,
    users,
    sessions,
    shifts,
    audit,
    people: peopleActions({ db, clock, users, sessions, audit }),
    registers: registerActions({ db, clock, users, sessions, audit }),
    shiftActions: shiftActions({ db, clock, settings: current, shifts, audit, printing: print }),
    devices: deviceActions({ db, clock, ids, audit, printing: print, scales: scaleSettings }),
    /** The registers' checkout scales: their settings, and a reading when the till weighs an item. */
    scales: scaleSettings,
    /** The nightly backup and the Devices page's "Back up now" (one run at a time); `serve` starts its schedule. */
    backups: nightlyBackups({ db, clock, log, sendToHeadOffice: sendBackupsToHeadOffice(db, options.fetch) }),
    headOffice: () => readHeadOfficeLink(db),
    sync,
    catalogReleases,
    reports,
    dayTotals: days,
    reportDayTotals,
    /** The stock ledger going up to head office: movements after the last sent, as outbox items (head-office/stock-movements.ts). */
    stockMovements: stockUp,
    journal,
    /** The journal's closures (null without a key file: a store in memory). */
    closures,
    /** The journal going up to head office as outbox items (journal/outbox.ts). */
    journalUp,
    authenticate: tokenAuthenticator(db),
    /** Frequently bought together: the counts (kept in the background) and the register's suggestion and the report. */
    together: { ...together, ...togetherQueries(db) },
    /** Sale requests under way and lately answered: the register's and the API's sales wear `saleTraffic.watch`. */
    saleTraffic: traffic,
    /** Start the background work: printing, sending to head office, catalog pulls, day totals, bought-together counts. */
    start: () => {
      background.start();
      togetherWork.start();
    },
    /** Stop it, waiting for what is under way; the database stays open. */
    stop: async () => {
      await Promise.all([background.stop(), togetherWork.stop()]);
    },
    /** Close the database; background work that has not begun by now does not begin. */
    close: () => {
      print.worker.halt();
      live.close(); // the /events streams end before the database they read closes
      db.close();
    },
  };
}

/**
 * What runs in the background of a serving store: the print worker, the live channel's beat (low stock told within a
 * second whatever wrote it), the uploader, the catalog pull now and every 30 s, the store's day totals every 5
 * minutes (only when they changed), and the stock movements put in the outbox now and every 5 s (when connected).
 */
function backgroundWork(deps: {
  log: Logger;
  printing: Printing;
  live: LiveChannel;
  sync: Uploader;
  catalogReleases: CatalogPuller;
  reportDayTotals: () => string[];
  sendStockMovements: () => Promise<number>;
  hasHeadOffice: () => boolean;
  closeJournal: () => string[];
}) {
  let timers: ReturnType<typeof setInterval>[] = [];
  // one pass at a time: a long ledger's first upload outlasts the interval
  let stockPass: Promise<unknown> | null = null;
  const sendStock = () => {
    if (stockPass || !deps.hasHeadOffice()) return;
    stockPass = deps
      .sendStockMovements()
      .catch((err) => deps.log.error("sync.stock_movements_failed", { msg: "stock movements were not put in the outbox", err }))
      .finally(() => {
        stockPass = null;
      });
  };
  const pullCatalog = () => void deps.catalogReleases.pull().catch((err) => deps.log.error("sync.catalog_failed", { msg: "the catalog pull failed", err }));
  const reportDays = () => {
    try {
      if (deps.hasHeadOffice()) deps.reportDayTotals();
    } catch (err) {
      deps.log.error("sync.day_totals_failed", { msg: "day totals were not reported", err });
    }
  };
  // days, months and years that ended are closed in the journal: at start (catching up) and every minute
  const closeJournal = () => {
    try {
      deps.closeJournal();
    } catch (err) {
      deps.log.error("journal.closures_failed", { msg: "the journal's closures were not written", err });
    }
  };
  return {
    start(): void {
      if (timers.length > 0) return;
      closeJournal();
      deps.printing.worker.start();
      deps.live.start();
      deps.sync.start();
      pullCatalog();
      sendStock();
      timers = [setInterval(pullCatalog, 30_000), setInterval(reportDays, 300_000), setInterval(sendStock, 5_000), setInterval(closeJournal, 60_000)];
    },
    async stop(): Promise<void> {
      for (const t of timers) clearInterval(t);
      timers = [];
      deps.live.stop();
      await Promise.all([deps.printing.worker.stop(), deps.sync.stop(), stockPass]);
    },
  };
}

export type Shop = ReturnType<typeof composeShop>;

/** A new store prints on the built-in virtual printer; once set up, the printer list is the manager's. */
function ensureVirtualPrinter(db: Database, printers: ReturnType<typeof printing>["printers"], clock: Clock): void {
  const done = db.query("SELECT 1 FROM settings WHERE key = 'printers_initialised'").get();
  if (done) return;
  // looked at again inside the write lock: two servers starting at once on a new database set it up once
  db.transaction(() => {
    if (db.query("SELECT 1 FROM settings WHERE key = 'printers_initialised'").get()) return;
    printers.ensureVirtual(clock.now().toISOString());
    db.query("INSERT INTO settings(key, value) VALUES ('printers_initialised', '1')").run();
  }).immediate();
}

/**
 * The epoch names this database's outbox sequence; a restored copy gets a new one (sync, DESIGN §7). The installation
 * is made once with the file and kept by a restored copy; a second server set up with the same head-office token makes
 * its own, so head office tells a clone from a restore. Random whatever the ids: two servers must never share one.
 */
function ensureSyncState(db: Database, ids: Ids): void {
  db.query("INSERT INTO sync_state(id, epoch, acked_seq) VALUES (1, ?, 0) ON CONFLICT(id) DO NOTHING").run(ids.next());
  db.query("UPDATE sync_state SET installation_id = ? WHERE id = 1 AND installation_id IS NULL").run(crypto.randomUUID());
}
