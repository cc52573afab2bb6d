// What a tax class takes, as a person types it, and how it is kept: the only check there is, for the Tax classes page
// and `shopflow tax-class` alike (same refusals, same sentences). Each refusal names the field it is about.
import { parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";

/** A code is short: it is printed beside each line and in the tax summary of a receipt. */
export const MAX_TAX_CODE = 10;
export const MAX_TAX_NAME = 40;

export type TaxClassField = "code" | "name" | "rate";

const refuse = (field: TaxClassField, message: string): never => {
  throw new Problem("invalid_input", message, { field });
};

/** Through the text gate (a card number too: a code of ten digits is no product code), else refused beside `field`. */
function gated(field: TaxClassField, text: string, what: string, max: number): string {
  const problem = textProblem(text, what, { max });
  if (problem) throw new Problem(problem.code, problem.message, { field });
  return text;
}

/** A tax class's code, e.g. STD: letters, digits, "-" and "_", kept as typed (trimmed). */
export function readTaxCode(typed: string): string {
  const code = gated("code", typed.trim(), "The code", 100);
  if (!new RegExp(`^[A-Za-z0-9_-]{1,${MAX_TAX_CODE}}$`).test(code)) {
    refuse("code", `The code is 1 to ${MAX_TAX_CODE} letters or digits (“-” and “_” too), such as STD or RED.`);
  }
  return code;
}

/** A tax class's name, e.g. Standard: one line of 1 to 40 characters, spaces run together. */
export function readTaxName(typed: string): string {
  const name = gated("name", typed.replace(/\s+/g, " ").trim(), "The name", 200);
  if (name.length < 1 || name.length > MAX_TAX_NAME) refuse("name", `The name is 1 to ${MAX_TAX_NAME} characters, such as Standard or Reduced.`);
  return name;
}

/** A rate typed as a percentage ("20", "7.5", "7,5 %") in basis points: 2000 for 20 %. */
export function readRate(typed: string): number {
  const bp = parseDecimalToMinor(gated("rate", typed, "The rate", 100).trim().replace(/\s*%$/, ""), 2);
  if (bp === null || bp < 0 || bp > 10_000) refuse("rate", "The rate is a percentage from 0 to 100 with at most two decimals, such as 20 or 7.5.");
  return bp as number;
}

/** Basis points as a person types the percentage: 2000 -> "20", 750 -> "7.5", 1225 -> "12.25". */
export function typedRate(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const cents = bp % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, "0").replace(/0$/, "")}`;
}

/** A rate in words, as the page and the command line say it: "7.5 %". */
export const rateInWords = (bp: number): string => `${typedRate(bp)} %`;
