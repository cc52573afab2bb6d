// When the printer is away, out of paper, loses the connection or the server stops mid-job: the sale is never held
// up, the register says what is wrong, and a receipt comes out once — or, when nobody can tell, waits for a person.
import { afterEach, describe, expect, test } from "bun:test";
import { createApp } from "../../src/server/app.ts";
import { openShop } from "../../src/server/compose.ts";
import { codes, signIn } from "../helpers/store.ts";
import { browserOf, eventsOf, jobsOfSale, laterTick, openPrintingShop, type PrintingShop, paper, printState, row, sell } from "./support.ts";

let shop: PrintingShop;
afterEach(async () => {
  await shop.close();
});

const badge = async (s: PrintingShop) => (await (await s.register.get("/register/printer-status")).text()).replace(/<[^>]+>/g, "");

describe("printer offline when the sale completes", () => {
  test("the sale completes, the receipt waits with the reason, and prints exactly once when the printer is back", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    fake.refuse(true);

    const sold = await sell(t, register, [codes.wine], { method: "cash", amount: "20" });
    expect(sold.status).toBe(200);
    expect(sold.html).toContain('data-testid="receipt-modal"');
    expect(sold.html).toContain(`Sale ${sold.receiptNumber} complete`);
    await t.store.printing.worker.tick();

    const waiting = printState(await (await register.get(`/register/print-state/${sold.saleId}`)).text());
    expect(waiting.state).toBe("queued");
    expect(waiting.text).toStartWith("Front: Waiting: ");
    expect(waiting.text).toContain("refused the connection");
    expect(waiting.text).toContain("It prints by itself when the printer is back.");
    expect(await badge(shop)).toContain("Front: Offline");

    for (let i = 0; i < 4; i++) await laterTick(t);
    expect(fake.jobs()).toHaveLength(0);
    expect(jobsOfSale(t, sold.saleId)).toMatchObject([{ kind: "receipt", state: "queued" }]);

    fake.refuse(false);
    await laterTick(t);
    expect(fake.jobs()).toHaveLength(1);
    const p = paper(fake.jobs()[0]!);
    expect(p.text).toMatch(row("Receipt", sold.receiptNumber));
    expect(p.text).toMatch(row("TOTAL", "€12.99"));
    expect(eventsOf(p, "pulse")).toHaveLength(1);
    expect(p.events.at(-1)).toEqual({ type: "cut" });
    expect(printState(await (await register.get(`/register/print-state/${sold.saleId}`)).text()).state).toBe("printed");

    for (let i = 0; i < 3; i++) await laterTick(t);
    expect(fake.jobs()).toHaveLength(1);
    expect(jobsOfSale(t, sold.saleId)).toMatchObject([{ kind: "receipt", state: "printed" }]);
  });
});

describe("paper out", () => {
  test("the receipt waits, the register says the paper is out, and it prints once a roll is in", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    fake.setState({ paper: "out" });

    const sold = await sell(t, register, [codes.bread], { method: "cash", amount: "5" });
    await t.store.printing.worker.tick();
    await laterTick(t);

    const waiting = printState(await (await register.get(`/register/print-state/${sold.saleId}`)).text());
    expect(waiting.state).toBe("queued");
    expect(waiting.text).toContain("Paper out: put in a new roll.");
    expect(await badge(shop)).toContain("Paper out");
    expect(fake.jobs()).toHaveLength(0);

    fake.setState({ paper: "ok" });
    await laterTick(t);
    expect(fake.jobs()).toHaveLength(1);
    expect(paper(fake.jobs()[0]!).text).toMatch(row("Sourdough Bread 800 g", "3.49"));
    expect(await badge(shop)).toContain("Front: Ready");

    await laterTick(t);
    expect(fake.jobs()).toHaveLength(1);
  });

  test("the register's printer badge names the cause, Paper out, not Offline", async () => {
    shop = await openPrintingShop();
    shop.fake.setState({ paper: "out" });
    await shop.t.store.printing.worker.tick(); // the worker asks every printer how it is
    // an Epson printer also sets its "offline" bit while the paper is out (DLE EOT 1 bit 3): a cashier told
    // "Offline" checks power and cable; the thing to do is put in a roll
    expect(await badge(shop)).toBe("Front: Paper out");
  });
});

