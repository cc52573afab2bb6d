// The overview in money: the chain's day beside the same weekday a week earlier, the fortnight's net per day, each
// store's day, worst first on request, and what needs attention — checked against what the stores sent. A day that is
// not a day is refused with a sentence.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { formatMoney } from "../../src/domain/kernel/money.ts";
import { deadLetterBody, keptLabel } from "../../src/sync/hq/ingest/dead-letter.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { payloadHash } from "../../src/sync/hq/ingest/sale-item.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { batch, type Doc, item, returnDoc, saleDoc, sha256 } from "./support.ts";

const DAY = "2026-11-25"; // a Wednesday: head office's today
const WEEK_BEFORE = "2026-11-18";
const FIRST = "2026-11-12"; // the chart's first day
const NOW = new Date(`${DAY}T12:00:00.000Z`);

let hq: Hq;
let viewer: Visitor;
const ids: Record<string, string> = {};
const sold: Record<string, Doc[]> = {};
let refunded = 0;

const money = (x: number) => formatMoney(x, "EUR");
const sum = (docs: Doc[]) => docs.reduce((s, d) => s + d.total, 0);
const onDay = (name: string, day: string) => sold[name]!.filter((s) => s.completed_at!.startsWith(day));

async function send(storeId: string, list: BatchItem[], from = list[0]!.seq) {
  const r = await receiveBatch(hq.sql, storeId, batch(storeId, "E1", list, from));
  expect(r.status).toBe(200);
}

/** The store's own totals of a day, saying it sold one sale more than it sent: a difference reconciliation finds. */
function wrongDayTotals(seq: number, day: string, docs: Doc[]): BatchItem {
  const payload = JSON.stringify({
    by_method: {},
    tax_minor: 0,
    computed_at: `${day}T18:00:00.000Z`,
    sales_count: docs.length + 1,
    total_minor: sum(docs),
    refund_minor: 0,
    business_date: day,
    returns_count: 0,
    discount_minor: 0,
    rounding_minor: 0,
  });
  return { seq, kind: "day_totals", ref: day, hash: sha256(payload), payload };
}

beforeAll(async () => {
  hq = await startHq();
  hq.clock.current = NOW;
  for (const name of ["North", "South", "Silent", "Behind", "Held", "Cloned"]) ids[name] = (await addStore(hq.sql, name)).storeId;

  // North sells on the day and a week before, refunds one line today, and says its day had one sale more
  sold.North = [
    saleDoc(1, { day: DAY }),
    saleDoc(2, { day: DAY }),
    saleDoc(3, { day: DAY }),
    saleDoc(4, { day: WEEK_BEFORE }),
    saleDoc(5, { day: WEEK_BEFORE }),
  ];
  const back = returnDoc(sold.North[0]!, 1, { day: DAY });
  refunded = back.total;
  await send(ids.North!, [...sold.North.map((s, i) => item(i + 1, s)), item(6, back, "return"), wrongDayTotals(7, DAY, onDay("North", DAY))]);

  // South sells one big sale on the day and a return head office set aside (a dead letter)
  sold.South = [saleDoc(6, { day: DAY, lines: 12 }), saleDoc(7, { day: FIRST })];
  await send(ids.South!, [item(1, sold.South[0]!), item(2, sold.South[1]!)]);
  const it = item(3, returnDoc(sold.South[0]!, 2), "return");
  const hash = payloadHash(it.payload);
  const refused = { ref: keptLabel(it.ref), seq: 3, body: deadLetterBody(it, hash), hash, kind: "return", reason: 'unknown kind "return"' };
  await hq.sql`SELECT hq_receive_batch(${ids.South!}::uuid, 'E1', 3, 3, ${JSON.stringify([refused])}::text::jsonb, ''::text, '{}'::jsonb)`;

  // Silent was last heard from 40 minutes ago; the others a moment ago
  await hq.sql`UPDATE stores SET last_contact_at = ${new Date(NOW.getTime() - 60_000)} WHERE name <> 'Silent'`;
  await hq.sql`UPDATE stores SET last_contact_at = ${new Date(NOW.getTime() - 40 * 60_000)} WHERE name = 'Silent'`;

  // three releases: Behind applied the first only; Held applied two and holds the third for its effective time
  for (const v of [1, 2, 3]) {
    await hq.sql`INSERT INTO catalog_releases (version, effective_at, changes) VALUES (${v}, ${NOW}, '{}'::jsonb)`;
  }
  await hq.sql`UPDATE stores SET catalog_version = 3 WHERE name NOT IN ('Behind', 'Held')`;
  await hq.sql`UPDATE stores SET catalog_version = 1 WHERE name = 'Behind'`;
  await hq.sql`UPDATE stores SET catalog_version = 2, catalog_pending = '{3}' WHERE name = 'Held'`;

  // another machine used Cloned's id and token an hour ago
  await hq.sql`UPDATE stores SET installation_id = 'inst-real' WHERE name = 'Cloned'`;
  await hq.sql`INSERT INTO store_clones (store_id, installation_id, first_seen_at, last_seen_at)
    VALUES (${ids.Cloned!}::uuid, 'inst-copy', ${new Date(NOW.getTime() - 3_600_000)}, ${new Date(NOW.getTime() - 3_600_000)})`;

  viewer = await signedIn(hq, "Vera", "viewer");
}, 60_000);

