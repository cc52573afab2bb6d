// Printing for the store: which printer a register uses, queuing receipts with the sale, copies, test pages,
// the cash drawer, and the worker that sends it all. Built once by the composition root.

import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { buildReturnReceipt, type ExchangeUse } from "../../domain/return/receipt.ts";
import type { CompletedReturn } from "../../domain/return/return.ts";
import { buildReceipt, type ReceiptDocument, type ReceiptStore } from "../../domain/sale/receipt.ts";
import type { Sale } from "../../domain/sale/sale.ts";
import { transportFactory } from "../../hardware/printers/connect.ts";
import type { DeviceRules } from "../../hardware/printers/device-rules.ts";
import { decodePng, fitLogo } from "../../hardware/printers/logo.ts";
import { type PrintJob, type PrintState, printQueue } from "../../hardware/printers/queue.ts";
import type { Logo, ReportPage } from "../../hardware/printers/receipt-bytes.ts";
import { type PrinterConfig, printerRegistry } from "../../hardware/printers/registry.ts";
import { type ReceiptPayload, renderJob } from "../../hardware/printers/render-job.ts";
import type { Transport } from "../../hardware/printers/transport.ts";
import { printWorker, type WorkerLog } from "../../hardware/printers/worker.ts";
import type { StoreSettings } from "../settings/settings.ts";

