// Each audit row in a manager's words: one formatter per kind of action, and a labelled list for kinds it does not know.
// Money in the shop's currency, discounts as percentages, quantities as the till shows them, sales by receipt number.
import { type Locale, money, percent, quantity } from "../ui/format.ts";

/** One row of the log as it is stored: the detail is the JSON the action recorded. */
export type AuditRow = {
  at: string;
  user: string | null;
  approvedBy: string | null;
  register: string | null;
  action: string;
  subject: string | null;
  detail: string;
};

/** A sale an audit row is about, as the server found it: its receipt number once it has one. */
export type SaleRef = {
  status: "open" | "parked" | "completed" | "cancelled";
  receiptNumber: string | null;
  /** What the customer paid (completed) or would have paid (open, parked, cancelled), in minor units. */
  total: number;
  /** How many lines the sale has (or had when it was cancelled). */
  items: number;
  /** Every line ever added to the sale, by line id: what a price change or a discount was on. */
  lines: Record<string, LineRef>;
};

export type LineRef = { name: string; weighed: boolean; listPrice: number };

/** What the server looked up for the rows shown: the sales they name, by sale id. */
export type AuditRefs = { sales: Record<string, SaleRef> };

/** A row said in words: a short title, a sentence, and labelled facts (a reason, or the fields of an unknown kind). */
export type Described = { what: string; sentence: string | null; facts: [label: string, value: string][] };

type Detail = Record<string, unknown>;
type Formatter = (d: Detail, row: AuditRow, ctx: Ctx) => Omit<Described, "what">;
type Ctx = { l: Locale; sale: SaleRef | null };

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
/** "“damaged label”": words a person typed, quoted so they read as theirs. */
const quoted = (s: string) => `“${s}”`;
const reasonOf = (d: Detail): [string, string][] => (str(d.reason) ? [["Reason", quoted(str(d.reason)!)]] : []);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The sale a row is about, as a manager finds it again: by its receipt, else by what became of it. */
export function saleWords(sale: SaleRef | null): string {
  if (!sale) return "a sale";
  switch (sale.status) {
    case "completed":
      return sale.receiptNumber ? `receipt ${sale.receiptNumber}` : "a completed sale";
    case "cancelled":
      return "a sale that was then cancelled";
    case "parked":
      return "a parked sale";
    case "open":
      return "the sale still open at the register";
  }
}

/** The line a detail names (by line id, or by the item's name as older rows have it). */
function lineOf(d: Detail, sale: SaleRef | null): LineRef | null {
  if (!sale) return null;
  const id = str(d.line);
  if (id && sale.lines[id]) return sale.lines[id];
  const name = str(d.item);
  return name ? (Object.values(sale.lines).find((l) => l.name === name) ?? null) : null;
}

/** A quantity recorded in units (2, 0.75) as the till shows it: "2", "0.750 kg". */
function units(v: unknown, line: LineRef | null): string {
  const n = num(v);
  if (n === null) return "?";
  const milli = Math.round(n * 1000);
  return quantity(milli, line?.weighed ?? milli % 1000 !== 0);
}

/** Whether a cash movement opened the drawer through the printer (rows that say so carry the kick's print job). */
const drawerOpened = (d: Detail) => (num(d.drawerJob) !== null ? " The drawer was opened." : "");

const itemName = (d: Detail, line: LineRef | null, midSentence = false) => line?.name ?? str(d.item) ?? (midSentence ? "an item" : "An item");

const methods: Record<string, string> = { cash: "Cash", card: "Card", voucher: "Voucher" };

/** Why a PIN or a pairing was refused, from the code the server recorded. */
const refusals: Record<string, string> = {
  wrong_pin: "wrong PIN",
  approval_needed: "wrong PIN, or not a manager",
  user_locked: "locked after too many wrong PINs",
  unknown_user: "no such user, or the user is disabled",
  sign_in_paused: "sign-in paused after too many tries",
  too_many_tries: "too many tries in a minute",
};
const refusal = (v: unknown) => (str(v) ? (refusals[str(v)!] ?? words(str(v)!)) : "refused");

const roles: Record<string, string> = { cashier: "a cashier", supervisor: "a supervisor", manager: "a manager", admin: "an admin" };
const printerKinds: Record<string, string> = { network: "network", usb: "USB", serial: "serial", virtual: "virtual" };

