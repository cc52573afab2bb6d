// Store settings in the back office (/settings): a manager changes every kind of setting and the register, receipts and
// rules follow at once, with an audit row for each change; a cashier may not; a bad value is refused beside its field
// with nothing written, and `shopflow settings set` refuses the same value with the same sentence.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { settingsCommand } from "../../src/server/cli/settings.ts";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let boss: SignedIn;
let clerk: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria Manager" });
  clerk = await signIn(t.store, 1, { name: "Chris Cashier" });
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const send = (who: SignedIn, path: string, form?: Record<string, string>) =>
  t.app.request(path, {
    method: form ? "POST" : "GET",
    headers: { ...who.headers, ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
const save = (form: Record<string, string>, who = boss) => send(who, "/settings", form);

const fromHtml = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
const byTestId = (html: string, id: string) => {
  const m = new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</(p|div|li)>`).exec(html);
  return m ? fromHtml(m[1]!.replace(/<[^>]+>/g, "")).trim() : null;
};
const changesOf = (html: string) => [...html.matchAll(/data-testid="settings-change">([\s\S]*?)<\/li>/g)].map((m) => fromHtml(m[1]!));

/** Everything a refused save could have written: every setting, the audit log, and what a sale writes. */
const written = () => ({
  settings: t.store.db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings WHERE key <> 'receipt_logo' ORDER BY key").all(),
  audit: t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log").get()!.n,
  ...footprint(t.store),
});

describe("a manager", () => {
  test("sees the settings as they are, with the currency shown but not offered, and the logo left to the Devices page", async () => {
    const res = await send(boss, "/settings");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="store_name" value="ShopFlow Store"');
    expect(html).toMatch(/name="discount_limit" value="10"/);
    expect(html).toMatch(/<option value="0.01" selected="">0.01 \(no rounding\)<\/option>/);
    expect(html).toContain('<option value="Europe/Berlin">Europe/Berlin</option>');
    expect(html).toContain("Thank you for shopping with us</textarea>");
    expect(html).not.toContain('name="currency"');
    const currency = /data-testid="settings-currency"[\s\S]*?<\/div>/.exec(html)![0];
    expect(currency).toContain('<p class="fixed">EUR</p>');
    expect(currency).toContain("Not changed here: every sale, shift and report already kept is in EUR");
    expect(html).toContain('href="/devices"');
    // the back office bar leads here
    expect(await (await send(boss, "/users")).text()).toContain('href="/settings"');
  });

  test("saves every kind of setting in one go, and the register, receipts and rules follow at once", async () => {
    const before = t.store.settings();
    const res = await save({
      store_name: "  Corner Shop Müller ",
      store_address: "Hauptstraße 1\r\n\r\n10115 Berlin",
      tax_id: "DE123456789",
      time_zone: "Europe/Berlin",
      receipt_header: "Open 8–20",
      receipt_footer: "Danke!\r\nReturns within 14 days",
      prices_include_tax: "0",
      cash_rounding: "0.05",
      discount_limit: "20",
      negative_stock: "block",
      blind_count: "0",
      currency: "USD", // not on the page: left as it is
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(byTestId(html, "settings-saved")).toStartWith("Saved. 11 settings changed:");
    expect(changesOf(html)).toEqual([
      "Store name: “ShopFlow Store” → “Corner Shop Müller”",
      "Address: (none) → “Hauptstraße 1 / 10115 Berlin”",
      "Tax number: (none) → “DE123456789”",
      "Time zone: UTC → Europe/Berlin",
      "Receipt header: (none) → “Open 8–20”",
      "Receipt footer: “Thank you for shopping with us” → “Danke! / Returns within 14 days”",
      "Prices include tax: yes, shelf prices include tax → no, tax is added at the till",
      "Cash rounding: none → 0.05 EUR",
      "Discount limit: 10 % → 20 %",
      "Selling with no stock: allowed with a warning → refused",
      "Blind count: on → off",
    ]);
    // the form shows what is now kept, as it was typed
    expect(html).toContain('name="store_name" value="Corner Shop Müller"');
    expect(html).toMatch(/<option value="0.05" selected="">/);

    const s = t.store.settings();
    expect(s).toMatchObject({
      storeName: "Corner Shop Müller",
      storeAddress: ["Hauptstraße 1", "10115 Berlin"],
      taxId: "DE123456789",
      timeZone: "Europe/Berlin",
      receiptHeader: ["Open 8–20"],
      receiptFooter: ["Danke!", "Returns within 14 days"],
      pricing: { mode: "exclusive", cashRounding: 5 },
      discountLimitBp: 2000,
      negativeStock: "block",
      blindCount: false,
      currency: before.currency,
    });

    // the register's top bar
    expect(await (await send(clerk, "/")).text()).toContain('<strong class="store">Corner Shop Müller</strong>');
    // a sale: tax added at the till (1.19 + 10 % = 1.31), cash rounded to 0.05 (1.30), and the receipt's texts
    t.store.till.scan(clerk.registerId, codes.milk);
    const done = t.store.till.pay(clerk.registerId, { method: "cash", amount: 200 }, clerk.userId).completed!;
    const doc = t.store.printing.receiptPayload(done).doc;
    expect(doc.store).toEqual({
      name: "Corner Shop Müller",
      address: ["Hauptstraße 1", "10115 Berlin"],
      taxId: "DE123456789",
      header: ["Open 8–20"],
      footer: ["Danke!", "Returns within 14 days"],
    });
    expect([doc.total, doc.rounding, doc.change]).toEqual([131, -1, 70]);
    // a 15 % discount no longer needs a manager (limit 20 %)
    t.store.till.scan(clerk.registerId, codes.bread);
    expect((await send(clerk, "/register/discount", { kind: "percent", value: "15" })).status).toBe(200);
    // no stock: refused now
    t.store.db.run("UPDATE products SET stock_milli = 0 WHERE sku = 'WINE-RED'");
    expect((await send(clerk, "/register/scan", { code: codes.wine })).status).toBeGreaterThanOrEqual(400);
    // blind count off: the cashier sees what the drawer should hold
    expect(await (await send(clerk, "/shift")).text()).toContain("report-expected");

    // one audit row per change, each with where it came from and what it was before
    const rows = t.store.audit.find({ action: "settings.changed" });
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => r.user === "Maria Manager" && r.register === "Lane 9")).toBe(true);
    const limit = rows.find((r) => r.subject === "discount_limit_bp")!;
    expect(JSON.parse(limit.detail)).toEqual({ value: "2000", from: "1000", via: "settings page" });
  });

  test("a save that changes nothing writes nothing, and says so", async () => {
    const was = written();
    const res = await save({ store_name: "ShopFlow Store", discount_limit: "10", cash_rounding: "0.01", time_zone: "UTC" });
    expect(res.status).toBe(200);
    expect(byTestId(await res.text(), "settings-saved")).toBe("Saved. Nothing had changed.");
    expect(written()).toEqual(was);
  });

  test("an admin may too", async () => {
    const admin = await signIn(t.store, 8, { role: "admin", shift: false });
    expect((await send(admin, "/settings")).status).toBe(200);
    expect((await save({ store_name: "Admin's Shop" }, admin)).status).toBe(200);
    expect(t.store.settings().storeName).toBe("Admin's Shop");
  });
});

test("a cashier and a supervisor are refused (403), and nothing is written", async () => {
  const super1 = await signIn(t.store, 2, { role: "supervisor" });
  const was = written();
  for (const who of [clerk, super1]) {
    expect((await send(who, "/settings")).status).toBe(403);
    expect((await save({ store_name: "Not Yours", discount_limit: "100" }, who)).status).toBe(403);
  }
  expect(written()).toEqual(was);
  expect(t.store.settings().storeName).toBe("ShopFlow Store");
});

/** Values refused by the rules, each with the words its sentence says. */
const bad: [field: string, value: string, says: string][] = [
  ["discount_limit", "150", "The discount limit is a percentage from 0 to 100"],
  ["discount_limit", "-5", "The discount limit is a percentage from 0 to 100"],
  ["discount_limit", "ten", "The discount limit is a percentage from 0 to 100"],
  ["cash_rounding", "0.03", "Cash rounding is one of 0.01, 0.05, 0.10"],
  ["time_zone", "Mars/Olympus", "The time zone is not one this server knows"],
  ["time_zone", "+01:00", "The time zone is not one this server knows"],
  ["store_name", "Corner\u0007Shop", "The store name holds a control character"],
  ["store_name", "Two\nLines", "The store name holds a control character"],
  ["store_name", "Card 4111 1111 1111 1111", "The store name looks like a card number"],
  ["store_name", "S".repeat(61), "The store name is longer than 60 characters."],
  ["store_name", "   ", "The store name is empty"],
  ["receipt_footer", "Thanks! card 4111-1111-1111-1111", "The receipt footer looks like a card number"],
  ["receipt_footer", "R".repeat(301), "The receipt footer is longer than 300 characters."],
  ["receipt_header", "Open \u202eLATE", "The receipt header holds a control character"],
  ["tax_id", "T".repeat(41), "The tax number is longer than 40 characters."],
  ["prices_include_tax", "maybe", "Prices include tax is 1"],
  ["negative_stock", "sometimes", "Selling with no stock is allow, warn or block."],
  ["blind_count", "yes", "Blind count is 1"],
];

describe("a bad value", () => {
  for (const [field, value, says] of bad) {
    test(`${field} = ${JSON.stringify(value.length > 30 ? `${value.slice(0, 12)}…` : value)}: refused beside the field, nothing written, and the command line says the same`, async () => {
      const was = written();
      // with a good change beside it: all or nothing
      const res = await save({ store_name: "Corner Shop", [field]: value });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(byTestId(html, "settings-refused")).toStartWith("Not saved:");
      const sentence = byTestId(html, `problem-${field}`);
      expect(sentence).toContain(says);
      expect(html).toContain(`aria-describedby="problem-${field}`);
      expect(written()).toEqual(was);
      // never sent back: a card number or a control character
      if (/card number|control character/.test(says)) expect(html).not.toContain(value);

      const cli = settingsCommand(["set", "--data", t.dir, "--", field, value.replace(/\n/g, "\\n")], () => t.dir);
      await expect(cli).rejects.toThrow(sentence!);
      t.store.reloadSettings();
      expect(written()).toEqual(was);
    });
  }
});

