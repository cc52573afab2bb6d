// The readers store settings are typed through: one line or a few of text through the gate, one of a few words, cash
// rounding steps, time zones, currencies, percentages and host names, each refusing with the sentence a person reads.

import { currencyDigits, minorToDecimal, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import type { ProblemCode } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import type { StoreSettings } from "./settings.ts";

/** What some rules need to know of the store: cash rounding is typed in its currency. */
export type SettingContext = { currency: string };

export type SettingRefusal = { code: ProblemCode; message: string };

export type Rule = {
  /** The row it is kept in. */
  key: string;
  /** How a person names it: the page's label and the list of what changed. */
  label: string;
  /** What it takes, for `settings list` and the command's usage. */
  help: string;
  /** What a person typed, as it is kept; or why not, in the sentence both the page and the command line show. */
  read: (typed: string, ctx: SettingContext) => string | SettingRefusal;
  /** Its kept value in the settings as they are (defaults included); absent: the row as it is, or "". */
  of?: (s: StoreSettings) => string;
  /** A kept value as a person types it (the form's value, `settings list`). */
  typed?: (kept: string, ctx: SettingContext) => string;
  /** A kept value in words, for "what changed". */
  words?: (kept: string, ctx: SettingContext) => string;
  /** Never shown nor written to the log. */
  secret?: boolean;
};

export const refuse = (message: string, code: ProblemCode = "invalid_input"): SettingRefusal => ({ code, message });

/** One line of text through the text gate, trimmed; `empty` is the sentence when it must say something. */
export const oneLine =
  (what: string, max: number, empty?: string): Rule["read"] =>
  (typed) => {
    const v = typed.trim();
    return textProblem(typed, what, { max }) ?? (empty !== undefined && v === "" ? refuse(empty) : v);
  };

/** Lines of text (an address, a receipt's header) through the text gate; kept one per line, trimmed, no blank ones. */
export const someLines =
  (what: string, max: number): Rule["read"] =>
  (typed) => {
    const text = typed.replace(/\r\n?/g, "\n");
    return (
      textProblem(text, what, { max, lines: true }) ??
      text
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .join("\n")
    );
  };

/** One of a few words, each kept as it is typed. */
export const oneOf =
  (choices: readonly string[], message: string): Rule["read"] =>
  (typed) =>
    choices.includes(typed.trim()) ? typed.trim() : refuse(message);

export const quoted = (v: string) => (v === "" ? "(none)" : `“${v.split("\n").join(" / ")}”`);

/** The cash rounding steps a shop can choose, in its currency's units; the smallest (one minor unit) is no rounding. */
export const STEPS = ["0.05", "0.10", "0.20", "0.25", "0.50", "1", "5", "10"];

export function cashRoundingSteps(currency: string): number[] {
  const digits = currencyDigits(currency);
  const steps = new Set([1]);
  for (const s of STEPS) {
    const minor = parseDecimalToMinor(s, digits);
    if (minor !== null) steps.add(minor);
  }
  return [...steps].sort((a, b) => a - b);
}

export const inUnits = (minor: number, ctx: SettingContext) => minorToDecimal(minor, currencyDigits(ctx.currency));

/** The IANA zones this server knows (what the page offers), and the names it accepts besides (UTC, older aliases). */
export const timeZones: readonly string[] = Intl.supportedValuesOf("timeZone");

export function timeZoneOf(typed: string): string | null {
  // a zone's name (Europe/Berlin, UTC, Etc/GMT+5), never a bare offset: an offset knows no summer time
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(typed)) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: typed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const currencies = new Set(Intl.supportedValuesOf("currency"));

/** Basis points as a person writes the percentage: 1000 -> "10", 1250 -> "12.5". */
export const percentOf = (bp: string) => minorToDecimal(Number(bp), 2).replace(/\.?0+$/, "");

export const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;
