// What the head-office tests share: a throwaway PostgreSQL with head office's schema and the real app on it (with a
// clock the test moves), and a person's browser as the server sees it — cookies kept between requests, the CSRF token
// read from the page, forms posted the way a page posts them.
import { createHqApp } from "../../src/sync/hq/app.ts";
import { type HqSql, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { addUser, type HqRole } from "../../src/sync/hq/people/users.ts";
import { startPostgres, type TestPostgres } from "../helpers/pg.ts";
import { TestClock } from "../helpers/store.ts";

export type Hq = {
  pg: TestPostgres;
  sql: HqSql;
  clock: TestClock;
  app: ReturnType<typeof createHqApp>;
  close(): Promise<void>;
};

export async function startHq(options: { currency?: string } = {}): Promise<Hq> {
  const pg = await startPostgres();
  const sql = openHq(pg.url);
  try {
    await migrateHq(sql);
  } catch (e) {
    await sql.end({ timeout: 5 });
    await pg.cleanup();
    throw e;
  }
  const clock = new TestClock(new Date());
  // the dashboard is reached by the name hq.test in these tests, as a real one is by its configured name
  const app = createHqApp(sql, "test", { clock, currency: options.currency ?? "EUR", allowedHosts: ["hq.test"] });
  return {
    pg,
    sql,
    clock,
    app,
    async close() {
      await sql.end({ timeout: 5 });
      await pg.cleanup();
    },
  };
}

export const ORIGIN = "http://hq.test";

/** The value of `name="_csrf"` on a page: what the page's forms send back. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF token on the page:\n${html.slice(0, 500)}`);
  return m[1]!;
}

export type Send = {
  form?: Record<string, string>;
  /** The _csrf form field: the page's token unless given; null sends none. */
  csrf?: string | null;
  /** The Origin header: our own unless given; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
};

let visitors = 0;

/** One person's browser: its cookies, the CSRF token of the last page it read, and its network address. */
export class Visitor {
  cookies = new Map<string, string>();
  csrf = "";

  /** Each browser comes from an address of its own unless told, so sign-in throttling counts per test as it would per person. */
  constructor(
    readonly hq: Pick<Hq, "app">,
    readonly address = `198.51.100.${++visitors % 250}`,
  ) {}

  async request(method: string, path: string, o: Send = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: "text/html", Host: "hq.test" };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (method !== "GET") {
      const origin = o.origin === undefined ? ORIGIN : o.origin;
      if (origin !== null) headers.Origin = origin;
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      const csrf = o.csrf === undefined ? this.csrf : o.csrf;
      body = new URLSearchParams({ ...(csrf !== null ? { _csrf: csrf } : {}), ...(o.form ?? {}) }).toString();
    }
    // what Bun.serve hands the app as its server: here only the client's address, as getConnInfo asks for it
    const server = { requestIP: () => ({ address: this.address, family: "IPv4", port: 40000 }) };
    const res = await this.hq.app.request(`${ORIGIN}${path}`, { method, headers: { ...headers, ...o.headers }, body }, server);
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      if (/max-age=(0|1)\b/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** GET a page and keep its CSRF token when it has one. */
  async page(path: string): Promise<{ res: Response; html: string }> {
    const res = await this.request("GET", path);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { res, html };
  }

  /** Sign in through the sign-in page; returns the answer to the form. */
  async signIn(name: string, password: string, headers?: Record<string, string>): Promise<Response> {
    await this.page("/login");
    const res = await this.request("POST", "/login", { form: { name, password, next: "/" }, headers });
    if (res.status === 303) await this.page("/");
    return res;
  }
}

/** A user added straight to the database (the CLI's way), and a browser signed in as them. */
export async function signedIn(hq: Hq, name: string, role: HqRole, password = `${name}-password-1`): Promise<Visitor> {
  await addUser(hq.sql, { name, role, password, createdBy: "test" });
  const v = new Visitor(hq);
  const res = await v.signIn(name, password);
  if (res.status !== 303) throw new Error(`${name} could not sign in: ${res.status} ${await res.text()}`);
  return v;
}

/** Where a refusal sent the browser, if anywhere. */
export function sentTo(res: Response): string | null {
  return res.headers.get("HX-Redirect") ?? (res.status >= 300 && res.status < 400 ? res.headers.get("Location") : null);
}

/** The code of an error: from a JSON body, or from the data-code of an HTML error page. */
export async function errorCode(res: Response): Promise<string | null> {
  const text = await res.clone().text();
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return /data-code="([^"]+)"/.exec(text)?.[1] ?? null;
  }
}

/** Row counts of every table a person can change through the dashboard: "nothing changed" means none of these moved. */
export async function footprint(sql: HqSql): Promise<Record<string, string>> {
  const [r] = await sql<Record<string, string>[]>`
    SELECT
      (SELECT count(*) FROM hq_users)::text || '/' || (SELECT count(*) FROM hq_users WHERE disabled)::text AS users,
      (SELECT count(*) FROM hq_api_tokens)::text || '/' || (SELECT count(*) FROM hq_api_tokens WHERE revoked_at IS NOT NULL)::text AS tokens,
      (SELECT count(*) FROM stores)::text AS stores,
      (SELECT count(*) FROM catalog_releases)::text AS releases,
      (SELECT coalesce(string_agg(kind || ':' || key || ':' || item::text, '|' ORDER BY kind, key), '') FROM catalog_draft_changes) AS draft,
      (SELECT count(*) FROM hq_sessions WHERE ended_at IS NULL)::text AS live_sessions`;
  return r!;
}

/** The events of an SSE response as they come: each read waits at most 10 s. */
export function eventsOf(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<{ event: string; data: string }> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n").filter((l) => !l.startsWith(":"));
          if (lines.length === 0) continue; // a comment only: the stream saying it is still there
          const field = (name: string) => lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart());
          return { event: field("event")[0] ?? "message", data: field("data").join("\n") };
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within 10 s; got so far: ${JSON.stringify(buffer)}`);
        const chunk = await Promise.race([reader.read(), Bun.sleep(left).then(() => null)]);
        if (chunk === null) continue;
        if (chunk.done) throw new Error("the stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}
