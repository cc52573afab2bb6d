// Categories in the back office (/categories): a manager adds one, renames it and removes an empty one, each with an
// audit row, and the register's tabs follow; a name another category has (in any case), an empty one, a card number, a
// category with products are refused with nothing written; a cashier may not.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
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
afterEach(() => t.close());

const post = (path: string, form: Record<string, string>, who: SignedIn = boss) => send(app, who, path, form);
const idOf = (name: string) => t.store.db.query<{ id: number }, [string]>("SELECT id FROM categories WHERE name = ?").get(name)?.id ?? null;
const names = () => t.store.catalog.categories().map((c) => c.name);

describe("a manager", () => {
  test("sees each category with how many products are in it; only an empty one offers Remove", async () => {
    await post("/categories", { name: "Frozen" });
    const html = await (await send(app, boss, "/categories")).text();
    const rows = [...html.matchAll(/data-testid="cat-row"[\s\S]*?value="([^"]*)"[\s\S]*?data-testid="cat-products">([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ["Bakery", "1 product"],
      ["Dairy", "1 product"],
      ["Deli", "1 product"],
      ["Drinks", "1 product"],
      ["Frozen", "0 products"],
      ["Fruit &amp; Vegetables", "1 product"],
      ["Newspapers", "1 product"],
    ]);
    expect([...html.matchAll(/data-testid="cat-remove"/g)].length).toBe(1);
  });

  test("adds, renames and removes a category, each with an audit row; the register's tabs follow", async () => {
    const added = await post("/categories", { name: "  Frozen   food " });
    expect(added.status).toBe(303);
    const id = idOf("Frozen food")!;
    expect(added.headers.get("Location")).toBe(`/categories?done=added&id=${id}`);
    expect(byTestId(await (await send(app, boss, added.headers.get("Location")!)).text(), "cat-message")).toBe(
      "“Frozen food” added: the registers show it as a tab once a product is in it.",
    );
    expect(names()).toContain("Frozen food");

    const renamed = await post(`/categories/${id}/rename`, { name: "Freezer" });
    expect(renamed.headers.get("Location")).toBe(`/categories?done=renamed&id=${id}`);
    // a change of case only is the same category's new spelling
    expect((await post(`/categories/${idOf("Dairy")}/rename`, { name: "DAIRY" })).status).toBe(303);
    expect(names()).toEqual(["Bakery", "DAIRY", "Deli", "Drinks", "Freezer", "Fruit & Vegetables", "Newspapers"]);

    const removed = await post(`/categories/${id}/remove`, {});
    expect(removed.headers.get("Location")).toBe("/categories?done=removed");
    expect(idOf("Freezer")).toBeNull();
    expect(auditOf(t.store, "category.")).toEqual([
      ["category.added", "Frozen food", "Maria Manager", {}],
      ["category.renamed", "Freezer", "Maria Manager", { was: "Frozen food" }],
      ["category.renamed", "DAIRY", "Maria Manager", { was: "Dairy" }],
      ["category.removed", "Freezer", "Maria Manager", {}],
    ]);
  });

  const refusals: [string, () => Promise<Response>, number, RegExp][] = [
    ["a name another category has, in another case", () => post("/categories", { name: "bakery" }), 422, /already a category called “Bakery”/],
    ["an empty name", () => post("/categories", { name: "   " }), 422, /a name of 1 to 100 characters/],
    ["a name too long", () => post("/categories", { name: "x".repeat(101) }), 422, /longer than 100 characters/],
    ["a rename to another's name", () => post(`/categories/${idOf("Deli")}/rename`, { name: "DRINKS" }), 422, /already a category called “Drinks”/],
  ];
  for (const [what, attempt, status, sentence] of refusals) {
    test(`is refused ${what} beside the name, nothing written`, async () => {
      const before = written(t.store);
      const res = await attempt();
      expect(res.status).toBe(status);
      expect(byTestId(await res.text(), "problem-name")).toMatch(sentence);
      expect(written(t.store)).toEqual(before);
    });
  }

  test("a card number as a name is refused and not shown back; a category with products stays, saying how many", async () => {
    const before = written(t.store);
    const res = await post("/categories", { name: "Cards 4111 1111 1111 1111" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(byTestId(html, "problem-name")).toContain("looks like a card number");
    expect(html).not.toContain("4111 1111 1111 1111");

    const full = await post(`/categories/${idOf("Dairy")}/remove`, {});
    expect(full.status).toBe(422);
    expect(byTestId(await full.text(), "cat-message")).toBe(
      "1 product is in “Dairy”, so it stays; put it in another category first (a CSV import with a category column does that).",
    );
    expect((await post("/categories/9999/remove", {})).status).toBe(404);
    expect(written(t.store)).toEqual(before);
  });
});

test("a cashier can neither see nor change the categories", async () => {
  const before = written(t.store);
  expect((await send(app, clerk, "/categories")).status).toBe(403);
  expect((await post("/categories", { name: "Mine" }, clerk)).status).toBe(403);
  expect((await post(`/categories/${idOf("Deli")}/rename`, { name: "Mine" }, clerk)).status).toBe(403);
  expect(written(t.store)).toEqual(before);
});
