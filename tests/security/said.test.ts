// No page shows a sentence a crafted link chose. After a change, the store's and head office's pages redirect to
// themselves with ?said=<sentence> and show it; a link someone else made (?said=Your password expired, call …) shows
// nothing, on each of those pages, and neither does a real sentence changed, moved to another page, too old, or signed
// by another process. The real flows still show their sentence. A real store on SQLite, a real head office on
// PostgreSQL, both in-process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { SAID_MINUTES, saidLocation, saidOf } from "../../src/server/platform/http/said.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore, type RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { makeTestStore, signIn, TestClock, type TestStore } from "../helpers/store.ts";
import { type Hq, signedIn, startHq, type Visitor } from "../sync/hq-support.ts";
import { batch, item, saleDoc } from "../sync/support.ts";
import { type Browser, browserOf, send } from "./support.ts";

const LIE = "Your password expired, call 0800 123 456 to keep your account";
const crafted = (path: string) => `${path}?said=${encodeURIComponent(LIE)}`;
/** The page as the person reads it: what JSX escaped, back as typed. */
const shown = async (res: Response) => (await res.text()).replaceAll("&#39;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");

describe("the signed sentence itself (said.ts)", () => {
  const clock = new TestClock();
  const app = new Hono();
  app.get("*", (c) => c.text(saidOf(c, clock.now(), 40) ?? "(nothing)"));
  const at = async (location: string) => (await app.request(location)).text();
  const real = () => saidLocation("/devices", "Printer Back added.", clock.now());

  test("what this process signed for the page shows; a crafted one, alone or with a made-up signature, does not", async () => {
    expect(await at(real())).toBe("Printer Back added.");
    expect(await at(crafted("/devices"))).toBe("(nothing)");
    expect(await at(`${crafted("/devices")}&said_sig=${clock.now().getTime().toString(36)}.AAAA`)).toBe("(nothing)");
    expect(await at(`${crafted("/devices")}&said_sig=`)).toBe("(nothing)");
  });

  test("a real signature with other words, or on another page, shows nothing", async () => {
    const sig = new URL(real(), "http://x").searchParams.get("said_sig")!;
    expect(await at(`${crafted("/devices")}&said_sig=${sig}`)).toBe("(nothing)");
    expect(await at(real().replace("/devices", "/dead-letters/1"))).toBe("(nothing)");
  });

  test(`shown for ${SAID_MINUTES} minutes after the redirect, then not; the page's length limit still holds`, async () => {
    const location = real();
    clock.advance(SAID_MINUTES * 60_000);
    expect(await at(location)).toBe("Printer Back added.");
    clock.advance(1000);
    expect(await at(location)).toBe("(nothing)");
    expect(await at(saidLocation("/devices", "x".repeat(100), clock.now()))).toBe("x".repeat(40));
  });

  test("a sentence another process signed (a restart, a second head office) is not shown", async () => {
    const child = Bun.spawnSync([
      process.execPath,
      "-e",
      `const { saidLocation } = await import(${JSON.stringify(`${import.meta.dir}/../../src/server/platform/http/said.ts`)});
       console.log(saidLocation("/devices", "Printer Back added.", new Date(${clock.now().getTime()})));`,
    ]);
    const location = child.stdout.toString().trim();
    expect(location).toStartWith("/devices?said=");
    expect(await at(location)).toBe("(nothing)");
  });
});

describe("the store's Devices page", () => {
  let t: TestStore;
  let manager: Browser;
  beforeAll(async () => {
    t = makeTestStore();
    manager = browserOf(await signIn(t.store, 9, { role: "manager", shift: false }));
  });
  afterAll(async () => {
    await t.store.printing.worker.stop();
    t.close();
  });

  test("a crafted ?said= shows nothing of it", async () => {
    const res = await send(t, "GET", crafted("/devices"), { browser: manager });
    expect(res.status).toBe(200);
    expect(await shown(res)).not.toContain("0800 123 456");
  });

  test("adding a printer, then following the redirect, shows its sentence", async () => {
    const form = { name: "Back", kind: "virtual", language: "esc-pos", paper_mm: "80", codepage: "auto", drawer_pin: "2" };
    const res = await send(t, "POST", "/devices/printers", { browser: manager, form });
    expect(res.status).toBe(303);
    const page = await send(t, "GET", res.headers.get("Location")!, { browser: manager });
    expect(await shown(page)).toContain("Printer Back added.");
  });
});

