// Money is an integer count of minor units (cents). Never a float.

export type Minor = number;

export function isMinor(n: unknown): n is Minor {
  return typeof n === "number" && Number.isSafeInteger(n);
}

/** numerator / denominator rounded half away from zero; denominator > 0. */
export function divRoundHalfUp(numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError("denominator must be positive");
  const sign = numerator < 0 ? -1 : 1;
  const a = Math.abs(numerator);
  return sign * Math.floor((2 * a + denominator) / (2 * denominator));
}

/**
 * a × b ÷ c rounded half away from zero, exact for any safe integers (the product is taken in BigInt): a share of a
 * large amount by a fine quantity (1,000,000.00 × 1,000 kg in thousandths) is past 2^53 as a plain number.
 */
export function mulDivRoundHalfUp(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError("denominator must be positive");
  const p = BigInt(a) * BigInt(b);
  const sign = p < 0n ? -1n : 1n;
  const abs = p < 0n ? -p : p;
  const d = BigInt(c);
  return Number(sign * ((2n * abs + d) / (2n * d)));
}

/** Round an amount to the nearest multiple of `unit` (cash rounding), halves away from zero. */
export function roundToUnit(amount: Minor, unit: number): Minor {
  if (unit <= 1) return amount;
  return divRoundHalfUp(amount, unit) * unit;
}

/** Split `amount` over `weights` in proportion, whole minor units, summing exactly to `amount` (largest remainder). */
export function allocate(amount: Minor, weights: readonly number[]): Minor[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (total === 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const sign = amount < 0 ? -1 : 1;
  const abs = Math.abs(amount);
  // amount × weight passes 2^53 for a large sale (a 4 million line under a 100 % discount): exact in BigInt, or a
  // share comes out one unit over its line
  const whole = BigInt(abs);
  const of = BigInt(total);
  const exact = weights.map((w) => whole * BigInt(w));
  const shares = exact.map((p) => Number(p / of));
  let left = abs - shares.reduce((s, x) => s + x, 0);
  const order = exact.map((p, i) => ({ i, rem: p % of })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) shares[order[k]!.i]! += 1;
  return shares.map((s) => s * sign);
}

const formatters = new Map<string, Intl.NumberFormat>();
const digitsOf = new Map<string, number>();

/** How many minor units a currency has after the point: EUR 2, JPY 0, BHD 3. */
export function currencyDigits(currency: string): number {
  let d = digitsOf.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsOf.set(currency, d);
  }
  return d;
}

/** Minor units as a plain decimal, exactly (no floating point): 1234 with 2 digits -> "12.34", -5 -> "-0.05". */
export function minorToDecimal(amount: Minor, digits: number): string {
  const sign = amount < 0 ? "-" : "";
  const s = String(Math.abs(amount)).padStart(digits + 1, "0");
  return digits === 0 ? sign + s : `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** "12.34 EUR"-style display for a minor amount, using the currency's own number of decimals. */
export function formatMoney(amount: Minor, currency: string, locale = "en-GB"): string {
  let f = formatters.get(currency + locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(currency + locale, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  // + 0 turns a negative zero (a sum of losses that is none, negated) into zero: never "-€0.00"
  return f.format(amount / 10 ** digits + 0);
}

/** Parse a decimal string like "12.34" into minor units without floating point error. */
export function parseDecimalToMinor(text: string, digits = 2): Minor | null {
  const m = /^(-)?(\d+)(?:[.,](\d+))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ?? "";
  if (frac.length > digits) return null;
  const value = Number(m[2]) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(value)) return null;
  // "-0.00" is zero, not -0 (which formats as "-€0.00" and is not Object.is-equal to 0).
  return m[1] && value !== 0 ? -value : value;
}
