// Receipt documents, test pages and drawer kicks as printer bytes (ESC/POS or StarPRNT), through receipt-printer-encoder.

import type { TableColumn, TableRow } from "@point-of-sale/receipt-printer-encoder";
import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import { minorToDecimal } from "../../domain/kernel/money.ts";
import { type ReceiptDocument, type ReceiptLine, spacedCode } from "../../domain/sale/receipt.ts";
import { encodable, type PrintProfile, startEncoder } from "./print-profile.ts";
import { clean } from "./receipt-text.ts";

export type Logo = { width: number; height: number; data: Uint8ClampedArray };

export type ReceiptRenderOptions = { currency: string; timeZone: string; logo?: Logo | null; kickDrawer?: 2 | 5 | null };

export type TestPageInfo = { printerName: string; at: string; timeZone: string };

const DRAWER_DEVICE = { 2: 0, 5: 1 } as const;

export function renderReceipt(doc: ReceiptDocument, profile: PrintProfile, opts: ReceiptRenderOptions): Uint8Array {
  const enc = startEncoder(profile);
  const cols = enc.columns;
  const money = moneyFormat(opts.currency);
  // the drawer opens first, so the cashier can make change while the receipt prints; sent as part of the first
  // line, because the encoder's own pulse() ends its line and would feed a blank one at the top
  if (opts.kickDrawer) enc.raw(renderDrawerKick(opts.kickDrawer, profile.language));
  if (opts.logo) logo(enc, opts.logo);

  enc.align("center").bold(true).size(2, 2).line(clean(doc.store.name)).size(1, 1).bold(false);
  for (const l of doc.store.address) enc.line(clean(l));
  if (doc.store.taxId) enc.line(`Tax id ${clean(doc.store.taxId)}`);
  for (const l of doc.store.header) enc.line(clean(l));
  if (doc.returnOf) enc.newline().bold(true).size(2, 2).line("RETURN").size(1, 1).bold(false);
  if (doc.copy) enc.newline().bold(true).size(2, 2).line("COPY").size(1, 1).bold(false);
  enc.align("left").rule();

  const meta: [string, string][] = [
    [doc.returnOf ? "Return" : "Receipt", doc.receiptNumber],
    ...(doc.returnOf ? [["Of receipt", doc.returnOf] as [string, string]] : []),
    ["Date", dateTime(doc.at, opts.timeZone)],
    ["Register", doc.register],
  ];
  if (doc.cashier) meta.push(["Cashier", doc.cashier]);
  pairs(
    enc,
    meta.map(([k, v]): Pair => [k, clean(v)]),
  );
  enc.rule();

  lines(enc, doc.lines, money.plain);
  enc.rule();

  if (doc.discount > 0) pairs(enc, [["Discounts", money.plain(-doc.discount)]]);
  const total = money.total(doc.total, (s) => encodable(profile, s));
  const big = 6 + total.length <= cols / 2;
  enc
    .bold(true)
    .size(big ? 2 : 1, 2)
    .line(spread(doc.returnOf ? "REFUND" : "TOTAL", total, big ? cols / 2 : cols))
    .size(1, 1)
    .bold(false);
  const after: Pair[] = [];
  if (doc.rounding !== 0) after.push(["Cash rounding", money.plain(doc.rounding)]);
  for (const p of doc.payments) {
    after.push([clean(p.method), money.plain(p.amount)]);
    if (p.detail) after.push(clean(p.detail));
  }
  if (!doc.returnOf) after.push(["Change", money.plain(doc.change)]);
  pairs(enc, after);

  if (doc.taxes.length > 0) {
    enc.rule();
    taxes(enc, doc.taxes, money.plain);
  }
  if (doc.storeCredit) {
    // the store credit the customer takes away: its code, as a barcode the register scans when it pays
    enc.rule().align("center").bold(true).line("STORE CREDIT").bold(false);
    enc.line(`${clean(spacedCode(doc.storeCredit.code))}  ${money.plain(doc.storeCredit.amount)}`);
    codes(enc, { ...profile, paperMm: 58 }, doc.storeCredit.code);
    enc.line("Use it as payment in this store").align("left");
  }
  if (doc.store.footer.length > 0) {
    enc.rule().align("center");
    for (const l of doc.store.footer) enc.line(clean(l));
  }
  enc.align("center").newline();
  codes(enc, profile, doc.receiptNumber);
  enc.align("left");
  return enc.cut("partial").encode();
}

