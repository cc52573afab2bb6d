// Signing in and cashing up: first-run admin, pairing a register, PIN sign-in, shifts, X/Z reports, audit log, users.
import type { Child } from "hono/jsx";
import type { ShiftReport } from "../../domain/shift/shift.ts";
import { type Approver, ManagerApproval } from "../ui/approval.tsx";
import { type Locale, money, percent, time } from "../ui/format.ts";
import { Layout } from "../ui/layout.tsx";

export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

function Card({ title, csrf, children, message }: { title: string; csrf: string; children: Child; message?: string | undefined }) {
  return (
    <Layout title={`${title} · ShopFlow`} bodyClass="people" csrf={csrf}>
      <div x-data="till" class="card-page">
        <main class="card" aria-labelledby="card-title">
          <h1 id="card-title">{title}</h1>
          {message && (
            <p class="message error" role="alert" data-testid="form-message">
              {message}
            </p>
          )}
          {children}
        </main>
      </div>
    </Layout>
  );
}

const PinInput = ({ name = "pin", label = "PIN", required = true }: { name?: string; label?: string; required?: boolean }) => (
  <label>
    {label}
    <input
      name={name}
      type="password"
      inputmode="numeric"
      autocomplete="off"
      pattern="\d{4,8}"
      maxlength={8}
      required={required}
      data-testid={`${name}-input`}
    />
  </label>
);

export function SetupPage({ csrf, message }: { csrf: string; message?: string }) {
  return (
    <Card title="Welcome: create the store's admin" csrf={csrf} message={message}>
      <p>This page exists only until the first admin is made.</p>
      <form method="post" action="/setup" class="stack">
        <Csrf token={csrf} />
        <label>
          Name <input name="name" required maxlength={40} data-testid="name-input" />
        </label>
        <PinInput label="PIN (4 to 8 digits)" />
        <button type="submit" class="primary big">
          Create admin
        </button>
      </form>
    </Card>
  );
}

export function PairPage({ csrf, message, registers, managers }: { csrf: string; message?: string; registers: string[]; managers: Approver[] }) {
  return (
    <Card title="Make this browser a register" csrf={csrf} message={message}>
      <p>A manager pairs this device once; after that cashiers sign in here with their PIN.</p>
      <form method="post" action="/pair" class="stack">
        <Csrf token={csrf} />
        <label>
          Register name <input name="register" required maxlength={40} list="register-names" placeholder="Lane 1" data-testid="register-input" />
        </label>
        <datalist id="register-names">
          {registers.map((r) => (
            <option value={r} />
          ))}
        </datalist>
        <label>
          Manager
          <select name="manager" required data-testid="manager-select">
            {managers.length !== 1 && <option value="">Choose…</option>}
            {managers.map((m) => (
              <option value={String(m.id)}>{m.name}</option>
            ))}
          </select>
        </label>
        <PinInput name="manager_pin" label="Manager's PIN" />
        <button type="submit" class="primary big" data-testid="pair-submit">
          Pair this register
        </button>
      </form>
    </Card>
  );
}

export function LoginPage({
  csrf,
  message,
  users,
  register,
}: {
  csrf: string;
  message?: string;
  users: { id: number; name: string }[];
  register: string | null;
}) {
  return (
    <Card title={register ? `Sign in · ${register}` : "Sign in · back office"} csrf={csrf} message={message}>
      <form method="post" action="/login" class="stack">
        <Csrf token={csrf} />
        <fieldset class="user-tiles">
          <legend>Who are you?</legend>
          {users.map((u, i) => (
            <label class="tile">
              <input type="radio" name="user_id" value={String(u.id)} required checked={i === 0 && users.length === 1} /> {u.name}
            </label>
          ))}
        </fieldset>
        <PinInput />
        <button type="submit" class="primary big" data-testid="login-submit">
          Sign in
        </button>
      </form>
    </Card>
  );
}

export function OpenShiftPage({
  csrf,
  message,
  register,
  user,
  denominations,
  locale,
}: {
  csrf: string;
  message?: string;
  register: string;
  user: string;
  denominations: number[];
  locale: Locale;
}) {
  return (
    <Card title={`Open a shift · ${register}`} csrf={csrf} message={message}>
      <p>{user}, count the float in the drawer: as a total, or note by note.</p>
      <form method="post" action="/shift/open" class="stack">
        <Csrf token={csrf} />
        <label>
          Opening float (total) <input name="float" inputmode="decimal" placeholder="150.00" data-testid="float-input" />
        </label>
        <details>
          <summary>Count by denomination</summary>
          <div class="denoms">
            {denominations.map((d) => (
              <label>
                {money(d, locale)} × <input name={`d_${d}`} inputmode="numeric" placeholder="0" />
              </label>
            ))}
          </div>
        </details>
        <button type="submit" class="primary big" data-testid="open-shift">
          Open shift
        </button>
      </form>
      <form method="post" action="/logout">
        <Csrf token={csrf} />
        <button type="submit">Sign out</button>
      </form>
    </Card>
  );
}

