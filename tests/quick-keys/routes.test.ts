// Quick keys a shop arranges, in-process: a manager makes a favourites page, fills it and orders it on /quick-keys; the
// register then shows it as the first tab with the keys in that order. Bad input is a 4xx with a sentence and writes
// nothing; a cashier is refused; looking changes nothing.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let boss: SignedIn;
let cashier: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria Manager" });
  cashier = await signIn(t.store, 1, { name: "Chris Cashier" });
});
afterEach(() => t.close());

const post = (path: string, form: Record<string, string> = {}, who: SignedIn = boss) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
    body: new URLSearchParams(form).toString(),
  });
const get = (path: string, who: SignedIn = boss, htmx = false) =>
  t.app.request(path, { headers: { ...who.headers, Accept: "text/html", ...(htmx ? { "HX-Request": "true" } : {}) } });

const idOf = (sku: string) => t.store.catalog.bySku(sku)!.id;
const pageId = (name: string) => t.store.db.query<{ id: number }, [string]>("SELECT id FROM quick_key_pages WHERE name = ?").get(name)!.id;
/** A page's keys as SKUs, in their order on the page. */
const keysOf = (page: number) =>
  t.store.db
    .query<{ sku: string }, [number]>(
      "SELECT p.sku FROM quick_key_page_products k JOIN products p ON p.id = k.product_id WHERE k.page_id = ? ORDER BY k.position",
    )
    .all(page)
    .map((r) => r.sku);
const positionsOf = (page: number) =>
  t.store.db
    .query<{ position: number }, [number]>("SELECT position FROM quick_key_page_products WHERE page_id = ? ORDER BY position")
    .all(page)
    .map((r) => r.position);
/** Everything the Quick keys page could write: its two tables, whole, and the audit log's length. */
const written = () => ({
  pages: t.store.db.query("SELECT * FROM quick_key_pages ORDER BY id").all(),
  keys: t.store.db.query("SELECT * FROM quick_key_page_products ORDER BY page_id, position").all(),
  audit: t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log").get()!.n,
});
const auditActions = () =>
  t.store.audit
    .find({ action: "quick_keys.", limit: 100 })
    .reverse()
    .map((r) => [r.action, r.subject, r.user]);

/** The tabs of the register's quick keys as [name, selected], and its keys' names, from the HTML. */
function registerKeys(html: string) {
  const tabs = [...html.matchAll(/<button[^>]*role="tab"[^>]*aria-selected="(true|false)"[^>]*>([^<]*)<\/button>/g)].map((m) => [
    m[2]!.trim(),
    m[1] === "true",
  ]);
  const keys = [...html.matchAll(/data-testid="quick-key"[^>]*>\s*<span class="k-name">([^<]*)</g)].map((m) => m[1]!);
  return { tabs, keys };
}

async function makePage(name: string): Promise<number> {
  const res = await post("/quick-keys/pages", { name });
  expect(res.status).toBe(303);
  const id = pageId(name);
  expect(res.headers.get("Location")).toBe(`/quick-keys?page=${id}&done=page_added`);
  return id;
}

async function addKey(page: number, sku: string) {
  const res = await post(`/quick-keys/pages/${page}/keys`, { product_id: String(idOf(sku)) });
  expect(res.status).toBe(303);
}

const move = (page: number, sku: string, to: "up" | "down") => post(`/quick-keys/pages/${page}/keys/${idOf(sku)}/move`, { to });

