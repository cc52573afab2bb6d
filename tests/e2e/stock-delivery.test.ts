// Receiving a delivery in Chromium, as a supervisor does in the back room: the scanner types each barcode and Enter into
// the list, a case of twelve is typed with "x12" and its cost with "@", Check shows what the list reads as, Receive
// takes it in — the shelf's stock and the product's page follow — and a code nobody knows is shown back, not taken in.
import { describe, expect, test } from "bun:test";
import { watchPage } from "../helpers/browser.ts";
import { codes, signIn } from "../helpers/store.ts";
import { expected422, registerSuite, signedInContext, stockOf, tablet, textOf } from "./support.ts";

const suite = registerSuite();

describe("receiving a delivery in the browser", () => {
  test("scanned, checked and received; a code nobody knows is shown, nothing taken in", async () => {
    const store = suite.db();
    const who = await signIn(store, 5, { role: "supervisor", shift: false, name: "Sam Supervisor" });
    const context = await signedInContext(suite.browser, suite.server.url, who, tablet);
    try {
      const page = await context.newPage();
      const problems = watchPage(page, { allow: [expected422] });
      await page.goto(`${suite.server.url}/stock/deliveries`);
      await page.getByTestId("delivery-supplier").fill("Dairy Co");
      await page.getByTestId("delivery-reference").fill("DN-77");

      // a code nobody knows among the scans: Check names it, Receive takes nothing
      const items = page.getByTestId("delivery-items");
      await items.click();
      for (const code of [codes.milk, codes.milk, "4006381333931"]) {
        await page.keyboard.type(code, { delay: 5 }); // a wedge scanner types fast, then Enter
        await page.keyboard.press("Enter");
      }
      const milkBefore = stockOf(store, "MILK-1L");
      await page.getByTestId("delivery-receive").click();
      await page.getByTestId("delivery-problem").first().waitFor();
      expect(await textOf(page, "delivery-problem")).toContain("4006381333931");
      expect(stockOf(store, "MILK-1L")).toBe(milkBefore);

      // the list comes back as typed; the unknown line put right, a case of bread with its cost added
      const typed = await items.inputValue();
      expect(typed.split("\n").filter(Boolean)).toEqual([codes.milk, codes.milk, "4006381333931"]);
      await items.fill(`${codes.milk}\n${codes.milk}\n${codes.bread} x12 @1.10\n`);
      await page.getByTestId("delivery-check").click();
      await page.getByTestId("delivery-line").first().waitFor();
      const rows = await page
        .getByTestId("delivery-line")
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())));
      expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
        ["Fresh Milk 1 L MILK-1L", "2", "—"],
        ["Sourdough Bread 800 g BREAD-SOUR", "12", "€1.10"],
      ]);

      const breadBefore = stockOf(store, "BREAD-SOUR");
      await page.getByTestId("delivery-receive").click();
      await page.waitForURL((u) => u.searchParams.has("done"));
      expect(await textOf(page, "form-message")).toContain("Received from Dairy Co: 2 products");
      expect(stockOf(store, "MILK-1L") - milkBefore).toBe(2000);
      expect(stockOf(store, "BREAD-SOUR") - breadBefore).toBe(12_000);
      expect(store.ledger.disagreements()).toEqual([]);
      // a reload of the done page takes nothing in twice
      await page.reload();
      expect(stockOf(store, "MILK-1L") - milkBefore).toBe(2000);
      expect(problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
