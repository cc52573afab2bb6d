// The head-office command line: users with the password read from stdin (never from argv), API tokens printed once.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signIn } from "../../src/sync/hq/people/users.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { footprint, type Hq, startHq } from "./hq-support.ts";

let hq: Hq;
const main = join(import.meta.dir, "../../src/main.ts");

beforeAll(async () => {
  hq = await startHq();
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

async function shopflow(args: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, main, ...args], {
    stdin: new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, SHOPFLOW_HQ_DATABASE_URL: "" },
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

test("hq user add reads the password from stdin; the user signs in with it", async () => {
  const r = await shopflow(["hq", "user", "add", "--name", "Root", "--role", "admin", "--database-url", hq.pg.url], "root-password-1\n");
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(r.out).toContain('head-office user "Root" added as admin');
  const u = await signIn(hq.sql, { name: "Root", password: "root-password-1", address: "test", now: new Date() });
  expect(u).toMatchObject({ name: "Root", role: "admin" });
  const [row] = await hq.sql<{ password_hash: string; created_by: string }[]>`SELECT password_hash, created_by FROM hq_users WHERE name = 'Root'`;
  expect(row!.password_hash).toStartWith("$argon2id$");
  expect(row!.created_by).toBe("command line");
});

test("a password on the command line is refused, and so are short passwords and unknown roles; nobody is added", async () => {
  const before = (await hq.sql`SELECT 1 FROM hq_users`).length;
  const argv = await shopflow(["hq", "user", "add", "--name", "Eve", "--role", "admin", "--password", "eve-password-1", "--database-url", hq.pg.url]);
  expect(argv.code).toBe(2);
  const short = await shopflow(["hq", "user", "add", "--name", "Eve", "--role", "viewer", "--database-url", hq.pg.url], "short\n");
  expect(short.code).toBe(1);
  expect(short.err).toContain("at least 10 characters");
  const role = await shopflow(["hq", "user", "add", "--name", "Eve", "--role", "owner", "--database-url", hq.pg.url], "eve-password-1\n");
  expect(role.code).toBe(2);
  expect(role.err).toContain("--role is admin, catalog or viewer");
  const empty = await shopflow(["hq", "user", "add", "--name", "Eve", "--role", "viewer", "--database-url", hq.pg.url], "");
  expect(empty.code).toBe(2);
  expect((await hq.sql`SELECT 1 FROM hq_users`).length).toBe(before);
});

test("hq token create prints a token once, on the last line, that opens /api/v1; only its hash is kept", async () => {
  const r = await shopflow(["hq", "token", "create", "--name", "BI export", "--database-url", hq.pg.url]);
  expect(r.code).toBe(0);
  const secret = r.out.trim().split("\n").at(-1)!;
  expect(secret).toStartWith("sfhqapi_");
  const res = await hq.app.request("/api/v1/stores", { headers: { Authorization: `Bearer ${secret}` } });
  expect(res.status).toBe(200);
  const rows = await hq.sql<{ token_hash: string; created_by: string }[]>`SELECT token_hash, created_by FROM hq_api_tokens WHERE name = 'BI export'`;
  expect(rows.length).toBe(1);
  expect(rows[0]!.token_hash).not.toContain(secret.slice(8));
  expect(rows[0]!.created_by).toBe("command line");
});

test("hq token create --store, once a store, makes a token that sees only those stores", async () => {
  const north = await addStore(hq.sql, "CLI North");
  const south = await addStore(hq.sql, "CLI South");
  const west = await addStore(hq.sql, "CLI West");
  const args = ["--store", north.storeId.toUpperCase(), "--store", south.storeId, "--database-url", hq.pg.url];
  const r = await shopflow(["hq", "token", "create", "--name", "Two stores", ...args]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(r.out).toContain("reading only stores");
  const secret = r.out.trim().split("\n").at(-1)!;
  const [row] = await hq.sql<{ stores: string[] }[]>`SELECT stores::text[] FROM hq_api_tokens WHERE name = 'Two stores'`;
  expect(row!.stores).toEqual([north.storeId, south.storeId].sort());
  const auth = { headers: { Authorization: `Bearer ${secret}` } };
  const listed = (await (await hq.app.request("/api/v1/stores", auth)).json()) as { data: { id: string }[] };
  expect(listed.data.map((s) => s.id).sort()).toEqual([north.storeId, south.storeId].sort());
  expect((await hq.app.request(`/api/v1/stores/${west.storeId}/summary`, auth)).status).toBe(404);
  expect((await hq.app.request(`/api/v1/stores/${north.storeId}/summary`, auth)).status).toBe(200);
});

test("hq token create with a store that is not registered names it, exits 2 and writes nothing", async () => {
  const known = await addStore(hq.sql, "CLI Known");
  const before = await footprint(hq.sql);
  const stranger = "0b5e7c1a-3f2d-4e8b-9a6c-1d2e3f4a5b6c";
  for (const store of [stranger, "north"]) {
    const r = await shopflow(["hq", "token", "create", "--name", "Nope", "--store", known.storeId, "--store", store, "--database-url", hq.pg.url]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`--store ${store}: no such store is registered at head office`);
    expect(r.err).not.toContain(known.storeId);
    expect(r.err).toContain("no token was created");
  }
  expect(await footprint(hq.sql)).toEqual(before);
});

test("hq release --file refuses a product whose name holds a card number, says where, and publishes nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-release-"));
  try {
    const file = join(dir, "changes.json");
    const std = { code: "STD", name: "Standard", rate_bp: 2000 };
    const product = { sku: "GIFT", barcode: null, name: "Gift card 4111-1111-1111-1111", price: 500, tax_class: "STD" };
    writeFileSync(file, JSON.stringify({ tax_classes: [std], products: [product] }));
    const refused = await shopflow(["hq", "release", "--file", file, "--database-url", hq.pg.url]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain("products.0.name");
    expect(refused.err).toContain("card number");
    expect((await hq.sql`SELECT 1 FROM catalog_releases`).length).toBe(0);
    writeFileSync(file, JSON.stringify({ tax_classes: [std], products: [{ ...product, name: "Gift card" }] }));
    const ok = await shopflow(["hq", "release", "--file", file, "--database-url", hq.pg.url]);
    expect(ok.err).toBe("");
    expect(ok.code).toBe(0);
    expect((await hq.sql`SELECT 1 FROM catalog_releases`).length).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the usage text names the head-office commands", async () => {
  const r = await shopflow(["--help"]);
  expect(r.out).toContain("shopflow hq user add --name NAME --role admin|catalog|viewer --database-url URL");
  expect(r.out).toContain("shopflow hq token create --name NAME [--store ID]... --database-url URL");
});
