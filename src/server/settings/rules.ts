// What each store setting takes, as a person types it, and how it is kept: one rule per setting, the only check there
// is, for the settings page and `shopflow settings set` alike (same refusals, same sentences).
import { z } from "zod";
import { currencyDigits, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import type { ProblemCode } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { DEFAULT_HALVE_DAYS, DEFAULT_MIN_BASKETS } from "../../domain/suggestions/together.ts";
import { backupSettingRules } from "../backups/settings.ts";
import { linkChecks } from "../head-office/link.ts";
import {
  cashRoundingSteps,
  currencies,
  HOST,
  inUnits,
  oneLine,
  oneOf,
  percentOf,
  quoted,
  type Rule,
  refuse,
  type SettingContext,
  type SettingRefusal,
  someLines,
  timeZoneOf,
} from "./readers.ts";
import type { StoreSettings } from "./settings.ts";

export { cashRoundingSteps, type SettingContext, type SettingRefusal, timeZones } from "./readers.ts";

export const settingRules = {
  store_name: {
    key: "store_name",
    label: "Store name",
    help: "the name on receipts and pages",
    read: oneLine("The store name", 60, "The store name is empty; type the name the receipts and pages show."),
    of: (s) => s.storeName,
    words: quoted,
  },
  store_address: {
    key: "store_address",
    label: "Address",
    help: "address lines, separated by '\\n'",
    read: someLines("The address", 300),
    of: (s) => s.storeAddress.join("\n"),
    words: quoted,
  },
  tax_id: {
    key: "tax_id",
    label: "Tax number",
    help: "the tax number printed on receipts (empty: none)",
    read: oneLine("The tax number", 40),
    of: (s) => s.taxId ?? "",
    words: quoted,
  },
  receipt_header: {
    key: "receipt_header",
    label: "Receipt header",
    help: "lines above the items, separated by '\\n'",
    read: someLines("The receipt header", 300),
    of: (s) => s.receiptHeader.join("\n"),
    words: quoted,
  },
  receipt_footer: {
    key: "receipt_footer",
    label: "Receipt footer",
    help: "lines at the end of the receipt, separated by '\\n'",
    read: someLines("The receipt footer", 300),
    of: (s) => s.receiptFooter.join("\n"),
    words: quoted,
  },
  currency: {
    key: "currency",
    label: "Currency",
    help: "ISO 4217 code, e.g. EUR, GBP, USD; only before the first sale",
    read: (typed) => {
      const v = typed.trim();
      return /^[A-Z]{3}$/.test(v) && currencies.has(v) ? v : refuse("The currency is a three-letter ISO 4217 code such as EUR, GBP or USD.");
    },
    of: (s) => s.currency,
  },
  time_zone: {
    key: "time_zone",
    label: "Time zone",
    help: "IANA time zone, e.g. Europe/Berlin",
    read: (typed) =>
      timeZoneOf(typed.trim()) ?? refuse("The time zone is not one this server knows; choose one from the list, such as Europe/Berlin or America/New_York."),
    of: (s) => s.timeZone,
    words: (v) => v.replace(/_/g, " "),
  },
  prices_include_tax: {
    key: "prices_include_tax",
    label: "Prices include tax",
    help: "1 when shelf prices include tax (EU), 0 when tax is added at the till (US)",
    read: oneOf(["1", "0"], "Prices include tax is 1 (shelf prices include tax, as in the EU) or 0 (tax is added at the till, as in the US)."),
    of: (s) => (s.pricing.mode === "exclusive" ? "0" : "1"),
    words: (v) => (v === "1" ? "yes, shelf prices include tax" : "no, tax is added at the till"),
  },
  cash_rounding: {
    key: "cash_rounding",
    label: "Cash rounding",
    help: "the step cash totals round to, in the store's currency, e.g. 0.05; the smallest coin (0.01) for none",
    read: (typed, ctx) => {
      const steps = cashRoundingSteps(ctx.currency);
      const minor = parseDecimalToMinor(typed.trim(), currencyDigits(ctx.currency));
      if (minor !== null && steps.includes(minor)) return String(minor);
      const listed = steps.map((s) => inUnits(s, ctx));
      return refuse(`Cash rounding is one of ${listed.slice(0, -1).join(", ")} or ${listed.at(-1)} ${ctx.currency} (${listed[0]}: no rounding).`);
    },
    of: (s) => String(s.pricing.cashRounding),
    typed: (kept, ctx) => inUnits(Number(kept), ctx),
    words: (kept, ctx) => (Number(kept) <= 1 ? "none" : `${inUnits(Number(kept), ctx)} ${ctx.currency}`),
  },
  negative_stock: {
    key: "negative_stock",
    label: "Selling with no stock",
    help: "allow, warn or block",
    read: oneOf(["allow", "warn", "block"], "Selling with no stock is allow, warn or block."),
    of: (s) => s.negativeStock,
    words: (v) => ({ allow: "allowed", warn: "allowed with a warning", block: "refused" })[v] ?? v,
  },
  blind_count: {
    key: "blind_count",
    label: "Blind count",
    help: "1: cashiers count the drawer before they see what it should hold; 0: they see it",
    read: oneOf(["1", "0"], "Blind count is 1 (cashiers count before they see what the drawer should hold) or 0 (they see it)."),
    of: (s) => (s.blindCount ? "1" : "0"),
    words: (v) => (v === "1" ? "on" : "off"),
  },
  discount_limit: {
    key: "discount_limit_bp",
    label: "Discount limit",
    help: "the largest discount, in per cent, a cashier gives without a manager, e.g. 10",
    read: (typed) => {
      const bp = parseDecimalToMinor(typed.trim().replace(/\s*%$/, ""), 2);
      return bp !== null && bp >= 0 && bp <= 10_000 ? String(bp) : refuse("The discount limit is a percentage from 0 to 100, such as 10.");
    },
    of: (s) => String(s.discountLimitBp),
    typed: percentOf,
    words: (bp) => `${percentOf(bp)} %`,
  },
  return_days: {
    key: "return_days",
    label: "Days to return",
    help: "how many days after the sale goods are taken back (a manager can approve later ones); empty: no limit",
    read: (typed) => {
      const v = typed.trim();
      if (v === "") return "";
      return /^\d{1,4}$/.test(v) ? String(Number(v)) : refuse("Days to return is a number of days such as 30, or empty for no limit.");
    },
    of: (s) => (s.returns.days === null ? "" : String(s.returns.days)),
    words: (v) => (v === "" ? "no limit" : `${v} days`),
  },
  return_max_without_receipt: {
    key: "return_max_without_receipt",
    label: "Most refunded without a receipt",
    help: "the largest refund for goods brought back without a receipt, in the store's currency, e.g. 50.00 (0: none taken back)",
    read: (typed, ctx) => {
      const minor = parseDecimalToMinor(typed.trim(), currencyDigits(ctx.currency));
      return minor !== null && minor >= 0 && minor <= 100_000_000
        ? String(minor)
        : refuse(`The most refunded without a receipt is an amount in ${ctx.currency} such as 50.00, or 0 to take nothing back without one.`);
    },
    of: (s) => String(s.returns.maxWithoutReceipt),
    typed: (kept, ctx) => inUnits(Number(kept), ctx),
    words: (kept, ctx) => `${inUnits(Number(kept), ctx)} ${ctx.currency}`,
  },
  non_returnable: {
    key: "non_returnable_skus",
    label: "Not taken back",
    help: "SKUs of products the shop does not take back (a manager can approve it), separated by '\\n'",
    read: (typed) => {
      const text = typed.replace(/\r\n?/g, "\n");
      const skus = text
        .split(/[\n,]/)
        .map((l) => l.trim())
        .filter(Boolean);
      const problem = textProblem(text, "The products not taken back", { max: 5000, lines: true });
      if (problem) return problem;
      const wrong = skus.find((k) => !/^[\w.\-/]{1,64}$/.test(k));
      return wrong === undefined
        ? [...new Set(skus)].join("\n")
        : refuse(`“${wrong.slice(0, 40)}” is not a SKU: type one SKU per line, as the catalog lists it.`);
    },
    of: (s) => s.returns.nonReturnable.join("\n"),
    words: quoted,
  },
  adjustment_approval: {
    key: "adjustment_approval_minor",
    label: "Stock adjustments a manager approves",
    help: "a stock adjustment worth more than this (at the shelf price), in the store's currency, needs a manager, e.g. 50.00",
    read: (typed, ctx) => {
      const minor = parseDecimalToMinor(typed.trim(), currencyDigits(ctx.currency));
      return minor !== null && minor >= 0 && minor <= 100_000_000
        ? String(minor)
        : refuse(`Stock adjustments a manager approves: an amount in ${ctx.currency} such as 50.00 (0: every one).`);
    },
    of: (s) => String(s.adjustmentApproval),
    typed: (kept, ctx) => inUnits(Number(kept), ctx),
    words: (kept, ctx) => `over ${inUnits(Number(kept), ctx)} ${ctx.currency}`,
  },
  together_min_baskets: {
    key: "together_min_baskets",
    label: "Bought together: fewest baskets",
    help: "the register suggests a product bought with the one scanned once the two were in at least this many sales together (default 5)",
    read: (typed) => {
      const v = typed.trim();
      return /^\d{1,6}$/.test(v) && Number(v) >= 1
        ? String(Number(v))
        : refuse("Bought together: fewest baskets is a whole number of sales from 1, such as 5.");
    },
    words: (v) => (v === "" ? `${DEFAULT_MIN_BASKETS} baskets (the default)` : `${v} baskets`),
  },
  together_halve_days: {
    key: "together_halve_days",
    label: "Bought together: halve counts every",
    help: "how many days after which the baskets counted so far weigh half, so this season's habits outrank last year's (0: never; default 90)",
    read: (typed) => {
      const v = typed.trim();
      return /^\d{1,4}$/.test(v) ? String(Number(v)) : refuse("Bought together: halve counts every is a whole number of days, such as 90, or 0 for never.");
    },
    words: (v) => (v === "" ? `${DEFAULT_HALVE_DAYS} days (the default)` : v === "0" ? "never" : `${v} days`),
  },
  hq_url: {
    key: "hq_url",
    label: "Head office address",
    help: "head office's address, e.g. https://hq.example.com (empty: not connected)",
    read: (typed) => {
      const v = typed.trim();
      return (
        textProblem(v, "The head office address", { max: 500 }) ??
        (v === "" || linkChecks.hq_url(v) ? v : refuse("The head office address is a web address such as https://hq.example.com, or empty."))
      );
    },
  },
  hq_store_id: {
    key: "hq_store_id",
    label: "Head office store id",
    help: "this store's id at head office (from 'shopflow hq store add')",
    read: (typed) => {
      const v = typed.trim();
      return (
        textProblem(v, "The head office store id", { max: 100 }) ??
        (v === "" || linkChecks.hq_store_id(v) ? v : refuse("The head office store id is the id 'shopflow hq store add' printed (a UUID), or empty."))
      );
    },
  },
  hq_token: {
    key: "hq_token",
    label: "Head office token",
    help: "this store's secret head-office token (from 'shopflow hq store add')",
    read: (typed) => {
      const v = typed.trim();
      return (
        textProblem(v, "The head office token", { max: 200, cardLike: true }) ??
        (v === "" || linkChecks.hq_token(v)
          ? v
          : refuse("The head office token is the token 'shopflow hq store add' printed (10 to 200 characters, no spaces), or empty."))
      );
    },
    secret: true,
  },
  allowed_hosts: {
    key: "allowed_hosts",
    label: "Other names of this server",
    help: "names the store's pages answer to besides its IP addresses, localhost and this machine's name, comma-separated, e.g. pos.shop.lan",
    read: (typed) => {
      const names = typed
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean);
      const wrong = names.find((h) => !HOST.test(h) || h.length > 253);
      if (textProblem(typed, "", { max: 2000 }) || wrong !== undefined) {
        return refuse("Other names of this server are host names separated by commas, such as pos.shop.lan,till.shop.lan.");
      }
      return names.join(",");
    },
    of: (s) => s.allowedHosts.join(","),
  },
  // the nightly backup: when, where, how many kept, a copy to head office (backups/settings.ts)
  ...backupSettingRules,
} satisfies Record<string, Rule>;