test("the command line takes what the page takes, as a person types it, and logs it as from the command line", async () => {
  const was = written();
  const quiet = console.log;
  console.log = () => {};
  try {
    expect(await settingsCommand(["set", "discount_limit", "12.5", "--data", t.dir], () => t.dir)).toBe(0);
    expect(await settingsCommand(["set", "cash_rounding", "0.10", "--data", t.dir], () => t.dir)).toBe(0);
  } finally {
    console.log = quiet;
  }
  expect(written().audit).toBe(was.audit + 2);
  t.store.reloadSettings();
  expect([t.store.settings().discountLimitBp, t.store.settings().pricing.cashRounding]).toEqual([1250, 10]);
  const html = await (await send(boss, "/settings")).text();
  expect(html).toMatch(/name="discount_limit" value="12.5"/);
  expect(html).toMatch(/<option value="0.10" selected="">/);
  expect(JSON.parse(t.store.audit.find({ action: "settings.changed" })[0]!.detail)).toEqual({ value: "10", from: "1", via: "command line" });
});

test("the currency is chosen before the first sale: the command line refuses to change it after", async () => {
  const quiet = console.log;
  console.log = () => {};
  try {
    expect(await settingsCommand(["set", "currency", "GBP", "--data", t.dir], () => t.dir)).toBe(0);
    t.store.till.scan(clerk.registerId, codes.milk);
    await expect(settingsCommand(["set", "currency", "USD", "--data", t.dir], () => t.dir)).rejects.toThrow(
      "The currency cannot change once the store has sold",
    );
  } finally {
    console.log = quiet;
  }
  t.store.reloadSettings();
  expect(t.store.settings().currency).toBe("GBP");
});

