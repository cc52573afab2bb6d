// The register's forms, one zod schema each, read with validForm. Each refusal keeps the code and sentence the
// cashier has always seen; a field's place in its schema is the order its checks run.

import { z } from "zod";
import { parseDecimalToMinor } from "../../domain/kernel/money.ts";
import type { ProblemCode } from "../../domain/kernel/problem.ts";
import type { Discount, Payment } from "../../domain/sale/sale.ts";
import { approvalFields } from "../people/approval.ts";
import { refuse } from "../platform/http/form.ts";

/** A note: trimmed, cut to 200 characters, empty when missing. */
const note = z
  .string()
  .default("")
  .transform((s) => s.trim().slice(0, 200));

/** A note that must be given. */
const reason = (message: string) => note.transform((s, ctx) => s || refuse(ctx, "reason_required", message));

/** Empty, or text matching `pattern` once trimmed. */
const emptyOr = (pattern: RegExp, code: ProblemCode, message: string) =>
  z
    .string()
    .default("")
    .transform((s, ctx) => {
      const t = s.trim();
      return t && !pattern.test(t) ? refuse(ctx, code, message) : t;
    });

function quantity(text: string, ctx: z.core.$RefinementCtx): number {
  const v = parseDecimalToMinor(text.replace(/\s*kg$/i, ""), 3);
  return v === null ? refuse(ctx, "invalid_quantity", "Type a quantity like 2, or a weight like 0.250.") : v;
}

/** The forms; `digits` is the shop currency's, read when a form comes in. */
export function sellingForms(digits: () => number) {
  const amountOf = (text: string, what: string, ctx: z.core.$RefinementCtx, path?: string[]): number => {
    const v = parseDecimalToMinor(text, digits());
    return v === null || v < 0 ? refuse(ctx, "invalid_amount", `${what} must be an amount like 12.50.`, path) : v;
  };
  const amount = (what: string) =>
    z
      .string()
      .default("")
      .transform((s, ctx) => amountOf(s, what, ctx));

  // anything but "none" or "amount" is a percentage, as the dialog sends it
  const discount = z
    .object({ kind: z.enum(["none", "amount", "percent"]).catch("percent"), value: z.string().default(""), reason: note, ...approvalFields })
    .transform(({ kind, value, reason, ...approval }, ctx) => {
      const why = reason ? { reason } : {};
      let d: Discount | null = null;
      if (kind === "amount") d = { kind: "amount", amount: amountOf(value, "The discount", ctx, ["value"]), ...why };
      else if (kind === "percent") {
        const bp = parseDecimalToMinor(value.replace("%", ""), 2);
        d = bp === null ? refuse(ctx, "invalid_discount", "Type a percentage like 10 or 12.5.", ["value"]) : { kind: "percent", bp, ...why };
      }
      return { discount: d, ...approval };
    });

  return {
    scan: z.object({ code: z.string().trim().min(1, "Scan or type a barcode first.").max(64) }),

    add: z.object({
      product_id: z
        .string()
        .regex(/^\d{1,12}$/)
        .transform(Number),
      qty: z
        .string()
        .max(20)
        .optional()
        .transform((q, ctx) => (q ? quantity(q, ctx) : null)),
    }),

    // a step of one (the - and + keys) or a quantity typed
    lineQty: z
      .object({ delta: z.enum(["-1", "1"], "Change the quantity one at a time.").optional(), qty: z.string().optional(), ...approvalFields })
      .transform(({ delta, qty, ...approval }, ctx) =>
        delta ? { step: delta === "1" ? 1000 : -1000, ...approval } : { qtyMilli: quantity(qty ?? "", ctx), ...approval },
      ),

    approval: z.object(approvalFields),

    price: z.object({ price: amount("The price"), reason: note, ...approvalFields }),

    discount,

    pay: z
      .object({
        method: z
          .string()
          .optional()
          .transform((m, ctx) =>
            m === "cash" || m === "card" || m === "voucher" ? m : refuse(ctx, "unknown_payment_method", "Choose cash, card or store credit."),
          ),
        // store credit: its code; the amount may be left empty (as much as it holds, up to what is due: 0 here)
        voucher: z.string().max(40).default(""),
        amount: z
          .string()
          .default("")
          .transform((s, ctx) => (s.trim() === "" ? 0 : amountOf(s, "The amount", ctx))),
        last4: emptyOr(/^\d{4}$/, "invalid_last4", "Last 4 digits: exactly four digits, or leave it empty."),
        // card numbers never get this far: the form reader refuses them in every field, whole
        auth_code: emptyOr(
          /^[A-Za-z0-9-]{1,16}$/,
          "invalid_auth_code",
          "The auth code is the short code on the terminal slip: letters and digits, at most 16.",
        ),
      })
      .transform(({ method, amount, last4, auth_code, voucher }, ctx): Omit<Payment, "paymentId"> => {
        if (method === "voucher") {
          if (!voucher.trim()) return refuse(ctx, "invalid_input", "Scan the code on the store credit slip, or type it.", ["voucher"]);
          return { method, amount, voucher: voucher.trim() };
        }
        if (!amount) return refuse(ctx, "invalid_amount", "The amount must be more than zero.", ["amount"]);
        const card = method === "card" && (last4 || auth_code) ? { ...(last4 ? { last4 } : {}), ...(auth_code ? { authCode: auth_code } : {}) } : null;
        return { method, amount, ...(card ? { card } : {}) };
      }),

    removePayment: z.object({ reason: reason("Say why the payment comes off the sale."), ...approvalFields }),

    cancel: z.object({ reason: note, ...approvalFields }),

    noSale: z.object({ reason: reason("Say why the drawer is opened without a sale."), ...approvalFields }),
  };
}