export type SettingName = keyof typeof settingRules;

export const settingNames = Object.keys(settingRules) as SettingName[];

export const isSettingName = (name: string): name is SettingName => Object.hasOwn(settingRules, name);

const ruleOf = (name: SettingName): Rule => settingRules[name];

/** A setting's rule as a zod schema: what a person typed in, the value as kept out, or the rule's sentence as the issue. */
export function settingSchema(name: SettingName, ctx: SettingContext) {
  const rule = ruleOf(name);
  return z.string({ error: `${rule.label} did not come as text; reload the page and type it again.` }).transform((typed, zc) => {
    const read = rule.read(typed, ctx);
    if (typeof read === "string") return read;
    zc.addIssue({ code: "custom", message: read.message, params: { code: read.code } });
    return z.NEVER;
  });
}

/** One setting as typed: its kept value, or the refusal. */
export function checkSetting(name: SettingName, typed: string, ctx: SettingContext): { value: string } | { refused: SettingRefusal } {
  const r = settingSchema(name, ctx).safeParse(typed);
  if (r.success) return { value: r.data };
  const issue = r.error.issues[0]!;
  return { refused: { code: (issue as { params?: { code?: ProblemCode } }).params?.code ?? "invalid_input", message: issue.message } };
}

/**
 * Several settings as typed (those not sent are left out): the kept values of those the rules take, and each refused
 * field's sentence (none refused: all taken).
 */