export function renderTestPage(profile: PrintProfile, info: TestPageInfo): Uint8Array {
  const enc = startEncoder(profile);
  enc.align("center").bold(true).size(2, 2).line("TEST PAGE").size(1, 1).bold(false);
  enc.line(clean(info.printerName)).line(dateTime(info.at, info.timeZone)).align("left").rule();
  pairs(enc, [
    ["Language", profile.language === "esc-pos" ? "ESC/POS" : "StarPRNT"],
    ["Paper", `${profile.paperMm} mm, ${enc.columns} columns`],
    ["Code page", profile.codepage],
    ["Printer model", profile.printerModel ?? "generic"],
  ]);
  enc.rule().line("Characters:");
  for (const l of CHARACTER_TEST) enc.line(l);
  enc.line("0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  enc.bold(true).line("Bold").bold(false).size(2, 2).line("Large").size(1, 1);
  enc.line(`|${"-".repeat(enc.columns - 2)}|`);
  enc.align("center").newline();
  codes(enc, profile, "SHOPFLOW-TEST");
  enc.align("left");
  return enc.cut("partial").encode();
}

/** The lines the test page prints to show that accents and the euro sign come out right; each fits 58 mm paper. */
export const CHARACTER_TEST = ["Crème fraîche, Müsli, Jalapeño", "Smørrebrød, Straße, € 1.00"] as const;

export type ReportPage = { title: string; subtitle: string[]; rows: [string, string][]; at: string; timeZone: string };

/** A report on paper (X or Z): a title, a few lines under it, then label and value pairs, and a cut. */
export function renderReport(profile: PrintProfile, page: ReportPage): Uint8Array {
  const enc = startEncoder(profile);
  enc.align("center").bold(true).size(2, 2).line(clean(page.title)).size(1, 1).bold(false);
  for (const l of page.subtitle) enc.line(clean(l));
  enc.line(dateTime(page.at, page.timeZone)).align("left").rule();
  pairs(
    enc,
    page.rows.map(([k, v]) => [clean(k), clean(v)] as Pair),
  );
  enc.rule().newline();
  return enc.cut("partial").encode();
}

export function renderDrawerKick(pin: 2 | 5, language: PrintProfile["language"]): Uint8Array {
  // no initialize: ESC @ would also throw away anything another job left in the printer's buffer
  return new ReceiptPrinterEncoder({ language, columns: 48 }).pulse(DRAWER_DEVICE[pin], 100, 500).encode();
}

// --- receipt parts ---

function logo(enc: ReceiptPrinterEncoder, l: Logo) {
  const width = Math.min(l.width, enc.printableWidth);
  enc.align("center").image({ width: l.width, height: l.height, data: l.data }, { width, mode: "raster" }).align("left");
}

/** A label with its value on the right, or (a plain string) an indented detail under the row before it. */
type Pair = [string, string] | string;

/** Labels left, values right; a long label wraps inside its column, a detail spans the whole width. */
function pairs(enc: ReceiptPrinterEncoder, rows: Pair[]) {
  const values = rows.filter((r) => typeof r !== "string");
  const label = Math.min(10, Math.max(0, ...values.map(([k]) => k.length)));
  const right = Math.max(1, Math.min(enc.columns - 1 - label, Math.max(0, ...values.map(([, v]) => v.length))));
  const columns: TableColumn[] = [
    { width: enc.columns - right - 1, align: "left" },
    { width: right, align: "right", marginLeft: 1 },
  ];
  const table: TableRow[] = rows.map((r) => (typeof r === "string" ? [{ span: 2, content: r, marginLeft: 2 }] : r));
  enc.table(columns, table);
}

function lines(enc: ReceiptPrinterEncoder, items: ReceiptLine[], plain: (n: number) => string) {
  const rows: Pair[] = [];
  for (const l of items) {
    rows.push([clean(l.name), plain(l.total)]);
    if (l.weighed) rows.push(`${quantity(l.qtyMilli, true)} kg x ${plain(l.unitPrice)}/kg`);
    else if (l.qtyMilli !== 1000) rows.push(`${quantity(l.qtyMilli, false)} x ${plain(l.unitPrice)}`);
    if (l.discount !== 0) rows.push(["  discount", plain(-l.discount)]);
    if (l.note) rows.push(clean(l.note));
  }
  pairs(enc, rows);
}

function taxes(enc: ReceiptPrinterEncoder, rates: ReceiptDocument["taxes"], plain: (n: number) => string) {
  const rows = rates.map((t) => [`${clean(t.label)} ${t.rateBp / 100} %`, plain(t.net), plain(t.tax)]);
  const net = Math.max(3, ...rows.map((r) => r[1]!.length));
  const tax = Math.max(3, ...rows.map((r) => r[2]!.length));
  enc.table(
    [
      { width: enc.columns - net - tax - 2, align: "left" },
      { width: net, align: "right", marginLeft: 1 },
      { width: tax, align: "right", marginLeft: 1 },
    ],
    [["Tax rate", "Net", "Tax"], ...rows],
  );
}

/** The receipt number as CODE128, and as a QR code where the paper is wide enough to scan one comfortably. */
function codes(enc: ReceiptPrinterEncoder, profile: PrintProfile, value: string) {
  if (!value) return;
  const ascii = /^[\x20-\x7e]+$/.test(value);
  const caps = enc.printerCapabilities as { barcodes?: { supported?: boolean }; qrcode?: { supported?: boolean; models?: string[] } };
  if (ascii && caps.barcodes?.supported !== false) {
    // start, data, check and stop symbols, in modules; the paper's margins outside the print area are the quiet zones
    const modules = 11 * value.length + 35;
    const width = [2, 1].find((w) => modules * (w + 1) <= enc.printableWidth);
    if (width) {
      const data = profile.language === "esc-pos" ? `{B${value.replaceAll("{", "{{")}` : value;
      enc.barcode(data, "code128", { width, height: 60, text: "below" });
    }
  }
  if (profile.paperMm === 80 && caps.qrcode?.supported !== false && caps.qrcode?.models?.includes("2") !== false) {
    enc.qrcode(value, { model: 2, size: 5, errorlevel: "m" });
  }
}

// --- text and numbers ---

function spread(left: string, right: string, width: number): string {
  return left + " ".repeat(Math.max(1, width - left.length - right.length)) + right;
}

/** Thousandths as a decimal: weights always with three places ("0.750"), counts without trailing zeros ("2", "1.5"). */
function quantity(qtyMilli: number, weighed: boolean): string {
  const sign = qtyMilli < 0 ? "-" : "";
  const abs = Math.abs(qtyMilli);
  let frac = String(abs % 1000).padStart(3, "0");
  if (!weighed) frac = frac.replace(/0+$/, "");
  return `${sign}${Math.floor(abs / 1000)}${frac ? `.${frac}` : ""}`;
}

function moneyFormat(currency: string) {
  const f = new Intl.NumberFormat("en-GB", { style: "currency", currency, currencyDisplay: "narrowSymbol" });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  const symbol = f.formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
  const plain = (amount: number): string => minorToDecimal(amount, digits);
  return {
    plain,
    /** The one amount that names its currency: "€12.34" when the printer has the sign, else "EUR 12.34". */
    total(amount: number, printable: (s: string) => boolean): string {
      const p = plain(amount);
      if ([...symbol].length === 1 && printable(symbol)) return p.startsWith("-") ? `-${symbol}${p.slice(1)}` : symbol + p;
      return `${currency} ${p}`;
    },
  };
}

function dateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
}
