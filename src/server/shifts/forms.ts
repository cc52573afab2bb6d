// The shift's forms, one zod schema each, read with validForm. A field's place in its schema is the order its checks
// run, so the first refusal is the one the page has always shown.

import { z } from "zod";
import { parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { countDenominations } from "../../domain/shift/shift.ts";
import { approvalFields } from "../people/approval.ts";
import { refuse, saying } from "../platform/http/form.ts";
import type { Counted } from "./actions.ts";

export const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

/** One note or coin counted: empty, or a whole number. */
const notes = z
  .string()
  .optional()
  .transform((n, ctx) => {
    const t = n?.trim() ?? "";
    if (t === "") return null;
    return /^\d{1,5}$/.test(t) ? Number(t) : refuse(ctx, "invalid_count", "Count each note and coin as a whole number.");
  });

const noteFields = Object.fromEntries(DENOMINATIONS.map((d) => [`d_${d}`, notes])) as Record<`d_${number}`, typeof notes>;

/** The notes and coins, and `field` for a total typed instead. */
const countFields = <F extends string>(field: F) => ({
  ...noteFields,
  ...({ [field]: z.string().optional() } as Record<F, z.ZodOptional<z.ZodString>>),
});

/** The forms; `digits` is the shop currency's, read when a form comes in. */
export function shiftForms(digits: () => number) {
  /** Empty is null; anything else an amount of zero or more. */
  const amountOf = (text: string | undefined, what: string, ctx: z.core.$RefinementCtx, path?: string[]): number | null => {
    if (text === undefined || text.trim() === "") return null;
    const v = parseDecimalToMinor(text, digits());
    return v === null || v < 0 ? refuse(ctx, "invalid_amount", `${what} must be an amount like 150.00.`, path) : v;
  };

  /** A count note by note wins over the total typed in `field`; one of them is needed. */
  const counted = (f: Record<string, number | null | string | undefined>, field: string, what: string, ctx: z.core.$RefinementCtx): Counted => {
    const detail: Record<string, number> = {};
    for (const d of DENOMINATIONS) {
      const n = f[`d_${d}`];
      if (typeof n === "number") detail[String(d)] = n;
    }
    if (Object.keys(detail).length > 0) return { total: countDenominations(detail), detail };
    const text = f[field];
    const total = amountOf(typeof text === "string" ? text : undefined, what, ctx, [field]);
    return total === null ? refuse(ctx, "count_required", `Type ${what.toLowerCase()}, or count it note by note.`, [field]) : { total, detail: null };
  };

  return {
    open: z.object(countFields("float")).transform((f, ctx) => counted(f, "float", "The opening float", ctx)),

    close: z
      .object({ ...countFields("counted"), ...approvalFields })
      .transform(({ approver, manager_pin, ...f }, ctx) => ({ count: counted(f, "counted", "The counted cash", ctx), approver, manager_pin })),

    // the amount is checked after the reason, as it always was; empty is zero
    cashMove: z.object({
      kind: z.enum(["in", "out"]).catch("in"),
      reason: saying(200, "Say why the cash moves.", "reason_required"),
      amount: z
        .string()
        .default("")
        .transform((s, ctx) => amountOf(s, "The amount", ctx) ?? 0),
      ...approvalFields,
    }),
  };
}
