// Store settings in Chromium as a manager changes them: a value the rules refuse is said beside its field with the
// cursor there and nothing saved; put right, the save says what changed and the register's top bar shows the new name.
// The form fits a back-office screen at lane and tablet widths, its Save button always on screen.
import { expect, test } from "bun:test";
import { expected422, focusedTestId, registerSuite, tablet, waitForRegister } from "./support.ts";

const suite = registerSuite();

test("a manager renames the store and changes the receipt footer; the register follows", async () => {
  const { page, problems } = await suite.till(5, { role: "manager", allow: [expected422] });
  await page.goto(`${suite.server.url}/settings`);
  expect(await page.getByTestId("setting-store_name").inputValue()).toBe("ShopFlow Store");

  await page.getByTestId("setting-store_name").fill("Corner Shop Müller");
  await page.getByTestId("setting-receipt_footer").fill("Danke!\nSee you soon");
  await page.getByTestId("setting-discount_limit").fill("150");
  await page.getByTestId("settings-save").click();
  await page.waitForLoadState();
  // refused beside its field, the cursor there, and what was typed still in the form
  expect(await page.getByTestId("settings-refused").innerText()).toStartWith("Not saved:");
  expect(await page.getByTestId("problem-discount_limit").innerText()).toBe("The discount limit is a percentage from 0 to 100, such as 10.");
  expect(await focusedTestId(page)).toBe("setting-discount_limit");
  expect(await page.getByTestId("setting-store_name").inputValue()).toBe("Corner Shop Müller");
  expect(suite.db().settings().storeName).toBe("ShopFlow Store");

  await page.getByTestId("setting-discount_limit").fill("15");
  await page.getByTestId("settings-save").click();
  await page.waitForLoadState();
  expect(await page.getByTestId("settings-saved").innerText()).toStartWith("Saved.");
  expect(await page.getByTestId("settings-change").allInnerTexts()).toEqual([
    "Store name: “ShopFlow Store” → “Corner Shop Müller”",
    "Receipt footer: “Thank you for shopping with us” → “Danke! / See you soon”",
    "Discount limit: 10 % → 15 %",
  ]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  await page.goto(`${suite.server.url}/`);
  await waitForRegister(page);
  expect(await page.locator(".topbar .store").innerText()).toBe("Corner Shop Müller");
  expect(suite.db().settings().receiptFooter).toEqual(["Danke!", "See you soon"]);
  expect(problems()).toEqual([]);
});

test("at tablet width the form is one page of panels with Save always in reach", async () => {
  const { page, problems } = await suite.till(6, { role: "manager", viewport: tablet });
  await page.goto(`${suite.server.url}/settings`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const save = await page.getByTestId("settings-save").boundingBox();
  expect(save).not.toBeNull();
  expect(save!.y + save!.height).toBeLessThanOrEqual(tablet.height);
  expect(problems()).toEqual([]);
});