export function printing(deps: {
  db: Database;
  clock: Clock;
  settings: () => StoreSettings;
  journal: (at: string, kind: string, ref: string, data: unknown) => void;
  transportFor?: (p: PrinterConfig, jobId: number | null) => Transport;
  /** Where printers may be: device paths and network ports (a real shop's unless a test says otherwise). */
  deviceRules: DeviceRules;
  /** A printer's status changed (the worker found it so and recorded it): the registers are told (server/live). */
  onPrinterStatus?: (printerId: number) => void;
  /** Where the worker's own failures are logged. */
  log?: WorkerLog;
}) {
  const { db, clock, settings, journal } = deps;
  const now = () => clock.now().toISOString();
  const printers = printerRegistry(db, deps.deviceRules);
  const queue = printQueue(db);
  const registerName = db.query<{ name: string }, [number]>("SELECT name FROM registers WHERE id = ?");
  const cashierName = db.query<{ name: string }, [string]>("SELECT u.name FROM sales s JOIN users u ON u.id = s.cashier_id WHERE s.id = ?");
  // the shop's logo: a PNG in settings, decoded once and scaled to the paper
  let logoCache: { key: string; images: Map<number, Logo | null> } | null = null;
  function logoFor(paperMm: 58 | 80): Logo | null {
    const b64 = db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'receipt_logo'").get()?.value ?? "";
    if (logoCache?.key !== b64) logoCache = { key: b64, images: new Map() };
    if (!b64) return null;
    if (!logoCache.images.has(paperMm)) {
      try {
        logoCache.images.set(paperMm, fitLogo(decodePng(Buffer.from(b64, "base64")), paperMm === 58 ? 256 : 384));
      } catch {
        logoCache.images.set(paperMm, null); // a logo that no longer decodes is left off, the receipt still prints
      }
    }
    return logoCache.images.get(paperMm) ?? null;
  }
  const worker = printWorker({
    clock,
    queue,
    printers,
    transportFor: deps.transportFor ?? transportFactory(db, now, deps.deviceRules),
    render: (job, printer) => renderJob(job, printer, { logo: job.kind === "receipt" || job.kind === "copy" ? logoFor(printer.paperMm) : null }),
    ...(deps.onPrinterStatus ? { onStatusChanged: deps.onPrinterStatus } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });

  /** The shop as its receipts head it, from the settings. */
  function receiptStore(): ReceiptStore {
    const s = settings();
    return { name: s.storeName, address: s.storeAddress, taxId: s.taxId, header: s.receiptHeader, footer: s.receiptFooter };
  }
  const registerOf = (registerId: number) => registerName.get(registerId)?.name ?? `Register ${registerId}`;

  /** A completed sale's receipt: the one document the printer, the register's dialog and the sales history all show. */
  function receiptDocument(sale: Sale, copy = false): ReceiptDocument {
    return buildReceipt(sale, {
      store: receiptStore(),
      register: registerOf(sale.registerId),
      cashier: cashierName.get(sale.saleId)?.name ?? null,
      copy,
    });
  }

  /** A return's receipt: the one document the printer and the register's dialog show. */
  /** A return's receipt; `exchange`: what of its store credit went toward the new sale. */
  function returnReceiptDocument(r: CompletedReturn, cashier: string | null, exchange: ExchangeUse | null = null): ReceiptDocument {
    return buildReturnReceipt(r, { store: receiptStore(), register: registerOf(r.registerId), cashier, exchange });
  }

  function receiptPayload(sale: Sale): ReceiptPayload {
    const s = settings();
    return { doc: receiptDocument(sale), currency: s.currency, timeZone: s.timeZone };
  }

  function requirePrinter(registerId: number): PrinterConfig {
    const p = printers.forRegister(registerId);
    if (!p) throw new Problem("no_printer", "No printer is set up for this register. Add one under Devices.");
    return p;
  }

  return {
    printers,
    queue,
    worker,
    receiptPayload,
    receiptDocument,
    returnReceiptDocument,
    /** Inside the completing transaction: the receipt is queued with the sale, and cash opens the drawer. */
    queueReceipt(sale: Sale): void {
      const printer = printers.forRegister(sale.registerId);
      if (!printer) return;
      const cash = sale.payments.some((p) => p.method === "cash");
      queue.enqueue({
        printerId: printer.id,
        kind: "receipt",
        saleId: sale.saleId,
        payload: receiptPayload(sale),
        kickDrawer: cash,
        at: sale.completedAt ?? now(),
      });
    },
    /** A person asked for another copy: printed marked COPY, and written in the journal. */
    queueCopy(sale: Sale, registerId: number, by: string): number {
      const printer = requirePrinter(registerId);
      return db
        .transaction(() => {
          const id = queue.enqueue({ printerId: printer.id, kind: "copy", saleId: sale.saleId, payload: receiptPayload(sale), at: now(), requestedBy: by });
          journal(now(), "receipt.reprinted", sale.saleId, { receipt: sale.receiptNumber, job: id, by });
          return id;
        })
        .immediate();
    },
    /** An X or Z report on the register's printer. */
    /** Whether a PNG will do as the receipt logo (its size), refused with a reason when not. Slow: outside transactions. */
    checkLogo(png: Uint8Array): { width: number; height: number } {
      const img = decodePng(png);
      return { width: img.width, height: img.height };
    },
    /** Check and store the shop's logo for receipts (the command line's way). */
    setLogo(png: Uint8Array): { width: number; height: number } {
      const size = this.checkLogo(png);
      this.saveLogo(png);
      return size;
    },
    /** Store the shop's logo for receipts, checked first with checkLogo. */
    saveLogo(png: Uint8Array): void {
      db.query("INSERT INTO settings(key, value) VALUES ('receipt_logo', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
        Buffer.from(png).toString("base64"),
      );
    },
    queueReport(registerId: number, page: ReportPage, by: string): number | null {
      const printer = printers.forRegister(registerId);
      if (!printer) return null;
      return queue.enqueue({ printerId: printer.id, kind: "report", payload: page, at: now(), requestedBy: by });
    },
    queueTest(printerId: number, by: string): number {
      const p = printers.byId(printerId);
      if (!p) throw new Problem("printer_not_found", "That printer is not set up.");
      return queue.enqueue({ printerId, kind: "test", payload: { printerName: p.name, at: now(), timeZone: settings().timeZone }, at: now(), requestedBy: by });
    },
    /**
     * Open a register's drawer outside a sale — a no-sale, cash put in or taken out — its kick queued on the register's
     * printer and written in the journal. A no-sale needs the printer (it is all the action does); for cash moved, a
     * register without one opens the drawer with its key, and this answers null.
     */
    openDrawer(registerId: number, by: string, why: { kind: "no_sale" | "cash_in" | "cash_out"; reason: string }): number | null {
      const printer = why.kind === "no_sale" ? requirePrinter(registerId) : printers.forRegister(registerId);
      if (!printer) return null;
      return db
        .transaction(() => {
          const id = queue.enqueue({ printerId: printer.id, kind: "drawer", payload: {}, kickDrawer: true, at: now(), requestedBy: by });
          journal(now(), `drawer.${why.kind}`, String(registerId), { by, reason: why.reason, job: id });
          return id;
        })
        .immediate();
    },
    /**
     * Inside the returning transaction: the return's receipt on the register's printer, the drawer opened when cash goes
     * back, and the journal told.
     */
    queueReturnReceipt(r: CompletedReturn, cashier: string | null, exchange: ExchangeUse | null = null): void {
      const printer = printers.forRegister(r.registerId);
      if (!printer) return;
      const s = settings();
      const doc = returnReceiptDocument(r, cashier, exchange);
      queue.enqueue({
        printerId: printer.id,
        kind: "receipt",
        returnId: r.returnId,
        payload: { doc, currency: s.currency, timeZone: s.timeZone } satisfies ReceiptPayload,
        kickDrawer: r.refunds.some((x) => x.method === "cash"),
        at: r.at,
        requestedBy: cashier,
      });
    },
    /** Another copy of a return's receipt, marked COPY, on the printer of `registerId`; in the journal with it. */
    queueReturnCopy(r: CompletedReturn, registerId: number, by: string, exchange: ExchangeUse | null = null): number {
      const printer = requirePrinter(registerId);
      const s = settings();
      const doc = buildReturnReceipt(r, { store: receiptStore(), register: registerOf(r.registerId), cashier: null, copy: true, exchange });
      const id = queue.enqueue({
        printerId: printer.id,
        kind: "copy",
        returnId: r.returnId,
        payload: { doc, currency: s.currency, timeZone: s.timeZone } satisfies ReceiptPayload,
        at: now(),
        requestedBy: by,
      });
      journal(now(), "receipt.reprinted", r.returnId, { return: r.returnNumber, job: id, by });
      return id;
    },
    /** How the receipt of a sale is doing, in words for the register. */
    stateOfSale(saleId: string): PrintState {
      return stateOf(queue.forSale(saleId));
    },
    /** How the receipt of a return is doing. */
    stateOfReturn(returnId: string): PrintState {
      return stateOf(queue.forReturn(returnId));
    },
  };

  /** How the last job of a sale or a return is doing, in words for the register. */
  function stateOf(jobs: PrintJob[]): PrintState {
    const job: PrintJob | undefined = jobs.at(-1);
    if (!job) return { state: "none", message: "No receipt printer for this register.", printer: null };
    const printer = printers.byId(job.printerId)?.name ?? null;
    const words: Record<PrintJob["state"], string> = {
      queued: job.lastError ? `Waiting: ${job.lastError} It prints by itself when the printer is back.` : "Printing…",
      printing: "Printing…",
      printed: job.kind === "copy" ? "Copy printed." : "Receipt printed.",
      failed: `Not printed: ${job.lastError ?? "unknown error"}`,
      uncertain: job.lastError ?? "Check the printer.",
    };
    return { state: job.state, message: words[job.state], printer };
  }
}

export type Printing = ReturnType<typeof printing>;
