// One gate for every text that enters the store: card numbers in any spelling, control characters and broken Unicode
// are refused wherever text comes in — register reasons, the JSON API and its Idempotency-Key, CSV files, settings — and
// a refused request writes nothing. A form field sent twice is refused too, never read as its last value.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { importProductsCsv } from "../../src/server/catalog/import.ts";
import { settingsCommand } from "../../src/server/cli/settings.ts";
import { cardNumberSpellings } from "../helpers/card-numbers.ts";
import { codes, footprint, type SignedIn, type TestStore } from "../helpers/store.ts";
import { approvalBy, type Browser, cashierAndManager, errorCode, send, state } from "./support.ts";

/** The spellings a person at a till would type; card-data.test.ts covers the rest. */
const spellings = cardNumberSpellings.slice(0, 7);

let t: TestStore;
let boss: SignedIn;
let clerk: SignedIn;
let cashier: Browser;
beforeEach(async () => {
  ({ t, boss, clerk, cashier } = await cashierAndManager());
});
afterEach(() => t.close());

const post = (path: string, form: Record<string, string>, who: Browser = cashier) => send(t, "POST", path, { browser: who, form, htmx: true });
const approved = () => approvalBy(boss);

describe("register reasons", () => {
  const reasons: [string, () => Promise<Response>][] = [];
  for (const [how, pan] of spellings) {
    reasons.push([`cash in, ${how}`, () => post("/shift/cash", { kind: "in", amount: "5.00", reason: `float ${pan}` })]);
    reasons.push([`cash out, ${how}`, () => post("/shift/cash", { kind: "out", amount: "5.00", reason: pan, ...approved() })]);
    reasons.push([`no sale, ${how}`, () => post("/register/no-sale", { reason: `customer card ${pan}`, ...approved() })]);
    reasons.push([`cancel, ${how}`, () => post("/register/cancel", { reason: pan, ...approved() })]);
  }
  for (const [what, attempt] of reasons) {
    test(`a card number in a reason is refused with 422 and nothing is written: ${what}`, async () => {
      await post("/register/scan", { code: codes.milk });
      const before = state(t.store);
      const res = await attempt();
      expect({ what, status: res.status, code: await errorCode(res) }).toEqual({ what, status: 422, code: "card_data_refused" });
      expect(state(t.store)).toEqual(before);
    });
  }

  test("a price override's reason with a control character is refused", async () => {
    await post("/register/scan", { code: codes.wine });
    const line = t.store.till.current(clerk.registerId)!.lines[0]!.lineId;
    const res = await post(`/register/lines/${line}/price`, { price: "9.99", reason: "label\u001b[31m", ...approved() });
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe("control_character");
    expect(t.store.till.current(clerk.registerId)!.lines[0]!.unitPrice).toBe(1299);
  });
});

describe("the JSON API", () => {
  const sale = (card: Record<string, unknown>) => ({
    lines: [{ barcode: codes.milk }],
    payments: [{ method: "card", amount: 119, card: { brand: "VISA", last4: "1111", ...card } }],
  });

  for (const [how, pan] of spellings) {
    test(`an auth code spelling a card number with ${how} is refused`, async () => {
      const before = footprint(t.store);
      const res = await t.api("/api/v1/sales", { method: "POST", json: sale({ auth_code: pan }) });
      expect(res.status).toBe(422);
      expect(await errorCode(res)).toBe("card_data_refused");
      expect(footprint(t.store)).toEqual(before);
    });
  }

  test("text head office could not keep (NUL, a lone surrogate) is refused at the store, not acknowledged", async () => {
    for (const brand of ["VI\u0000SA", "VISA\ud800", "\udc00"]) {
      const before = footprint(t.store);
      const res = await t.api("/api/v1/sales", { method: "POST", body: JSON.stringify(sale({ brand })), headers: { "Content-Type": "application/json" } });
      expect({ brand: JSON.stringify(brand), status: res.status, code: await errorCode(res) }).toEqual({
        brand: JSON.stringify(brand),
        status: 400,
        code: "unstorable_text",
      });
      expect(footprint(t.store)).toEqual(before);
    }
  });

  test("an Idempotency-Key that is a card number is refused", async () => {
    const before = footprint(t.store);
    const res = await t.api("/api/v1/sales", { method: "POST", json: sale({}), headers: { "Idempotency-Key": "4111-1111-1111-1111" } });
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe("card_data_refused");
    expect(footprint(t.store)).toEqual(before);
  });
});

