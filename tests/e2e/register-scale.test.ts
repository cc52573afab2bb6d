// Weighing at a register with a checkout scale, in real Chromium: the scale is the far end of a socat pty pair that
// answers "W" as a Toledo 8213 scale. A weighed item's own code opens the weight dialog, the dialog reads the scale
// and fills the weight, Enter adds it; when the scale cannot give a weight the cashier is told why and types it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { createApp } from "../../src/server/app.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { type FakeScale, openFakeScale, statusFrame, weightFrame } from "../helpers/fake-scale.ts";
import { ptyDeviceRules } from "../helpers/pty.ts";
import { codes, makeTestStore, type TestStore } from "../helpers/store.ts";
import { dialogClosed, dialogOpen, eventually, lines, openTill, rowCount, scan, type Till } from "./support.ts";

let t: TestStore;
let server: ReturnType<typeof Bun.serve>;
let url: string;
let browser: Browser;
beforeAll(async () => {
  // the store may open the pty socat makes (/dev/pts/N) as it would a scale's /dev/ttyUSB0
  t = makeTestStore({ deviceRules: ptyDeviceRules });
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createApp(t.store).fetch, idleTimeout: 60, development: false });
  url = `http://127.0.0.1:${server.port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop(true);
  t?.close();
});

let scale: FakeScale;
const opened: Till[] = [];
beforeEach(async () => {
  scale = await openFakeScale(weightFrame("00.742"));
});
afterEach(async () => {
  for (const till of opened.splice(0)) await till.context.close();
  await scale.close();
});

let laneNo = 0;
/** A lane with an open shift whose register weighs on the fake scale. */
async function laneWithScale(): Promise<Till> {
  const till = await openTill(browser, url, t.store, ++laneNo);
  opened.push(till);
  t.store.devices.setScale(
    { userId: null, userName: null, registerName: null },
    { registerId: till.cashier.registerId, path: scale.path, baud: 9600, framing: "7E1" },
  );
  return till;
}

const weightField = (till: Till) => till.page.locator("#weigh-kg");
const scaleLine = (till: Till) =>
  till.page
    .getByTestId("scale-reading")
    .evaluate((el) => ({ state: el.getAttribute("data-state"), text: (el.querySelector(".scale-said")?.textContent ?? "").replace(/\s+/g, " ").trim() }));
const focusedId = (till: Till) => till.page.evaluate(() => document.activeElement?.id ?? null);

describe("weighing with the register's scale", () => {
  test("the item's own code opens the weight dialog, it fills 0.742 from the scale, Enter adds 0.742 kg at €2.22", async () => {
    const till = await laneWithScale();
    const { page, problems } = till;
    // the first answer is a weight still moving: the dialog says so and asks again
    scale.answer(statusFrame({ motion: true }), weightFrame("00.742"));
    await scan(page, codes.apples);
    await eventually(() => dialogOpen(page), true, "weight dialog");
    expect(await rowCount(page)).toBe(0);
    await eventually(() => weightField(till).inputValue(), "0.742", "the weight from the scale");
    expect(await scaleLine(till)).toEqual({ state: "stable", text: "From the scale: 0.742 kg. Enter adds it." });
    expect(await till.page.getByTestId("scale-again").isVisible()).toBe(true);
    expect(scale.questions()).toBe(2);
    expect(await focusedId(till)).toBe("weigh-kg");
    await page.keyboard.press("Enter");
    await eventually(() => lines(page), [["Apples Braeburn (kg)", "0.742 kg", "€2.22"]], "the weighed line");
    await eventually(() => dialogClosed(page), true, "weight dialog closed");
    expect(problems()).toEqual([]);
  });

  test("a scale that does not answer: the cashier is told to type the weight, and what was typed meanwhile stays", async () => {
    const till = await laneWithScale();
    const { page, problems } = till;
    scale.answer(null);
    await scan(page, codes.apples);
    await weightField(till).waitFor({ state: "visible" });
    await page.keyboard.type("0.5");
    await eventually(async () => (await scaleLine(till)).state, "unavailable", "the scale's silence said");
    expect((await scaleLine(till)).text).toContain("did not answer");
    expect((await scaleLine(till)).text).toContain("Type the weight.");
    expect(await weightField(till).inputValue()).toBe("0.5");
    expect(await focusedId(till)).toBe("weigh-kg");
    await page.keyboard.press("Enter");
    await eventually(() => lines(page), [["Apples Braeburn (kg)", "0.500 kg", "€1.50"]], "the typed weight's line");
    expect(problems()).toEqual([]);
  });

  test("below zero, then 'Read the scale again' once emptied and loaded: the weight is filled and Enter adds it", async () => {
    const till = await laneWithScale();
    const { page, problems } = till;
    scale.answer(statusFrame({ underZero: true }));
    await scan(page, codes.apples);
    await eventually(async () => (await scaleLine(till)).state, "problem", "below zero said");
    expect((await scaleLine(till)).text).toContain("below zero");
    expect(await weightField(till).inputValue()).toBe("");

    scale.answer(weightFrame("01.250"));
    await page.getByTestId("scale-again").click();
    await eventually(() => weightField(till).inputValue(), "1.250", "the weight read again");
    expect(await focusedId(till)).toBe("weigh-kg");
    await page.keyboard.press("Enter");
    await eventually(() => lines(page), [["Apples Braeburn (kg)", "1.250 kg", "€3.74"]], "the weighed line");
    expect(problems()).toEqual([]);
  });
});