export function ReportView({
  report,
  locale,
  title,
  blind = false,
  printable = false,
}: {
  report: ShiftReport;
  locale: Locale;
  title: string;
  blind?: boolean;
  printable?: boolean;
}) {
  const row = (label: string, amount: number, testid?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testid}>{money(amount, locale)}</dd>
    </div>
  );
  return (
    <section class="report" data-testid={`report-${report.kind.toLowerCase()}`} aria-label={title}>
      <h2>{title}</h2>
      <dl>
        <div>
          <dt>Sales</dt>
          <dd data-testid="report-sales-count">{report.salesCount}</dd>
        </div>
        {row("Sales total", report.salesTotal, "report-sales-total")}
        {row("Discounts", report.discountTotal)}
        <div>
          <dt>Cancelled sales</dt>
          <dd>{report.cancelledCount}</dd>
        </div>
        {row("Refunds", report.refundTotal)}
        {report.taxes.map((t) => row(`Tax ${t.taxClass} ${percent(t.rateBp)} (net ${money(t.net, locale)})`, t.tax))}
        {report.tenders.map((t) => row(`Takings ${t.method}`, t.amount, `report-tender-${t.method}`))}
        {row("Opening float", report.openingFloat)}
        {row("Cash in", report.cashIn)}
        {row("Cash out", report.cashOut)}
        <div>
          <dt>No-sale drawer opens</dt>
          <dd>{report.noSales}</dd>
        </div>
        {!blind && row("Expected cash in drawer", report.expectedCash, "report-expected")}
        {report.countedCash !== null && row("Counted cash", report.countedCash, "report-counted")}
        {report.overShort !== null && (
          <div class={report.overShort === 0 ? "balanced" : "off"}>
            <dt>{report.overShort >= 0 ? "Over" : "Short"}</dt>
            <dd data-testid="report-over-short">{money(report.overShort, locale)}</dd>
          </div>
        )}
      </dl>
      {printable && (
        <button type="button" hx-post="/shift/x/print" hx-target="#dialog-body" data-testid="print-x-report">
          Print X report
        </button>
      )}
    </section>
  );
}

export function ShiftDialog({
  csrf,
  report,
  locale,
  blind,
  approvers,
}: {
  csrf: string;
  report: ShiftReport;
  locale: Locale;
  blind: boolean;
  approvers: Approver[];
}) {
  return (
    <div class="dialog-content" data-testid="shift-dialog">
      <header class="dialog-head">
        <h2 id="dialog-title">Shift</h2>
        <button type="button" class="close" data-close-dialog aria-label="Close">
          Esc ✕
        </button>
      </header>
      <p id="shift-message" class="message" role="alert" data-testid="shift-message"></p>
      <form hx-post="/shift/cash" hx-target="#dialog-body" {...{ "hx-status:4xx": "target:#shift-message" }} class="inline-form">
        <Csrf token={csrf} />
        <fieldset>
          <legend>Cash in or out</legend>
          <label>
            <input type="radio" name="kind" value="in" checked /> in
          </label>
          <label>
            <input type="radio" name="kind" value="out" /> out
          </label>
        </fieldset>
        <label>
          Amount <input name="amount" inputmode="decimal" required data-testid="cash-move-amount" />
        </label>
        <label>
          Reason <input name="reason" required data-testid="cash-move-reason" />
        </label>
        <ManagerApproval id="cash-out-pin" approvers={approvers} label="Manager approval (cash out by a cashier)" />
        <button type="submit" data-testid="cash-move-submit">
          Record
        </button>
      </form>
      <div class="dialog-actions">
        <button type="button" hx-get="/shift/x" hx-target="#dialog-body" data-testid="x-report">
          X report
        </button>
        <a class="button" href="/shift/close" data-testid="close-shift">
          Close shift (Z)…
        </a>
      </div>
      {!blind && <ReportView report={report} locale={locale} title="X report — so far" />}
      {blind && <p>Blind count is on: the expected cash shows after the count.</p>}
    </div>
  );
}

export function CloseShiftPage({
  csrf,
  message,
  register,
  denominations,
  locale,
  report,
  openSales = 0,
  approvers,
}: {
  csrf: string;
  message?: string;
  register: string;
  denominations: number[];
  locale: Locale;
  report: ShiftReport | null;
  openSales?: number;
  approvers: Approver[];
}) {
  return (
    <Card title={`Close the shift · ${register}`} csrf={csrf} message={message}>
      {report ? (
        <>
          <ReportView report={report} locale={locale} title="Z report" />
          <p>The Z report was sent to this register's printer.</p>
          <a class="button primary" href="/">
            Back to the register
          </a>
        </>
      ) : (
        <form method="post" action="/shift/close" class="stack">
          <Csrf token={csrf} />
          {openSales > 0 && (
            <p class="message error" role="alert" data-testid="open-sales-warning">
              {openSales} sale{openSales === 1 ? " is" : "s are"} still open or parked on this register: finish or cancel {openSales === 1 ? "it" : "them"}{" "}
              first, or they stay out of this Z report.
            </p>
          )}
          <p>Count the cash in the drawer first; the expected figure is shown after the count.</p>
          <label>
            Counted cash (total) <input name="counted" inputmode="decimal" data-testid="counted-input" />
          </label>
          <details>
            <summary>Count by denomination</summary>
            <div class="denoms">
              {denominations.map((d) => (
                <label>
                  {money(d, locale)} × <input name={`d_${d}`} inputmode="numeric" placeholder="0" />
                </label>
              ))}
            </div>
          </details>
          <ManagerApproval id="close-pin" approvers={approvers} label="Manager approval (when a cashier closes)" />
          <button type="submit" class="primary big" data-testid="close-submit">
            Close shift and print Z
          </button>
        </form>
      )}
    </Card>
  );
}

