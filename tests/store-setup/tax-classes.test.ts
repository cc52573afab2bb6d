// Tax classes in the back office (/tax-classes): a manager adds one, renames it, changes its rate and removes one no
// product uses, each with an audit row; a bad code, name or rate, a card number, a class in use are refused beside the
// field with nothing written; a cashier may not; a new rate is for what is sold from then on, never a receipt given.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { cardNumberSpellings } from "../helpers/card-numbers.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { type App, auditOf, byTestId, send, setUpApp, written } from "./support.ts";

let t: TestStore;
let app: App;
let boss: SignedIn;
let clerk: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  app = setUpApp(t.store);
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria Manager" });
  clerk = await signIn(t.store, 1, { name: "Chris Cashier" });
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const post = (path: string, form: Record<string, string>, who: SignedIn = boss) => send(app, who, path, form);
const rateOf = (code: string) => t.store.db.query<{ rate_bp: number }, [string]>("SELECT rate_bp FROM tax_classes WHERE code = ?").get(code)?.rate_bp ?? null;

describe("a manager", () => {
  test("sees every class with its rate as typed and how many products use it; looking writes nothing", async () => {
    const before = written(t.store);
    const res = await send(app, boss, "/tax-classes");
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = [...html.matchAll(/data-testid="tc-row" data-code="([^"]+)"[\s\S]*?data-testid="tc-products">([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ["STD", "1 product"],
      ["RED", "4 products"],
      ["ZERO", "1 product"],
    ]);
    expect(html).toContain('name="rate" value="20"');
    expect(html).toContain('action="/tax-classes"');
    // the store has products: no way back to the first-run checklist
    expect(html).not.toContain('data-testid="back-to-setup"');
    expect(written(t.store)).toEqual(before);
  });

  test("adds a class: the rate typed as a percentage with a decimal point or comma, an audit row, the sentence after the redirect", async () => {
    const res = await post("/tax-classes", { code: " VAT7 ", name: "  Seven   and a half ", rate: "7,5 %" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/tax-classes?done=added&code=VAT7");
    expect(t.store.db.query("SELECT * FROM tax_classes WHERE code = 'VAT7'").get()).toEqual({ code: "VAT7", name: "Seven and a half", rate_bp: 750 });
    expect(auditOf(t.store, "tax_class.")).toEqual([["tax_class.added", "VAT7", "Maria Manager", { name: "Seven and a half", rate_bp: 750 }]]);
    const html = await (await send(app, boss, res.headers.get("Location")!)).text();
    expect(byTestId(html, "tc-message")).toBe("Tax class VAT7 (Seven and a half, 7.5 %) added.");
    expect(html).toContain('name="rate" value="7.5"');
  });

  const refusals: [string, Record<string, string>, number, string, RegExp][] = [
    ["a code another class has, in another case", { code: "std", name: "Other", rate: "5" }, 422, "code", /already a tax class STD \(Standard\)/],
    ["a code that is another class's name", { code: "reduced", name: "Lower", rate: "5" }, 422, "code", /“Reduced” is the name of tax class RED/],
    ["a name another class has", { code: "S2", name: "standard", rate: "5" }, 422, "name", /“Standard” is the name of tax class STD/],
    ["a code with a space", { code: "S T", name: "Spaced", rate: "5" }, 422, "code", /The code is 1 to 10 letters or digits/],
    ["a code too long", { code: "ABCDEFGHIJK", name: "Long", rate: "5" }, 422, "code", /The code is 1 to 10/],
    ["no name", { code: "NEW", name: "   ", rate: "5" }, 422, "name", /The name is 1 to 40 characters/],
    ["a rate over 100", { code: "NEW", name: "Too much", rate: "100.01" }, 422, "rate", /percentage from 0 to 100/],
    ["a negative rate", { code: "NEW", name: "Negative", rate: "-5" }, 422, "rate", /percentage from 0 to 100/],
    ["a rate with three decimals", { code: "NEW", name: "Precise", rate: "7.125" }, 422, "rate", /at most two decimals/],
    ["a rate that is no number", { code: "NEW", name: "Words", rate: "twenty" }, 422, "rate", /such as 20 or 7.5/],
    ["no rate", { code: "NEW", name: "Nothing" }, 422, "rate", /such as 20 or 7.5/],
  ];
  for (const [what, form, status, field, sentence] of refusals) {
    test(`is refused ${what}, beside the field, with what was typed shown again and nothing written`, async () => {
      const before = written(t.store);
      const res = await post("/tax-classes", form);
      expect(res.status).toBe(status);
      const html = await res.text();
      expect(byTestId(html, `problem-${field}`)).toMatch(sentence);
      expect(html).toContain(`id="tc-new-${field}"`);
      if (form.name?.trim()) expect(html).toContain(`value="${form.name}"`);
      expect(written(t.store)).toEqual(before);
    });
  }

  test("a card number in a name or as a code is refused, never shown back, and nothing is written", async () => {
    const before = written(t.store);
    for (const [how, pan] of cardNumberSpellings.slice(0, 5)) {
      const res = await post("/tax-classes", { code: "CARD", name: `Card ${pan}`, rate: "5" });
      expect({ how, status: res.status }).toEqual({ how, status: 422 });
      const html = await res.text();
      expect(byTestId(html, "problem-name")).toContain("looks like a card number");
      expect(html).not.toContain(pan);
    }
    const asCode = await post("/tax-classes", { code: "4111111111111111", name: "Card", rate: "5" });
    expect(asCode.status).toBe(422);
    expect(byTestId(await asCode.text(), "problem-code")).toContain("looks like a card number");
    const renamed = await post("/tax-classes/STD", { name: "4111 1111 1111 1111", rate: "20" });
    expect(renamed.status).toBe(422);
    expect(await renamed.text()).not.toContain("4111 1111 1111 1111");
    expect(written(t.store)).toEqual(before);
  });

  test("renames a class and changes its rate in one save, an audit row for each; a save that changes nothing writes nothing", async () => {
    const res = await post("/tax-classes/STD", { name: "Standard rate", rate: "21" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/tax-classes?done=changed&code=STD");
    expect(t.store.db.query("SELECT * FROM tax_classes WHERE code = 'STD'").get()).toEqual({ code: "STD", name: "Standard rate", rate_bp: 2100 });
    expect(auditOf(t.store, "tax_class.")).toEqual([
      ["tax_class.renamed", "STD", "Maria Manager", { name: "Standard rate", was: "Standard" }],
      ["tax_class.rate_changed", "STD", "Maria Manager", { rate_bp: 2100, was_bp: 2000 }],
    ]);
    const html = await (await send(app, boss, res.headers.get("Location")!)).text();
    expect(byTestId(html, "tc-message")).toBe("STD is now “Standard rate” at 21 % for what is scanned from now on; sales already made keep their rate.");

    const before = written(t.store);
    const same = await post("/tax-classes/STD", { name: "Standard rate", rate: "21.00" });
    expect(same.headers.get("Location")).toBe("/tax-classes?done=unchanged&code=STD");
    expect(written(t.store)).toEqual(before);

    const rate = await post("/tax-classes/RED", { name: "Reduced", rate: "9.5" });
    expect(rate.headers.get("Location")).toBe("/tax-classes?done=rate_changed&code=RED");
    expect(rateOf("RED")).toBe(950);
  });

  test("a bad change is refused beside the field of its row, the row showing what was typed; nothing written", async () => {
    const before = written(t.store);
    const res = await post("/tax-classes/RED", { name: "Reduced", rate: "12.345" });
    expect(res.status).toBe(422);
    const html = await res.text();
    const row = /data-testid="tc-row" data-code="RED"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(byTestId(row, "problem-rate")).toMatch(/at most two decimals/);
    expect(row).toContain('value="12.345"');
    // another row's name taken: refused beside the name
    const taken = await post("/tax-classes/RED", { name: "ZERO", rate: "10" });
    expect(taken.status).toBe(422);
    const takenRow = /data-testid="tc-row" data-code="RED"[\s\S]*?<\/tr>/.exec(await taken.text())![0];
    expect(byTestId(takenRow, "problem-name")).toMatch(/already a tax class ZERO/);
    expect(written(t.store)).toEqual(before);
  });

  test("a class that is not there is a 404 with the sentence above the list", async () => {
    const before = written(t.store);
    const res = await post("/tax-classes/NOPE", { name: "Nope", rate: "1" });
    expect(res.status).toBe(404);
    expect(byTestId(await res.text(), "tc-message")).toBe("There is no tax class NOPE; someone may have removed it.");
    expect((await post("/tax-classes/NOPE/remove", {})).status).toBe(404);
    expect(written(t.store)).toEqual(before);
  });

  test("removes a class no product uses; one in use is refused, saying how many products use it, and stays", async () => {
    const before = written(t.store);
    const refused = await post("/tax-classes/RED/remove", {});
    expect(refused.status).toBe(422);
    expect(byTestId(await refused.text(), "tc-message")).toBe(
      "4 products use RED (Reduced, 10 %), so it stays; give them another tax class first (a CSV import with a tax class column does that).",
    );
    const one = await post("/tax-classes/STD/remove", {});
    expect(byTestId(await one.text(), "tc-message")).toStartWith("1 product uses STD (Standard, 20 %), so it stays; give it another");
    expect(written(t.store)).toEqual(before);

    await post("/tax-classes", { code: "TMP", name: "Temporary", rate: "3" });
    const res = await post("/tax-classes/TMP/remove", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/tax-classes?done=removed");
    expect(rateOf("TMP")).toBeNull();
    expect(auditOf(t.store, "tax_class.removed")).toEqual([["tax_class.removed", "TMP", "Maria Manager", { name: "Temporary", rate_bp: 300 }]]);
  });
});

describe("others", () => {
  test("a cashier can neither see nor change the tax classes; a form without the CSRF token changes nothing", async () => {
    const before = written(t.store);
    expect((await send(app, clerk, "/tax-classes")).status).toBe(403);
    expect((await post("/tax-classes", { code: "NEW", name: "New", rate: "5" }, clerk)).status).toBe(403);
    expect((await post("/tax-classes/STD", { name: "Hijacked", rate: "0" }, clerk)).status).toBe(403);
    expect((await post("/tax-classes/ZERO/remove", {}, clerk)).status).toBe(403);
    const forged = await app.request("/tax-classes/STD", {
      method: "POST",
      headers: { Cookie: boss.cookie, "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
      body: new URLSearchParams({ name: "Forged", rate: "0" }).toString(),
    });
    expect(forged.status).toBe(403);
    expect((await send(app, null, "/tax-classes")).headers.get("Location")).toBe("/login");
    expect(written(t.store)).toEqual(before);
  });
});

describe("a new rate", () => {
  test("is charged from then on; a completed sale keeps its rate, its tax lines and its receipt", async () => {
    const lane = clerk.registerId;
    const first = t.store.checkout.sell(lane, [{ barcode: codes.wine }], [{ method: "cash", amount: 1299 }]).sale;
    const taxesOf = (saleId: string) => t.store.db.query("SELECT tax_class, rate_bp, net, tax FROM sale_taxes WHERE sale_id = ?").all(saleId);
    const receiptOf = (saleId: string) => {
      const { state } = t.store.sales.load(saleId);
      if (state.status !== "completed") throw new Error(`sale ${saleId} is ${state.status}`);
      return t.store.printing.receiptDocument(state);
    };
    const taxesBefore = taxesOf(first.id);
    const receiptBefore = receiptOf(first.id);
    expect(taxesBefore).toEqual([{ tax_class: "STD", rate_bp: 2000, net: 1082, tax: 217 }]);

    expect((await post("/tax-classes/STD", { name: "Standard", rate: "25" })).status).toBe(303);

    expect(taxesOf(first.id)).toEqual(taxesBefore);
    expect(receiptOf(first.id)).toEqual(receiptBefore);
    expect(t.store.db.query("SELECT tax_rate_bp FROM sale_lines WHERE sale_id = ?").all(first.id)).toEqual([{ tax_rate_bp: 2000 }]);
    const next = t.store.checkout.sell(lane, [{ barcode: codes.wine }], [{ method: "cash", amount: 1299 }]).sale;
    expect(taxesOf(next.id)).toEqual([{ tax_class: "STD", rate_bp: 2500, net: 1039, tax: 260 }]);
  });
});
