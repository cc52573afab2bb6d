// Two new tokens for a store in one day: every replaced token keeps working until its own grace ends, so a store
// that has not yet typed the first new token still syncs after the second rotation; after the grace only the newest
// works, and the old ones get the same refusal as an unknown token. The store's page says how many old tokens still
// work and until when; a head office from before keeps the one old token it had in its grace. Real PostgreSQL through
// the real app, head office's test clock.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { STORE_ID_HEADER } from "../../src/sync/contracts.ts";
import { hqMigrations, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { storeForSyncToken, TOKEN_GRACE_HOURS } from "../../src/sync/hq/stores/rotate-token.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, ORIGIN, signedIn, startHq, type Visitor } from "./hq-support.ts";

let hq: Hq;
let admin: Visitor;

beforeAll(async () => {
  hq = await startHq();
  admin = await signedIn(hq, "Ana", "admin");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

/** What the store's server does every 30 s: pull the catalog with its token. */
const pull = (storeId: string, token: string) =>
  hq.app.request(`${ORIGIN}/sync/v1/catalog/changes?since=0`, {
    headers: { Authorization: `Bearer ${token}`, Host: "hq.test", [STORE_ID_HEADER]: storeId },
  });

/** The admin gives the store a new token on its page; the token the answer showed once. */
async function rotate(storeId: string): Promise<string> {
  await admin.page(`/stores/${storeId}`);
  const res = await admin.request("POST", `/stores/${storeId}/rotate-token`, { form: {} });
  expect(res.status).toBe(200);
  return /data-testid="token">([^<]+)</.exec(await res.text())![1]!;
}

const oldTokensLine = (html: string) => /data-testid="old-tokens">([^<]*)</.exec(html)?.[1] ?? null;

test("rotated twice within an hour: the first token still syncs; after the grace neither old one does, the newest does", async () => {
  const { storeId, token: first } = await addStore(hq.sql, "Mill Lane");
  expect((await pull(storeId, first)).status).toBe(200);

  const second = await rotate(storeId);
  hq.clock.advance(20 * 60_000);
  const third = await rotate(storeId);

  // the store never typed the second token: it goes on with the first, as well as with either new one
  for (const t of [first, second, third]) expect((await pull(storeId, t)).status).toBe(200);
  const page = (await admin.page(`/stores/${storeId}`)).html;
  expect(oldTokensLine(page)).toStartWith("2 old tokens still work: until ");

  // the first token's grace ends 20 minutes before the second's: 10 minutes into the gap
  hq.clock.advance(TOKEN_GRACE_HOURS * 3_600_000 - 10 * 60_000);
  const firstLate = await pull(storeId, first);
  expect(firstLate.status).toBe(401);
  expect(await errorCode(firstLate)).toBe("store_token_invalid");
  expect((await pull(storeId, second)).status).toBe(200);

  hq.clock.advance(3_600_000);
  for (const t of [first, second]) {
    const refused = await pull(storeId, t);
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe("store_token_invalid");
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("token is unknown");
  }
  expect((await pull(storeId, third)).status).toBe(200);

  // the clock moved past the admin's session: sign in again; no old token works now, and the page says none
  admin = await signedIn(hq, "Bea", "admin");
  expect(oldTokensLine((await admin.page(`/stores/${storeId}`)).html)).toBeNull();
});

test("the page names the one old token left and when it stops; a later rotation clears the ones past their grace", async () => {
  const { storeId, token: first } = await addStore(hq.sql, "Dock Road");
  admin = await signedIn(hq, "Cai", "admin");
  const second = await rotate(storeId);
  const line = oldTokensLine((await admin.page(`/stores/${storeId}`)).html);
  const until = new Date(hq.clock.now().getTime() + TOKEN_GRACE_HOURS * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
  expect(line).toStartWith("One old token still works, until ");
  expect(line).toContain(until);

  hq.clock.advance((TOKEN_GRACE_HOURS + 1) * 3_600_000);
  admin = await signedIn(hq, "Dee", "admin");
  const third = await rotate(storeId);
  const kept = await hq.sql<{ n: number }[]>`SELECT count(*)::int8 AS n FROM store_old_tokens WHERE store_id = ${storeId}::uuid`;
  expect(kept[0]!.n).toBe(1);
  expect((await pull(storeId, first)).status).toBe(401);
  expect((await pull(storeId, second)).status).toBe(200);
  expect((await pull(storeId, third)).status).toBe(200);
});

test("a head office from before: the token replaced there keeps its grace after migrating, and ends with it", async () => {
  await hq.sql`CREATE DATABASE hq_before_token_grace`;
  const old = openHq(hq.pg.url.replace(/\/postgres$/, "/hq_before_token_grace"), { max: 1 });
  try {
    await old.begin(async (tx) => {
      await tx`CREATE TABLE hq_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
      for (const m of hqMigrations.filter((m) => m.version <= 17)) {
        await tx.unsafe(m.sql);
        await tx`INSERT INTO hq_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      }
    });
    const { storeId, token } = await addStore(old, "Old Market");
    const now = new Date();
    const until = new Date(now.getTime() + 5 * 3_600_000);
    // a rotation as that head office made it: the replaced token in the store's row, the current one some other
    await old`UPDATE stores SET previous_token_hash = token_hash, previous_token_until = ${until}, token_hash = 'another', token_rotated_at = ${now}
      WHERE store_id = ${storeId}::uuid`;
    await migrateHq(old);
    expect(await storeForSyncToken(old, token, now)).toEqual({ storeId, retired: false });
    expect(await storeForSyncToken(old, token, new Date(until.getTime() + 1000))).toBeNull();
  } finally {
    await old.end({ timeout: 5 });
  }
});
