// The cash drawer opens only with a manager's say-so: a no-sale, cash taken out and cash put in alike. Cash in of a
// cent must not be a way round the no-sale's approval: without a manager's PIN it is refused and nothing is written
// (no movement, no drawer kick, no journal entry), with it the drawer opens and the approver is on record.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { approvalBy, type Browser, browserOf, cashierAndManager, errorCode, send, state } from "./support.ts";

let t: TestStore;
let boss: SignedIn;
let clerk: SignedIn;
let cashier: Browser;
beforeEach(async () => {
  ({ t, boss, clerk, cashier } = await cashierAndManager());
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const post = (path: string, form: Record<string, string>, who: Browser = cashier) => send(t, "POST", path, { browser: who, form, htmx: true });
const drawerJobs = () => t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM print_jobs WHERE kind = 'drawer'").get()!.n;
const moves = () =>
  t.store.db
    .query<{ kind: string; amount: number; user_id: number; approved_by: number | null }, []>(
      "SELECT kind, amount, user_id, approved_by FROM cash_movements ORDER BY id",
    )
    .all();

describe("a cashier opening the drawer", () => {
  const opens: [what: string, path: string, form: Record<string, string>, sentence: string][] = [
    ["a no-sale", "/register/no-sale", { reason: "change" }, "Opening the drawer without a sale needs a manager's approval"],
    ["cash in of one cent", "/shift/cash", { kind: "in", amount: "0.01", reason: "x" }, "Putting cash in needs a manager's approval"],
    ["cash in", "/shift/cash", { kind: "in", amount: "50.00", reason: "coins from the bank" }, "Putting cash in needs a manager's approval"],
    ["cash out", "/shift/cash", { kind: "out", amount: "0.01", reason: "x" }, "Taking cash out needs a manager's approval"],
  ];
  for (const [what, path, form, sentence] of opens) {
    test(`${what} without a manager's PIN: 403 with a sentence, and nothing written — no movement, no drawer kick`, async () => {
      const before = state(t.store);
      const res = await post(path, form);
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("approval_needed");
      expect((await res.text()).replaceAll("&#39;", "'")).toContain(sentence);
      expect(state(t.store)).toEqual(before);
      expect(drawerJobs()).toBe(0);
    });
  }

  test("cash in with a manager's PIN: the drawer opens, and the movement names the manager who approved", async () => {
    const res = await post("/shift/cash", { kind: "in", amount: "0.01", reason: "x", ...approvalBy(boss) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("€0.01 paid in — drawer opened, logged.");
    expect(moves()).toEqual([{ kind: "in", amount: 1, user_id: clerk.userId, approved_by: boss.userId }]);
    expect(drawerJobs()).toBe(1);
    expect(t.store.audit.find({ action: "cash.in" }).map((r) => [r.user, r.approvedBy])).toEqual([[clerk.userName, "Maria"]]);
  });

  test("a wrong PIN is refused, on record, and opens nothing", async () => {
    const res = await post("/shift/cash", { kind: "in", amount: "5.00", reason: "coins", approver: String(boss.userId), manager_pin: "000000" });
    expect([res.status, await errorCode(res)]).toEqual([403, "approval_needed"]);
    expect(moves()).toEqual([]);
    expect(drawerJobs()).toBe(0);
    expect(t.store.audit.find({ action: "approval.refused" }).map((r) => r.subject)).toEqual(["Putting cash in"]);
  });

  test("the Shift dialog asks for the manager's PIN beside cash in and out alike", async () => {
    const html = await (await send(t, "GET", "/shift", { browser: cashier, htmx: true })).text();
    const form = /<form hx-post="\/shift\/cash"[\s\S]*?<\/form>/.exec(html)![0];
    expect(form).toContain('name="manager_pin"');
    expect(form).toContain(`<option value="${boss.userId}">Maria</option>`);
    expect(form).toContain("Manager approval (the drawer opens for cash in or out)");
  });
});

test("a manager's own cash in needs no other PIN: they approve it themselves, as their own no-sale", async () => {
  const own = await signIn(t.store, 7, { role: "manager", name: "Mona Manager" });
  const manager = browserOf(own);
  const html = await (await send(t, "GET", "/shift", { browser: manager, htmx: true })).text();
  expect(html).not.toContain('name="manager_pin"');
  const res = await post("/shift/cash", { kind: "in", amount: "5.00", reason: "coins" }, manager);
  expect(res.status).toBe(200);
  expect(moves()).toEqual([{ kind: "in", amount: 500, user_id: own.userId, approved_by: own.userId }]);
});
