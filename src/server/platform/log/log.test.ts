import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../../api/tokens.ts";
import { createApp } from "../../app.ts";
import { openShop } from "../../compose.ts";
import { createLogger, type Logger, levelFromFlag } from "./log.ts";

const dirs: string[] = [];
const loggers: Logger[] = [];
afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "shopflow-log-"));
  dirs.push(d);
  return d;
}

async function logger(options: Parameters<typeof createLogger>[0]): Promise<Logger> {
  const l = await createLogger(options);
  loggers.push(l);
  return l;
}

const logFiles = (dir: string) => readdirSync(dir).filter((n) => /^shopflow\.\d{4}-\d{2}-\d{2}\.\d+\.log$/.test(n));
const linesOf = (dir: string) =>
  logFiles(dir)
    .flatMap((n) => readFileSync(join(dir, n), "utf8").split("\n"))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test("each event is one JSON line in the folder's current file: time, level, event, the sentence and the facts", async () => {
  const dir = join(tempDir(), "logs");
  const told: string[] = [];
  const log = await logger({ dir, level: "info", stderr: (l) => void told.push(l) });
  log.debug("not.written", { msg: "below the level" });
  log.info("sale.noted", { msg: "a fact", register: 2, paid: 1190, nested: { ok: true } });
  log.warn("printer.away", { msg: "Front is away" });
  await log.close();

  const lines = linesOf(dir);
  expect(lines.map((l) => [l.level, l.event, l.msg])).toEqual([
    ["info", "sale.noted", "a fact"],
    ["warn", "printer.away", "Front is away"],
  ]);
  expect(lines[0]).toMatchObject({ register: 2, paid: 1190, nested: { ok: true } });
  expect(Number.isNaN(Date.parse(String(lines[0]!.time)))).toBe(false);
  expect(readlinkSync(join(dir, "current.log"))).toBe(logFiles(dir)[0]!);
  // stderr (systemd's journal) hears the warning only, as the same JSON
  expect(told.map((l) => JSON.parse(l).event)).toEqual(["printer.away"]);
});

test("a card number is masked wherever it is: the sentence, a field, a nested value, an error's message and stack", async () => {
  const dir = tempDir();
  const told: string[] = [];
  const log = await logger({ dir, stderr: (l) => void told.push(l) });
  const err = new Error("refused card 4111 1111 1111 1111");
  log.error("payment.failed", { msg: "card 4111-1111-1111-1111 was read", pan: "5500005555555559", deep: { list: ["4111111111111111"] }, err });
  await log.close();

  const text = readFileSync(join(dir, logFiles(dir)[0]!), "utf8");
  expect(text).not.toMatch(/4111[ -]?1111[ -]?1111|5500005555/);
  const [line] = linesOf(dir);
  expect(line!.msg).toBe("card [card ****1111] was read");
  expect(line!.pan).toBe("[card ****5559]");
  expect(line!.deep).toEqual({ list: ["[card ****1111]"] });
  const logged = line!.err as { type: string; message: string; stack: string };
  expect(logged.message).toBe("refused card [card ****1111]");
  expect(logged.stack).toContain("refused card [card ****1111]");
  expect(logged.stack).toContain("log.test.ts"); // where it was thrown
  expect(told.join("\n")).not.toContain("4111 1111");
});

