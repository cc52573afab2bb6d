// A person at head office in a real browser: signs in, changes a price for a time ahead, publishes the draft, and
// finds the release in the history — under the strict CSP, with no console error.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { type HqInBrowser, startHqInBrowser } from "./hq-browser-support.ts";

let at: HqInBrowser;

beforeAll(async () => {
  at = await startHqInBrowser({
    person: { name: "Carla", role: "catalog" },
    setup: async (hq) => {
      await publishRelease(
        hq.sql,
        {
          tax_classes: [{ code: "RED", name: "Reduced", rate_bp: 1000 }],
          products: [
            { sku: "MILK", barcode: "4000000000017", name: "Fresh Milk 1 L", price: 119, tax_class: "RED", category: "Dairy" },
            { sku: "BREAD", barcode: "4000000000024", name: "Sourdough 800 g", price: 349, tax_class: "RED", category: "Bakery" },
          ],
        },
        new Date(Date.now() - 60_000),
        "opening catalog",
        "test",
      );
    },
  });
}, 60_000);

afterAll(() => at?.close());

test("sign in, change a price from next Monday 06:00, publish, and see the release in the history", async () => {
  const { hq, url } = at;
  const { context, page, problems } = await at.open();
  try {
    await at.signIn(page, "/catalog"); // sent to sign in, and back where she was going
    expect(await page.getByTestId("signed-in-as").innerText()).toBe("Carla · catalog");

    // searching as she types narrows the list without leaving the page (htmx), then back to everything
    await page.getByTestId("catalog-search").pressSequentially("sourd");
    await page.locator('tr[data-sku="MILK"]').waitFor({ state: "detached" });
    expect(await page.locator('tr[data-sku="BREAD"]').isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/catalog");
    await page.getByTestId("catalog-search").fill("");
    await page.locator('tr[data-sku="MILK"]').waitFor();

    const milk = page.locator('tr[data-sku="MILK"]');
    await milk.getByTestId("quick-price").fill("1.29");
    await milk.getByTestId("quick-price-submit").click();
    await page.waitForURL(/\/catalog\?changed=MILK$/);
    expect(await milk.getByTestId("in-draft").innerText()).toBe("in draft: 1.29");

    await page.getByRole("link", { name: "Draft release", exact: true }).click();
    await page.waitForURL(`${url}/catalog/draft`);
    const row = page.locator('tr[data-change="product:MILK"]');
    expect(await row.locator("td.old").innerText()).toBe("1.19");
    expect(await row.locator("td.new").innerText()).toBe("1.29");
    // the page's script says which time zone the time is typed in
    expect(await page.locator('label[for="f-effective_at"] > span').innerText()).toContain("time; empty for now");

    // a week ahead at 06:00 in the browser's own time zone (the test runs in the same zone)
    const ahead = new Date(hq.clock.now().getTime() + 7 * 86_400_000);
    const local = `${ahead.getFullYear()}-${String(ahead.getMonth() + 1).padStart(2, "0")}-${String(ahead.getDate()).padStart(2, "0")}T06:00`;
    await page.getByTestId("effective_at-input").fill(local);
    await page.getByTestId("note-input").fill("Milk price from next week");
    await page.getByTestId("publish").click();
    await page.waitForURL(/\/catalog\/releases\?published=2$/);
    expect(await page.getByTestId("page-message").innerText()).toContain("Release 2 published");
    const release = page.locator('tr[data-version="2"]');
    const text = await release.innerText();
    expect(text).toContain("scheduled");
    expect(text).toContain("Carla");
    expect(text).toContain("Milk price from next week");

    const [r] = await hq.sql<{ effective_at: Date; changes: { products: { sku: string; price: number }[] } }[]>`
      SELECT effective_at, changes FROM catalog_releases WHERE version = 2`;
    expect(r!.effective_at.toISOString()).toBe(new Date(local).toISOString());
    expect(r!.changes.products).toEqual([expect.objectContaining({ sku: "MILK", price: 129 })]);
    expect((await hq.sql`SELECT 1 FROM catalog_draft_changes`).length).toBe(0);

    // the draft is empty now, and signing out ends it
    await page.getByRole("link", { name: "Draft release", exact: true }).click();
    expect(await page.getByTestId("draft-empty").isVisible()).toBe(true);
    await page.getByTestId("sign-out").click();
    await page.waitForURL(`${url}/login`);
    await page.goto(`${url}/catalog/releases`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(problems()).toEqual([]);
  } finally {
    await context.close();
  }
});