describe("CSV files and settings", () => {
  test("a product name or category holding a card number or a control character is a rejected row", () => {
    const csv = [
      "sku,barcode,name,price,tax class,category",
      "PEN-1,,Pen 4111.1111.1111.1111,1.00,STD,Office",
      "PEN-2,,Pen,1.00,STD,Card ４１１１１１１１１１１１１１１１",
      'PEN-3,,"Pen\u0007",1.00,STD,Office',
      "PEN-4,,Good pen,1.00,STD,Office",
    ].join("\n");
    const r = importProductsCsv(t.store.db, csv, { now: t.clock.now().toISOString() });
    expect(r.imported).toBe(1);
    expect(r.rejected.map((x) => x.line)).toEqual([2, 3, 4]);
    expect(r.rejected[0]!.reason).toContain("looks like a card number");
    expect(r.rejected[2]!.reason).toContain("control character");
    expect(t.store.catalog.bySku("PEN-1")).toBeNull();
  });

  test("a receipt text holding a card number is refused by 'shopflow settings set'", async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(" "));
    try {
      await expect(settingsCommand(["set", "receipt_footer", "Thanks! card 4111 1111 1111 1111", "--data", t.dir], () => t.dir)).rejects.toThrow(
        "looks like a card number",
      );
      await expect(settingsCommand(["set", "store_name", "Shop\u001b[2J", "--data", t.dir], () => t.dir)).rejects.toThrow("control character");
    } finally {
      console.error = original;
    }
    t.store.reloadSettings();
    expect(t.store.settings().receiptFooter).toEqual(["Thank you for shopping with us"]);
  });
});

describe("a field sent twice", () => {
  /** A form body as written, so a name can repeat (a record cannot hold it twice). */
  const postRaw = (path: string, body: string, who: SignedIn) =>
    t.app.request(path, { method: "POST", headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" }, body });
  const settingsRows = () => t.store.db.query("SELECT key, value FROM settings ORDER BY key").all();
  const fromHtml = (s: string) => s.replaceAll("&#39;", "'").replaceAll("&quot;", '"');

  const repeated: [what: string, path: string, body: () => string, who: () => SignedIn, field: string][] = [
    ["the store's name on the settings page", "/settings", () => "store_name=A&store_name=B", () => boss, "store_name"],
    ["a setting, its first value refused by the gate", "/settings", () => "store_name=4111111111111111&store_name=B", () => boss, "store_name"],
    ["what the settings page showed", "/settings", () => "store_name=A&shown_store_name=X&shown_store_name=ShopFlow%20Store", () => boss, "shown_store_name"],
    ["cash in or out", "/shift/cash", () => `kind=out&kind=in&amount=5.00&reason=coins&approver=${boss.userId}&manager_pin=${boss.pin}`, () => clerk, "kind"],
    [
      "the manager who approves",
      "/register/no-sale",
      () => `reason=change&approver=${boss.userId}&approver=${clerk.userId}&manager_pin=${boss.pin}`,
      () => clerk,
      "approver",
    ],
    ["a quick-key page's name, three times", "/quick-keys/pages", () => "name=A&name=B&name=C", () => boss, "name"],
  ];
  for (const [what, path, body, who, field] of repeated) {
    test(`${what}: 400 bad_form with a sentence, nothing written`, async () => {
      const before = { ...state(t.store), settings: settingsRows() };
      const res = await postRaw(path, body(), who());
      expect(res.status).toBe(400);
      // (the Quick keys page shows its refusals in its own message line, with no code)
      if (!path.startsWith("/quick-keys")) expect(await errorCode(res)).toBe("bad_form");
      expect(fromHtml(await res.text())).toContain(`The form sent ${field} twice; reload the page and try again.`);
      expect({ ...state(t.store), settings: settingsRows() }).toEqual(before);
    });
  }

  test("a form as the pages send it still goes through: one value per name, radios one of their group", async () => {
    expect((await postRaw("/settings", "store_name=A&shown_store_name=ShopFlow%20Store&blind_count=0&discount_limit=10", boss)).status).toBe(200);
    expect(t.store.settings()).toMatchObject({ storeName: "A", blindCount: false });
    expect((await postRaw("/shift/cash", `kind=in&amount=5.00&reason=coins&approver=${boss.userId}&manager_pin=${boss.pin}`, clerk)).status).toBe(200);
  });
});