/** Settings by the name the command line gives them, with how a person reads their value. */
const settings: Record<string, { label: string; value?: (v: string, l: Locale) => string }> = {
  store_name: { label: "Store name" },
  store_address: { label: "Store address" },
  tax_id: { label: "Tax number" },
  receipt_header: { label: "Receipt header" },
  receipt_footer: { label: "Receipt footer" },
  currency: { label: "Currency" },
  time_zone: { label: "Time zone" },
  prices_include_tax: { label: "Prices include tax", value: (v) => (v === "1" ? "yes" : "no") },
  cash_rounding: { label: "Cash rounding", value: (v, l) => (v === "1" ? "none" : `to ${money(Number(v), l)}`) },
  negative_stock: { label: "Selling with no stock", value: (v) => ({ allow: "allowed", warn: "allowed with a warning", block: "refused" })[v] ?? v },
  blind_count: { label: "Blind count", value: (v) => (v === "1" ? "on: cashiers count before they see the expected cash" : "off") },
  hq_url: { label: "Head office address" },
  hq_store_id: { label: "Head office store id" },
  hq_token: { label: "Head office token" },
  allowed_hosts: { label: "Other names of this server" },
  discount_limit_bp: { label: "Discount limit without a manager", value: (v) => percent(Number(v)) },
  return_days: { label: "Days to return", value: (v) => (v === "" ? "no limit" : `${v} days`) },
  return_max_without_receipt: { label: "Most refunded without a receipt", value: (v, l) => money(Number(v), l) },
  adjustment_approval_minor: { label: "Stock adjustments a manager approves", value: (v, l) => `over ${money(Number(v), l)}` },
  non_returnable_skus: { label: "Products not taken back", value: (v) => (v === "" ? "none" : v.split("\n").join(", ")) },
};

