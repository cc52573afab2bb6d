// The store's newest parts attacked (issue 17): "Back up now" on the Devices page and the JSON log files. As a page of
// another session or none, a supervisor, two presses at once, a link planted where the backup is written, a reader
// of the machine who is not the server, and a request whose path spells a card number: nothing started that should
// not be, one backup at a time, no file written through a link, no backup or log readable by everyone, no card number
// in a log line. A real store on a real SQLite file, its real backup worker, real log files.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/server/app.ts";
import { backupName, storeLabel } from "../../src/server/backups/take.ts";
import { openShop } from "../../src/server/compose.ts";
import { createLogger } from "../../src/server/platform/log/log.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { browserOf, isDenied, send } from "./support.ts";

let t: TestStore;
let manager: SignedIn;
const dirs: string[] = [];
beforeAll(async () => {
  t = makeTestStore();
  manager = await signIn(t.store, 1, { role: "manager" });
});
afterAll(async () => {
  await t.store.backups.stop();
  t.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const started = () => t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log WHERE action = 'backup.started'").get()!.n;
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "shopflow-attack17-"));
  dirs.push(d);
  return d;
};
/** Wait for the backup under way (if any) to end: its worker thread takes its own time. */
async function backupDone(): Promise<void> {
  for (let i = 0; i < 600 && t.store.backups.busy(); i++) await Bun.sleep(50);
  expect(t.store.backups.busy()).toBe(false);
}

describe("Back up now", () => {
  test("without the page's CSRF token, with another session's, or as a supervisor: refused, nothing started, no audit row", async () => {
    const other = await signIn(t.store, 2, { role: "manager" });
    const supervisor = await signIn(t.store, 3, { role: "supervisor" });
    const before = started();
    for (const htmx of [false, true]) {
      for (const res of [
        await send(t, "POST", "/devices/backups", { browser: browserOf(manager), token: null, htmx }),
        await send(t, "POST", "/devices/backups", { browser: browserOf(manager), token: other.csrf, htmx }),
        await send(t, "POST", "/devices/backups", { browser: browserOf(manager), headers: { Origin: "http://evil.example" }, htmx }),
        await send(t, "POST", "/devices/backups", { browser: browserOf(supervisor), htmx }),
        await send(t, "POST", "/devices/backups", { htmx }),
      ]) {
        expect(isDenied(res)).toBe(true);
      }
    }
    // the polled part is a GET: it shows, it never starts one
    expect((await send(t, "GET", "/devices/backups?since=2026-01-01T00:00:00Z", { browser: browserOf(manager), htmx: true })).status).toBe(200);
    expect(t.store.backups.busy()).toBe(false);
    expect(started()).toBe(before);
  });

  test("two presses at once: one backup starts, the other is told one is running; one audit row", async () => {
    const before = started();
    const answers = await Promise.all([
      send(t, "POST", "/devices/backups", { browser: browserOf(manager), htmx: true }),
      send(t, "POST", "/devices/backups", { browser: browserOf(manager), htmx: true }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(started()).toBe(before + 1);
    await backupDone();
  }, 60_000);

  test("a link planted at the name the backup is written under is not followed, and the backup is no one else's to read", async () => {
    const folder = join(tempDir(), "usb");
    writeSetting(t.store.db, "backup_folder", folder);
    t.clock.advance(60_000);
    const victim = join(tempDir(), "precious.txt");
    writeFileSync(victim, "precious");
    // another user of the machine who can write in the backup folder knows the next name: store and minute
    mkdirSync(folder, { recursive: true });
    const name = backupName(storeLabel(t.store.db), t.clock.now());
    symlinkSync(victim, join(folder, `${name}.part`));
    const res = await send(t, "POST", "/devices/backups", { browser: browserOf(manager) });
    expect(res.status).toBe(303);
    await backupDone();
    expect(readFileSync(victim, "utf8")).toBe("precious");
    const made = join(folder, name);
    expect(lstatSync(made).isFile()).toBe(true);
    expect(statSync(made).mode & 0o777).toBe(0o640);
    expect(readdirSync(folder)).toEqual([name]);
    writeSetting(t.store.db, "backup_folder", "");
  }, 60_000);
});

describe("the log files", () => {
  test("a log folder the server makes, and its files, are the server's and its group's only; a path's card number is masked however it is spelled", async () => {
    const dataDir = tempDir();
    const dir = join(dataDir, "logs");
    const log = await createLogger({ dir, level: "debug", stderr: false });
    const store = openShop({ dataDir, log });
    try {
      const app = createApp(store);
      for (const path of [
        "/x/4111%2F1111%2F1111%2F1111",
        "/x/4111%252F1111%252F1111%252F1111",
        "/x/%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31",
        "/x/4111%0a1111%0a1111%0a1111",
        '/x/a%0a{"level":"error","event":"forged"}',
      ])
        await app.request(path);
    } finally {
      store.close();
      await log.close();
    }
    expect(statSync(dir).mode & 0o777).toBe(0o750);
    const files = readdirSync(dir).filter((n) => !lstatSync(join(dir, n)).isSymbolicLink());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o640);
    const lines = files.flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean));
    const paths = lines.map((l) => JSON.parse(l) as { event: string; path?: string }).filter((l) => l.event === "http.request");
    expect(paths).toHaveLength(5);
    for (const p of paths) expect(p.path!.replace(/[^0-9]/g, "")).not.toContain("41111111");
    expect(lines.some((l) => (JSON.parse(l) as { event: string }).event === "forged")).toBe(false);
  });

  test("a folder that is already there keeps its own mode (it may be /var/log)", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const log = await createLogger({ dir, stderr: false });
    log.info("test.line", { msg: "one line" });
    await log.close();
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });
});