describe("head office's pages", () => {
  let hq: Hq;
  let admin: Visitor;
  let store: RegisteredStore;
  beforeAll(async () => {
    hq = await startHq();
    admin = await signedIn(hq, "Ada", "admin");
    store = await addStore(hq.sql, "North Street");
  }, 60_000);
  afterAll(async () => {
    await hq?.close();
  });

  /** A crafted link to `path` answers 200 and shows nothing of its ?said=. */
  const showsNothing = async (path: string) => {
    const res = await admin.request("GET", crafted(path));
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(await shown(res)).not.toContain("0800 123 456");
  };
  /** A form posted, its redirect followed: the page it lands on. */
  const postThenFollow = async (path: string, form: Record<string, string>) => {
    const res = await admin.request("POST", path, { form });
    expect({ path, status: res.status }).toEqual({ path, status: 303 });
    return admin.page(res.headers.get("Location")!);
  };

  test("the overview: a crafted ?said= shows nothing; a refused acceptance of a restored database says why", async () => {
    await showsNothing("/");
    const { html } = await postThenFollow(`/stores/${store.storeId}/accept-epoch`, { epoch: "E2" });
    expect(await shown(new Response(html))).toContain("Not accepted: tick the box to say the store's database was restored on purpose.");
  });

  test("a store's page: a crafted ?said= shows nothing; a rename says what it did", async () => {
    await showsNothing(`/stores/${store.storeId}`);
    const { html } = await postThenFollow(`/stores/${store.storeId}/rename`, { name: "North Street Two" });
    expect(html).toContain("Renamed from North Street to North Street Two.");
  });

  test("a real sentence of a store's page, moved onto the overview, shows nothing there", async () => {
    const res = await admin.request("POST", `/stores/${store.storeId}/rename`, { form: { name: "North Street Three" } });
    const moved = res.headers.get("Location")!.replace(`/stores/${store.storeId}`, "/");
    expect(moved).toStartWith("/?said=");
    expect(await shown(await admin.request("GET", moved))).not.toContain("Renamed from");
  });

  test("a store's backups: a crafted ?said= shows nothing; new limits are said", async () => {
    await showsNothing(`/stores/${store.storeId}/backups`);
    const { html } = await postThenFollow(`/stores/${store.storeId}/backups/limits`, { copies_kept: "4", max_mb: "50" });
    expect(html).toContain("Limits saved: 4 copies kept per store, each at most 50 MB.");
  });

  test("a dead letter: a crafted ?said= shows nothing; discarding it is said", async () => {
    const sent = await receiveBatch(hq.sql, store.storeId, batch(store.storeId, "E1", [item(1, saleDoc(1), "nonsense")]));
    expect(sent.status).toBe(200);
    const [dl] = await hq.sql<{ id: number }[]>`SELECT id FROM dead_letters WHERE store_id = ${store.storeId}::uuid`;
    await showsNothing(`/dead-letters/${dl!.id}`);
    await admin.page(`/dead-letters/${dl!.id}`);
    const { html } = await postThenFollow(`/dead-letters/${dl!.id}/discard`, { reason: "a test item, never a sale" });
    expect(html).toContain("Discarded: the dead letter stays on record with your reason.");
  });

  test("a person's page: a crafted ?said= shows nothing; a change of role is said on its answer", async () => {
    await signedIn(hq, "Vera", "viewer");
    const [vera] = await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Vera'`;
    await showsNothing(`/users/${vera!.id}`);
    const res = await admin.request("POST", `/users/${vera!.id}/role`, { form: { role: "catalog" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Vera is now a catalog.");
  });
});
