// `shopflow tax-class` and `shopflow category`: a store set up from the command line by the Tax classes and Categories
// pages' own rules — added, listed, changed, refused with the pages' sentences and exit code 2 (nothing written), in use
// kept — then a CSV import that uses them, and a sale at the new rate.
import { afterAll, afterEach, beforeEach, expect, spyOn, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/server/cli/index.ts";
import { openShop } from "../../src/server/compose.ts";
import { codes } from "../helpers/store.ts";

const dir = mkdtempSync(join(tmpdir(), "shopflow-tax-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out: string[] = [];
let err: string[] = [];
let spies: { mockRestore(): void }[] = [];
beforeEach(() => {
  out = [];
  err = [];
  spies = [
    spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" "))),
    spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" "))),
  ];
});
afterEach(() => {
  for (const s of spies) s.mockRestore();
});

const shopflow = (...args: string[]) => runCli([...args, "--data", dir]);
/** What a refused command may not have touched. */
const written = () => {
  const store = openShop({ dataDir: dir });
  try {
    return {
      taxClasses: store.db.query("SELECT * FROM tax_classes ORDER BY code").all(),
      categories: store.db.query("SELECT * FROM categories ORDER BY id").all(),
      audit: store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log").get()!.n,
    };
  } finally {
    store.close();
  }
};
/** Run a command that must be refused: exit 2, the sentence first on stderr, nothing written. */
async function refused(args: string[], sentence: string | RegExp): Promise<void> {
  const before = written();
  err = [];
  expect(await shopflow(...args)).toBe(2);
  const said = err.join("\n").split("\n")[0]!;
  if (typeof sentence === "string") expect(said).toBe(`shopflow: ${sentence}`);
  else expect(said).toMatch(sentence);
  expect(written()).toEqual(before);
}

test("tax classes and categories from the command line, by the pages' rules, then used by an import and a sale", async () => {
  expect(await shopflow("tax-class", "list")).toBe(0);
  expect(out).toEqual(["no tax classes yet: add one with 'shopflow tax-class add STD Standard 20'"]);

  out = [];
  expect(await shopflow("tax-class", "add", "STD", "Standard", "20")).toBe(0);
  expect(await shopflow("tax-class", "add", "RED", "Reduced", "7,5")).toBe(0);
  expect(await shopflow("tax-class", "add", "TMP", "Temporary", "1")).toBe(0);
  expect(out).toEqual(["tax class STD (Standard, 20 %) added", "tax class RED (Reduced, 7.5 %) added", "tax class TMP (Temporary, 1 %) added"]);

  await refused(["tax-class", "add", "std", "Other", "5"], "There is already a tax class STD (Standard); choose another code.");
  await refused(["tax-class", "add", "NEW", "New", "120"], "The rate is a percentage from 0 to 100 with at most two decimals, such as 20 or 7.5.");
  await refused(["tax-class", "add", "NEW", "Card 4111 1111 1111 1111", "5"], "The name looks like a card number. ShopFlow keeps no card data: leave it out.");
  await refused(["tax-class", "add", "NEW", "New"], /^shopflow: tax-class list \| add CODE NAME RATE/);
  await refused(["tax-class", "set-rate", "NOPE", "5"], "There is no tax class NOPE; someone may have removed it.");
  await refused(["tax-class", "fly"], 'unknown tax-class command "fly"; use list, add, set-rate, rename or remove');

  out = [];
  expect(await shopflow("tax-class", "set-rate", "STD", "19.5")).toBe(0);
  expect(await shopflow("tax-class", "set-rate", "STD", "19.50")).toBe(0);
  expect(await shopflow("tax-class", "rename", "RED", "Reduced rate")).toBe(0);
  expect(out).toEqual([
    "STD is now 19.5 % (was 20 %) for what is scanned from now on; sales already made keep their rate",
    "STD is 19.5 % already",
    "RED is now called “Reduced rate”",
  ]);

  out = [];
  expect(await shopflow("category", "add", "Dairy")).toBe(0);
  expect(await shopflow("category", "add", "Empty shelf")).toBe(0);
  await refused(["category", "add", "DAIRY"], "There is already a category called “Dairy”; choose another name.");
  await refused(["category", "add", " "], "Give the category a name of 1 to 100 characters, such as Bakery.");
  await refused(["category", "rename", "Nope", "Other"], "There is no category called “Nope”.");

  // a CSV import finds them by code or name; the classes and the category it uses then stay
  const file = join(dir, "products.csv");
  writeFileSync(file, `sku,barcode,name,price,tax class,category\nMILK-1L,${codes.milk},Fresh Milk 1 L,1.19,reduced rate,dairy\n`);
  out = [];
  expect(await shopflow("import", file)).toBe(0);
  expect(out).toEqual(["1 imported, 0 updated, 0 rejected"]);
  await refused(
    ["tax-class", "remove", "RED"],
    "1 product uses RED (Reduced rate, 7.5 %), so it stays; give it another tax class first (a CSV import with a tax class column does that).",
  );
  await refused(
    ["category", "remove", "dairy"],
    "1 product is in “Dairy”, so it stays; put it in another category first (a CSV import with a category column does that).",
  );

  out = [];
  expect(await shopflow("tax-class", "remove", "TMP")).toBe(0);
  expect(await shopflow("category", "remove", "empty shelf")).toBe(0);
  expect(await shopflow("category", "rename", "dairy", "Milk & eggs")).toBe(0);
  expect(await shopflow("tax-class", "list")).toBe(0);
  expect(await shopflow("category", "list")).toBe(0);
  expect(out).toEqual([
    "tax class TMP (Temporary) removed",
    "category “Empty shelf” removed",
    "“Dairy” is now called “Milk & eggs”",
    "STD\tStandard\t19.5 %\t0 products",
    "RED\tReduced rate\t7.5 %\t1 product",
    "Milk & eggs\t1 product",
  ]);

  const store = openShop({ dataDir: dir });
  try {
    // every change in the audit log, made by no one (the command line)
    const rows = store.audit
      .find({ limit: 100 })
      .reverse()
      .filter((r) => r.action.startsWith("tax_class.") || r.action.startsWith("category."))
      .map((r) => [r.action, r.subject, r.user]);
    expect(rows).toEqual([
      ["tax_class.added", "STD", null],
      ["tax_class.added", "RED", null],
      ["tax_class.added", "TMP", null],
      ["tax_class.rate_changed", "STD", null],
      ["tax_class.renamed", "RED", null],
      ["category.added", "Dairy", null],
      ["category.added", "Empty shelf", null],
      ["tax_class.removed", "TMP", null],
      ["category.removed", "Empty shelf", null],
      ["category.renamed", "Milk & eggs", null],
    ]);
    // the product sells at its class's rate: 7.5 % of 1.19 inclusive
    const { registerId } = (await import("../../src/server/api/tokens.ts")).createToken(store.db, "Lane 1", store.clock.now().toISOString());
    const sold = store.checkout.sell(registerId, [{ barcode: codes.milk }], [{ method: "cash", amount: 119 }]).sale;
    expect(sold.taxes).toEqual([{ tax_class: "RED", rate_bp: 750, net: 111, tax: 8 }]);
  } finally {
    store.close();
  }
});
