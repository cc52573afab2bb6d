// `shopflow hq --demo`, started as a person would start it (the source, in a process of its own): head office on the
// embedded PostgreSQL with its first admin and a demo store, the evaluation-only line on every page, a real store's
// sales taken in by the same receiver, and everything still there after a restart on the same folder.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Shop } from "../../src/server/compose.ts";
import { codes } from "../helpers/store.ts";
import { connectedStore } from "./support.ts";

const root = join(import.meta.dir, "../..");
const dirs: string[] = [];
let data: string;

type Demo = { proc: Bun.Subprocess<"ignore", "pipe", "pipe">; url: string; log: string };

/** Start `hq --demo` on `data` and wait until it says where it serves and how to sign in. */
async function startDemo(): Promise<Demo> {
  const proc = Bun.spawn([process.execPath, "src/main.ts", "hq", "--demo", "--data", data, "--port", "0", "--host", "127.0.0.1"], {
    cwd: root,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = proc.stdout.getReader();
  let log = "";
  // the last line it prints: the store's command on a first start, how to start over on a later one
  while (!/(--hq-token \S+|start over\))\n/.test(log)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`hq --demo ended before it served:\n${log}\n${await new Response(proc.stderr).text()}`);
    log += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const url = /serving on (http:\/\/\S+)/.exec(log)?.[1];
  if (!url) throw new Error(`no address in:\n${log}`);
  return { proc, url, log };
}

async function stopDemo(demo: Demo): Promise<void> {
  demo.proc.kill("SIGTERM");
  await demo.proc.exited;
}

/** Sign in through the page as a browser does: the CSRF cookie and token of the sign-in page, then the form. */
async function signIn(url: string, name: string, password: string): Promise<Response> {
  const page = await fetch(`${url}/login`, { headers: { Accept: "text/html" } });
  const cookies = page.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  return fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Accept: "text/html", Origin: url, Cookie: cookies.join("; "), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, name, password, next: "/" }),
  });
}

const sessionOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

beforeAll(() => {
  data = mkdtempSync(join(tmpdir(), "shopflow-hq-demo-"));
  dirs.push(data);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test("hq --demo serves head office on the embedded database: healthy, its admin signs in, every page says evaluation only, a store's sales arrive", async () => {
  const demo = await startDemo();
  let store: Shop | null = null;
  try {
    expect(demo.log).toContain("evaluation only");
    const health = await fetch(`${demo.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", role: "hq", database: "ok" });

    const password = /as demo-admin, password (\S+) \(shown only now\)/.exec(demo.log)?.[1];
    expect(password).toBeDefined();
    expect(await (await signIn(demo.url, "demo-admin", "not-the-password")).text()).toContain('data-testid="form-message"');
    const signedIn = await signIn(demo.url, "demo-admin", password!);
    expect(signedIn.status).toBe(303);
    const overview = await fetch(`${demo.url}/`, { headers: { Accept: "text/html", Cookie: sessionOf(signedIn) } });
    const html = await overview.text();
    expect(overview.status).toBe(200);
    expect(html).toContain('data-testid="signed-in-as"');
    expect(html).toContain('data-testid="evaluation-only"');
    expect(html).toContain("Demo store");
    // a program's answer is left as it is: no banner in JSON
    expect(await (await fetch(`${demo.url}/healthz`)).text()).not.toContain("evaluation");

    // the store started with the printed link sends its sales; the receiver takes them in and answers
    const link = /--hq-store (\S+) --hq-token (\S+)/.exec(demo.log);
    expect(link).not.toBeNull();
    store = connectedStore({ url: demo.url, storeId: link![1]!, token: link![2]! }, dirs);
    const registerId = store.db.query<{ id: number }, []>("SELECT id FROM registers WHERE name = 'Lane 1'").get()!.id;
    for (let i = 0; i < 3; i++) store.checkout.sell(registerId, [{ barcode: codes.milk, qty: 1 + i }], [{ method: "cash", amount: 2000 }]);
    expect(store.sync.status().pending).toBe(3);
    for (let i = 0; i < 50 && store.sync.status().pending > 0; i++) {
      await store.sync.tick();
      await Bun.sleep(100);
    }
    expect(store.sync.status().pending).toBe(0);
    // head office kept all three as sales, none as a dead letter
    const storePage = await (await fetch(`${demo.url}/stores/${link![1]}`, { headers: { Accept: "text/html", Cookie: sessionOf(signedIn) } })).text();
    expect(storePage).toContain("Items received</dt><dd>3</dd>");
    expect(storePage).toContain('data-testid="store-dead-letters">none<');
  } finally {
    await store?.stop();
    await stopDemo(demo);
  }

  // the same folder again: the admin and the store are kept, and no new password is made
  const again = await startDemo();
  try {
    expect(again.log).not.toContain("shown only now");
    expect(again.log).toContain("delete the folder to start over");
    const password = /as demo-admin, password (\S+) \(shown only now\)/.exec(demo.log)![1]!;
    expect((await signIn(again.url, "demo-admin", password)).status).toBe(303);
  } finally {
    await stopDemo(again);
  }
}, 180_000);

test("--demo refuses a database URL, and --data is only for --demo", async () => {
  for (const args of [
    ["--demo", "--database-url", "postgres://x@127.0.0.1:1/x"],
    ["--data", "/tmp/x", "--database-url", "postgres://x@127.0.0.1:1/x"],
  ]) {
    const p = Bun.spawn([process.execPath, "src/main.ts", "hq", ...args], { cwd: root, stdout: "pipe", stderr: "pipe" });
    expect(await p.exited).not.toBe(0);
    expect(await new Response(p.stderr).text()).toMatch(/--demo/);
  }
});