export type AuditRow = {
  at: string;
  user: string | null;
  approvedBy: string | null;
  register: string | null;
  action: string;
  subject: string | null;
  detail: string;
};

export function AuditPage({
  csrf,
  rows,
  filter,
  locale,
}: {
  csrf: string;
  rows: AuditRow[];
  filter: { user?: string; action?: string; from?: string; to?: string };
  locale: Locale;
}) {
  const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
  return (
    <Layout title="Audit log · ShopFlow" bodyClass="backoffice" csrf={csrf}>
      <div x-data="till" class="office">
        <header class="topbar">
          <strong class="store">ShopFlow</strong>
          <nav aria-label="Back office">
            <a href="/">Register</a>
            <a href="/devices">Devices</a>
            <a href="/audit">Audit log</a>
            <a href="/users">Users</a>
          </nav>
        </header>
        <main class="office-main">
          <h1>Audit log</h1>
          <form method="get" action="/audit" class="filters">
            <label>
              User <input name="user" value={filter.user ?? ""} />
            </label>
            <label>
              Action starts with <input name="action" value={filter.action ?? ""} placeholder="sale., shift., drawer." />
            </label>
            <label>
              From <input name="from" type="date" value={filter.from ?? ""} />
            </label>
            <label>
              To <input name="to" type="date" value={filter.to ?? ""} />
            </label>
            <button type="submit">Filter</button>
            <a class="button" href={`/audit.csv${qs ? `?${qs}` : ""}`} data-testid="audit-csv">
              Export CSV
            </a>
          </form>
          <table class="grid" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Approved by</th>
                <th>Register</th>
                <th>What</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-testid="audit-row">
                  <td>{time(r.at, locale)}</td>
                  <td>{r.user ?? ""}</td>
                  <td>{r.approvedBy ?? ""}</td>
                  <td>{r.register ?? ""}</td>
                  <td>
                    {r.action}
                    {r.subject ? ` ${r.subject}` : ""}
                  </td>
                  <td>
                    <code>{r.detail}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </main>
      </div>
    </Layout>
  );
}

export function UsersPage({
  csrf,
  users,
  message,
}: {
  csrf: string;
  users: { id: number; name: string; role: string; disabled: boolean; lockedUntil: string | null; lockedAwayUntil: string | null }[];
  message?: string;
}) {
  return (
    <Layout title="Users · ShopFlow" bodyClass="backoffice" csrf={csrf}>
      <div x-data="till" class="office">
        <header class="topbar">
          <strong class="store">ShopFlow</strong>
          <nav aria-label="Back office">
            <a href="/">Register</a>
            <a href="/devices">Devices</a>
            <a href="/audit">Audit log</a>
            <a href="/users">Users</a>
          </nav>
        </header>
        <main class="office-main">
          <h1>Users</h1>
          {message && (
            <p class="message info" role="status">
              {message}
            </p>
          )}
          <table class="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>State</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr data-testid="user-row">
                  <td>{u.name}</td>
                  <td>{u.role}</td>
                  <td>
                    {u.disabled
                      ? "disabled"
                      : u.lockedUntil
                        ? `locked until ${u.lockedUntil.slice(11, 16)} UTC`
                        : u.lockedAwayUntil
                          ? `locked away from the registers until ${u.lockedAwayUntil.slice(11, 16)} UTC`
                          : "active"}
                  </td>
                  <td class="row-actions">
                    {(u.lockedUntil || u.lockedAwayUntil) && (
                      <form method="post" action={`/users/${u.id}/unlock`}>
                        <Csrf token={csrf} />
                        <button type="submit">Unlock</button>
                      </form>
                    )}
                    {!u.disabled && (
                      <form method="post" action={`/users/${u.id}/disable`}>
                        <Csrf token={csrf} />
                        <button type="submit" class="danger">
                          Disable
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Add a user</h2>
          <form method="post" action="/users" class="add-printer">
            <Csrf token={csrf} />
            <label>
              Name <input name="name" required maxlength={40} />
            </label>
            <label>
              Role{" "}
              <select name="role">
                <option>cashier</option>
                <option>supervisor</option>
                <option>manager</option>
                <option>admin</option>
              </select>
            </label>
            <label>
              PIN <input name="pin" type="password" inputmode="numeric" pattern="\d{4,8}" required />
            </label>
            <button type="submit" class="primary">
              Add user
            </button>
          </form>
        </main>
      </div>
    </Layout>
  );
}