describe("connection dropped mid-job", () => {
  test("the job is sent again and a complete receipt comes out", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    fake.dropAfter(50);

    const sold = await sell(t, register, [codes.wine, codes.milk], { method: "cash", amount: "20" });
    await t.store.printing.worker.tick();
    const [first] = jobsOfSale(t, sold.saleId);
    expect(first).toMatchObject({ state: "queued", attempts: 1 });
    expect(first!.last_error).toContain("dropped the connection mid-job");
    expect(fake.jobs()).toHaveLength(1);
    expect(fake.jobs()[0]!.length).toBeLessThanOrEqual(50);

    fake.dropAfter(null);
    await laterTick(t);
    expect(jobsOfSale(t, sold.saleId)).toMatchObject([{ kind: "receipt", state: "printed", attempts: 2 }]);
    expect(fake.jobs()).toHaveLength(2);
    const p = paper(fake.jobs()[1]!);
    expect(p.lines[0]).toMatch(/^ +ShopFlow Store$/);
    expect(p.text).toMatch(row("Rioja Crianza 0.75 L", "12.99"));
    expect(p.text).toMatch(row("Fresh Milk 1 L", "1.19"));
    expect(p.text).toMatch(row("TOTAL", "€14.18"));
    expect(p.text).toMatch(row("Change", "5.82"));
    expect(eventsOf(p, "barcode")).toEqual([{ type: "barcode", symbology: "code128", data: sold.receiptNumber }]);
    expect(p.events.at(-1)).toEqual({ type: "cut" });
  });

  test("while the receipt waits to be sent again, the register does not ask the cashier to reprint it", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    fake.dropAfter(50);
    const sold = await sell(t, register, [codes.wine], { method: "cash", amount: "20" });
    await t.store.printing.worker.tick();

    const waiting = printState(await (await register.get(`/register/print-state/${sold.saleId}`)).text());
    expect(waiting.state).toBe("queued");
    expect(waiting.text).toContain("It prints by itself");
    // a copy asked for now would come out beside the original the worker is about to send again
    expect(waiting.text).not.toMatch(/reprint/i);
  });
});

describe("the server stops while a receipt is printing", () => {
  test("after the restart the job is uncertain, is not printed again by itself, and a person can reprint it", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    fake.refuse(true); // keeps the job in the queue until this test takes it, as the worker would
    const sold = await sell(t, register, [codes.wine], { method: "card", amount: "12.99" });
    await t.store.printing.worker.tick();
    const [job] = jobsOfSale(t, sold.saleId);
    expect(t.store.printing.queue.claim(job!.id)).toBe(true);
    fake.refuse(false);

    // the process dies here: the job is left 'printing'; a new server opens the same data directory
    t.store.close();
    const again = openShop({ dataDir: t.dir, clock: t.clock });
    try {
      again.printing.worker.start(3_600_000);
      await again.printing.worker.stop();
      expect(again.printing.queue.byId(job!.id)).toMatchObject({ state: "uncertain" });

      const app = createApp(again);
      // the same register, its shift still open; its cashier signs in again on the new server
      const lane = browserOf(app, await signIn(again, 1));
      const res = await lane.get(`/register/print-state/${sold.saleId}`);
      const shown = printState(await res.text());
      expect(shown.state).toBe("uncertain");
      expect(shown.text).toContain("check the paper, reprint if it did not come out");

      for (let i = 0; i < 3; i++) {
        t.clock.advance(60_000);
        await again.printing.worker.tick();
      }
      expect(fake.jobs()).toHaveLength(0);
      expect(again.printing.queue.byId(job!.id)).toMatchObject({ state: "uncertain" });

      // the cashier looks, sees nothing came out, and asks for a copy
      const reprint = await lane.post(`/register/receipt/${sold.saleId}/reprint`);
      expect(reprint.status).toBe(200);
      await again.printing.worker.tick();
      expect(fake.jobs()).toHaveLength(1);
      expect(paper(fake.jobs()[0]!).text).toContain("COPY");
    } finally {
      await again.printing.worker.stop();
      again.close();
    }
  });
});
