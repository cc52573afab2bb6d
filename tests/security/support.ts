// What the security tests share: a browser's cookies, requests the way a page or htmx sends them, the store's
// state in counts ("nothing changed" means these did not move), and how an allowed or denied answer looks.
import type { Shop } from "../../src/server/compose.ts";
import { footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

/** A browser as the server sees it: the cookies it holds. Any of them may be missing. */
export type Browser = { device?: string; session?: string; csrf?: string };

export function browserOf(who: SignedIn): Browser {
  const jar = Object.fromEntries(who.cookie.split("; ").map((c) => [c.slice(0, c.indexOf("=")), c.slice(c.indexOf("=") + 1)]));
  return { device: jar.sf_device, session: jar.sf_session, csrf: jar.sf_csrf };
}

export function cookieHeader(b: Browser): string {
  return [b.device && `sf_device=${b.device}`, b.session && `sf_session=${b.session}`, b.csrf && `sf_csrf=${b.csrf}`].filter(Boolean).join("; ");
}

export type Send = {
  browser?: Browser;
  form?: Record<string, string>;
  /** The X-CSRF-Token header: the browser's own token unless given; null sends none. */
  token?: string | null;
  htmx?: boolean;
  headers?: Record<string, string>;
};

/** One request from a browser, in-process. POSTs carry a form and, unless told otherwise, the CSRF header. */
export function send(t: Pick<TestStore, "app">, method: string, path: string, o: Send = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const cookie = o.browser ? cookieHeader(o.browser) : "";
  if (cookie) headers.Cookie = cookie;
  const token = o.token === undefined ? o.browser?.csrf : o.token;
  if (method !== "GET" && token !== null && token !== undefined) headers["X-CSRF-Token"] = token;
  if (o.htmx) headers["HX-Request"] = "true";
  let body: string | undefined;
  if (method !== "GET") {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(o.form ?? {}).toString();
  }
  return Promise.resolve(t.app.request(path, { method, headers: { ...headers, ...o.headers }, body }));
}

/** A cookie the server set on this response, with its attributes in lower case: `{ value, httponly: "", samesite: "Strict", ... }`. */
export function setCookie(res: Response, name: string): ({ value: string } & Record<string, string>) | null {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(";").map((s) => s.trim());
    if (!pair!.startsWith(`${name}=`)) continue;
    const out: { value: string } & Record<string, string> = { value: pair!.slice(name.length + 1) };
    for (const a of attrs) {
      const i = a.indexOf("=");
      out[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? "" : a.slice(i + 1);
    }
    return out;
  }
  return null;
}

/** Where a refusal sends the browser: a page redirect, or htmx's HX-Redirect. */
export function sentTo(res: Response): string | null {
  return res.headers.get("HX-Redirect") ?? (res.status >= 300 && res.status < 400 ? res.headers.get("Location") : null);
}

/** Denied: 401 or 403, or sent to sign in or to pairing. Anything else got through the gate (404 or 409 included). */
export function isDenied(res: Response): boolean {
  const to = sentTo(res);
  return res.status === 401 || res.status === 403 || to === "/login" || to === "/pair";
}

/** The error code of a JSON error body, of an HTML error (its data-code), or of the register's (its HX-Trigger header). */
export async function errorCode(res: Response): Promise<string | null> {
  const text = await res.clone().text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string } };
    if (body.error?.code) return body.error.code;
  } catch {
    // not JSON: the register's error fragment
  }
  const marked = /data-code="([a-z_]+)"/.exec(text);
  if (marked) return marked[1]!;
  const trigger = res.headers.get("HX-Trigger");
  if (trigger) {
    try {
      return (JSON.parse(trigger) as { "till-error"?: { code?: string } })["till-error"]?.code ?? null;
    } catch {
      return null;
    }
  }
  return null;
}

const count = (store: Shop, sql: string) => store.db.query<{ n: number }, []>(sql).get()!.n;

/**
 * Everything a page request could change, as numbers: what a sale writes, plus shifts, cash, printers, users,
 * devices, sessions, print jobs and the audit log.
 */
export function state(store: Shop): Record<string, number> {
  return {
    ...footprint(store),
    shifts: count(store, "SELECT count(*) AS n FROM shifts"),
    shiftsOpen: count(store, "SELECT count(*) AS n FROM shifts WHERE closed_at IS NULL"),
    cash_movements: count(store, "SELECT count(*) AS n FROM cash_movements"),
    printers: count(store, "SELECT count(*) AS n FROM printers"),
    defaultPrinter: count(store, "SELECT coalesce(max(CASE WHEN is_default = 1 THEN id END), 0) AS n FROM printers"),
    users: count(store, "SELECT count(*) AS n FROM users"),
    usersDisabled: count(store, "SELECT count(*) AS n FROM users WHERE disabled = 1"),
    devices: count(store, "SELECT count(*) AS n FROM devices"),
    sessions: count(store, "SELECT count(*) AS n FROM sessions"),
    sessionsEnded: count(store, "SELECT count(*) AS n FROM sessions WHERE ended_at IS NOT NULL"),
    print_jobs: count(store, "SELECT count(*) AS n FROM print_jobs"),
    audit_log: count(store, "SELECT count(*) AS n FROM audit_log"),
    pin_attempts: count(store, "SELECT count(*) AS n FROM pin_attempts"),
    settingsChanged: count(store, "SELECT count(*) AS n FROM settings WHERE key LIKE 'hq_%' AND value <> ''"),
  };
}

/** A sale with one line open on a register, as the till would have it. */
export function openSaleWith(t: TestStore, registerId: number, barcode: string): string {
  const r = t.store.till.scan(registerId, barcode);
  return r.sale!.saleId;
}

export const MINUTE = 60_000;

/**
 * A store with a manager (Maria, on lane 9, no shift) and a cashier signed in on lane 1 with an open shift: the
 * cashier's browser, and the form fields by which Maria approves on the cashier's screen.
 */
export async function cashierAndManager(): Promise<{ t: TestStore; boss: SignedIn; clerk: SignedIn; cashier: Browser }> {
  const t = makeTestStore();
  const boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria" });
  const clerk = await signIn(t.store, 1);
  return { t, boss, clerk, cashier: browserOf(clerk) };
}

/** The approval fields of a form: the manager chosen, and their PIN. */
export const approvalBy = (manager: SignedIn) => ({ approver: String(manager.userId), manager_pin: manager.pin });