describe("a manager arranges a favourites page", () => {
  test("creates a page, adds products in order and sees them listed with a sentence about each change", async () => {
    const page = await makePage("Favourites");
    expect(await (await get(`/quick-keys?page=${page}&done=page_added`)).text()).toContain("“Favourites” added.");
    for (const sku of ["MILK-1L", "BREAD-SOUR", "WINE-RED"]) await addKey(page, sku);
    expect(keysOf(page)).toEqual(["MILK-1L", "BREAD-SOUR", "WINE-RED"]);
    expect(positionsOf(page)).toEqual([1, 2, 3]);

    const html = await (await get(`/quick-keys?page=${page}&done=key_added&product=${idOf("WINE-RED")}`)).text();
    expect(html).toContain("Rioja Crianza 0.75 L added to “Favourites” as key 3.");
    const listed = [...html.matchAll(/data-testid="qk-key"[\s\S]*?<span class="qk-key-name">([^<]*)</g)].map((m) => m[1]);
    expect(listed).toEqual(["Fresh Milk 1 L", "Sourdough Bread 800 g", "Rioja Crianza 0.75 L"]);
    expect(auditActions()).toEqual([
      ["quick_keys.page_added", "Favourites", "Maria Manager"],
      ["quick_keys.key_added", "Favourites", "Maria Manager"],
      ["quick_keys.key_added", "Favourites", "Maria Manager"],
      ["quick_keys.key_added", "Favourites", "Maria Manager"],
    ]);
  });

  test("move up and down give the expected order; at an end nothing moves and nothing is written", async () => {
    const page = await makePage("Favourites");
    for (const sku of ["MILK-1L", "BREAD-SOUR", "WINE-RED", "PAPER-DAILY"]) await addKey(page, sku);

    const up = await move(page, "WINE-RED", "up");
    expect(up.status).toBe(303);
    expect(up.headers.get("Location")).toBe(`/quick-keys?page=${page}&done=key_moved&product=${idOf("WINE-RED")}&focus=key-${idOf("WINE-RED")}-up`);
    expect(keysOf(page)).toEqual(["MILK-1L", "WINE-RED", "BREAD-SOUR", "PAPER-DAILY"]);
    await move(page, "WINE-RED", "up");
    expect(keysOf(page)).toEqual(["WINE-RED", "MILK-1L", "BREAD-SOUR", "PAPER-DAILY"]);
    await move(page, "MILK-1L", "down");
    expect(keysOf(page)).toEqual(["WINE-RED", "BREAD-SOUR", "MILK-1L", "PAPER-DAILY"]);
    expect(positionsOf(page)).toEqual([1, 2, 3, 4]);

    // the page after the move: the sentence, and the focus back on the button pressed (Enter again moves it again)
    const after = await (await get(`/quick-keys?page=${page}&done=key_moved&product=${idOf("MILK-1L")}&focus=key-${idOf("MILK-1L")}-down`)).text();
    expect(after).toContain("Fresh Milk 1 L is now key 3 of “Favourites”.");
    expect(after).toMatch(new RegExp(`id="key-${idOf("MILK-1L")}-down"[^>]*autofocus`));

    const before = written();
    const top = await move(page, "WINE-RED", "up");
    expect(top.status).toBe(303);
    expect(top.headers.get("Location")).toContain("done=not_moved");
    const bottom = await move(page, "PAPER-DAILY", "down");
    expect(bottom.headers.get("Location")).toContain("done=not_moved");
    expect(written()).toEqual(before);
    expect(auditActions().filter(([a]) => a === "quick_keys.key_moved")).toHaveLength(3);
  });

  test("removing a key closes the gap; renaming and deleting a page are recorded", async () => {
    const page = await makePage("Favourites");
    for (const sku of ["MILK-1L", "BREAD-SOUR", "WINE-RED"]) await addKey(page, sku);
    const res = await post(`/quick-keys/pages/${page}/keys/${idOf("BREAD-SOUR")}/remove`);
    expect(res.status).toBe(303);
    expect(keysOf(page)).toEqual(["MILK-1L", "WINE-RED"]);
    expect(positionsOf(page)).toEqual([1, 2]);

    expect((await post(`/quick-keys/pages/${page}/rename`, { name: "Bakery counter" })).status).toBe(303);
    expect(t.store.db.query("SELECT name FROM quick_key_pages").all()).toEqual([{ name: "Bakery counter" }]);
    expect((await post(`/quick-keys/pages/${page}/delete`, { confirm: "1" })).status).toBe(303);
    expect(written().pages).toEqual([]);
    expect(written().keys).toEqual([]);
    expect(auditActions().slice(-3)).toEqual([
      ["quick_keys.key_removed", "Favourites", "Maria Manager"],
      ["quick_keys.page_renamed", "Bakery counter", "Maria Manager"],
      ["quick_keys.page_deleted", "Bakery counter", "Maria Manager"],
    ]);
  });

  test("pages are ordered too: the second moved up becomes the first", async () => {
    const a = await makePage("Favourites");
    const b = await makePage("Bakery counter");
    expect((await post(`/quick-keys/pages/${b}/move`, { to: "up" })).status).toBe(303);
    expect(t.store.db.query("SELECT id FROM quick_key_pages ORDER BY position").all()).toEqual([{ id: b }, { id: a }]);
  });

  test("search by name, SKU or barcode offers products to add, and marks those already on the page", async () => {
    const page = await makePage("Favourites");
    await addKey(page, "MILK-1L");
    for (const q of ["sourdough", "BREAD-SOUR", t.store.catalog.bySku("BREAD-SOUR")!.barcode!]) {
      const html = await (await get(`/quick-keys?page=${page}&q=${encodeURIComponent(q)}`)).text();
      expect(html).toContain(`name="product_id" value="${idOf("BREAD-SOUR")}"`);
    }
    const milk = await (await get(`/quick-keys?page=${page}&q=milk`)).text();
    expect(milk).toContain("on this page");
    expect(milk).not.toContain(`name="product_id" value="${idOf("MILK-1L")}"`);
  });
});

