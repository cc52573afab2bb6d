// No card data, ever: of a card payment the store keeps brand, last four, auth code and terminal reference. A request
// that carries more, or anything that looks like a card number (barcodes and SKUs aside), is refused and writes nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, footprint, makeTestStore, signIn, type TestStore } from "../helpers/store.ts";
import { browserOf, errorCode, send, state } from "./support.ts";

const PAN = "4111111111111111"; // a test Visa number: 16 digits, Luhn-valid

let t: TestStore;
beforeAll(() => {
  t = makeTestStore();
});
afterAll(() => t.close());

type Body = { lines: Record<string, unknown>[]; payments: Record<string, unknown>[]; [k: string]: unknown };
const sale = (card: Record<string, unknown> = {}, payment: Record<string, unknown> = {}, line: Record<string, unknown> = {}): Body => ({
  lines: [{ barcode: codes.milk, ...line }],
  payments: [{ method: "card", amount: 119, card: { brand: "VISA", last4: "1111", ...card }, ...payment }],
});

/** Append the Luhn check digit: a number a card terminal would accept. */
function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** Where in the database a text occurs, blobs (print bytes) read as Latin-1: [table, column] pairs. */
function whereIs(text: string): string[][] {
  const found: string[][] = [];
  const tables = t.store.db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
  for (const { name } of tables) {
    for (const row of t.store.db.query<Record<string, unknown>, []>(`SELECT * FROM "${name}"`).all()) {
      for (const [column, v] of Object.entries(row)) {
        const s = v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : String(v);
        if (s.includes(text) && !found.some(([tb, c]) => tb === name && c === column)) found.push([name, column]);
      }
    }
  }
  return found;
}

describe("POST /api/v1/sales", () => {
  test("a card payment with brand, last4, auth_code and terminal_ref is taken, and only those are kept", async () => {
    const res = await t.api("/api/v1/sales", { method: "POST", json: sale({ auth_code: "A1B2C3", terminal_ref: "T-0042" }) });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    expect(t.store.db.query("SELECT method, amount, card_brand, card_last4, auth_code, terminal_ref FROM sale_payments WHERE sale_id = ?").all(id)).toEqual([
      { method: "card", amount: 119, card_brand: "VISA", card_last4: "1111", auth_code: "A1B2C3", terminal_ref: "T-0042" },
    ]);
  });

  const moreThanAllowed: [string, Body][] = [
    ["the card number", sale({ number: PAN })],
    ["a pan field", sale({ pan: PAN })],
    ["the CVV", sale({ cvv: "123" })],
    ["the expiry date", sale({ expiry: "12/29" })],
    ["the cardholder", sale({ holder: "J SMITH" })],
    ["track 2 data", sale({ track2: `;${PAN}=29121010000000000?` })],
    ["a card beside the payment", { ...sale(), card_number: PAN }],
  ];
  for (const [what, body] of moreThanAllowed) {
    test(`card fields beyond the four are refused: ${what}`, async () => {
      const before = footprint(t.store);
      const res = await t.api("/api/v1/sales", { method: "POST", json: body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(footprint(t.store)).toEqual(before);
    });
  }

  const looksLikeACard: [string, Body][] = [
    ["as the auth code", sale({ auth_code: PAN })],
    ["as the terminal reference, with spaces", sale({ terminal_ref: "4111 1111 1111 1111" })],
    ["as the brand, with dashes", sale({ brand: "5555-5555-5555-4444" })],
    ["inside a longer auth code", sale({ auth_code: `ref ${PAN}` })],
    ["as the payment method", sale({}, { method: PAN })],
    ["as the amount, a number", sale({}, { amount: Number(PAN) })],
    ["as a quantity", sale({}, {}, { qty: Number(PAN) })],
    ["as a key", sale({ [PAN]: "x" })],
    ["in an extra field", { ...sale(), note: `card ${PAN}` }],
    ["an Amex number (15 digits)", sale({ terminal_ref: "378282246310005" })],
    ["a 19-digit number", sale({ auth_code: withLuhn("601100099013942400") })],
    ["a 13-digit number", sale({ terminal_ref: withLuhn("422222222222") })],
  ];
  for (const [what, body] of looksLikeACard) {
    test(`a card-number-like value anywhere is refused: ${what}`, async () => {
      const before = footprint(t.store);
      const res = await t.api("/api/v1/sales", { method: "POST", json: body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(footprint(t.store)).toEqual(before);
    });
  }

  test("the number as a barcode or SKU is not taken for card data (product codes can pass the Luhn check)", async () => {
    for (const line of [{ barcode: PAN }, { sku: PAN }]) {
      const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: [line], payments: [{ method: "cash", amount: 500 }] } });
      expect(await errorCode(res)).not.toBe("card_data_refused");
    }
  });
});

describe("the register's card payment form", () => {
  test("an auth code that is, or hides, a card number is refused with 422 and nothing is written", async () => {
    const clerk = browserOf(await signIn(t.store, 1));
    expect((await send(t, "POST", "/register/scan", { browser: clerk, form: { code: codes.wine } })).status).toBe(200);
    for (const auth of [PAN, "4111-1111-1111-1111", `${"X".repeat(20)}${PAN}`, `${"slip ".repeat(5)}${PAN}`]) {
      const before = state(t.store);
      const res = await send(t, "POST", "/register/pay", { browser: clerk, form: { method: "card", amount: "12.99", last4: "1111", auth_code: auth } });
      expect({ auth, status: res.status }).toEqual({ auth, status: 422 });
      expect(state(t.store)).toEqual(before);
    }
  });
});

test("after all that, no card number, nor 12 digits of one, is anywhere in the database", () => {
  for (const digits of [PAN, "4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "411111111111"]) {
    expect({ digits, in: whereIs(digits) }).toEqual({ digits, in: [] });
  }
});