const formatters: Record<string, { what: string; say: Formatter }> = {
  "return.completed": {
    what: "Goods returned",
    say: (d, _r, { l }) => {
      const receipt = str(d.receipt);
      const of = !receipt || receipt === "none" ? "without a receipt" : `of receipt ${receipt}${str(d.store) ? ` (${str(d.store)})` : ""}`;
      const credit = num(d.store_credit);
      return {
        sentence: `Return ${str(d.return) ?? ""} ${of}: ${money(num(d.total) ?? 0, l)} refunded${credit ? `, ${money(credit, l)} of it as store credit` : ""}.`,
        facts: str(d.reason) ? [["Reason", str(d.reason)!]] : [],
      };
    },
  },
  "receipt.reprinted": {
    what: "Receipt copy printed",
    say: (d, _r, { sale }) => ({ sentence: `A copy of ${str(d.return) ? `return ${str(d.return)}` : saleWords(sale)}, marked COPY.`, facts: [] }),
  },
  "sale.price_overridden": {
    what: "Price changed",
    say: (d, _r, { l, sale }) => {
      const line = lineOf(d, sale);
      const price = num(d.price);
      const list = line && price !== line.listPrice ? ` (list price ${money(line.listPrice, l)})` : "";
      return {
        sentence: `${itemName(d, line)}: price set to ${price === null ? "?" : money(price, l)}${list}, on ${saleWords(sale)}.`,
        facts: reasonOf(d),
      };
    },
  },
  "sale.discount": {
    what: "Discount given",
    say: (d, _r, { l, sale }) => {
      const disc = (d.discount ?? {}) as Detail;
      const off = disc.kind === "percent" ? percent(num(disc.bp) ?? 0) : money(num(disc.amount) ?? 0, l);
      const on = d.line === null || d.line === undefined ? "the whole sale" : itemName(d, lineOf(d, sale), true);
      return { sentence: `${off} off ${on}, on ${saleWords(sale)}.`, facts: reasonOf(disc) };
    },
  },
  "sale.discount_over_limit": {
    what: "Discount over the limit",
    say: (d, _r, { sale }) => {
      const line = lineOf(d, sale);
      const change = num(d.to) ? `quantity changed from ${units(d.from, line)} to ${units(d.to, line)}` : `taken off (was ${units(d.from, line)})`;
      return { sentence: `${itemName(d, line)}: ${change}, which took the discount over the limit, on ${saleWords(sale)}.`, facts: [] };
    },
  },
  "sale.line_removed_after_payment": {
    what: "Line removed after payment started",
    say: (d, _r, { sale }) => {
      const line = lineOf(d, sale);
      return { sentence: `${itemName(d, line)} (${units(d.from, line)}) taken off after payment had started, on ${saleWords(sale)}.`, facts: [] };
    },
  },
  "sale.quantity_lowered_after_payment": {
    what: "Quantity lowered after payment started",
    say: (d, _r, { sale }) => {
      const line = lineOf(d, sale);
      return {
        sentence: `${itemName(d, line)}: quantity lowered from ${units(d.from, line)} to ${units(d.to, line)} after payment had started, on ${saleWords(sale)}.`,
        facts: [],
      };
    },
  },
  "sale.payment_removed": {
    what: "Payment removed",
    say: (d, _r, { l, sale }) => ({
      sentence: `${methods[str(d.method) ?? ""] ?? "A"} payment of ${money(num(d.amount) ?? 0, l)} taken off ${saleWords(sale)}.`,
      facts: reasonOf(d),
    }),
  },
  "sale.cancelled": {
    what: "Sale cancelled",
    say: (d, _r, { l, sale }) => ({
      sentence: sale ? `Sale of ${plural(sale.items, "item")} (${money(sale.total, l)}) cancelled.` : "Sale cancelled.",
      facts: reasonOf(d),
    }),
  },
  "drawer.no_sale": {
    what: "Drawer opened (no sale)",
    say: (d) => ({ sentence: "Cash drawer opened without a sale.", facts: reasonOf(d) }),
  },
  "cash.in": {
    what: "Cash in",
    say: (d, _r, { l }) => ({ sentence: `${money(num(d.amount) ?? 0, l)} put into the drawer.${drawerOpened(d)}`, facts: reasonOf(d) }),
  },
  "cash.out": {
    what: "Cash out",
    say: (d, _r, { l }) => ({ sentence: `${money(num(d.amount) ?? 0, l)} taken out of the drawer.${drawerOpened(d)}`, facts: reasonOf(d) }),
  },
  "shift.opened": {
    what: "Shift opened",
    say: (d, _r, { l }) => ({ sentence: `Shift opened with a float of ${money(num(d.float) ?? 0, l)}.`, facts: [] }),
  },
  "shift.x_report": {
    what: "X report printed",
    say: (d) => ({ sentence: d.blind === true ? "X report printed, without the cash the drawer should hold (blind count)." : "X report printed.", facts: [] }),
  },
  "shift.closed": {
    what: "Shift closed",
    say: (d, _r, { l }) => {
      const diff = num(d.overShort);
      const balance = diff === null ? "" : diff === 0 ? ": the drawer balanced" : diff > 0 ? `: ${money(diff, l)} over` : `: ${money(-diff, l)} short`;
      return { sentence: `Shift closed. Counted ${money(num(d.counted) ?? 0, l)}, expected ${money(num(d.expected) ?? 0, l)}${balance}.`, facts: [] };
    },
  },
  "settings.changed": {
    what: "Setting changed",
    say: (d, row, { l }) => {
      if (row.subject === "head office") {
        const url = str(d.url);
        return {
          sentence: url ? `Connected to head office at ${url}${str(d.store_id) ? ` as store ${d.store_id}` : ""}.` : "Disconnected from head office.",
          facts: [],
        };
      }
      if (row.subject === "receipt logo") return { sentence: `Receipt logo set (${num(d.width) ?? "?"}×${num(d.height) ?? "?"} dots).`, facts: [] };
      const s = settings[row.subject ?? ""];
      const raw = typeof d.value === "string" ? d.value : null;
      const value = raw === null ? "?" : raw === "" ? "(empty)" : s?.value ? s.value(raw, l) : quoted(raw);
      const via = str(d.via) ? ` (from the ${d.via})` : "";
      return { sentence: `${s?.label ?? words(row.subject ?? "A setting")} set to ${value}${via}.`, facts: [] };
    },
  },
  "printer.added": {
    what: "Printer added",
    say: (d, row) => ({
      sentence: `Printer ${row.subject ?? ""} added (${printerKinds[str(d.kind) ?? ""] ?? "printer"})${d.default === true ? " as the default printer" : ""}.`,
      facts: [],
    }),
  },
  "printer.made_default": {
    what: "Default printer changed",
    say: (_d, row) => ({ sentence: `${row.subject ?? "A printer"} is now the default printer.`, facts: [] }),
  },
  "user.created": {
    what: "User added",
    say: (d, row) => ({
      sentence: `${row.subject ?? "A user"} added as ${roles[str(d.role) ?? ""] ?? "a user"}${str(d.via) ? ` (from the ${d.via})` : ""}.`,
      facts: [],
    }),
  },
  "user.signed_in": { what: "Signed in", say: () => ({ sentence: null, facts: [] }) },
  "user.signed_out": { what: "Signed out", say: () => ({ sentence: null, facts: [] }) },
  "user.sign_in_failed": {
    what: "Sign-in refused",
    say: (d) => ({ sentence: `Sign-in refused: ${refusal(d.code)}.`, facts: [] }),
  },
  "user.disabled": {
    what: "User disabled",
    say: (_d, row) => ({ sentence: `${row.subject ?? "A user"} can no longer sign in; their sessions were ended.`, facts: [] }),
  },
  "user.unlocked": {
    what: "User unlocked",
    say: (_d, row) => ({ sentence: `${row.subject ?? "A user"} unlocked: they may try their PIN again.`, facts: [] }),
  },
  "approval.refused": {
    what: "Approval refused",
    say: (d, row) => ({
      sentence: `${row.subject ?? "An action"} was not approved${str(d.approver) ? ` by ${d.approver}` : ""}: ${refusal(d.code)}.`,
      facts: [],
    }),
  },
  "device.paired": {
    what: "Register paired",
    say: (_d, row) => ({ sentence: `A browser was paired as register ${row.subject ?? ""}.`, facts: [] }),
  },
  "device.pair_failed": {
    what: "Pairing refused",
    say: (d, row) => ({ sentence: `Pairing a browser as register ${row.subject ?? ""} was refused: ${refusal(d.code)}.`, facts: [] }),
  },
};