export function checkSettings<N extends SettingName>(
  names: readonly N[],
  typed: Record<string, string>,
  ctx: SettingContext,
): { values: Partial<Record<N, string>>; refused: Partial<Record<N, SettingRefusal>> } {
  const values: Partial<Record<N, string>> = {};
  const refused: Partial<Record<N, SettingRefusal>> = {};
  for (const name of names) {
    const text = typed[name];
    if (text === undefined) continue;
    const r = checkSetting(name, text, ctx);
    if ("value" in r) values[name] = r.value;
    else refused[name] = r.refused;
  }
  return { values, refused };
}

/**
 * What a page showed for a setting (sent back in its `shown_` field), as kept: read by the setting's rule, so a
 * browser's line breaks or "10.0" for "10" make no difference; a value the rule does not take as it was sent.
 */
export function shownKept(name: SettingName, shown: string, ctx: SettingContext): string {
  const r = checkSetting(name, shown, ctx);
  return "value" in r ? r.value : shown.replace(/\r\n?/g, "\n");
}

/** A setting's value in the settings as they are, as kept: what an unchanged field is compared with. */
export function keptValue(name: SettingName, s: StoreSettings, rows: Readonly<Record<string, string>>): string {
  const rule = ruleOf(name);
  return rule.of ? rule.of(s) : (rows[rule.key] ?? "");
}

/** A kept value as a person types it. */
export const typedValue = (name: SettingName, kept: string, ctx: SettingContext): string => ruleOf(name).typed?.(kept, ctx) ?? kept;

/** A kept value in words ("what changed"); a secret is never spelled. */
export function valueInWords(name: SettingName, kept: string, ctx: SettingContext): string {
  const rule = ruleOf(name);
  if (rule.secret) return kept === "" ? "(none)" : "(set)";
  return rule.words?.(kept, ctx) ?? (kept === "" ? "(none)" : kept);
}

export const settingLabel = (name: SettingName): string => ruleOf(name).label;
export const settingKey = (name: SettingName): string => ruleOf(name).key;
export const settingHelp = (name: SettingName): string => ruleOf(name).help;
export const isSecret = (name: SettingName): boolean => ruleOf(name).secret === true;