describe("the register shows favourites pages first", () => {
  test("the first favourites page is the chosen tab, before the categories, with its keys in the manager's order", async () => {
    const empty = await makePage("Empty one");
    const page = await makePage("Favourites");
    for (const sku of ["WINE-RED", "APPLES-KG", "MILK-1L"]) await addKey(page, sku);
    expect(empty).toBeLessThan(page);

    const { tabs, keys } = registerKeys(await (await get("/", cashier)).text());
    // the empty page is not shown; the favourites page comes first and is chosen; the categories follow
    expect(tabs[0]).toEqual(["Favourites", true]);
    expect(tabs.slice(1).map(([name]) => name)).toEqual(["Bakery", "Dairy", "Deli", "Drinks", "Fruit &amp; Vegetables", "Newspapers"]);
    expect(tabs.filter(([, chosen]) => chosen)).toHaveLength(1);
    expect(keys).toEqual(["Rioja Crianza 0.75 L", "Apples Braeburn (kg)", "Fresh Milk 1 L"]);

    // the fragment: the favourites page by its id, a category by its, and the weighed key asks for its weight
    const fragment = await (await get(`/register/quick-keys?page=${page}`, cashier, true)).text();
    expect(registerKeys(fragment).keys).toEqual(keys);
    expect(fragment).toContain('class="tab favourites active"');
    expect(fragment).toContain(`hx-get="/register/dialog/weigh/${idOf("APPLES-KG")}"`);
    const drinks = registerKeys(await (await get("/register/quick-keys?category=3", cashier, true)).text());
    expect(drinks.tabs.find(([, chosen]) => chosen)).toEqual(["Drinks", true]);
    expect(drinks.keys).toEqual(["Rioja Crianza 0.75 L"]);
  });

  test("without favourites pages the first category is chosen, as before", async () => {
    const { tabs } = registerKeys(await (await get("/", cashier)).text());
    expect(tabs[0]).toEqual(["Bakery", true]);
  });
});

