// The virtual printer's page in a shop's words: each print says what it was — "Receipt 002-000001 · €16.48 ·
// printed …", a copy, the drawer, a test page — and what the printer did beside the text, never JSON or a sale id.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let cashier: SignedIn;
let boss: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  cashier = await signIn(t.store, 1, { name: "Chris Cashier" });
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria Manager" });
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const post = async (who: SignedIn, path: string, form: Record<string, string> = {}) => {
  const res = await t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(form).toString(),
  });
  if (res.status >= 400) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res;
};
const fromHtml = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
const textOf = (html: string) => fromHtml(html.replace(/<[^>]+>/g, "")).trim();
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const printedAt = String.raw` · printed \d\d/\d\d/\d{4}, \d\d:\d\d`;

test("each print is captioned with what it was, and the printer's actions are in words", async () => {
  await post(cashier, "/register/scan", { code: codes.wine });
  await post(cashier, "/register/scan", { code: codes.bread });
  await post(cashier, "/register/pay", { method: "cash", amount: "20" });
  const sale = t.store.db.query<{ id: string; receipt_number: string }, []>("SELECT id, receipt_number FROM sales").get()!;
  await post(cashier, `/register/receipt/${sale.id}/reprint`);
  await post(cashier, "/register/no-sale", { reason: "change", manager_pin: boss.pin, approver: String(boss.userId) });
  const virtual = t.store.printing.printers.byName("Virtual printer")!;
  await post(boss, `/devices/printers/${virtual.id}/test`);
  for (let i = 0; i < 4; i++) await t.store.printing.worker.tick();

  const res = await t.app.request(`/devices/printers/${virtual.id}/prints`, { headers: boss.headers });
  expect(res.status).toBe(200);
  const html = await res.text();
  const prints = [...html.matchAll(/<figure class="paper" data-testid="virtual-print"[^>]*>([\s\S]*?)<\/figure>/g)].map((m) => ({
    caption: textOf(/<figcaption[^>]*>([\s\S]*?)<\/figcaption>/.exec(m[1]!)![1]!),
    paper: fromHtml(/<pre>([\s\S]*?)<\/pre>/.exec(m[1]!)?.[1] ?? ""),
    events: [...m[1]!.matchAll(/<li[^>]*>([^<]*)<\/li>/g)].map((e) => fromHtml(e[1]!)),
  }));
  const n = sale.receipt_number;
  // newest first: the test page, the drawer, the copy, the receipt
  const captions = prints.map((p) => p.caption);
  expect(captions).toHaveLength(4);
  expect(captions[0]).toMatch(new RegExp(`^Test page${printedAt}$`));
  expect(captions[1]).toMatch(new RegExp(`^Drawer opened \\(no sale\\) · by Chris Cashier${printedAt}$`));
  expect(captions[2]).toMatch(new RegExp(`^Copy of receipt ${n} · €16\\.48${printedAt}$`));
  expect(captions[3]).toMatch(new RegExp(`^Receipt ${n} · €16\\.48${printedAt}$`));

  // the receipt as it is printed, and what the printer did besides
  expect(prints[3]!.paper).toContain("Rioja Crianza 0.75 L");
  expect(prints[3]!.events).toContain("Cash drawer opened");
  expect(prints[3]!.events).toContain(`Barcode: ${n}`);
  expect(prints[3]!.events.at(-1)).toBe("Paper cut");
  expect(prints[1]!.events).toEqual(["Cash drawer opened"]);

  // nothing for developers: no JSON, no sale id, no cents
  const shown = textOf(/<div class="paper-list">([\s\S]*)<\/div>/.exec(html)![1]!);
  expect(shown).not.toContain("{");
  expect(shown).not.toContain('"type"');
  expect(shown).not.toMatch(uuid);
  expect(shown).not.toMatch(/(^|[^\d.,])1648([^\d.,]|$)/);
});
