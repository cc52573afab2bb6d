// The shift's dialogs and pages as a cashier and a manager meet them (issue 12, items 6 and 8): cash in and out
// confirmed on screen and the drawer kicked through the register's printer; the Shift dialog with no empty band on top;
// the X report with its own header, close button and every figure inside the dialog at lane and tablet sizes; a way
// back from the close-shift page with the shift still open; and a drawer short or over said in words, never "Short −€3.32".
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { decodeEscPos } from "../../src/hardware/virtual/escpos-decoder.ts";
import type { Shop } from "../../src/server/compose.ts";
import { codes } from "../helpers/store.ts";
import {
  approveAs,
  auditOf,
  desktop,
  dialogClosed,
  dialogOpen,
  ensureManager,
  eventually,
  registerIdOf,
  registerSuite,
  scanAndWait,
  tablet,
  textOf,
  waitForRegister,
} from "./support.ts";

const suite = registerSuite();

/** The sign-in and shift pages start register.js, whose wire() expects the register's <dialog> (see shift.test.ts). */
const wireWithoutDialog = /^pageerror: TypeError: Cannot read properties of null \(reading 'addEventListener'\)\s+at wire \(/;

async function openShiftDialog(page: Page): Promise<void> {
  await page.getByTestId("shift-button").click();
  await eventually(() => dialogOpen(page), true, "shift dialog open after the Shift button");
  await page.getByTestId("shift-dialog").waitFor({ state: "visible" });
}

/** Cash in or out from the Shift dialog; the status of the answer. */
async function moveCash(page: Page, kind: "in" | "out", amount: string, reason: string, approver?: { name: string; pin: string }): Promise<number> {
  await page.locator(`#dialog input[name=kind][value=${kind}]`).check();
  await page.getByTestId("cash-move-amount").fill(amount);
  await page.getByTestId("cash-move-reason").fill(reason);
  if (approver) await approveAs(page.locator("#dialog"), approver);
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/shift/cash");
  await page.getByTestId("cash-move-submit").click();
  return (await answered).status();
}

/** One sale of milk, bread and wine (two tax rates), paid with the exact cash. */
async function sellCash(page: Page): Promise<void> {
  for (const [i, code] of [codes.milk, codes.bread, codes.wine].entries()) await scanAndWait(page, code, i + 1);
  await page.getByTestId("cash-payment").click();
  await page.getByTestId("cash-received").waitFor({ state: "visible" });
  await page.getByTestId("complete-sale").click();
  await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
  await page.getByTestId("next-sale").click();
  await eventually(() => dialogClosed(page), true, "receipt closed");
}

type PrintedJob = { id: number; state: string; bytes: Uint8Array | null };

/** The print jobs of `kind` that `who` asked for, with the bytes the register's (virtual) printer received for each. */
function printedFor(store: Shop, kind: "drawer" | "report", who: string): PrintedJob[] {
  return store.db
    .query<{ id: number; state: string; bytes: Uint8Array | null }, [string, string]>(
      `SELECT j.id, j.state, v.bytes FROM print_jobs j LEFT JOIN virtual_prints v ON v.job_id = j.id
       WHERE j.kind = ? AND j.requested_by = ? ORDER BY j.id`,
    )
    .all(kind, who);
}

/** What the printer did with a job's bytes: the lines it printed and whether it pulsed the drawer. */
function onPaper(bytes: Uint8Array): { lines: string[]; pulses: number } {
  const d = decodeEscPos(bytes);
  return { lines: d.lines.map((l) => l.trim()).filter((l) => l !== ""), pulses: d.events.filter((e) => e.type === "pulse").length };
}

describe("cash in and out", () => {
  test("each is confirmed in the dialog and opens the drawer through the register's printer, the kick logged with the movement", async () => {
    const store = suite.db();
    const boss = await ensureManager(store);
    const { page, problems, cashier } = await suite.till(21);
    await openShiftDialog(page);

    expect(await moveCash(page, "out", "20", "to the safe", boss)).toBe(200);
    await eventually(() => textOf(page, "cash-move-done"), "€20.00 paid out — drawer opened, logged.", "confirmation of the cash out");
    // the kick reached the printer: a pulse and nothing on paper
    await eventually(() => printedFor(store, "drawer", cashier.userName).map((j) => j.state), ["printed"], "drawer job after the cash out");
    const [out] = printedFor(store, "drawer", cashier.userName);
    expect(onPaper(out!.bytes!)).toEqual({ lines: [], pulses: 1 });
    // the audit row of the cash out names the kick that opened the drawer for it
    expect(
      auditOf(store, "cash.out")
        .filter((r) => r.user === cashier.userName)
        .map((r) => JSON.parse(r.detail)),
    ).toEqual([{ amount: 2000, reason: "to the safe", drawerJob: out!.id }]);

    // the form is ready for the next one, its PIN empty again; cash in opens the drawer too, so a manager approves it
    expect(await page.getByTestId("cash-move-amount").inputValue()).toBe("");
    expect(await page.locator("#dialog").getByTestId("manager-pin").inputValue()).toBe("");
    expect(await moveCash(page, "in", "5.50", "coins from the bank", boss)).toBe(200);
    await eventually(() => textOf(page, "cash-move-done"), "€5.50 paid in — drawer opened, logged.", "confirmation of the cash in");
    await eventually(() => printedFor(store, "drawer", cashier.userName).map((j) => j.state), ["printed", "printed"], "drawer jobs after the cash in");
    expect(onPaper(printedFor(store, "drawer", cashier.userName)[1]!.bytes!)).toEqual({ lines: [], pulses: 1 });
    expect(problems()).toEqual([]);
  });

  test("the Shift dialog has no empty band above its form, and a refusal shows where the confirmation would", async () => {
    const { page, problems } = await suite.till(22, { allow: [/status of 403/] });
    await openShiftDialog(page);
    const gap = await page.evaluate(() => {
      const head = document.querySelector("#dialog .dialog-head")!.getBoundingClientRect();
      const form = document.querySelector("#dialog form[hx-post='/shift/cash']")!.getBoundingClientRect();
      return form.top - head.bottom;
    });
    // the dialog's own gap between its parts (12 px), not a band of an empty message line
    expect(gap).toBeLessThanOrEqual(16);

    expect(await moveCash(page, "out", "10", "to the safe")).toBe(403);
    await eventually(
      () => textOf(page, "shift-message"),
      "Taking cash out needs a manager's approval: a manager types their PIN.",
      "the refusal in the Shift dialog",
    );
    expect(await page.getByTestId("cash-move-done").count()).toBe(0);
    expect(problems()).toEqual([]);
  });
});

describe("the X report dialog", () => {
  for (const [size, viewport, lane] of [
    ["1366×768", desktop, 23],
    ["1024×768", tablet, 24],
  ] as const) {
    test(`at ${size}: its own header with a close button, every figure inside the dialog's box, and the close button closes it`, async () => {
      const { page, problems } = await suite.till(lane, { viewport, role: "manager" });
      await sellCash(page);
      await openShiftDialog(page);
      expect(await moveCash(page, "out", "20", "to the safe")).toBe(200); // a manager's own cash out needs no other PIN

      await page.getByTestId("x-report").click();
      await eventually(() => page.getByTestId("report-x").locator("h2").innerText(), "X report — nothing reset", "X report in the dialog");
      const box = await page.evaluate(() => {
        const dialog = document.getElementById("dialog")!.getBoundingClientRect();
        const figures = Array.from(document.querySelectorAll("#dialog [data-testid=report-x] dd")).map((dd) => {
          const r = dd.getBoundingClientRect();
          return { text: dd.textContent ?? "", left: r.left, right: r.right, top: r.top, bottom: r.bottom, clipped: dd.scrollWidth > dd.clientWidth };
        });
        return { dialog: { left: dialog.left, right: dialog.right, top: dialog.top, bottom: dialog.bottom }, figures };
      });
      expect(box.figures.length).toBe(14); // the sales, returns, taxes at two rates, cash takings, the float and the cash that moved
      const outside = box.figures
        .filter(
          (f) =>
            f.clipped ||
            f.left < box.dialog.left + 12 ||
            f.right > box.dialog.right - 12 ||
            f.top < box.dialog.top ||
            f.bottom > box.dialog.bottom ||
            f.bottom > viewport.height,
        )
        .map((f) => f.text);
      expect({ size, outside }).toEqual({ size, outside: [] });
      expect(await textOf(page, "report-expected")).toBe("€97.67"); // 100.00 float + 17.67 cash sale − 20.00 out

      const close = page.getByTestId("report-x").locator(".dialog-head [data-close-dialog]");
      expect(await close.isVisible()).toBe(true);
      await close.click();
      await eventually(() => dialogClosed(page), true, "X report closed by its close button");
      await waitForRegister(page);
      expect(problems()).toEqual([]);
    });
  }

  test("← Shift goes back to the Shift dialog", async () => {
    const { page, problems } = await suite.till(25);
    await openShiftDialog(page);
    await page.getByTestId("x-report").click();
    await page.getByTestId("report-x").waitFor({ state: "visible" });
    await page.getByTestId("back-to-shift").click();
    await page.getByTestId("cash-move-amount").waitFor({ state: "visible" });
    expect(await dialogOpen(page)).toBe(true);
    expect(problems()).toEqual([]);
  });
});

describe("closing a shift", () => {
  test("the count page has a way back to the register, and the shift stays open", async () => {
    const store = suite.db();
    const { page, problems } = await suite.till(26, { allow: [wireWithoutDialog] });
    const shift = store.shifts.current(registerIdOf(store, 26))!;
    await openShiftDialog(page);
    await page.getByTestId("close-shift").click();
    await page.getByTestId("counted-input").waitFor({ state: "visible" });

    const back = page.getByRole("link", { name: "Back to the register" });
    expect(await back.isVisible()).toBe(true);
    await back.click();
    await eventually(() => new URL(page.url()).pathname, "/", "page after Back to the register");
    await waitForRegister(page);
    expect(store.shifts.current(registerIdOf(store, 26))).toEqual(shift);
    expect(auditOf(store, "shift.closed").filter((r) => r.register === "Lane 26")).toEqual([]);
    expect(problems()).toEqual([]);
  });

  for (const [word, counted, lane, amount, printed] of [
    ["Short", "96.68", 27, "€3.32", "3.32"],
    ["Over", "101.00", 28, "€1.00", "1.00"],
    ["Balanced", "100.00", 29, "€0.00", "0.00"],
  ] as const) {
    test(`a drawer counted at ${counted} of 100.00 reads "${word} ${amount}" on the screen and on the printed Z report, with no minus`, async () => {
      const store = suite.db();
      const { page, problems, cashier } = await suite.till(lane, { role: "manager", allow: [wireWithoutDialog] });
      await page.goto(`${suite.server.url}/shift/close`);
      await page.getByTestId("counted-input").fill(counted);
      await page.getByTestId("close-submit").click();
      await page.getByTestId("report-z").waitFor({ state: "visible" });

      const figure = page.getByTestId("report-over-short");
      expect([(await figure.locator("xpath=../dt").innerText()).trim(), (await figure.innerText()).trim()]).toEqual([word, amount]);
      expect(await figure.locator("xpath=..").innerText()).not.toMatch(/[-−]/);

      await eventually(() => printedFor(store, "report", cashier.userName).map((j) => j.state), ["printed"], "the Z report printed");
      const { lines } = onPaper(printedFor(store, "report", cashier.userName)[0]!.bytes!);
      expect(lines.filter((l) => /^(Short|Over|Balanced)\b/.test(l)).map((l) => l.split(/ +/))).toEqual([[word, printed]]);
      expect(problems()).toEqual([]);
    });
  }
});
