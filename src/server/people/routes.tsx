// Sign-in, pairing, shifts and cash-up, audit log and users.

import type { Context } from "hono";
import { Hono } from "hono";
import { isCalendarDate, nextDay } from "../../domain/kernel/calendar.ts";
import { currencyDigits, minorToDecimal, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { countDenominations, type ShiftReport } from "../../domain/shift/shift.ts";
import { AuditPage, CloseShiftPage, LoginPage, OpenShiftPage, PairPage, ReportView, SetupPage, ShiftDialog, UsersPage } from "../../views/people/pages.tsx";
import { ensureRegister } from "../api/tokens.ts";
import { toCsv } from "../audit/audit-log.ts";
import type { Store } from "../compose.ts";
import { readForm } from "../platform/http/form.ts";
import { statusOf } from "../platform/http/problems.ts";
import type { User } from "./actions.ts";
import { COOKIES, type PeopleEnv, requireRole, setSessionCookie } from "./guard.ts";
import { countPairingTry, countPinTry, triesKey } from "./pin-throttle.ts";
import { atLeast } from "./roles.ts";
import { ABSOLUTE_HOURS } from "./sessions.ts";

const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

/**
 * Who approves a restricted action: the user when they are a manager, else the manager chosen in the form (`approver`)
 * typing their PIN (`manager_pin`). Wrong PINs count against that manager; the asking cashier is also limited to 10
 * tries a minute.
 */
export async function approval(store: Store, user: User, form: Record<string, string>, what: string) {
  if (atLeast(user.role, "manager")) return { user, approver: user };
  const pin = (form.manager_pin ?? "").trim();
  if (!pin) throw new Problem("approval_needed", `${what} needs a manager's approval: a manager types their PIN.`);
  countPinTry(store.db, `user:${user.id}`, store.clock.now()); // a cashier may not guess a manager's PIN
  const approverId = Number(form.approver);
  if (!Number.isSafeInteger(approverId) || approverId <= 0)
    throw new Problem("approval_needed", `${what} needs a manager's approval: choose the manager who approves.`);
  try {
    const approver = await store.users.approve(approverId, pin, store.clock.now(), "register");
    return { user, approver };
  } catch (e) {
    // a wrong or refused approval is on record: who asked, for what, naming whom
    if (e instanceof Problem) {
      store.audit.record({
        at: store.clock.now().toISOString(),
        userId: user.id,
        userName: user.name,
        action: "approval.refused",
        subject: what,
        detail: { approver: store.users.byId(approverId)?.name ?? null, code: e.code },
      });
    }
    throw e;
  }
}

/** The managers who could approve for `user`: none to choose when the user is a manager. */
export const approversFor = (store: Store, user: User): { id: number; name: string }[] =>
  atLeast(user.role, "manager") ? [] : store.users.approvers().map((u) => ({ id: u.id, name: u.name }));

export function peopleRoutes(store: Store) {
  const app = new Hono<PeopleEnv>();
  const now = () => store.clock.now().toISOString();
  const locale = () => ({ currency: store.settings().currency, timeZone: store.settings().timeZone });
  const digits = () => currencyDigits(store.settings().currency);
  const amount = (text: string | undefined, what: string): number | null => {
    if (text === undefined || text.trim() === "") return null;
    const v = parseDecimalToMinor(text, digits());
    if (v === null || v < 0) throw new Problem("invalid_amount", `${what} must be an amount like 150.00.`);
    return v;
  };
  /** A total, or a count note by note (fields d_5000=3 ...): the count wins when both are given. */
  const counted = (f: Record<string, string>, field: string, what: string): { total: number; detail: Record<string, number> | null } => {
    const detail: Record<string, number> = {};
    for (const d of DENOMINATIONS) {
      const n = f[`d_${d}`];
      if (n !== undefined && n.trim() !== "") {
        if (!/^\d{1,5}$/.test(n.trim())) throw new Problem("invalid_count", "Count each note and coin as a whole number.");
        detail[String(d)] = Number(n.trim());
      }
    }
    if (Object.keys(detail).length > 0) return { total: countDenominations(detail), detail };
    const total = amount(f[field], what);
    if (total === null) throw new Problem("count_required", `Type ${what.toLowerCase()}, or count it note by note.`);
    return { total, detail: null };
  };
  const audit = (c: Context<PeopleEnv>, action: string, subject: string | null, detail: unknown, approvedBy?: string | null) =>
    store.audit.record({
      at: now(),
      userId: c.get("user")?.id ?? null,
      userName: c.get("user")?.name ?? null,
      approvedBy: approvedBy ?? null,
      register: c.get("device")?.registerName ?? null,
      action,
      subject,
      detail,
    });

  // A form error re-shows the page with the sentence; nothing was changed.
  const again = (_c: Context<PeopleEnv>, render: (message: string) => Response | Promise<Response>) => async (e: unknown) => {
    if (e instanceof Problem) {
      const res = await render(e.message);
      return new Response(res.body, { status: statusOf[e.code], headers: res.headers });
    }
    throw e;
  };

  // First run: the page exists only while there is no admin.
  app.get("/setup", (c) => (store.users.hasAdmin() ? c.redirect("/login", 303) : c.html(<SetupPage csrf={c.get("csrf")} />)));
  app.post("/setup", async (c) => {
    if (store.users.hasAdmin()) throw new Problem("setup_done", "The store has its admin already; sign in instead.");
    const f = await readForm(c);
    return store.users.add(f.name ?? "", "admin", f.pin ?? "", now()).then(
      (u) => {
        store.audit.record({
          at: now(),
          userId: u.id,
          userName: u.name,
          action: "user.created",
          subject: u.name,
          detail: { role: "admin", via: "first-run page" },
        });
        return c.redirect("/pair", 303);
      },
      again(c, (m) => c.html(<SetupPage csrf={c.get("csrf")} message={m} />)),
    );
  });

  const registerNames = () =>
    store.db
      .query<{ name: string }, []>("SELECT name FROM registers ORDER BY name")
      .all()
      .map((r) => r.name);
  const pairPage = (c: Context<PeopleEnv>, message?: string) =>
    c.html(<PairPage csrf={c.get("csrf")} registers={registerNames()} managers={store.users.approvers()} message={message} />);
  app.get("/pair", (c) => (store.users.hasAdmin() ? pairPage(c) : c.redirect("/setup", 303)));
  app.post("/pair", async (c) => {
    const f = await readForm(c);
    const page = (m: string) => pairPage(c, m);
    const name = (f.register ?? "").trim();
    if (!name || name.length > 40) return again(c, page)(new Problem("invalid_register", "Give the register a name of 1 to 40 characters."));
    let manager: User;
    try {
      // each address, and the whole store, may try only so often: addresses are cheap to change on a LAN
      countPinTry(store.db, triesKey(c, null), store.clock.now());
      countPairingTry(store.db, store.clock.now());
      const managerId = Number(f.manager);
      if (!Number.isSafeInteger(managerId) || managerId <= 0) throw new Problem("approval_needed", "Choose the manager who pairs this register.");
      manager = await store.users.approve(managerId, f.manager_pin ?? "", store.clock.now(), "away");
    } catch (e) {
      if (e instanceof Problem && e.code !== "too_many_tries") {
        store.audit.record({
          at: now(),
          userId: null,
          userName: store.users.byId(Number(f.manager) || 0)?.name ?? null,
          register: name,
          action: "device.pair_failed",
          subject: name,
          detail: { code: e.code },
        });
      }
      return again(c, page)(e);
    }
    const registerId = ensureRegister(store.db, name, now());
    const token = store.sessions.pair(registerId, manager.id, now());
    setSessionCookie(c, COOKIES.device, token, 400 * 86400);
    store.audit.record({ at: now(), userId: manager.id, userName: manager.name, register: name, action: "device.paired", subject: name, detail: {} });
    return c.redirect("/login", 303);
  });

  const loginPage = (c: Context<PeopleEnv>, message?: string) =>
    c.html(<LoginPage csrf={c.get("csrf")} users={store.users.active()} register={c.get("device")?.registerName ?? null} message={message} />);
  app.get("/login", (c) => (store.users.hasAdmin() ? loginPage(c) : c.redirect("/setup", 303)));
  app.post("/login", async (c) => {
    const f = await readForm(c);
    // one device (or address) may not try PINs faster than a person: 10 tries a minute
    try {
      countPinTry(store.db, triesKey(c, c.get("device")?.id), store.clock.now());
    } catch (e) {
      return again(c, (m) => loginPage(c, m))(e);
    }
    const userId = Number(f.user_id);
    try {
      const user = await store.users.signIn(Number.isSafeInteger(userId) ? userId : 0, f.pin ?? "", store.clock.now(), c.get("device") ? "register" : "away");
      store.sessions.end(c.get("sessionCookie"), now());
      const s = store.sessions.start(user.id, c.get("device")?.id ?? null, now());
      setSessionCookie(c, COOKIES.session, s.cookie, ABSOLUTE_HOURS * 3600);
      store.audit.record({
        at: now(),
        userId: user.id,
        userName: user.name,
        register: c.get("device")?.registerName ?? null,
        action: "user.signed_in",
        subject: null,
        detail: {},
      });
      return c.redirect(c.get("device") ? "/" : "/devices", 303);
    } catch (e) {
      const who = store.users.byId(userId);
      store.audit.record({
        at: now(),
        userId: null,
        userName: who?.name ?? null,
        register: c.get("device")?.registerName ?? null,
        action: "user.sign_in_failed",
        subject: null,
        detail: { code: e instanceof Problem ? e.code : "error" },
      });
      return again(c, (m) => loginPage(c, m))(e);
    }
  });
  app.post("/logout", (c) => {
    audit(c, "user.signed_out", null, {});
    store.sessions.end(c.get("sessionCookie"), now());
    setSessionCookie(c, COOKIES.session, "", 1);
    if (c.req.header("HX-Request") === "true") {
      c.header("HX-Redirect", "/login");
      return c.body(null, 204);
    }
    return c.redirect("/login", 303);
  });

  // Shifts
  const till = new Hono<PeopleEnv>();
  till.use("/shift", requireRole("cashier", { device: true }));
  till.use("/shift/*", requireRole("cashier", { device: true }));
  const shiftOf = (c: Context<PeopleEnv>) => {
    const s = store.shifts.current(c.get("device")!.registerId);
    if (!s) throw new Problem("no_open_shift", "Open a shift first.");
    return s;
  };
  const openPage = (c: Context<PeopleEnv>, message?: string) =>
    c.html(
      <OpenShiftPage
        csrf={c.get("csrf")}
        register={c.get("device")!.registerName}
        user={c.get("user")!.name}
        denominations={DENOMINATIONS}
        locale={locale()}
        message={message}
      />,
    );
  till.get("/shift/open", (c) => (store.shifts.current(c.get("device")!.registerId) ? c.redirect("/", 303) : openPage(c)));
  till.post("/shift/open", async (c) => {
    const f = await readForm(c);
    try {
      const float = counted(f, "float", "The opening float");
      const shift = store.shifts.open(c.get("device")!.registerId, c.get("user")!.id, float.total, float.detail, now());
      audit(c, "shift.opened", String(shift.id), { float: float.total });
      return c.redirect("/", 303);
    } catch (e) {
      return again(c, (m) => openPage(c, m))(e);
    }
  });
  till.get("/shift", (c) =>
    c.html(
      <ShiftDialog
        csrf={c.get("csrf")}
        report={store.shifts.x(shiftOf(c))}
        locale={locale()}
        blind={store.settings().blindCount && !atLeast(c.get("user")!.role, "supervisor")}
        approvers={approversFor(store, c.get("user")!)}
      />,
    ),
  );
  till.post("/shift/cash", async (c) => {
    const f = await readForm(c);
    const shift = shiftOf(c);
    const kind = f.kind === "out" ? "out" : "in";
    const value = amount(f.amount, "The amount") ?? 0;
    const { user, approver } = kind === "out" ? await approval(store, c.get("user")!, f, "Taking cash out") : { user: c.get("user")!, approver: null };
    store.shifts.moveCash(shift.id, kind, value, f.reason ?? "", user.id, approver?.id ?? null, now());
    audit(c, `cash.${kind}`, String(shift.id), { amount: value, reason: f.reason }, approver && approver.id !== user.id ? approver.name : null);
    return c.html(
      <ShiftDialog
        csrf={c.get("csrf")}
        report={store.shifts.x(shift)}
        locale={locale()}
        blind={store.settings().blindCount && !atLeast(user.role, "supervisor")}
        approvers={approversFor(store, c.get("user")!)}
      />,
    );
  });
  const blindFor = (user: User) => store.settings().blindCount && !atLeast(user.role, "supervisor");
  // looking at the X report changes nothing; printing it is a POST, logged
  till.get("/shift/x", (c) => {
    const report = store.shifts.x(shiftOf(c));
    return c.html(<ReportView report={report} locale={locale()} title="X report — nothing reset" blind={blindFor(c.get("user")!)} printable />);
  });
  till.post("/shift/x/print", (c) => {
    const report = store.shifts.x(shiftOf(c));
    const blind = blindFor(c.get("user")!);
    audit(c, "shift.x_report", String(shiftOf(c).id), { printed: true, blind });
    printReport(c, report, "X REPORT", blind);
    return c.html(<ReportView report={report} locale={locale()} title="X report — sent to the printer" blind={blind} printable />);
  });
  const openSalesOf = store.db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM sales WHERE register_id = ? AND status IN ('open', 'parked')");
  const closePage = (c: Context<PeopleEnv>, report: ShiftReport | null, message?: string) =>
    c.html(
      <CloseShiftPage
        csrf={c.get("csrf")}
        register={c.get("device")!.registerName}
        denominations={DENOMINATIONS}
        locale={locale()}
        report={report}
        message={message}
        openSales={report ? 0 : openSalesOf.get(c.get("device")!.registerId)!.n}
        approvers={atLeast(c.get("user")!.role, "supervisor") ? [] : approversFor(store, c.get("user")!)}
      />,
    );
  till.get("/shift/close", (c) => {
    shiftOf(c);
    return closePage(c, null);
  });
  till.post("/shift/close", async (c) => {
    const f = await readForm(c);
    try {
      const shift = shiftOf(c);
      const count = counted(f, "counted", "The counted cash");
      const { user, approver } = atLeast(c.get("user")!.role, "supervisor")
        ? { user: c.get("user")!, approver: null }
        : await approval(store, c.get("user")!, f, "Closing a shift");
      const report = store.shifts.close(shift.id, count.total, count.detail, user.id, now());
      audit(c, "shift.closed", String(shift.id), { counted: count.total, expected: report.expectedCash, overShort: report.overShort }, approver?.name ?? null);
      printReport(c, report, "Z REPORT", false);
      return closePage(c, report);
    } catch (e) {
      return again(c, (m) => closePage(c, null, m))(e);
    }
  });

  /** A report on the register's printer; `blind` leaves out what the drawer should hold, as the screen does. */
  function printReport(c: Context<PeopleEnv>, r: ShiftReport, title: string, blind: boolean): void {
    const m = (n: number) => minorToDecimal(n, digits());
    const rows: [string, string][] = [
      ["Sales", String(r.salesCount)],
      ["Sales total", m(r.salesTotal)],
      ["Discounts", m(r.discountTotal)],
      ["Cancelled", String(r.cancelledCount)],
      ...r.taxes.map((t) => [`Tax ${t.taxClass} ${t.rateBp / 100}%`, m(t.tax)] as [string, string]),
      ...r.tenders.map((t) => [`Takings ${t.method}`, m(t.amount)] as [string, string]),
      ["Float", m(r.openingFloat)],
      ["Cash in", m(r.cashIn)],
      ["Cash out", m(r.cashOut)],
      ...(blind ? [] : [["Expected cash", m(r.expectedCash)] as [string, string]]),
      ...(r.countedCash !== null && !blind
        ? [["Counted cash", m(r.countedCash)] as [string, string], [r.overShort! >= 0 ? "Over" : "Short", m(r.overShort!)] as [string, string]]
        : []),
    ];
    store.printing.queueReport(
      c.get("device")!.registerId,
      {
        title,
        subtitle: [store.settings().storeName, c.get("device")!.registerName, c.get("user")!.name],
        rows,
        at: now(),
        timeZone: store.settings().timeZone,
      },
      c.get("user")!.name,
    );
    store.printing.worker.kick();
  }

  // Back office
  const office = new Hono<PeopleEnv>();
  office.use("/audit", requireRole("manager"));
  office.use("/audit.csv", requireRole("manager"));
  office.use("/users", requireRole("manager"));
  office.use("/users/*", requireRole("manager"));
  const filterOf = (c: Context<PeopleEnv>) => {
    const q = (k: string) => c.req.query(k)?.slice(0, 60) || undefined;
    const day = (k: string) => (q(k) && isCalendarDate(q(k)!) ? q(k) : undefined);
    const to = day("to");
    return { user: q("user"), action: q("action"), from: day("from"), to: to ? nextDay(to) : undefined, toShown: to };
  };
  office.get("/audit", (c) => {
    const f = filterOf(c);
    return c.html(
      <AuditPage
        csrf={c.get("csrf")}
        rows={store.audit.find({ ...f, limit: 500 })}
        filter={{ user: f.user, action: f.action, from: f.from, to: f.toShown }}
        locale={locale()}
      />,
    );
  });
  office.get("/audit.csv", (c) => {
    const rows = store.audit.find({ ...filterOf(c), limit: 10_000 });
    return c.body(toCsv(rows), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="audit-log.csv"' });
  });
  const usersPage = (c: Context<PeopleEnv>, message?: string) => c.html(<UsersPage csrf={c.get("csrf")} users={store.users.all()} message={message} />);
  office.get("/users", (c) => usersPage(c));
  office.post("/users", async (c) => {
    if (!atLeast(c.get("user")!.role, "admin")) throw new Problem("forbidden", "Only an admin adds users.");
    const f = await readForm(c);
    try {
      const u = await store.users.add(f.name ?? "", f.role ?? "", f.pin ?? "", now());
      audit(c, "user.created", u.name, { role: u.role });
      return usersPage(c, `${u.name} added as ${u.role}.`);
    } catch (e) {
      return again(c, (m) => usersPage(c, m))(e);
    }
  });
  office.post("/users/:id/disable", (c) => {
    if (!atLeast(c.get("user")!.role, "admin")) throw new Problem("forbidden", "Only an admin disables users.");
    const u = store.users.byId(Number(c.req.param("id")) || 0);
    if (!u) throw new Problem("user_not_found", "No such user.");
    store.users.disable(u.id, now());
    audit(c, "user.disabled", u.name, {});
    return usersPage(c, `${u.name} is disabled and signed out everywhere.`);
  });
  office.post("/users/:id/unlock", (c) => {
    const u = store.users.byId(Number(c.req.param("id")) || 0);
    if (!u) throw new Problem("user_not_found", "No such user.");
    store.users.unlock(u.id);
    audit(c, "user.unlocked", u.name, {});
    return usersPage(c, `${u.name} can sign in again.`);
  });

  app.route("/", till);
  app.route("/", office);
  return app;
}
