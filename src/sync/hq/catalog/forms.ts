// The catalog pages' forms as zod schemas. A product's and a tax class's fields are checked by draft.ts, beside the
// checks that need the draft (a SKU or code taken, a barcode held, a tax class that exists), so every field's
// sentence is shown at once; publishing is checked here.

import { z } from "zod";
import { gtinCheckDigit, isValidGtin } from "../../../domain/kernel/barcode.ts";
import { isInstant, validDay } from "../../../domain/kernel/calendar.ts";
import { looksLikeCardNumber } from "../../../domain/kernel/card-data.ts";
import { MAX_RELEASE_NOTE as MAX_NOTE } from "./releases.ts";

/** A release may take effect in any year from 2000. */
const releaseYears = { from: 2000, to: 9999 };

const text = z.string().optional();

/** A product, new (with its SKU) or edited; the boxes are "on" when ticked. */
export const productForm = z.object({ sku: text, name: text, barcode: text, price: text, tax_class: text, category: text, weighed: text, active: text });

/**
 * A barcode as typed (spaces taken out), or the sentence that refuses it: digits only, 8, 12, 13 or 14 of them, with
 * the right check digit. The store's product form and import refuse a barcode in these same words
 * (server/products/rules.ts, readBarcode), so head office never publishes one a store would not take. A card number
 * typed here (the text gate lets digits pass in a code field) is never spelled back.
 */
export function readBarcode(typed: string): { barcode: string } | { problem: string } {
  const code = typed.replace(/\s+/g, "");
  const spelled = looksLikeCardNumber(code) ? "" : ` ${code.length > 20 ? `${code.slice(0, 20)}…` : code}`;
  if (/^\d+([.,]\d+)?e\+?\d+$/i.test(code)) return { problem: `The barcode${spelled} was shortened by a spreadsheet; type all its digits.` };
  if (!/^\d+$/.test(code)) return { problem: `The barcode${spelled} has other characters than digits; a barcode is digits only.` };
  if (![8, 12, 13, 14].includes(code.length)) return { problem: `The barcode${spelled} has ${code.length} digits; a barcode has 8, 12, 13 or 14.` };
  if (!isValidGtin(code)) {
    const should = gtinCheckDigit(code.slice(0, -1));
    return { problem: `The barcode${spelled} has a wrong check digit (the last digit should be ${should}); check it for a typo.` };
  }
  return { barcode: code };
}

/** A new price for one product. */
export const priceForm = z.object({ price: z.string().default("") });

/** A tax class, new (with its code) or edited; the rate in percent. */
export const taxClassForm = z.object({ code: text, name: text, rate: text });

/**
 * When a release takes effect. The page's script sends the exact instant the person meant in their own time zone
 * (effective_at_iso); without it the typed date-time is read as UTC. Empty: now.
 */
export function effectiveAtOf(form: { effective_at?: string; effective_at_iso?: string }, now: Date): { at: Date } | { problem: string } {
  const exact = (form.effective_at_iso ?? "").trim();
  if (isInstant(exact, releaseYears)) {
    const at = new Date(exact);
    if (!Number.isNaN(at.getTime()) && at.getUTCFullYear() >= releaseYears.from) return { at };
  }
  const typed = (form.effective_at ?? "").trim();
  if (!typed) return { at: now };
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(typed);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? "0")) as [number, number, number, number, number, number];
    // reject 2026-02-30 and 25:00 rather than let Date roll them over
    if (validDay(y, mo, d, releaseYears) && h < 24 && mi < 60 && s < 60) return { at: new Date(Date.UTC(y, mo - 1, d, h, mi, s)) };
  }
  return { problem: "Type a date and time like 2026-12-01 06:00, or leave it empty for now." };
}

/** How far back a typed time may be before it counts as the past (a time typed to the minute, a slow click). */
export const PAST_GRACE_MS = 2 * 60_000;

/**
 * Publishing the draft as it was seen (its fingerprint): when, and a note; both sentences at once. A time in the past
 * is published only when the person says it is meant (confirm_past): such a release takes effect at the stores at
 * once, yet loses, field by field, to every release with a later effective time — a typo in the year would be silent.
 */
export const publishForm = (now: Date) =>
  z
    .object({ effective_at: text, effective_at_iso: text, confirm_past: text, note: z.string().default(""), fingerprint: z.string().default("") })
    .transform((f, ctx) => {
      const when = effectiveAtOf(f, now);
      const note = f.note.trim();
      if ("problem" in when) ctx.addIssue({ code: "custom", path: ["effective_at"], message: when.problem });
      else if (when.at.getTime() < now.getTime() - PAST_GRACE_MS && !["1", "on", "true"].includes(f.confirm_past ?? "")) {
        ctx.addIssue({
          code: "custom",
          path: ["effective_at"],
          message: `That time is in the past (${when.at.toISOString().slice(0, 16).replace("T", " ")} UTC). Tick "Yes, in the past" to publish it so, or change the time.`,
        });
      }
      if (note.length > MAX_NOTE) ctx.addIssue({ code: "custom", path: ["note"], message: `A note of at most ${MAX_NOTE} characters, please.` });
      return "at" in when ? { effectiveAt: when.at, note, fingerprint: f.fingerprint } : z.NEVER;
    });

/** Discarding the draft as it was seen. */
export const discardForm = z.object({ fingerprint: z.string().default("") });

/** Taking one change out of the draft. */
export const removeForm = z.object({ kind: z.string().default(""), key: z.string().default("") });