/** "sale.line_voided" → "Sale line voided"; "store_id" → "Store id". */
export function words(code: string): string {
  const s = code
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[._-]+/g, " ")
    .trim()
    .toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value of a kind this page does not know, by its key's name: money, basis points and thousandths read as such. */
function fallbackValue(key: string, v: unknown, ctx: Ctx, refs: AuditRefs): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") {
    if (/(bp|Bp|_bp)$/.test(key)) return percent(v);
    if (/(milli|Milli)$/.test(key)) return quantity(v, v % 1000 !== 0);
    if (/^(amount|price|total|float|counted|expected|paid|change|cash|overShort|refund|subtotal|tax|discount|net)$/i.test(key)) return money(v, ctx.l);
    return String(v);
  }
  if (typeof v === "string") {
    if (uuid.test(v)) return saleWords(refs.sales[v] ?? null);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => fallbackValue(key, x, ctx, refs)).join(", ");
  return Object.entries(v as Detail)
    .map(([k, x]) => `${words(k).toLowerCase()} ${fallbackValue(k, x, ctx, refs)}`)
    .join(", ");
}

function parse(detail: string): Detail | null {
  try {
    const d: unknown = JSON.parse(detail);
    return d && typeof d === "object" && !Array.isArray(d) ? (d as Detail) : null;
  } catch {
    return null;
  }
}

/** One row in words. A kind this page does not know still reads as a labelled list, never as JSON. */
export function describe(row: AuditRow, refs: AuditRefs, l: Locale): Described {
  const sale = row.subject ? (refs.sales[row.subject] ?? null) : null;
  const ctx: Ctx = { l, sale };
  const d = parse(row.detail);
  const known = formatters[row.action];
  if (known && d) {
    try {
      return { what: known.what, ...known.say(d, row, ctx) };
    } catch {
      // a row written by an older version in another shape: said as a list below
    }
  }
  const facts: [string, string][] = [];
  if (row.subject) facts.push(uuid.test(row.subject) || sale ? ["Sale", saleWords(sale)] : ["About", row.subject]);
  if (d) for (const [k, v] of Object.entries(d)) facts.push([words(k), fallbackValue(k, v, ctx, refs)]);
  else if (row.detail.trim() !== "") facts.push(["Detail", row.detail.replace(/[{}[\]"]/g, " ").trim()]);
  return { what: known?.what ?? words(row.action), sentence: null, facts };
}