test("control characters a client sent are written out, so a line can neither be forged nor repaint a terminal", async () => {
  const dir = tempDir();
  const told: string[] = [];
  const log = await logger({ dir, stderr: (l) => void told.push(l) });
  log.warn("http.refused", { msg: "GET /x\u001b[2J\u009b", path: "/a\nforged" });
  await log.close();
  const [line] = linesOf(dir);
  expect(line!.msg).toBe("GET /x\\x1b[2J\\x9b");
  expect(line!.path).toBe("/a\\x0aforged");
  expect(told).toHaveLength(1);
  expect(told[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
});

test("past the size limit a second file is started; current.log names the newest and only the newest few are kept", async () => {
  const dir = tempDir();
  const log = await logger({ dir, stderr: false, rotate: { size: "400b", keep: 3 } });
  for (let i = 0; i < 12; i++) {
    log.info("filler", { msg: `line ${i} ${"x".repeat(150)}` });
    // one write at a time: the roll happens once a write has gone out
    await Bun.sleep(15);
  }
  await log.close();
  // old files are removed in the background after each roll
  for (let i = 0; i < 200 && logFiles(dir).length > 3; i++) await Bun.sleep(10);
  const files = logFiles(dir).sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]));
  expect(files.length).toBe(3);
  const numbers = files.map((f) => Number(f.split(".")[2]));
  expect(numbers.at(-1)).toBeGreaterThan(3); // files were started and the oldest removed
  expect(readlinkSync(join(dir, "current.log"))).toBe(files.at(-1)!);
  // what is left parses, each line whole, up to the last line written
  const kept = files.flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean)).map((l) => JSON.parse(l).msg as string);
  expect(kept.at(-1)).toStartWith("line 11 ");
});

test("without a folder every line at the level goes to stderr", async () => {
  const told: string[] = [];
  const log = await logger({ level: "info", stderr: (l) => void told.push(l) });
  log.debug("quiet", {});
  log.info("started", { msg: "up" });
  log.error("broke", { err: "a string thrown" });
  expect(told.map((l) => JSON.parse(l))).toMatchObject([
    { level: "info", event: "started", msg: "up" },
    { level: "error", event: "broke", err: { message: "a string thrown" } },
  ]);
});

test("a level is one of debug, info, warn, error", () => {
  expect(levelFromFlag("WARN")).toBe("warn");
  expect(() => levelFromFlag("loud")).toThrow('--log-level is one of debug, info, warn, error, not "loud"');
});

test("a route that fails on a real store writes one error line with its stack to the store's log; the client is told nothing of it", async () => {
  const dataDir = tempDir();
  const told: string[] = [];
  const log = await logger({ dir: join(dataDir, "logs"), stderr: (l) => void told.push(l) });
  const store = openShop({ dataDir, log });
  try {
    const { token } = createToken(store.db, "Webshop", new Date().toISOString(), ["read"]);
    const app = createApp(store);
    // a fault of ours, not a refusal: the table the route reads is gone
    store.db.exec("ALTER TABLE products RENAME TO products_gone");
    const res = await app.request("/api/v1/products/378282246310005", { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body).error.code).toBe("internal");
    expect(body).not.toContain("products");
    expect(body).not.toContain("at ");
  } finally {
    store.close();
  }
  await log.close();
  const errors = linesOf(join(dataDir, "logs")).filter((l) => l.level === "error");
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ event: "http.failed", method: "GET", path: "/api/v1/products/[card ****0005]" });
  const err = errors[0]!.err as { message: string; stack: string };
  expect(err.message).toContain("no such table: products");
  expect(err.stack.split("\n").length).toBeGreaterThan(1);
  expect(JSON.stringify(errors[0])).not.toContain("378282246310005");
  // and echoed to stderr for the journal, once
  expect(told.filter((l) => JSON.parse(l).event === "http.failed")).toHaveLength(1);
  expect(existsSync(join(dataDir, "logs", "current.log"))).toBe(true);
});

test("at debug level each request is one line (method, path, status, time taken); at info there is none", async () => {
  const dataDir = tempDir();
  for (const level of ["info", "debug"] as const) {
    const dir = join(dataDir, `logs-${level}`);
    const log = await logger({ dir, level, stderr: false });
    const store = openShop({ dataDir, log });
    try {
      expect((await createApp(store).request("/healthz")).status).toBe(200);
    } finally {
      store.close();
    }
    await log.close();
    const requests = linesOf(dir).filter((l) => l.event === "http.request");
    if (level === "info") expect(requests).toEqual([]);
    else expect(requests).toMatchObject([{ level: "debug", method: "GET", path: "/healthz", status: 200 }]);
    if (level === "debug") expect(typeof requests[0]!.ms).toBe("number");
  }
});
