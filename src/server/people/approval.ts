// Who approves a restricted action: the user when they are a manager, else the manager chosen on the same screen
// typing their PIN. Wrong PINs count against that manager (at the registers), the asking cashier is held to 10 tries a
// minute, and every refusal is in the audit log.
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Shop } from "../compose.ts";
import { countPinTry } from "./pin-throttle.ts";
import type { User } from "./records.ts";
import { atLeast } from "./roles.ts";

/** The approval fields of a form: `approver` (the manager's id) and `manager_pin`. */
export type ApprovalFields = { approver?: string | undefined; manager_pin?: string | undefined };
/** The approval's fields on any form that may need one: the manager chosen and their PIN. */
export const approvalFields = { approver: z.string().optional(), manager_pin: z.string().optional() };

export async function approval(shop: Shop, user: User, form: ApprovalFields, what: string): Promise<{ user: User; approver: User }> {
  if (atLeast(user.role, "manager")) return { user, approver: user };
  const pin = (form.manager_pin ?? "").trim();
  if (!pin) throw new Problem("approval_needed", `${what} needs a manager's approval: a manager types their PIN.`);
  countPinTry(shop.db, `user:${user.id}`, shop.clock.now()); // a cashier may not guess a manager's PIN
  const approverId = Number(form.approver);
  if (!Number.isSafeInteger(approverId) || approverId <= 0) {
    throw new Problem("approval_needed", `${what} needs a manager's approval: choose the manager who approves.`);
  }
  try {
    return { user, approver: await shop.users.approve(approverId, pin, shop.clock.now(), "register") };
  } catch (e) {
    // a wrong or refused approval is on record: who asked, for what, naming whom
    if (e instanceof Problem) {
      shop.audit.record({
        at: shop.clock.now().toISOString(),
        userId: user.id,
        userName: user.name,
        action: "approval.refused",
        subject: what,
        detail: { approver: shop.users.byId(approverId)?.name ?? null, code: e.code },
      });
    }
    throw e;
  }
}

/** The managers who could approve for `user`: none to choose when the user is a manager. */
export const approversFor = (shop: Shop, user: User): { id: number; name: string }[] =>
  atLeast(user.role, "manager") ? [] : shop.users.approvers().map((u) => ({ id: u.id, name: u.name }));
