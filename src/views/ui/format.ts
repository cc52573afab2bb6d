// Display helpers shared by the views: money, quantities, times. Formatting only, no rules.
import { currencyDigits, formatMoney, minorToDecimal } from "../../domain/kernel/money.ts";

export type Locale = { currency: string; timeZone: string };

export const money = (amount: number, l: Locale) => formatMoney(amount, l.currency);

/** Minor units as a plain decimal for inputs: 1234 -> "12.34". */
export function decimal(amount: number, l: Locale): string {
  return minorToDecimal(amount, currencyDigits(l.currency));
}

export function quantity(qtyMilli: number, weighed: boolean): string {
  return weighed ? `${(qtyMilli / 1000).toFixed(3)} kg` : String(qtyMilli / 1000);
}

export function time(iso: string, l: Locale): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: l.timeZone, dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
}

export function percent(bp: number): string {
  return `${bp / 100} %`;
}

/** A calendar day ("2026-11-25") as the pages write dates: the date part of `time`, "25/11/2026". */
export function day(isoDay: string): string {
  const [y, m, d] = isoDay.split("-");
  return `${d}/${m}/${y}`;
}
