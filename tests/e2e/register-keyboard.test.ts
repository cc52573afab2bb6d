// The register without a mouse: function keys, Enter, +/−, arrows and Delete; and a wedge scanner that types a code
// while the focus is somewhere other than the scan field.
import { describe, expect, test } from "bun:test";
import type { Page, Request } from "playwright-core";
import { codes } from "../helpers/store.ts";
import { dialogClosed, dialogOpen, eventually, lines, messageText, registerIdOf, registerSuite, rowCount, salesIn, textOf } from "./support.ts";

const suite = registerSuite();
const till = suite.till;
const db = suite.db;

/**
 * A scanner burst, wherever the focus is. `burst` (default): every digit and the Enter sent back to back, as a hardware
 * wedge scanner types a key every few milliseconds. `typed`: `keyboard.type(code, { delay: 5 })`, which awaits a round
 * trip per key; on a busy machine that stretched single gaps to 36–59 ms, past register.js's 35 ms SCAN_GAP_MS, so it
 * is used only where the page does not time the keys (the focus on the page background).
 */
async function wedge(page: Page, code: string, how: "burst" | "typed" = "burst"): Promise<void> {
  if (how === "typed") {
    await page.keyboard.type(code, { delay: 5 });
    await page.keyboard.press("Enter");
    return;
  }
  await Promise.all([...code, "Enter"].map((key) => page.keyboard.press(key)));
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? null);
/**
 * Scan with the wedge and wait for the lines to read `want`; when they do not, say what happened instead: which scan
 * requests went out, what the scan field holds, what the message line says.
 */
async function wedgeShows(page: Page, code: string, want: [string, string, string][], what: string, how: "burst" | "typed" = "burst"): Promise<void> {
  const sent: string[] = [];
  const onRequest = (r: Request) => {
    if (r.url().endsWith("/register/scan")) sent.push(r.postData() ?? "");
  };
  page.on("request", onRequest);
  try {
    await wedge(page, code, how);
    await eventually(() => lines(page), want, what, 3000);
  } catch (e) {
    const field = await page.getByTestId("barcode-input").inputValue();
    throw new Error(
      `${(e as Error).message}; scan requests sent: ${JSON.stringify(sent)}; scan field holds ${JSON.stringify(field)}; message ${JSON.stringify(await messageText(page))}`,
    );
  } finally {
    page.off("request", onRequest);
  }
  expect(await messageText(page)).toBe("");
}
const selectedLine = (page: Page) => page.locator("#lines tr.item.selected .item-name").allInnerTexts();