/**
 * The form of a settings page as a browser sends it: every field with the value the page drew, radios as checked,
 * selects as selected, and line breaks as CR LF (as browsers send them).
 */
function formOf(html: string): Record<string, string> {
  const form = /<form method="post" action="\/settings"[\s\S]*?<\/form>/.exec(html)![0];
  const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)].map((m) => [m[1]!, fromHtml(m[2] ?? "")]));
  const crlf = (v: string) => v.replace(/\r?\n/g, "\r\n");
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input\s([^>]*)\/?>/g)) {
    const a = attrs(m[1]!);
    if (!a.name || (a.type === "radio" && a.checked === undefined)) continue;
    out[a.name] = crlf(a.value ?? "");
  }
  for (const m of form.matchAll(/<textarea\s([^>]*)>([\s\S]*?)<\/textarea>/g)) out[attrs(m[1]!).name!] = crlf(fromHtml(m[2]!));
  for (const m of form.matchAll(/<select\s([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2]!.matchAll(/<option\s([^>]*)>/g)].map((o) => attrs(o[1]!));
    out[attrs(m[1]!).name!] = (options.find((o) => o.selected !== undefined) ?? options[0])!.value!;
  }
  return out;
}

describe("two managers at once", () => {
  /** Another manager (or `shopflow settings set`) changes settings while the first one's page is open. */
  const meanwhile = async (form: Record<string, string>) => {
    const other = await signIn(t.store, 8, { role: "manager", shift: false, name: "Otto Owner" });
    expect((await save(form, other)).status).toBe(200);
  };

  test("the page says what it showed, field by field, beside what can be changed", async () => {
    const form = formOf(await (await send(boss, "/settings")).text());
    expect(form).toMatchObject({ store_name: "ShopFlow Store", shown_store_name: "ShopFlow Store", discount_limit: "10", shown_discount_limit: "10" });
    for (const [name, value] of Object.entries(form))
      if (!name.startsWith("shown_") && name !== "_csrf") expect([name, form[`shown_${name}`]]).toEqual([name, value]);
  });

  test("saving my page keeps what someone else changed since I opened it, and writes only what I changed", async () => {
    t.store.db.run("INSERT INTO settings(key, value) VALUES ('store_address', 'Hauptstraße 1\n10115 Berlin')");
    t.store.reloadSettings();
    const mine = formOf(await (await send(boss, "/settings")).text());
    await meanwhile({ discount_limit: "25", negative_stock: "block" });
    const quiet = console.log;
    console.log = () => {};
    try {
      expect(await settingsCommand(["set", "blind_count", "0", "--data", t.dir], () => t.dir)).toBe(0);
    } finally {
      console.log = quiet;
    }
    t.store.reloadSettings();
    const audit = written().audit;

    const res = await save({ ...mine, store_name: "Corner Shop" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(changesOf(html)).toEqual(["Store name: “ShopFlow Store” → “Corner Shop”"]);
    expect(t.store.settings()).toMatchObject({
      storeName: "Corner Shop",
      storeAddress: ["Hauptstraße 1", "10115 Berlin"],
      discountLimitBp: 2500,
      negativeStock: "block",
      blindCount: false,
    });
    expect(written().audit).toBe(audit + 1);
    // the page drawn after the save shows everyone's settings, and says so in what it showed
    expect(formOf(html)).toMatchObject({ discount_limit: "25", shown_discount_limit: "25", blind_count: "0", shown_blind_count: "0" });
  });

  test("a setting both changed is refused with 409, names what the other person set, writes nothing; the page shown again saves", async () => {
    const mine = formOf(await (await send(boss, "/settings")).text());
    await meanwhile({ discount_limit: "25" });
    const was = written();

    const res = await save({ ...mine, store_name: "Corner Shop", discount_limit: "15" });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(written()).toEqual(was);
    expect(byTestId(html, "settings-refused")).toStartWith("Not saved:");
    expect(byTestId(html, "problem-discount_limit")).toBe("Someone changed “Discount limit” to 25 % since you opened this page; check it and save again.");
    expect(byTestId(html, "problem-store_name")).toBeNull();
    // the setting someone else changed shows as it is now; my other change is still there, as I typed it
    const again = formOf(html);
    expect(again).toMatchObject({ discount_limit: "25", shown_discount_limit: "25", store_name: "Corner Shop", shown_store_name: "ShopFlow Store" });

    const saved = await save(again);
    expect(saved.status).toBe(200);
    expect(changesOf(await saved.text())).toEqual(["Store name: “ShopFlow Store” → “Corner Shop”"]);
    expect([t.store.settings().storeName, t.store.settings().discountLimitBp]).toEqual(["Corner Shop", 2500]);
  });

  test("a refused value keeps what the page was drawn from, so the save after it still notices the other person", async () => {
    const mine = formOf(await (await send(boss, "/settings")).text());
    await meanwhile({ discount_limit: "25" });
    const refused = await save({ ...mine, discount_limit: "15", tax_id: "T".repeat(41) });
    expect(refused.status).toBe(422);
    const again = formOf(await refused.text());
    expect(again).toMatchObject({ discount_limit: "15", shown_discount_limit: "10" });
    const was = written();
    const res = await save({ ...again, tax_id: "DE1" });
    expect(res.status).toBe(409);
    expect(byTestId(await res.text(), "problem-discount_limit")).toStartWith("Someone changed “Discount limit” to 25 %");
    expect(written()).toEqual(was);
  });

  test("the same value set by both is no quarrel: nothing to write for it", async () => {
    const mine = formOf(await (await send(boss, "/settings")).text());
    await meanwhile({ discount_limit: "25" });
    const res = await save({ ...mine, discount_limit: "25", store_name: "Corner Shop" });
    expect(res.status).toBe(200);
    expect(changesOf(await res.text())).toEqual(["Store name: “ShopFlow Store” → “Corner Shop”"]);
  });
});
