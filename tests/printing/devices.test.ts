// The Devices pages in the back office: the printer list with live state, adding a printer, a test page,
// and the virtual printer's paper decoded from the bytes it kept.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { CHARACTER_TEST } from "../../src/hardware/printers/receipt-bytes.ts";
import { type FakePrinter, startFakePrinter } from "../helpers/fake-printer.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { eventsOf, openRegister, paper, printerSpec, sell, unescapeHtml } from "./support.ts";

let t: TestStore;
let fake: FakePrinter;
let manager: SignedIn; // the back office is a manager's
beforeEach(async () => {
  t = makeTestStore();
  fake = startFakePrinter();
  manager = await signIn(t.store, 9, { role: "manager", shift: false });
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  fake.stop();
  t.close();
});

const form = (path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...manager.headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const page = (path: string) => t.app.request(path, { headers: manager.headers });

/** Each printer row of the Devices page as its cells' text. */
async function printerRows(): Promise<string[][]> {
  const res = await page("/devices");
  expect(res.status).toBe(200);
  const html = await res.text();
  return [...html.matchAll(/<tr data-testid="printer-row">([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      unescapeHtml(
        c[1]!
          .replace(/<[^>]+>/g, " ")
          .replace(/\s+/g, " ")
          .trim(),
      ),
    ),
  );
}

describe("the printer list", () => {
  test("shows each printer with its connection and live state", async () => {
    t.store.printing.printers.add(
      printerSpec({ name: "Front", kind: "network", host: fake.host, port: fake.port, isDefault: false }),
      t.clock.now().toISOString(),
    );
    expect(await printerRows()).toEqual([
      ["Front", `${fake.host}:${fake.port}`, "ESC/POS · 80 mm · auto", "Not checked yet", "Print test page Make default"],
      ["Virtual printer default", "in the browser", "ESC/POS · 80 mm · auto", "Ready (virtual)", "Print test page Show receipts"],
    ]);

    await t.store.printing.worker.tick(); // the worker asks each printer how it is
    expect((await printerRows())[0]![3]).toBe("Ready");

    fake.setState({ drawerOpen: true });
    t.clock.advance(11_000);
    await t.store.printing.worker.tick();
    expect((await printerRows())[0]![3]).toBe("Ready · drawer open");

    fake.refuse(true);
    t.clock.advance(11_000);
    await t.store.printing.worker.tick();
    expect((await printerRows())[0]![3]).toStartWith("Offline: ");
  });
});

describe("adding a printer", () => {
  test("a network printer without a host is refused with 422 and the reason, and is not added", async () => {
    const res = await form("/devices/printers", { name: "Back", kind: "network", host: "", port: "9100" });
    expect(res.status).toBe(422);
    const text = unescapeHtml(await res.text());
    expect(text).toContain("Not added: a network printer needs");
    expect(text).toContain("IP address or name on the shop network");
    expect(t.store.printing.printers.byName("Back")).toBeNull();
    expect((await printerRows()).map((r) => r[0])).toEqual(["Virtual printer default"]);
  });

  test("a good one is added (303 back to the list), and its test page comes out of that printer", async () => {
    const res = await form("/devices/printers", {
      name: "Back",
      kind: "network",
      host: fake.host,
      port: String(fake.port),
      language: "esc-pos",
      paper_mm: "80",
      codepage: "auto",
      drawer_pin: "2",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toStartWith(`/devices?said=${encodeURIComponent("Printer Back added.")}&said_sig=`);
    expect(unescapeHtml(await (await page(res.headers.get("location")!)).text())).toContain("Printer Back added.");
    expect((await printerRows()).map((r) => r.slice(0, 2))).toEqual([
      ["Back", `${fake.host}:${fake.port}`],
      ["Virtual printer default", "in the browser"],
    ]);

    const back = t.store.printing.printers.byName("Back")!;
    const test = await form(`/devices/printers/${back.id}/test`, {});
    expect(test.status).toBe(303);
    expect(test.headers.get("location")).toStartWith(`/devices?said=${encodeURIComponent("Test page sent to Back.")}&said_sig=`);
    await t.store.printing.worker.tick();

    expect(fake.jobs()).toHaveLength(1);
    const p = paper(fake.jobs()[0]!);
    expect(p.lines).toContainEqual(expect.stringMatching(/^ +TEST PAGE$/));
    expect(p.lines).toContainEqual(expect.stringMatching(/^ +Back$/));
    for (const line of CHARACTER_TEST) expect(p.lines).toContain(line);
    expect(eventsOf(p, "barcode")).toEqual([{ type: "barcode", symbology: "code128", data: "SHOPFLOW-TEST" }]);
    expect(eventsOf(p, "pulse")).toEqual([]);
    expect(p.events.at(-1)).toEqual({ type: "cut" });
  });
  test("who added a printer and who made it the default is in the audit log; a refused one leaves no row", async () => {
    await form("/devices/printers", { name: "Back", kind: "network", host: "", port: "9100" });
    expect(t.store.audit.find({ action: "printer." })).toEqual([]);

    await form("/devices/printers", { name: "Back", kind: "network", host: fake.host, port: String(fake.port), language: "esc-pos", paper_mm: "80" });
    const back = t.store.printing.printers.byName("Back")!;
    expect((await form(`/devices/printers/${back.id}/default`, {})).status).toBe(303);
    expect(t.store.printing.printers.byName("Back")!.isDefault).toBe(true);
    const rows = t.store.audit.find({ action: "printer." }).map((r) => [r.user, r.action, r.subject]);
    expect(rows.sort()).toEqual([
      [manager.userName, "printer.added", "Back"],
      [manager.userName, "printer.made_default", "Back"],
    ]);
  });
});

describe("the virtual printer", () => {
  test("shows the receipt of a sale, decoded from the bytes it was sent", async () => {
    const register = await openRegister(t);
    const sold = await sell(t, register, [codes.wine, codes.bread], { method: "cash", amount: "20" });
    await t.store.printing.worker.tick();

    const virtual = t.store.printing.printers.byName("Virtual printer")!;
    const res = await page(`/devices/printers/${virtual.id}/prints`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const prints = [...html.matchAll(/<figure class="paper" data-testid="virtual-print"[^>]*>([\s\S]*?)<\/figure>/g)];
    expect(prints).toHaveLength(1);
    const shown = unescapeHtml(/<pre>([\s\S]*?)<\/pre>/.exec(prints[0]![1]!)![1]!);
    const lines = shown.split("\n").map((l) => l.trimEnd());
    expect(lines[0]).toMatch(/^ +ShopFlow Store$/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^Receipt +${sold.receiptNumber}$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^Rioja Crianza 0\.75 L +12\.99$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Sourdough Bread 800 g +3\.49$/));
    expect(lines).toContainEqual(expect.stringMatching(/^TOTAL +€16\.48$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Change +3\.52$/));

    // what the printer did besides printing, in words (tests/printing/virtual-printer-page.test.ts: the captions)
    const events = [...prints[0]![1]!.matchAll(/<li data-event="[a-z]+">([^<]*)<\/li>/g)].map((m) => unescapeHtml(m[1]!));
    expect(events).toContain("Cash drawer opened");
    expect(events).toContain(`Barcode: ${sold.receiptNumber}`);
    expect(events.at(-1)).toBe("Paper cut");
  });
});
