// A store set up from nothing, in-process: no products, no tax classes. A manager signing in lands on the checklist;
// the currency is chosen before the first sale, a tax class added, one product added by hand (checked by the CSV
// import's row rules, refused field by field with nothing written), and the register sells it. Each step says
// whether it is done; once the store has products a manager signs in to the register as before.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { commandLine } from "../../src/server/audit/audit-log.ts";
import { saveHeadOfficeLink } from "../../src/server/head-office/link.ts";
import { ensureRegister } from "../../src/server/registers/records.ts";
import { settingsActions } from "../../src/server/settings/actions.ts";
import { codes, makeTestStore, type SignedIn, type TestStore } from "../helpers/store.ts";
import { type App, auditOf, byTestId, send, setUpApp, written } from "./support.ts";

let t: TestStore;
let app: App;
beforeEach(() => {
  t = makeTestStore({ catalog: false });
  app = setUpApp(t.store);
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const at = () => t.clock.now().toISOString();

/** Sign in with a PIN as a browser does, on a paired register (`lane`) or a browser that is none: where it lands, and the session. */
async function signInWithPin(name: string, role: "cashier" | "manager" | "admin", lane: string | null): Promise<{ landing: string | null; who: SignedIn }> {
  const pin = String(100000 + Math.floor(Math.random() * 800000));
  const user = await t.store.users.add(name, role, pin, at());
  const registerId = lane ? ensureRegister(t.store.db, lane, at()) : 0;
  const device = lane ? t.store.sessions.pair(registerId, user.id, at()) : null;
  const csrf = "first-run-browser-token-0123456789";
  const jar = [device && `sf_device=${device}`, `sf_csrf=${csrf}`].filter(Boolean).join("; ");
  const res = await app.request("/login", {
    method: "POST",
    headers: { Cookie: jar, "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
    body: new URLSearchParams({ user_id: String(user.id), pin }).toString(),
  });
  expect(res.status).toBe(303);
  const session = /sf_session=([^;]+)/.exec(res.headers.getSetCookie().join("\n"))![1]!;
  const s = t.store.sessions.get(session, t.clock.now())!;
  const cookie = `${jar.replace(/sf_csrf=[^;]+/, `sf_csrf=${s.csrf}`)}; sf_session=${session}`;
  return {
    landing: res.headers.get("Location"),
    who: { cookie, csrf: s.csrf, headers: { Cookie: cookie, "X-CSRF-Token": s.csrf }, registerId, userId: user.id, userName: user.name, pin },
  };
}

/** Each step of the checklist and whether it is done. */
const steps = (html: string) =>
  Object.fromEntries([...html.matchAll(/data-testid="step-([a-z]+)" data-done="(true|false)"/g)].map((m) => [m[1], m[2] === "true"]));

describe("a new store", () => {
  test("from nothing to its first sale: checklist, currency, a tax class, one product, sold at the register", async () => {
    // a manager signing in to a store with nothing to sell lands on the checklist; a cashier on the register as ever
    const { landing, who: boss } = await signInWithPin("Olga Owner", "admin", "Lane 1");
    expect(landing).toBe("/store-setup");
    expect((await signInWithPin("Chris Cashier", "cashier", "Lane 2")).landing).toBe("/");
    expect((await signInWithPin("Bob Backoffice", "manager", null)).landing).toBe("/store-setup");

    let html = await (await send(app, boss, "/store-setup")).text();
    expect(steps(html)).toEqual({ store: false, tax: false, categories: false, product: false, sale: false });
    expect(html).toContain('href="/settings"');
    expect(html).toContain("shopflow import products.csv");
    expect(html).not.toContain('data-testid="setup-product-link"'); // a product needs a tax class first
    expect(html).toContain('data-testid="setup-register-link"');

    // the currency, chosen before the first sale; a code that is none is refused beside it, nothing written
    let before = written(t.store);
    const wrong = await send(app, boss, "/store-setup/currency", { currency: "XYZ" });
    expect(wrong.status).toBe(422);
    expect(byTestId(await wrong.text(), "problem-currency")).toBe("The currency is a three-letter ISO 4217 code such as EUR, GBP or USD.");
    expect(written(t.store)).toEqual(before);
    const gbp = await send(app, boss, "/store-setup/currency", { currency: "GBP" });
    expect([gbp.status, gbp.headers.get("Location")]).toEqual([303, "/store-setup?done=currency"]);
    expect(t.store.settings().currency).toBe("GBP");
    expect(auditOf(t.store, "settings.changed").at(-1)).toEqual([
      "settings.changed",
      "currency",
      "Olga Owner",
      { value: "GBP", from: "EUR", via: "store set-up page" },
    ]);

    // the store's name, set in Settings (its own action here)
    settingsActions(t.store).change(commandLine, { store_name: "Corner Shop" }, "command line");
    t.store.reloadSettings();

    // no tax class yet: the product form says so, and a product is refused for want of one
    expect(await (await send(app, boss, "/store-setup/product")).text()).toContain('data-testid="product-no-tax"');
    before = written(t.store);
    const early = await send(app, boss, "/store-setup/product", { sku: "MILK-1L", name: "Fresh Milk 1 L", price: "1.19", tax_class: "STD" });
    expect(early.status).toBe(422);
    const earlyHtml = await early.text();
    expect(byTestId(earlyHtml, "product-refused")).toBe("Not added: one field needs another look (shown below). Nothing was written.");
    expect(earlyHtml).toContain('data-testid="product-no-tax"');
    expect(written(t.store)).toEqual(before);

    // a tax class; the Tax classes page leads back to the checklist while the store has nothing to sell
    expect((await send(app, boss, "/tax-classes", { code: "STD", name: "Standard", rate: "20" })).status).toBe(303);
    expect(await (await send(app, boss, "/tax-classes")).text()).toContain('data-testid="back-to-setup"');
    html = await (await send(app, boss, "/store-setup")).text();
    expect(steps(html)).toEqual({ store: true, tax: true, categories: false, product: false, sale: false });
    expect(byTestId(html, "setup-store-name")).toBe("Corner Shop");
    expect(html).toContain('data-testid="setup-product-link"');

    // the product form: every field the import's rules refuse is said beside it, nothing written
    const form = await (await send(app, boss, "/store-setup/product")).text();
    expect(form).toContain('<option value="STD" selected="">STD · Standard · 20 %</option>'.replace(' selected=""', ""));
    expect(form).toContain("GBP");
    before = written(t.store);
    const bad = await send(app, boss, "/store-setup/product", { sku: "", barcode: "4000000000011", name: "  ", price: "1.1.9", tax_class: "STD" });
    expect(bad.status).toBe(422);
    const refused = await bad.text();
    expect(byTestId(refused, "product-refused")).toBe("Not added: 4 fields need another look (shown below). Nothing was written.");
    expect(byTestId(refused, "problem-sku")).toBe("SKU is empty.");
    expect(byTestId(refused, "problem-name")).toBe("Name is empty.");
    expect(byTestId(refused, "problem-price")).toBe('Price "1.1.9" is not an amount like 12.34 (at most 2 decimals, no currency sign).');
    expect(byTestId(refused, "problem-barcode")).toMatch(/^Barcode 4000000000011 has a wrong check digit \(the last digit should be \d\)/);
    expect(refused).toContain('value="4000000000011"'); // shown again to be put right
    const card = await send(app, boss, "/store-setup/product", { sku: "X-1", name: "Gift 4111 1111 1111 1111", price: "5", tax_class: "STD" });
    expect(card.status).toBe(422);
    const cardHtml = await card.text();
    expect(byTestId(cardHtml, "problem-name")).toContain("looks like a card number");
    expect(cardHtml).not.toContain("4111 1111 1111 1111");
    expect(cardHtml).toContain('value="X-1"');
    expect(written(t.store)).toEqual(before);

    // the first product, with a decimal comma and a new category, as the CSV import would make it
    const added = await send(app, boss, "/store-setup/product", {
      sku: "MILK-1L",
      barcode: codes.milk,
      name: "Fresh  Milk 1 L",
      price: "1,19",
      tax_class: "STD",
      category: "Dairy",
    });
    expect([added.status, added.headers.get("Location")]).toEqual([303, "/store-setup?done=product&sku=MILK-1L"]);
    expect(t.store.catalog.bySku("MILK-1L")).toMatchObject({
      barcode: codes.milk,
      name: "Fresh Milk 1 L",
      price: 119,
      taxClass: "STD",
      rateBp: 2000,
      category: "Dairy",
      weighed: false,
      active: true,
    });
    expect(auditOf(t.store, "product.added")).toEqual([
      [
        "product.added",
        "MILK-1L",
        "Olga Owner",
        { name: "Fresh Milk 1 L", barcode: codes.milk, price: 119, tax_class: "STD", category: "Dairy", weighed: false },
      ],
    ]);
    html = await (await send(app, boss, added.headers.get("Location")!)).text();
    expect(byTestId(html, "setup-message")).toBe("Fresh Milk 1 L (MILK-1L) is in the catalog: the register sells it now.");
    expect(steps(html)).toEqual({ store: true, tax: true, categories: true, product: true, sale: false });

    // a SKU or barcode another product has is refused: the CSV import is the way to change a product
    before = written(t.store);
    const twice = await send(app, boss, "/store-setup/product", { sku: "MILK-1L", barcode: codes.milk, name: "Milk again", price: "1", tax_class: "STD" });
    expect(twice.status).toBe(422);
    const twiceHtml = await twice.text();
    expect(byTestId(twiceHtml, "problem-sku")).toBe("SKU MILK-1L is already in the catalog (Fresh Milk 1 L); choose another SKU.");
    expect(byTestId(twiceHtml, "problem-barcode")).toBe(`Barcode ${codes.milk} already belongs to SKU MILK-1L (Fresh Milk 1 L); check the number.`);
    expect(written(t.store)).toEqual(before);

    // sold at the register: scanned, paid, receipt in pounds with the class's tax
    const sold = t.store.checkout.sell(boss.registerId, [{ barcode: codes.milk, qty: 2 }], [{ method: "cash", amount: 500 }]);
    expect(sold.sale).toMatchObject({ status: "completed", total: 238, tax_total: 40 });
    expect(t.store.printing.receiptPayload(t.store.sales.load(sold.sale.id).state as never).currency).toBe("GBP");

    html = await (await send(app, boss, "/store-setup")).text();
    expect(steps(html)).toEqual({ store: true, tax: true, categories: true, product: true, sale: true });
    // the currency is fixed now: no form, and a forged one is refused by the settings' own rule
    expect(html).not.toContain('data-testid="setup-currency-form"');
    before = written(t.store);
    const late = await send(app, boss, "/store-setup/currency", { currency: "USD" });
    expect(late.status).toBe(422);
    expect(byTestId(await late.text(), "problem-currency")).toBe(
      "The currency cannot change once the store has sold: its sales, shifts and reports are in GBP.",
    );
    expect(written(t.store)).toEqual(before);

    // a store with something to sell: a manager signs in to the register, or to Devices away from one, as before
    expect((await signInWithPin("Maria Manager", "manager", "Lane 3")).landing).toBe("/");
    expect((await signInWithPin("Max Manager", "manager", null)).landing).toBe("/devices");
  });

  test("a weighed product is added as sold by weight, its price per kilogram", async () => {
    const { who: boss } = await signInWithPin("Olga Owner", "admin", "Lane 1");
    await send(app, boss, "/tax-classes", { code: "RED", name: "Reduced", rate: "5" });
    const res = await send(app, boss, "/store-setup/product", { sku: "APPLES-KG", name: "Apples (kg)", price: "2.99", tax_class: "red", weighed: "1" });
    expect(res.status).toBe(303);
    expect(t.store.catalog.bySku("APPLES-KG")).toMatchObject({ price: 299, taxClass: "RED", weighed: true, barcode: null, category: null });
    const sold = t.store.checkout.sell(boss.registerId, [{ sku: "APPLES-KG", qty: 1.5 }], [{ method: "cash", amount: 449 }]);
    expect(sold.sale).toMatchObject({ status: "completed", total: 449 });
  });

  test("a barcode another product holds as one of its others is refused; a store on head office's catalog adds none here", async () => {
    const { who: boss } = await signInWithPin("Olga Owner", "admin", "Lane 1");
    await send(app, boss, "/tax-classes", { code: "STD", name: "Standard", rate: "20" });
    await send(app, boss, "/store-setup/product", { sku: "MILK-1L", name: "Fresh Milk 1 L", price: "1.19", tax_class: "STD" });
    t.store.db.query("INSERT INTO product_barcodes(product_id, barcode) SELECT id, ? FROM products WHERE sku = 'MILK-1L'").run(codes.milk);
    const before = written(t.store);
    const taken = await send(app, boss, "/store-setup/product", { sku: "OAT-1L", barcode: codes.milk, name: "Oat Drink", price: "1.99", tax_class: "STD" });
    expect(taken.status).toBe(422);
    expect(byTestId(await taken.text(), "problem-barcode")).toContain("already belongs to SKU MILK-1L");
    expect(written(t.store)).toEqual(before);
    saveHeadOfficeLink(t.store.db, { url: "https://hq.example.com", storeId: "0190c2a4-7b1e-7c3d-8e5f-0123456789ab", token: "a-store-token-0123" });
    const linkedBefore = written(t.store);
    const linked = await send(app, boss, "/store-setup/product", { sku: "OAT-1L", name: "Oat Drink", price: "1.99", tax_class: "STD" });
    expect(linked.status).toBe(403);
    expect(await linked.text()).toContain("takes its catalog from head office");
    expect(written(t.store)).toEqual(linkedBefore);
  });

  test("a cashier may not set the store up", async () => {
    const { who: clerk } = await signInWithPin("Chris Cashier", "cashier", "Lane 2");
    const before = written(t.store);
    expect((await send(app, clerk, "/store-setup")).status).toBe(403);
    expect((await send(app, clerk, "/store-setup/product")).status).toBe(403);
    expect((await send(app, clerk, "/store-setup/currency", { currency: "USD" })).status).toBe(403);
    expect((await send(app, clerk, "/store-setup/product", { sku: "A", name: "A", price: "1", tax_class: "STD" })).status).toBe(403);
    expect(written(t.store)).toEqual(before);
  });
});
