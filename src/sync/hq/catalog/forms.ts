// The catalog pages' forms as zod schemas. A product's and a tax class's fields are checked by draft.ts, beside the
// checks that need the draft (a SKU or code taken, a barcode held, a tax class that exists), so every field's
// sentence is shown at once; publishing is checked here.

import { z } from "zod";
import { isInstant, validDay } from "../../../domain/kernel/calendar.ts";
import { MAX_RELEASE_NOTE as MAX_NOTE } from "./releases.ts";

/** A release may take effect in any year from 2000. */
const releaseYears = { from: 2000, to: 9999 };

const text = z.string().optional();

/** A product, new (with its SKU) or edited; the boxes are "on" when ticked. */
export const productForm = z.object({ sku: text, name: text, barcode: text, price: text, tax_class: text, category: text, weighed: text, active: text });

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

/** Publishing the draft as it was seen (its fingerprint): when, and a note; both sentences at once. */
export const publishForm = (now: Date) =>
  z.object({ effective_at: text, effective_at_iso: text, note: z.string().default(""), fingerprint: z.string().default("") }).transform((f, ctx) => {
    const when = effectiveAtOf(f, now);
    const note = f.note.trim();
    if ("problem" in when) ctx.addIssue({ code: "custom", path: ["effective_at"], message: when.problem });
    if (note.length > MAX_NOTE) ctx.addIssue({ code: "custom", path: ["note"], message: `A note of at most ${MAX_NOTE} characters, please.` });
    return "at" in when ? { effectiveAt: when.at, note, fingerprint: f.fingerprint } : z.NEVER;
  });

/** Discarding the draft as it was seen. */
export const discardForm = z.object({ fingerprint: z.string().default("") });

/** Taking one change out of the draft. */
export const removeForm = z.object({ kind: z.string().default(""), key: z.string().default("") });
