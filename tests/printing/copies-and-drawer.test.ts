// The two things a person asks the printer for outside a sale: another copy of a receipt, and the drawer ("no sale").
// Both are written in the journal; neither ever prints the original receipt again.
import { afterEach, describe, expect, test } from "bun:test";
import { codes } from "../helpers/store.ts";
import { eventsOf, jobsOfSale, laterTick, openPrintingShop, type PrintingShop, paper, printState, row, sell } from "./support.ts";

let shop: PrintingShop;
afterEach(async () => {
  await shop.close();
});

type JournalRow = { kind: string; ref: string; data: string };
const journal = (s: PrintingShop, kind: string) =>
  s.t.store.db.query<JournalRow, [string]>("SELECT kind, ref, data FROM journal WHERE kind = ? ORDER BY seq").all(kind);
const count = (s: PrintingShop, table: "print_jobs" | "journal") => s.t.store.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;

describe("reprint", () => {
  test("prints a second receipt marked COPY, without opening the drawer, and writes it in the journal", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    const sold = await sell(t, register, [codes.wine], { method: "cash", amount: "20" });
    await t.store.printing.worker.tick();
    expect(fake.jobs()).toHaveLength(1);

    const res = await register.post(`/register/receipt/${sold.saleId}/reprint`);
    expect(res.status).toBe(200);
    await t.store.printing.worker.tick();

    expect(fake.jobs()).toHaveLength(2);
    const original = paper(fake.jobs()[0]!);
    const copy = paper(fake.jobs()[1]!);
    expect(original.text).not.toContain("COPY");
    expect(copy.lines).toContainEqual(expect.stringMatching(/^ +COPY$/));
    expect(copy.text).toMatch(row("Receipt", sold.receiptNumber));
    expect(copy.text).toMatch(row("TOTAL", "€12.99"));
    expect(eventsOf(copy, "pulse")).toEqual([]);
    expect(copy.events.at(-1)).toEqual({ type: "cut" });

    const shown = printState(await (await register.get(`/register/print-state/${sold.saleId}`)).text());
    expect(shown).toEqual({ state: "printed", text: "Front: Copy printed." });

    const [entry, ...more] = journal(shop, "receipt.reprinted");
    expect(more).toEqual([]);
    expect(entry!.ref).toBe(sold.saleId);
    expect(JSON.parse(entry!.data)).toMatchObject({ receipt: sold.receiptNumber, by: "Lane 1" });

    expect(jobsOfSale(t, sold.saleId)).toMatchObject([
      { kind: "receipt", state: "printed" },
      { kind: "copy", state: "printed" },
    ]);
    await laterTick(t);
    expect(fake.jobs()).toHaveLength(2);
  });

  test("the database refuses a second original receipt job for a sale", async () => {
    shop = await openPrintingShop();
    const { t, register } = shop;
    const sold = await sell(t, register, [codes.milk], { method: "card", amount: "1.19" });
    const sale = t.store.sales.load(sold.saleId).state;
    if (sale.status !== "completed") throw new Error("the sale did not complete");

    expect(() => t.store.printing.queueReceipt(sale)).toThrow(/UNIQUE constraint failed/);
    expect(() =>
      t.store.printing.queue.enqueue({ printerId: shop.printer.id, kind: "receipt", saleId: sold.saleId, payload: {}, at: t.clock.now().toISOString() }),
    ).toThrow(/UNIQUE constraint failed/);
    expect(jobsOfSale(t, sold.saleId).filter((j) => j.kind === "receipt")).toHaveLength(1);
  });

  test("a sale that is not completed has no copy to print", async () => {
    shop = await openPrintingShop();
    await shop.register.post("/register/scan", { code: codes.milk });
    const open = shop.t.store.db.query<{ id: string }, []>("SELECT id FROM sales WHERE status = 'open'").get()!;
    const before = count(shop, "print_jobs");

    const res = await shop.register.post(`/register/receipt/${open.id}/reprint`);
    expect(res.status).toBe(404);
    expect(count(shop, "print_jobs")).toBe(before);
    expect(journal(shop, "receipt.reprinted")).toEqual([]);
  });
});

describe("no sale", () => {
  test("with a reason and a manager's PIN the drawer opens: a pulse and no paper, and the journal says who and why", async () => {
    shop = await openPrintingShop();
    const { t, fake, register, manager } = shop;
    expect((await register.get("/register/dialog/no-sale")).status).toBe(200);

    const res = await register.post("/register/no-sale", { reason: "change for the float", manager_pin: manager.pin, approver: String(manager.userId) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Drawer opened (no sale)");
    await t.store.printing.worker.tick();

    expect(fake.jobs()).toHaveLength(1);
    const p = paper(fake.jobs()[0]!);
    expect(p.events).toEqual([{ type: "pulse", pin: 2 }]);
    expect(p.lines.filter((l) => l !== "")).toEqual([]);

    const [entry, ...more] = journal(shop, "drawer.no_sale");
    expect(more).toEqual([]);
    expect(JSON.parse(entry!.data)).toMatchObject({ reason: "change for the float", by: register.who.userName });
    expect(t.store.audit.find({ action: "drawer.no_sale" }).map((e) => [e.user, e.approvedBy, e.register])).toEqual([
      [register.who.userName, "Maria", "Lane 1"],
    ]);
    expect(t.store.db.query<{ kind: string; state: string }, []>("SELECT kind, state FROM print_jobs").all()).toEqual([{ kind: "drawer", state: "printed" }]);
  });

  test("a cashier alone is refused with 403: the drawer stays shut and nothing is queued or logged", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    const jobs = count(shop, "print_jobs");
    const entries = count(shop, "journal");

    const approver = String(shop.manager.userId);
    const forms: [Record<string, string>, string][] = [
      [{ reason: "change" }, "needs a manager"],
      [{ reason: "change", manager_pin: register.who.pin }, "choose the manager"],
      [{ reason: "change", manager_pin: register.who.pin, approver }, "Wrong PIN for Maria"],
      [{ reason: "change", manager_pin: "000000", approver }, "Wrong PIN for Maria"],
      [{ reason: "change", manager_pin: shop.manager.pin, approver: String(register.who.userId) }, "Choose a manager"],
    ];
    for (const [form, said] of forms) {
      const res = await register.post("/register/no-sale", form);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain(said);
    }
    await t.store.printing.worker.tick();
    expect(count(shop, "print_jobs")).toBe(jobs);
    expect(count(shop, "journal")).toBe(entries);
    expect(fake.jobs()).toHaveLength(0);
  });

  test("without a reason it is refused with 422 and nothing is queued or logged", async () => {
    shop = await openPrintingShop();
    const { t, fake, register, manager } = shop;
    const jobs = count(shop, "print_jobs");
    const entries = count(shop, "journal");

    const forms: Record<string, string>[] = [
      { manager_pin: manager.pin, approver: String(manager.userId) },
      { reason: "   ", manager_pin: manager.pin, approver: String(manager.userId) },
    ];
    for (const form of forms) {
      const res = await register.post("/register/no-sale", form);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("Say why the drawer is opened without a sale.");
    }
    await t.store.printing.worker.tick();
    expect(count(shop, "print_jobs")).toBe(jobs);
    expect(count(shop, "journal")).toBe(entries);
    expect(fake.jobs()).toHaveLength(0);
  });
});
