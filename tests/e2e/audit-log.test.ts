// The audit log in Chromium as a manager uses it: choose what and which day with the page's own controls (a select and
// the native date picker), and read the rows in words at a back-office screen's width.
import { expect, test } from "bun:test";
import { businessDate } from "../../src/domain/kernel/calendar.ts";
import { watchPage } from "../helpers/browser.ts";
import { signIn } from "../helpers/store.ts";
import { desktop, registerSuite, signedInContext } from "./support.ts";

/** A browser and the store, for every test of the file. */
const suite = registerSuite();

test("a manager filters by kind and by day with the date picker, and reads each row as a sentence", async () => {
  const { browser, server: shop } = suite;
  const { store, clock } = shop.store;
  const cashier = await signIn(store, 2, { name: "Chris Cashier" });
  const boss = await signIn(store, 9, { role: "manager", shift: false, name: "Maria Manager" });
  const who = { userId: cashier.userId, userName: cashier.userName, registerId: cashier.registerId, registerName: "Lane 2" };
  // yesterday €20.00 went out, today €5.00 came in (the store's days; the clock is the test's)
  clock.advance(-24 * 3600_000);
  store.shiftActions.moveCash(who, "out", 2000, "bank run", { id: boss.userId, name: boss.userName });
  clock.advance(24 * 3600_000);
  store.shiftActions.moveCash(who, "in", 500, "coins", null);

  const context = await signedInContext(browser, shop.url, boss, desktop);
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${shop.url}/audit`);
  const details = () => page.getByTestId("audit-detail").allInnerTexts();
  const cashOut = /^€20\.00 taken out of the drawer\.( The drawer was opened\.)?\nReason: “bank run”$/;
  expect((await details()).filter((d) => cashOut.test(d))).toHaveLength(1);

  await page.getByTestId("audit-action").selectOption({ label: "Cash in and out" });
  const yesterday = businessDate(new Date(clock.now().getTime() - 24 * 3600_000), store.settings().timeZone);
  await page.getByTestId("audit-from").fill(yesterday);
  await page.getByTestId("audit-to").fill(yesterday);
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/from=/);
  expect(new URL(page.url()).searchParams.get("from")).toBe(yesterday);
  expect(await details()).toEqual([expect.stringMatching(cashOut)]);
  expect(await page.getByTestId("audit-row").first().locator("td").nth(2).innerText()).toBe("Maria Manager");
  const [y, m, d] = yesterday.split("-");
  expect(await page.getByTestId("audit-summary").innerText()).toBe(`1 entry from ${d}/${m}/${y} to ${d}/${m}/${y} (store time).`);
  // the filter and the table fit a back-office screen: nothing runs off to the side
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(problems()).toEqual([]);
  await context.close();
});