describe("refusals write nothing", () => {
  test("bad names, unknown products and pages, and nonsense fields are 4xx with a sentence", async () => {
    const page = await makePage("Favourites");
    await addKey(page, "MILK-1L");
    const before = written();
    const cases: [path: string, form: Record<string, string>, status: number, says: RegExp][] = [
      ["/quick-keys/pages", { name: "x".repeat(41) }, 422, /name of 1 to 40 characters/],
      ["/quick-keys/pages", { name: "   " }, 422, /name of 1 to 40 characters/],
      ["/quick-keys/pages", {}, 422, /name of 1 to 40 characters/],
      ["/quick-keys/pages", { name: "Bell\u0007" }, 422, /control character/],
      ["/quick-keys/pages", { name: "Two\nlines" }, 422, /control character/],
      ["/quick-keys/pages", { name: "Left\u202eright" }, 422, /control character/],
      ["/quick-keys/pages", { name: "favourites" }, 422, /already a page called/],
      [`/quick-keys/pages/${page}/rename`, { name: "y".repeat(41) }, 422, /name of 1 to 40 characters/],
      ["/quick-keys/pages/9999/rename", { name: "Gone" }, 404, /not there any more/],
      [`/quick-keys/pages/${page}/keys`, { product_id: "9999" }, 404, /not in the catalog/],
      [`/quick-keys/pages/${page}/keys`, { product_id: "milk" }, 422, /Choose a product/],
      [`/quick-keys/pages/${page}/keys`, { product_id: String(idOf("MILK-1L")) }, 422, /already on “Favourites”/],
      ["/quick-keys/pages/9999/keys", { product_id: String(idOf("WINE-RED")) }, 404, /not there any more/],
      [`/quick-keys/pages/${page}/keys/9999/remove`, {}, 404, /not on “Favourites”/],
      [`/quick-keys/pages/${page}/keys/${idOf("MILK-1L")}/move`, { to: "sideways" }, 422, /up or down/],
      [`/quick-keys/pages/${page}/move`, {}, 422, /up or down/],
      [`/quick-keys/pages/${page}/delete`, {}, 422, /Tick the box/],
      // the search the product was found by: a sentence, not zod's "Too big: expected string to have <=100 characters"
      [`/quick-keys/pages/${page}/keys`, { product_id: String(idOf("WINE-RED")), q: "q".repeat(101) }, 422, /Search with at most 100 characters/],
    ];
    const wrong: string[] = [];
    for (const [path, form, status, says] of cases) {
      const res = await post(path, form);
      const html = await res.text();
      if (res.status !== status) wrong.push(`${path} ${JSON.stringify(form)}: ${res.status}, not ${status}`);
      else if (!says.test(html)) wrong.push(`${path} ${JSON.stringify(form)}: the page does not say ${says}`);
      else if (!html.includes('data-testid="qk-message"')) wrong.push(`${path}: no message on the page`);
      else if (/Too (big|small)|Invalid (input|option)|expected (string|one of)/.test(html)) wrong.push(`${path}: zod's own words reach the page`);
      if (!Bun.deepEquals(written(), before)) wrong.push(`${path} ${JSON.stringify(form)}: wrote something`);
    }
    expect(wrong).toEqual([]);
  });

  test("a page's name is taken whatever its case, in any alphabet: BÄKERY is bäkery, but Bäkery is not Bakery", async () => {
    const bakery = await makePage("BÄKERY");
    const other = await makePage("Bakery"); // another word: the accent makes the difference
    const before = written();
    for (const [name, taken] of [
      ["bäkery", "BÄKERY"],
      ["Bäkery", "BÄKERY"],
      [" bäKERY ", "BÄKERY"],
      ["ba\u0308kery", "BÄKERY"], // the ä as a + combining diaeresis
      ["ＢＡＫＥＲＹ", "Bakery"], // full-width letters
      ["BAKERY", "Bakery"],
    ]) {
      const res = await post("/quick-keys/pages", { name: name! });
      const said = /There is already a page called “([^”]*)”; choose another name\./.exec(await res.text())?.[1];
      expect([JSON.stringify(name), res.status, said]).toEqual([JSON.stringify(name), 422, taken]);
    }
    // renaming another page to it is refused alike; a page may change the case of its own name
    const rename = await post(`/quick-keys/pages/${other}/rename`, { name: "bäkery" });
    expect(rename.status).toBe(422);
    expect(await rename.text()).toContain("There is already a page called “BÄKERY”");
    expect(written()).toEqual(before);
    expect((await post(`/quick-keys/pages/${bakery}/rename`, { name: "Bäkery" })).status).toBe(303);
    expect(t.store.db.query("SELECT name FROM quick_key_pages ORDER BY id").all()).toEqual([{ name: "Bäkery" }, { name: "Bakery" }]);
  });

  test("a product no longer sold gets no key", async () => {
    const page = await makePage("Favourites");
    t.store.db.run("UPDATE products SET active = 0 WHERE sku = 'WINE-RED'");
    const before = written();
    const res = await post(`/quick-keys/pages/${page}/keys`, { product_id: String(idOf("WINE-RED")) });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("no longer sold");
    expect(written()).toEqual(before);
  });

  test("a cashier is refused (403) and writes nothing; looking at the page changes nothing", async () => {
    const page = await makePage("Favourites");
    await addKey(page, "MILK-1L");
    const before = written();
    for (const [path, form] of [
      ["/quick-keys/pages", { name: "Mine" }],
      [`/quick-keys/pages/${page}/keys`, { product_id: String(idOf("WINE-RED")) }],
      [`/quick-keys/pages/${page}/keys/${idOf("MILK-1L")}/remove`, {}],
      [`/quick-keys/pages/${page}/delete`, { confirm: "1" }],
    ] as const) {
      const res = await post(path, form, cashier);
      expect(res.status).toBe(403);
    }
    expect((await get("/quick-keys", cashier)).status).toBe(403);
    expect(written()).toEqual(before);

    for (const path of [
      "/quick-keys",
      `/quick-keys?page=${page}&q=milk`,
      `/quick-keys?page=${page}&done=key_moved&product=${idOf("MILK-1L")}&focus=key-1-up`,
      "/quick-keys?page=nonsense&done=%3Cscript%3E&focus=%22%3E",
    ]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain("<script>alert");
    }
    expect(written()).toEqual(before);
  });
});
