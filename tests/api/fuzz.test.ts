// No input may cause a 5xx or a crash, and a refused request writes nothing: random and hand-picked nasty requests
// against every route of the store's HTTP surface, in-process against a real SQLite file.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import fc from "fast-check";
import { codes, footprint, makeTestStore, type TestStore } from "../helpers/store.ts";

type Probe = { method?: string; path: string; headers?: [string, string][]; body?: string | Uint8Array<ArrayBuffer>; auth?: boolean };

let t: TestStore;
let saleId = "";
let sent = 0;
/** "status code" of every answer, so the last test can show the fuzzing got past the schema into the deciders. */
const answers = new Set<string>();
const serverLog: string[] = [];
let consoleSpy: ReturnType<typeof spyOn>;

const validSale = () => ({ lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 500 }] });
const json: [string, string] = ["Content-Type", "application/json"];

beforeAll(async () => {
  t = makeTestStore();
  // onError logs what it hides from the client; keep it so a 5xx is reported with its stack.
  consoleSpy = spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    serverLog.push(args.map((a) => (a instanceof Error ? (a.stack ?? String(a)) : typeof a === "string" ? a : Bun.inspect(a))).join(" "));
  });
  const res = await t.api("/api/v1/sales", { method: "POST", json: validSale() });
  expect(res.status).toBe(201);
  saleId = (await res.json()).id;
});

afterAll(() => {
  consoleSpy.mockRestore();
  t.close();
});

const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

function show(p: Probe): string {
  const body =
    p.body === undefined
      ? ""
      : p.body instanceof Uint8Array
        ? ` bytes ${Buffer.from(p.body.subarray(0, 200)).toString("hex")}`
        : ` body ${JSON.stringify(cut(p.body))}`;
  return `${p.method ?? "GET"} ${cut(p.path)} headers ${cut(JSON.stringify(p.headers ?? []))}${p.auth === false ? " (no token)" : ""}${body}`;
}