afterAll(async () => {
  await hq?.close();
});

/** The text of the element carrying data-testid="`id`" inside `html`, tags stripped. */
function textOf(html: string, id: string): string {
  const at = html.indexOf(`data-testid="${id}"`);
  expect(at).toBeGreaterThan(-1);
  const start = html.indexOf(">", at) + 1;
  return html
    .slice(start, html.indexOf("</div>", start))
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const rowOf = (html: string, storeId: string) => new RegExp(`<tr data-store-id="${storeId}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";

describe("the chain's day", () => {
  test("sales, refunds, net, number of sales and average basket, beside the same weekday a week earlier", async () => {
    const { res, html } = await viewer.page("/");
    expect(res.status).toBe(200);
    const gross = sum(onDay("North", DAY)) + sum(onDay("South", DAY));
    const before = sum(onDay("North", WEEK_BEFORE));
    const pct = (now: number, was: number) => `${now > was ? "+" : "−"}${((Math.abs(now - was) * 100) / was).toFixed(1)} %`;
    expect(textOf(html, "chain-sales")).toBe(`Sales ${money(gross)} ${pct(gross, before)} vs Wed 18/11/2026: ${money(before)}`);
    expect(textOf(html, "chain-refunds")).toBe(`Refunds ${money(refunded)} new vs Wed 18/11/2026: ${money(0)}`);
    expect(textOf(html, "chain-net")).toContain(`Net ${money(gross - refunded)} ${pct(gross - refunded, before)}`);
    expect(textOf(html, "chain-count")).toBe("Number of sales 4 +100.0 % vs Wed 18/11/2026: 2");
    expect(textOf(html, "chain-basket")).toContain(`Average basket ${money(Math.round(gross / 4))}`);
    expect(textOf(html, "chain-basket")).toContain(`: ${money(Math.round(before / 2))}`);
    expect(html).not.toMatch(/<script>|\sstyle=/);
  });

  test("the chart has the fortnight's net per day, the chosen day last, each bar opening its day", async () => {
    const { html } = await viewer.page("/");
    const bars = [...html.matchAll(/<a href="\/\?day=([\d-]+)" data-day="([\d-]+)" data-net="(-?\d+)">/g)].map((m) => [m[2], Number(m[3])]);
    expect(bars).toHaveLength(14);
    expect(bars[0]![0]).toBe(FIRST);
    expect(bars[13]![0]).toBe(DAY);
    const net = Object.fromEntries(bars);
    expect(net[DAY]).toBe(sum(onDay("North", DAY)) + sum(onDay("South", DAY)) - refunded);
    expect(net[WEEK_BEFORE]).toBe(sum(onDay("North", WEEK_BEFORE)));
    expect(net[FIRST]).toBe(sum(onDay("South", FIRST)));
    expect(net["2026-11-20"]).toBe(0);
  });

  test("another day is chosen with ?day=, and compared with its own week before", async () => {
    const { res, html } = await viewer.page(`/?day=${WEEK_BEFORE}`);
    expect(res.status).toBe(200);
    const before = sum(onDay("North", WEEK_BEFORE));
    expect(textOf(html, "chain-sales")).toBe(`Sales ${money(before)} new vs Wed 11/11/2026: ${money(0)}`);
    expect(rowOf(html, ids.North!)).toContain(`data-testid="net-today">${money(before)}<`);
    expect(rowOf(html, ids.South!)).toContain(`data-testid="net-today">${money(0)}<`);
    expect(html).toContain(`value="${WEEK_BEFORE}"`);
  });
});

describe("the stores", () => {
  test("each store's day in money, online or offline, short ids with the whole one on hover", async () => {
    const { html } = await viewer.page("/");
    const north = rowOf(html, ids.North!);
    expect(north).toContain(`data-testid="gross-today">${money(sum(onDay("North", DAY)))}<`);
    expect(north).toContain(`data-testid="refunds-today">${money(refunded)}<`);
    expect(north).toContain(`data-testid="net-today">${money(sum(onDay("North", DAY)) - refunded)}<`);
    expect(north).toContain('<span class="pill ok">online</span>');
    expect(north).toContain(`<code class="store-id" title="${ids.North}">${ids.North!.slice(0, 8)}…${ids.North!.slice(-4)}</code>`);
    expect(rowOf(html, ids.Silent!)).toContain('<span class="pill bad">offline</span>');
    expect(html).toContain("5 of 6 online");
  });

  test("worst first: the lowest net of the day at the top, by name otherwise", async () => {
    const order = (html: string) => [...html.matchAll(/<tr data-store-id="([^"]+)">/g)].map((m) => Object.keys(ids).find((n) => ids[n] === m[1]));
    expect(order((await viewer.page("/")).html)).toEqual(["Behind", "Cloned", "Held", "North", "Silent", "South"]);
    const worst = order((await viewer.page("/?sort=worst")).html);
    expect(worst.slice(0, 4)).toEqual(["Behind", "Cloned", "Held", "Silent"]); // nothing sold: net 0, by name
    const northNet = sum(onDay("North", DAY)) - refunded;
    expect(worst.slice(4)).toEqual(northNet < sum(onDay("South", DAY)) ? ["North", "South"] : ["South", "North"]);
  });
});

describe("needs attention", () => {
  test("lists the clone, the silent store with how long, the dead letter, the difference and the old catalog — not a held release", async () => {
    const { html } = await viewer.page("/");
    const items = [...html.matchAll(/<li data-kind="(\w+)" data-store="([^"]+)" data-testid="attention-item">([\s\S]*?)<\/li>/g)].map((m) => ({
      kind: m[1],
      store: Object.keys(ids).find((n) => ids[n] === m[2]),
      text: m[3]!.replace(/<[^>]+>/g, "").replace(/\s+/g, " "),
    }));
    expect(items.map((i) => [i.kind, i.store])).toEqual([
      ["clone", "Cloned"],
      ["silent", "Silent"],
      ["dead_letters", "South"],
      ["reconciliation", "North"],
      ["catalog", "Behind"],
    ]);
    expect(items[1]!.text).toContain("not heard from for 40 min");
    expect(items[2]!.text).toContain("1 item set aside");
    expect(items[3]!.text).toContain("differ on 25/11/2026");
    expect(items[4]!.text).toContain("on catalog version 1, 2 releases behind");
    expect(html).toContain(`href="/dead-letters?store=${ids.South}" data-testid="attention-dead-letters"`);
    expect(html).toMatch(/data-testid="dead-letters">1</);
  });
});

describe("a day that is not a day", () => {
  for (const bad of ["2026-02-30", "yesterday", "2026-13-01", "25/11/2026", "1999-12-31"]) {
    test(`?day=${bad} is refused with a sentence, nothing else shown`, async () => {
      const { res, html } = await viewer.page(`/?day=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(await errorCode(new Response(html))).toBe("invalid_period");
      expect(html).toContain("Choose a business day as year-month-day between 2000 and 2199, like 2026-11-25");
      expect(html).not.toContain('data-testid="chain-totals"');
    });
  }

  test("an order the page does not know is refused too", async () => {
    const { res, html } = await viewer.page("/?sort=best");
    expect(res.status).toBe(400);
    expect(html).toContain("by name or worst day first");
  });
});