describe("keyboard and scanner", () => {
  test("F8 opens cash, Enter takes it, Enter on the receipt starts the next sale, whose first scan lands", async () => {
    const { page, problems } = await till(1);
    expect(await focusedTestId(page)).toBe("barcode-input");
    await wedge(page, codes.milk);
    await eventually(() => rowCount(page), 1, "rows after the first scan");
    await wedge(page, codes.bread);
    await eventually(() => rowCount(page), 2, "rows after the second scan");
    expect(await textOf(page, "total-due")).toBe("€4.68");

    // F8: the cash dialog, the amount due ready in the field
    await page.keyboard.press("F8");
    await eventually(() => dialogOpen(page), true, "cash dialog after F8");
    expect(await focusedTestId(page)).toBe("cash-received");
    expect(await page.getByTestId("cash-received").inputValue()).toBe("4.68");
    await page.keyboard.press("Enter");
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await textOf(page, "change-due")).toBe("€0.00");
    expect(await focusedTestId(page)).toBe("next-sale");
    await page.keyboard.press("Enter");
    await eventually(() => dialogClosed(page), true, "receipt closed by Enter");
    expect(await rowCount(page)).toBe(0);
    expect(await focusedTestId(page)).toBe("barcode-input");
    const first = salesIn(db()).filter((s) => s.register_id === registerIdOf(db(), 1));
    expect(first.map((s) => [s.status, s.total])).toEqual([["completed", 468]]);

    // the next customer's first item, scanned straight away
    await wedgeShows(page, codes.wine, [["Rioja Crianza 0.75 L", "1", "€12.99"]], "the next customer's first scan after the receipt");
    expect(problems()).toEqual([]);
  });

  test("after Esc closes a dialog, the scan field takes the next scan", async () => {
    const { page, problems } = await till(5);
    await wedge(page, codes.paper);
    await eventually(() => rowCount(page), 1, "rows after the first scan");
    await page.keyboard.press("F9");
    await eventually(() => dialogOpen(page), true, "card dialog after F9");
    await page.keyboard.press("Escape");
    await eventually(() => dialogClosed(page), true, "card dialog closed by Esc");
    expect(await focusedTestId(page)).toBe("barcode-input");
    await wedgeShows(
      page,
      codes.milk,
      [
        ["Daily Newspaper", "1", "€2.50"],
        ["Fresh Milk 1 L", "1", "€1.19"],
      ],
      "lines after a scan following Esc",
    );
    expect(problems()).toEqual([]);
  });

  test("F6 parks, F7 + Enter recalls, +/− change the selected line, ↑ picks another, Delete removes it", async () => {
    const { page, problems } = await till(6);
    await wedge(page, codes.wine);
    await eventually(() => rowCount(page), 1, "rows after scanning wine");
    await wedge(page, codes.paper);
    await eventually(() => rowCount(page), 2, "rows after scanning the paper");
    const parkedId = await page.locator("#lines").getAttribute("data-sale-id");
    await page.keyboard.press("F6");
    await eventually(() => rowCount(page), 0, "rows after F6");
    expect(await messageText(page)).toBe("Sale parked. Recall it from any register with F7.");
    expect(salesIn(db()).find((s) => s.id === parkedId)?.status).toBe("parked");
    await page.keyboard.press("F7");
    await eventually(() => dialogOpen(page), true, "recall dialog after F7");
    expect(await focusedTestId(page)).toBe("parked-sale");
    await page.keyboard.press("Enter");
    await eventually(
      () => lines(page),
      [
        ["Rioja Crianza 0.75 L", "1", "€12.99"],
        ["Daily Newspaper", "1", "€2.50"],
      ],
      "lines after recall by Enter",
    );
    await eventually(() => dialogClosed(page), true, "recall dialog closed");
    expect(await focusedTestId(page)).toBe("barcode-input");

    // the newest line is selected; + and − change it
    expect(await selectedLine(page)).toEqual(["Daily Newspaper"]);
    await page.keyboard.press("+");
    await eventually(() => lines(page).then((l) => l[1]), ["Daily Newspaper", "2", "€5.00"], "paper after +");
    await page.keyboard.press("+");
    await eventually(() => lines(page).then((l) => l[1]), ["Daily Newspaper", "3", "€7.50"], "paper after + +");
    await page.keyboard.press("-");
    await eventually(() => lines(page).then((l) => l[1]), ["Daily Newspaper", "2", "€5.00"], "paper after −");
    // the keys changed the line, not the scan field
    expect(await page.getByTestId("barcode-input").inputValue()).toBe("");

    // ↑ picks the wine; + then Delete act on it
    await page.keyboard.press("ArrowUp");
    await eventually(() => selectedLine(page), ["Rioja Crianza 0.75 L"], "selection after ↑");
    await page.keyboard.press("+");
    await eventually(() => lines(page).then((l) => l[0]), ["Rioja Crianza 0.75 L", "2", "€25.98"], "wine after +");
    expect(await selectedLine(page)).toEqual(["Rioja Crianza 0.75 L"]);
    await page.keyboard.press("Delete");
    await eventually(() => lines(page), [["Daily Newspaper", "2", "€5.00"]], "lines after Delete");
    expect(await textOf(page, "total-due")).toBe("€5.00");

    await page.keyboard.press("F8");
    await eventually(() => dialogOpen(page), true, "cash dialog after F8");
    await page.keyboard.press("Enter");
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    await page.keyboard.press("Enter");
    await eventually(() => dialogClosed(page), true, "receipt closed by Enter");
    const sale = salesIn(db()).find((s) => s.id === parkedId)!;
    expect([sale.status, sale.total, sale.register_id]).toEqual(["completed", 500, registerIdOf(db(), 6)]);
    expect(problems()).toEqual([]);
  });

  test("a scan typed while the focus is on the page background still adds the item", async () => {
    const { page, problems } = await till(2);
    await page.locator(".statusbar").click();
    expect(await focusedTestId(page)).toBe("BODY");
    await wedgeShows(page, codes.bread, [["Sourdough Bread 800 g", "1", "€3.49"]], "lines after a scan with the focus on the page", "typed");
    expect(await page.getByTestId("barcode-input").inputValue()).toBe("");
    expect(problems()).toEqual([]);
  });

  test("a scan typed into the search box goes onto the sale, and the search box keeps what the cashier typed", async () => {
    const { page, problems } = await till(3);
    const search = page.getByTestId("product-search");
    await search.click();
    await search.pressSequentially("sou", { delay: 60 }); // a person typing
    await eventually(() => page.getByTestId("search-result").count(), 1, "search results for 'sou'");
    await wedge(page, codes.milk);
    await eventually(() => lines(page), [["Fresh Milk 1 L", "1", "€1.19"]], "lines after a scan into the search box");
    expect(await search.inputValue()).toBe("sou");
    expect(await messageText(page)).toBe("");
    expect(problems()).toEqual([]);
  });

  test("a scan that arrives while the cash dialog is open closes it and adds the item", async () => {
    const { page, problems } = await till(4);
    await wedge(page, codes.paper);
    await eventually(() => rowCount(page), 1, "rows after the first scan");
    await page.getByTestId("cash-payment").click();
    await eventually(() => dialogOpen(page), true, "cash dialog");
    await wedge(page, codes.milk);
    await eventually(
      () => lines(page),
      [
        ["Daily Newspaper", "1", "€2.50"],
        ["Fresh Milk 1 L", "1", "€1.19"],
      ],
      "lines after a scan over the dialog",
    );
    await eventually(() => dialogClosed(page), true, "cash dialog closed by the scan");
    expect(await textOf(page, "total-due")).toBe("€3.69");
    // no payment was taken by the Enter that ended the scan
    const sale = salesIn(db()).find((s) => s.register_id === registerIdOf(db(), 4))!;
    expect(sale.status).toBe("open");
    expect(db().db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM sale_events WHERE sale_id = ? AND type = 'PaymentAdded'").get(sale.id)!.n).toBe(0);
    expect(problems()).toEqual([]);
  });

  test("F1–F12 are the register's, with or without a dialog open: the browser's own F-key actions never run", async () => {
    const { page, problems } = await till(7);
    // what the browser acts on after the page has had the key: a keydown nobody prevented
    await page.evaluate(() => {
      const seen: [string, boolean][] = [];
      (window as unknown as { fkeys: typeof seen }).fkeys = seen;
      window.addEventListener("keydown", (e) => {
        if (/^F\d+$/.test(e.key)) seen.push([e.key, e.defaultPrevented]);
      });
    });
    const fkeys = () => page.evaluate(() => (window as unknown as { fkeys: [string, boolean][] }).fkeys.splice(0));
    // on the bare register: F1 (help), which the register has no use for, and F3 (find, the product finder here)
    for (const key of ["F1", "F3"]) await page.keyboard.press(key);
    await page.getByTestId("barcode-input").focus();
    expect(await fkeys()).toEqual([
      ["F1", true],
      ["F3", true],
    ]);
    // with a dialog open: every one of them, F11 (fullscreen) and F12 (DevTools) too
    await wedge(page, codes.paper);
    await eventually(() => rowCount(page), 1, "rows after the scan");
    await page.keyboard.press("F8");
    await eventually(() => dialogOpen(page), true, "cash dialog");
    await fkeys(); // (the F8 that opened it)
    const all = ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F9", "F10", "F11", "F12"];
    for (const key of all) await page.keyboard.press(key);
    expect(await fkeys()).toEqual(all.map((k) => [k, true]));
    expect(await dialogOpen(page)).toBe(true);
    expect(problems()).toEqual([]);
  });
});