function isErrorBody(v: unknown): boolean {
  if (typeof v !== "object" || v === null || !("error" in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" && typeof (e as { message?: unknown }).message === "string";
}

function errorCode(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    return isErrorBody(body) ? (body as { error: { code: string } }).error.code : "";
  } catch {
    return "";
  }
}

/** Paths that always answer JSON (the register UI answers HTML pages and fragments, errors included). */
const jsonContract = /^\/api\/v1(\/|$)|^\/healthz$/;

/** Send one request; a description of what went wrong, or null when the server answered as it must. */
async function probe(p: Probe): Promise<string | null> {
  const headers = new Headers(p.headers);
  if (p.auth !== false && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${t.token}`);
  const request = new Request(`http://localhost${p.path}`, { method: p.method ?? "GET", headers, body: p.body });
  const before = footprint(t.store);
  const logged = serverLog.length;
  sent++;
  let res: Response;
  let text: string;
  try {
    res = await t.app.request(request);
    text = await res.text();
  } catch (e) {
    return `${show(p)}\n  crashed: ${e instanceof Error ? e.stack : String(e)}`;
  }
  const problems: string[] = [];
  answers.add(`${res.status} ${errorCode(text)}`.trim());
  if (res.status >= 500) problems.push(`status ${res.status}\n  server log: ${serverLog.slice(logged).join("\n") || "(none)"}`);
  // a CSV export answers CSV when it answers at all; its refusals are JSON like any other
  const csv = res.status === 200 && (res.headers.get("Content-Type") ?? "").startsWith("text/csv");
  if (request.method !== "HEAD" && !csv && jsonContract.test(new URL(request.url).pathname)) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`status ${res.status} with a body that is not JSON: ${cut(text, 200)}`);
    }
    if (res.status >= 400 && body !== undefined && !isErrorBody(body)) {
      problems.push(`status ${res.status} without {error: {code, message}}: ${cut(text, 200)}`);
    }
  }
  if (res.status < 200 || res.status >= 300) {
    const after = footprint(t.store);
    if (!Bun.deepEquals(after, before)) problems.push(`refused with ${res.status} but wrote: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  }
  return problems.length ? `${show(p)}\n  ${problems.join("\n  ")}` : null;
}

async function probeAll(cases: Probe[]): Promise<void> {
  const problems: string[] = [];
  for (const c of cases) {
    const problem = await probe(c);
    if (problem) problems.push(problem);
  }
  expect(problems).toEqual([]);
}

async function fuzz<T>(arb: fc.Arbitrary<T>, toProbe: (v: T) => Probe, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (v) => {
      const problem = await probe(toProbe(v));
      if (problem) throw new Error(problem);
    }),
    { numRuns },
  );
}

const sellRaw = (body: string | Uint8Array<ArrayBuffer>, headers: [string, string][] = [json]): Probe => ({
  method: "POST",
  path: "/api/v1/sales",
  headers,
  body,
});

const returnRaw = (body: string | Uint8Array<ArrayBuffer>, headers: [string, string][] = [json]): Probe => ({
  method: "POST",
  path: "/api/v1/returns",
  headers,
  body,
});

/** Every byte percent-encoded, so any string (lone surrogates become U+FFFD) reaches the server as typed. */
const percent = (s: string) => Array.from(new TextEncoder().encode(s), (b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");

/** An object that really owns keys like "__proto__" (a literal would set its prototype instead). */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

// ---- arbitraries -------------------------------------------------------------------------------------------------

const loneSurrogate = fc.constantFrom("\ud800", "\udfff", "a\ud83d", "\ude00b");
const specialString = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "' OR 1=1 --",
  '"; DROP TABLE sales; --',
  "NaN",
  "Infinity",
  "-0",
  "1e308",
  "null",
  "\u202e\u0301",
  "🧾🛒",
  "ｍｉｌｋ",
  `${codes.milk}\n`,
  ` ${codes.milk} `,
  "٤٠٠٠٠٠٠٠٠٠٠٠١",
  "0".repeat(13),
  "9".repeat(64),
  "x".repeat(65),
  "y".repeat(100_000),
);
const nastyString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme", maxLength: 40 }), loneSurrogate, specialString);
const specialNumber = fc.constantFrom(
  0,
  -0,
  1,
  -1,
  0.5,
  1e-7,
  5e-10,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 63,
  -(2 ** 63),
  1000.0005,
  999.9995,
  100_000_000_001,
  1e15,
  1e21,
);
const nastyNumber = fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), specialNumber);
const dangerousKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "number", "cvv", "", "lines", "qty"), fc.string());
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom([[[]]], [[[[1]]]], [{}], { __proto__: null }),
  fc.tuple(dangerousKey, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => objectOf([[k, v]])),
);

/** Mostly `good`, sometimes something worse: near-valid requests get past the schema and reach the deciders. */
const mostly = <T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: good, weight: 16 }, ...bad.map((arbitrary) => ({ arbitrary, weight: 1 })));

const withExtraKey = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc
    .tuple(arb, fc.oneof({ arbitrary: fc.constant(null), weight: 20 }, { arbitrary: fc.tuple(dangerousKey, nastyValue), weight: 1 }))
    .map(([o, extra]) => (extra ? objectOf([...Object.entries(o), extra]) : o));

const qtyArb = mostly(fc.oneof(fc.integer({ min: -2, max: 3 }), fc.double({ min: 0, max: 3 }), specialNumber), nastyNumber, nastyValue);
const lineArb = withExtraKey(
  fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: mostly(fc.constantFrom(...Object.values(codes)), nastyString, nastyValue).map((barcode) => ({ barcode })) },
        { weight: 2, arbitrary: mostly(fc.constantFrom("MILK-1L", "WINE-RED", "milk-1l", "NOPE"), nastyString, nastyValue).map((sku) => ({ sku })) },
        { weight: 2, arbitrary: mostly(fc.integer({ min: 1, max: 8 }), nastyNumber, nastyValue).map((product_id) => ({ product_id })) },
        { weight: 1, arbitrary: fc.record({ barcode: nastyString, sku: nastyString, product_id: nastyNumber }, { requiredKeys: [] }) },
      ),
      fc.option(qtyArb, { freq: 2 }),
    )
    .map(([line, qty]) => (qty === null ? line : { ...line, qty }) as Record<string, unknown>),
);

const cardArb = mostly(
  withExtraKey(
    fc.record(
      {
        brand: mostly(fc.constant("VISA"), nastyString),
        last4: mostly(fc.constant("4242"), nastyString, nastyValue),
        auth_code: mostly(fc.constant("A1B2"), nastyString),
        terminal_ref: mostly(fc.constant("T-1"), nastyString),
      },
      { requiredKeys: [] },
    ),
  ),
  nastyValue,
);

const paymentArb = withExtraKey(
  fc.record(
    {
      method: mostly(fc.constantFrom("cash", "card", "voucher", "CASH", "cheque"), nastyString, nastyValue),
      amount: mostly(fc.oneof(fc.integer({ min: 1, max: 5000 }), specialNumber), nastyNumber, nastyValue),
      card: cardArb,
    },
    { requiredKeys: ["method", "amount"] },
  ),
);

const saleArb = withExtraKey(
  fc.record({
    lines: mostly(fc.array(lineArb, { minLength: 1, maxLength: 3 }), fc.array(lineArb, { maxLength: 40, size: "max" }), nastyValue),
    payments: mostly(fc.array(paymentArb, { minLength: 1, maxLength: 2 }), fc.array(paymentArb, { maxLength: 25, size: "max" }), nastyValue),
  }),
);

const cursorArb = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? "").toString("base64url")),
  fc.record({ at: nastyValue, id: nastyValue }).map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc.constantFrom(1e308, -1, 2 ** 53, 1.5, -0).map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc.string({ unit: "binary-ascii" }).map(percent),
);

/** Query values sent raw (already percent-encoded, or deliberately broken encodings) or fully encoded. */
const queryValue = fc.oneof(
  fc.constantFrom(
    "-1",
    "0",
    "1",
    "500",
    "501",
    "1e9",
    "1e308",
    "1.5",
    "NaN",
    "Infinity",
    "-0",
    "0x10",
    "%205",
    "5%20",
    "",
    "9999-99-99",
    "2026-02-30",
    "0000-00-00",
    "0000-01-01",
    "2026-11-25T25:61Z",
    "2026-11-25T10:00%2B99:99",
    "2026-11-25T10:00:00.123456789Z",
    "%2B275760-09-13T00:00:00Z",
    "2026-11-25T10:00Z",
    "2026-11-25",
    "%",
    "%zz",
    "%ED%A0%80",
    "%C0%AF",
    "%FF",
    "%00",
    "%26",
    "%3D",
    "%22",
    "*",
    "NEAR(a%20b)",
    "a%20OR%20b",
    "a%20AND",
    "-a",
    "%5Ea",
    "name:milk",
    "%7Bname%20sku%7D:milk",
    "%22unterminated",
    "(",
    ")",
    "NOT",
    "milk*",
    "products_fts",
    "'",
    ";",
    "a".repeat(201),
    "b".repeat(20_000),
  ),
  nastyString.map(percent),
  cursorArb,
);
const queryKey = fc.oneof(
  fc.constantFrom("limit", "cursor", "from", "to", "q", "barcode", "limit[]", "__proto__", "constructor", "", "%ZZ"),
  fc.string().map(percent),
);
const queryString = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));
const listRoute = fc.constantFrom(
  "/api/v1/sales",
  "/api/v1/products",
  "/api/v1/summary",
  "/healthz",
  "/api/v1/sales/",
  "/api/v1/products/",
  "/api/v1/returns",
  "/api/v1/returns/",
  "/api/v1/products/1/stock",
  "/api/v1/products/export.csv",
);

const pathId = fc.oneof(
  fc.constantFrom(
    "%",
    "%zz",
    "%00",
    "%2F",
    "%2e%2e",
    "..",
    ".",
    "%ED%A0%80",
    "%FF%FE",
    "0",
    "-1",
    "1e3",
    "1.0",
    "9".repeat(15),
    "9".repeat(16),
    "9007199254740993",
    "00000000000001",
    "%201",
    "1%20",
    "x".repeat(64),
    "x".repeat(65),
    "%41".repeat(5000),
    "z".repeat(100_000),
  ),
  fc.string().map(percent),
  fc.string({ unit: "binary" }).map(percent),
  fc.string({ minLength: 60, maxLength: 3000, unit: "binary-ascii" }).map(percent),
);

/** Header values a real client can put on the wire: any Latin-1 byte but NUL, CR and LF. */
const headerChar = fc
  .integer({ min: 1, max: 255 })
  .filter((c) => c !== 10 && c !== 13)
  .map((c) => String.fromCharCode(c));
const headerValue = fc.string({ unit: headerChar, maxLength: 80 });

// ---- tests -------------------------------------------------------------------------------------------------------

describe("POST /api/v1/sales with malformed bodies", () => {
  test("random JSON values as the body", async () => {
    await fuzz(fc.jsonValue(), (v) => sellRaw(JSON.stringify(v) ?? ""), 250);
  });

  test("sale-shaped bodies with wrong types, huge numbers, unicode and prototype keys", async () => {
    await fuzz(saleArb, (v) => sellRaw(JSON.stringify(v)), 2000);
  });

  test("valid sale text with random edits", async () => {
    const valid = JSON.stringify({
      lines: [{ barcode: codes.milk, qty: 2 }, { sku: "WINE-RED" }],
      payments: [{ method: "card", amount: 1537, card: { brand: "VISA", last4: "4242" } }],
    });
    const edit = fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 4 }), fc.string({ unit: "binary", maxLength: 4 }))
      .map(([at, remove, insert]) => valid.slice(0, at) + insert + valid.slice(at + remove));
    await fuzz(
      fc.array(edit, { minLength: 1, maxLength: 1 }).map((e) => e[0]!),
      (body) => sellRaw(body),
      300,
    );
  });

  test("invalid UTF-8 bytes as the body", async () => {
    const valid = new TextEncoder().encode(JSON.stringify(validSale()));
    const broken = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .tuple(fc.nat({ max: valid.length }), fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x00]))
        .map(([at, bytes]) => new Uint8Array([...valid.subarray(0, at), ...bytes, ...valid.subarray(at)])),
    );
    await fuzz(broken, (body) => sellRaw(body), 300);
  });

  test("wrong, missing and odd content types", async () => {
    const type = fc.oneof(
      fc.constantFrom(
        "",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=utf-16",
        "APPLICATION/JSON",
        "application/json;",
        "application/json; charset",
        "application/jsonx",
        "application/ld+json",
        "application/json, text/plain",
        "json",
        "*/*",
        ";",
        'application/json; boundary="',
        "\t",
      ),
      headerValue,
    );
    const body = fc.oneof(fc.constant(JSON.stringify(validSale())), fc.constant("lines=1&payments=2"), fc.string());
    await fuzz(fc.tuple(type, body, fc.boolean()), ([ct, b, omit]) => sellRaw(b, omit ? [] : [["Content-Type", ct]]), 200);
  });

  test("hand-picked nasty bodies", async () => {
    const line = (extra: string) => `{"lines":[{"barcode":"${codes.milk}"${extra}}],"payments":[{"method":"cash","amount":500}]}`;
    const pay = (amount: string, method = "cash") => `{"lines":[{"barcode":"${codes.milk}"}],"payments":[{"method":"${method}","amount":${amount}}]}`;
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const bodies = [
      "",
      " ",
      "null",
      "[]",
      "{}",
      "0",
      "-0",
      '""',
      "true",
      "1e999",
      "NaN",
      "Infinity",
      "{",
      "}",
      '{"lines":',
      "\ufeff{}",
      "{'lines': []}",
      '{"lines":[],}',
      '{"lines":[] /* c */}',
      `${JSON.stringify(validSale())}xyz`,
      `${JSON.stringify(validSale())}\u0000`,
      ...["1e308", "1e999", "-1e999", "-0", "-0.0", "0", "1e-400", "5e-10", "1e20", "1.0005", "1000", "1001", "999.9995", "-1", '"1"', "null", "[1]"].map((q) =>
        line(`,"qty":${q}`),
      ),
      ...["1e308", "1e999", "-0", "0", "1.5", "9007199254740993", "100000000001", "-1", "1e11", '"500"', "null", "true", "{}"].map((a) => pay(a)),
      pay("1e308", "card"),
      pay("9007199254740991", "voucher"),
      pay("500", "\\ud800"),
      pay("500", "__proto__"),
      `{"lines":[{"product_id":1e308}],"payments":[{"method":"cash","amount":500}]}`,
      `{"lines":[{"product_id":9007199254740993}],"payments":[{"method":"cash","amount":500}]}`,
      `{"lines":[{"product_id":-0}],"payments":[{"method":"cash","amount":500}]}`,
      `{"lines":[{"sku":"\\ud800"}],"payments":[{"method":"cash","amount":500}]}`,
      `{"lines":[{"barcode":"\\u0000"}],"payments":[{"method":"cash","amount":500}]}`,
      `{"lines":[],"lines":[{"barcode":"${codes.milk}"}],"payments":[],"payments":[{"method":"cash","amount":0}]}`,
      `{"__proto__":{"lines":[{"barcode":"${codes.milk}"}]},"payments":[{"method":"cash","amount":500}]}`,
      `{"lines":[{"__proto__":{"barcode":"${codes.milk}"}}],"payments":[{"method":"cash","amount":500}]}`,
      `{"constructor":{"prototype":{"polluted":1}},"lines":[{"barcode":"${codes.milk}"}],"payments":[{"method":"cash","amount":500}]}`,
      line(',"__proto__":null'),
      line(',"constructor":"x"'),
      `{"lines":[{"barcode":"${codes.milk}"}],"payments":[{"method":"card","amount":119,"card":{"__proto__":{"number":"4242424242424242"}}}]}`,
      deep,
      `{"lines":${deep}}`,
      `{"lines":[{"barcode":${deep}}],"payments":[]}`,
      `{"x":${deep}}`,
      `{"lines":[{"barcode":"${"x".repeat(1_100_000)}"}],"payments":[]}`,
      `{"lines":[{"barcode":"${"y".repeat(100_000)}"}],"payments":[{"method":"cash","amount":1}]}`,
      JSON.stringify({ lines: Array.from({ length: 501 }, () => ({ barcode: codes.milk })), payments: [{ method: "cash", amount: 1e9 }] }),
      JSON.stringify({ lines: Array.from({ length: 500 }, () => ({ barcode: codes.wine, qty: 1000 })), payments: [{ method: "cash", amount: 1 }] }),
      JSON.stringify({ lines: [{ barcode: codes.milk }], payments: Array.from({ length: 21 }, () => ({ method: "cash", amount: 100 })) }),
      JSON.stringify({ lines: [{ barcode: codes.milk }], payments: Array.from({ length: 20 }, () => ({ method: "card", amount: 100_000_000_000 })) }),
      JSON.stringify({ lines: [{ barcode: codes.apples, qty: 2 }], payments: [{ method: "cash", amount: 10_000 }] }),
      JSON.stringify({ lines: [{ barcode: codes.ham, qty: 0.5 }], payments: [{ method: "cash", amount: 10_000 }] }),
    ];
    await probeAll(bodies.map((b) => sellRaw(b)));
  });

  test("Content-Length and Transfer-Encoding that do not match the body", async () => {
    const body = JSON.stringify(validSale());
    const big = `{"lines":[{"barcode":"${"x".repeat(1_100_000)}"}],"payments":[]}`;
    const lengths = ["0", "1", "-1", "abc", "99999999999999999999", "1e3", String(body.length + 10), "5, 5"];
    await probeAll([
      ...lengths.map((n) => sellRaw(body, [json, ["Content-Length", n]])),
      ...lengths.map((n) => sellRaw(big, [json, ["Content-Length", n]])),
      sellRaw(body, [json, ["Transfer-Encoding", "chunked"]]),
      sellRaw(big, [json, ["Transfer-Encoding", "gzip"]]),
      sellRaw(body, [json, ["Content-Encoding", "gzip"]]),
      sellRaw(body, [json, ["Content-Encoding", "br"]]),
    ]);
  });

  test("bad Idempotency-Key headers, and a key reused for another sale", async () => {
    const body = JSON.stringify(validSale());
    const keys = ["", " ", "a b", "é", "\u00ff", "x".repeat(256), "\t", "\u0001", "key\u007f"];
    await probeAll(keys.map((k) => sellRaw(body, [json, ["Idempotency-Key", k]])));
    const first = await probe(sellRaw(body, [json, ["Idempotency-Key", "fuzz-key-1"]]));
    expect(first).toBeNull();
    const other = JSON.stringify({ lines: [{ barcode: codes.bread }], payments: [{ method: "cash", amount: 500 }] });
    await probeAll([sellRaw(other, [json, ["Idempotency-Key", "fuzz-key-1"]])]);
  });
});

describe("POST /api/v1/returns with malformed bodies", () => {
  const validReturn = () => ({ sale_id: saleId, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" });
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const returnArb = fc
    .record({
      sale_id: maybe(fc.oneof(fc.constant(saleId), nastyString, nastyValue)),
      receipt_code: maybe(fc.oneof(fc.constantFrom("001-000001", "001-999999", "000-000000", `${"9".repeat(40)}-000001`), nastyString, nastyValue)),
      lines: maybe(
        fc.oneof(
          fc.array(fc.record({ line_no: fc.oneof(fc.constant(1), nastyNumber, nastyValue), qty: fc.oneof(fc.constant(1), nastyNumber, nastyValue) }), {
            maxLength: 4,
          }),
          nastyValue,
        ),
      ),
      refunds: maybe(
        fc.oneof(
          fc.array(
            fc.record({
              method: fc.oneof(fc.constantFrom("cash", "card", "voucher"), nastyString),
              amount: fc.oneof(nastyNumber, nastyValue),
              card: maybe(fc.oneof(fc.record({ brand: maybe(nastyString), last4: maybe(nastyString), auth_code: maybe(nastyString) }), nastyValue)),
            }),
            { maxLength: 3 },
          ),
          nastyValue,
        ),
      ),
      reason: maybe(fc.oneof(fc.constantFrom("changed_mind", "damaged"), nastyString, nastyValue)),
    })
    .map((r) => objectOf(Object.entries(r).filter(([, v]) => v !== undefined)));

  test("random JSON values as the body", async () => {
    await fuzz(fc.jsonValue(), (v) => returnRaw(JSON.stringify(v) ?? ""), 200);
  });

  test("return-shaped bodies with wrong types, huge numbers, unicode and prototype keys", async () => {
    await fuzz(returnArb, (v) => returnRaw(JSON.stringify(v)), 1500);
  });

  test("valid return text with random edits, and a key reused for another return", async () => {
    const valid = JSON.stringify(validReturn());
    const edit = fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 4 }), fc.string({ unit: "binary", maxLength: 4 }))
      .map(([at, remove, insert]) => valid.slice(0, at) + insert + valid.slice(at + remove));
    await fuzz(edit, (body) => returnRaw(body), 300);
    await probeAll(["", " ", "a b", "é", "x".repeat(256), "\u0001"].map((k) => returnRaw(valid, [json, ["Idempotency-Key", k]])));
    await probeAll([returnRaw(JSON.stringify({ ...validReturn(), reason: "damaged" }), [json, ["Idempotency-Key", "fuzz-key-1"]])]);
  });
});

describe("query strings, path params, tokens and methods", () => {
  test("absurd query strings on the listing routes", async () => {
    await fuzz(fc.tuple(listRoute, queryString), ([route, qs]) => ({ path: route + qs }), 1000);
  });

  test("hand-picked query strings", async () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const queries = [
      "/api/v1/sales?limit=-1",
      "/api/v1/sales?limit=1e9",
      "/api/v1/sales?limit=0",
      "/api/v1/sales?limit=&limit=",
      "/api/v1/sales?limit=5&limit=6",
      "/api/v1/sales?cursor=%%%",
      `/api/v1/sales?cursor=${cursor({ at: 1, id: [] })}`,
      `/api/v1/sales?cursor=${cursor({ at: "\ud800", id: "x".repeat(10_000) })}`,
      "/api/v1/sales?from=9999-99-99",
      "/api/v1/sales?from=2026-11-25&to=2026-11-25T10:00Z",
      "/api/v1/sales?from=2026-11-25T10:00%2B99:99",
      "/api/v1/summary?from=9999-99-99",
      "/api/v1/summary?from=0000-01-01&to=9999-12-31",
      "/api/v1/summary?to=-1",
      "/api/v1/summary?from=2026-11-25T10:00:00.123456789Z",
      "/api/v1/summary?from[]=x",
      "/api/v1/summary?from=%ED%A0%80",
      "/api/v1/products?q=%22",
      "/api/v1/products?q=NEAR(milk%20bread)",
      "/api/v1/products?q=milk%20OR%20",
      "/api/v1/products?q=*",
      "/api/v1/products?q=name%3Amilk",
      "/api/v1/products?q=%7Bname%7D%3Am*",
      "/api/v1/products?q=%5E%22a%22",
      "/api/v1/products?q=%00",
      `/api/v1/products?q=${"a%20".repeat(66)}`,
      `/api/v1/products?cursor=${cursor(1e308)}`,
      `/api/v1/products?cursor=${cursor(-1)}`,
      `/api/v1/products?cursor=${cursor(2 ** 60)}`,
      "/api/v1/products?barcode=",
      "/api/v1/products?barcode=%20",
      `/api/v1/products?barcode=${"9".repeat(64)}`,
      `/api/v1/products?barcode=${"9".repeat(65)}`,
      "/api/v1/products?barcode=2300010012345",
      "/api/v1/products?barcode=%ED%A0%80",
      "/api/v1/products?limit=500&q=e",
      `/healthz?${"x=1&".repeat(5000)}`,
    ];
    await probeAll(queries.map((path) => ({ path })));
  });

  test("path params with % encodings and very long ids", async () => {
    const prefix = fc.constantFrom("/api/v1/sales/", "/api/v1/products/", "/api/v1/summary/", "/healthz/", "/api/v1/returns/", "/api/v1/stock/");
    await fuzz(fc.tuple(prefix, pathId), ([p, id]) => ({ path: p + id }), 400);
    await probeAll([
      { path: `/api/v1/sales/${saleId}` },
      { path: `/api/v1/sales/${saleId}x` },
      { path: `/api/v1/sales/${saleId.toUpperCase()}` },
      { path: `/api/v1/sales/${percent(saleId)}` },
      { path: "/api/v1/products/1" },
      { path: "/api/v1/products/%31" },
      { path: "/api/v1/sales/a/b/c" },
      { path: "/api/v1//sales" },
      { path: "/api/v1/sales/%2Fetc%2Fpasswd" },
      { path: "/%" },
    ]);
  });

  test("missing and garbled Authorization headers", async () => {
    const auth = fc.oneof(
      fc.constantFrom(
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer x y",
        `Bearer ${t.token}x`,
        `Bearer ${t.token.toUpperCase()}`,
        `Bearer ${t.token} ${t.token}`,
        `bearer ${t.token}`,
        `Bearer\t${t.token}`,
        t.token,
        `Token ${t.token}`,
        `Bearer ${"x".repeat(100_000)}`,
        "Bearer \u00ff\u00fe",
        "Bearer sf_",
        "Bearer null",
      ),
      headerValue,
      headerValue.map((v) => `Bearer ${v}`),
    );
    const request = fc.oneof(
      fc
        .constantFrom("/api/v1/sales", `/api/v1/sales/${saleId}`, "/api/v1/products", "/api/v1/products/1", "/api/v1/summary", "/api/v1/nowhere", "/healthz")
        .map((path): Probe => ({ path })),
      fc.constant<Probe>(sellRaw(JSON.stringify(validSale()))),
    );
    await fuzz(
      fc.tuple(request, fc.option(auth)),
      ([r, a]) => (a === null ? { ...r, auth: false } : { ...r, headers: [...(r.headers ?? []), ["Authorization", a]] }),
      300,
    );
  });

  test("unknown and unexpected methods on every route", async () => {
    const routes = [
      "/",
      "/healthz",
      "/api",
      "/api/v1",
      "/api/v1/sales",
      `/api/v1/sales/${saleId}`,
      "/api/v1/sales/nope",
      "/api/v1/products",
      "/api/v1/products/1",
      "/api/v1/products/999",
      "/api/v1/summary",
      "/api/v1/returns",
      "/api/v1/returns/nope",
      "/api/v1/products/1/stock",
      "/api/v1/products/1/deactivate",
      "/api/v1/products/bulk",
      "/api/v1/products/export.csv",
      "/api/v1/stock/deliveries",
      "/api/v1/stock/adjustments",
      "/api/v1/nowhere",
    ];
    const methods = ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "PURGE", "propfind", "POST", "GET"];
    const bodies: { headers: [string, string][]; body?: string }[] = [
      { headers: [] },
      { headers: [json], body: JSON.stringify(validSale()) },
      { headers: [json], body: "{" },
      { headers: [["Content-Type", "text/plain"]], body: "hello" },
    ];
    const cases: Probe[] = [];
    for (const path of routes) {
      for (const method of methods) {
        for (const b of bodies) {
          if ((method === "GET" || method === "HEAD") && b.body !== undefined) continue;
          cases.push({ method, path, ...b });
          cases.push({ method, path, ...b, auth: false });
        }
      }
    }
    await probeAll(cases);
  });
});

test("the server still sells afterwards, and every refused request above wrote nothing", async () => {
  expect(sent).toBeGreaterThan(4000);
  for (const answer of [
    "201",
    "200",
    "400 invalid_request",
    "400 malformed_json",
    "400 invalid_period",
    "400 invalid_cursor",
    "401 token_required",
    "401 token_invalid",
    "404 not_found",
    "413 body_too_large",
    "415 unsupported_media_type",
    "422 invalid_quantity",
    "422 invalid_amount",
    "422 unknown_barcode",
    "422 unknown_payment_method",
    "422 underpaid",
  ])
    expect(answers).toContain(answer);
  const before = footprint(t.store);
  const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: [{ sku: "PAPER-DAILY" }], payments: [{ method: "cash", amount: 250 }] } });
  expect(res.status).toBe(201);
  const sale = await res.json();
  expect(sale.status).toBe("completed");
  const after = footprint(t.store);
  expect(after.sales).toBe(before.sales! + 1);
  expect(after.outbox).toBe(before.outbox! + 1);
  const back = await t.api(`/api/v1/sales/${sale.id}`);
  expect(back.status).toBe(200);
  expect((await back.json()).receipt_number).toBe(sale.receipt_number);
  const health = await t.app.request("/healthz");
  expect(health.status).toBe(200);
  expect((await health.json()).status).toBe("ok");
  expect(serverLog).toEqual([]);
});
