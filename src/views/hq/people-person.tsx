// One person as an admin manages them (role, password, enabled, the stores they see), and a person's own account page.
import { Csrf, PostButton } from "../ui/card.tsx";
import { Field, HqPage, utc } from "./layout.tsx";
import type { UserView } from "./people.tsx";

type Problems = Record<string, string>;

export type PersonView = UserView & { stores: string[] | null; password_set_at: Date | null; password_set_by: string | null };
export type StoreChoice = { store_id: string; name: string };

const roles: [value: string, label: string][] = [
  ["viewer", "viewer — reads figures and the catalog"],
  ["catalog", "catalog — also edits and publishes the catalog"],
  ["admin", "admin — also people, stores and API tokens"],
];

/** What a person can do, in a few words, for the state column and this page's heading. */
export function personState(u: { disabled: boolean; locked_until: Date | null }, now: Date): string {
  if (u.disabled) return "disabled";
  if (u.locked_until !== null && u.locked_until > now) return `paused until ${utc(u.locked_until)}`;
  return "active";
}

export function PersonPage(props: {
  now: Date;
  person: PersonView;
  stores: StoreChoice[];
  /** A password head office made: shown this once. */
  made?: string | null;
  problems?: Problems;
  message?: string | undefined;
}) {
  const u = props.person;
  const p = props.problems ?? {};
  const state = personState(u, props.now);
  const limited = u.stores !== null;
  return (
    <HqPage title={u.name} active="users" message={props.message}>
      <p class="crumbs">
        <a href="/users">Users</a> ›
      </p>
      <h1 data-testid="person-name">{u.name}</h1>
      <p data-testid="person-state">
        {u.role} · {state} · added {utc(u.created_at)}
        {u.created_by ? ` by ${u.created_by}` : ""}
        {u.password_set_at ? ` · password set ${utc(u.password_set_at)} by ${u.password_set_by ?? "?"}` : ""}
      </p>
      {props.made && (
        <section class="secret" data-testid="made-password" aria-label="New password">
          <p>
            <strong>New password for {u.name}.</strong> Give it to them now: it is shown only this once. They are signed out everywhere.
          </p>
          <pre>
            <code data-testid="made-password-value">{props.made}</code>
          </pre>
        </section>
      )}

      <section class="panel" aria-labelledby="h-role">
        <h2 id="h-role">Role</h2>
        <form method="post" action={`/users/${u.id}/role`} class="row-form">
          <Csrf />
          <label class={p.role ? "field invalid" : "field"} for="f-role">
            <span>Role</span>
            <select id="f-role" name="role" data-testid="role-input">
              {roles.map(([value, label]) => (
                <option value={value} selected={u.role === value}>
                  {label}
                </option>
              ))}
            </select>
            {p.role && (
              <small class="field-error" role="alert">
                {p.role}
              </small>
            )}
          </label>
          <button type="submit" data-testid="role-submit">
            Change role
          </button>
        </form>
      </section>

      <section class="panel" aria-labelledby="h-password">
        <h2 id="h-password">Reset password</h2>
        <p>Leave both boxes empty and head office makes a password to give them, or type one twice. Either way they are signed out.</p>
        <form method="post" action={`/users/${u.id}/password`} class="row-form">
          <Csrf />
          <Field label="New password" name="password" type="password" error={p.password} autocomplete="new-password" />
          <Field label="The same again" name="password2" type="password" error={p.password2} autocomplete="new-password" />
          <button type="submit" data-testid="reset-submit">
            Reset password
          </button>
        </form>
      </section>

      <section class="panel" aria-labelledby="h-stores">
        <h2 id="h-stores">Stores they see</h2>
        <p>
          Limited to some stores, they see only those on the overview, the store pages, stock and low stock, store prices, region moves, the dead letters and
          reconciliation.
        </p>
        <form method="post" action={`/users/${u.id}/stores`} class="stack person-stores" data-testid="stores-form">
          <Csrf />
          <label class="check">
            <input type="radio" name="which" value="all" checked={!limited} /> Every store
          </label>
          <label class="check">
            <input type="radio" name="which" value="some" checked={limited} data-testid="stores-some" /> Only the stores ticked:
          </label>
          <fieldset class="store-choices" aria-label="Stores">
            {props.stores.length === 0 && <p>No store is registered yet.</p>}
            {props.stores.map((s) => (
              <label class="check">
                <input type="checkbox" name={`store:${s.store_id}`} value="on" checked={u.stores?.includes(s.store_id)} data-testid="store-choice" /> {s.name}
              </label>
            ))}
          </fieldset>
          {p.stores && (
            <small class="field-error" role="alert" data-testid="stores-error">
              {p.stores}
            </small>
          )}
          <button type="submit" data-testid="stores-submit">
            Save stores
          </button>
        </form>
      </section>

      <h2>Signing in</h2>
      <section class="person-signin" aria-label="Signing in">
        {(u.disabled || state !== "active") && <PostButton action={`/users/${u.id}/enable`} label="Let them sign in again" buttonClass="primary" />}
        {!u.disabled && (
          <PostButton action={`/users/${u.id}/disable`} confirm={`Disable ${u.name}? They are signed out at once.`} buttonClass="danger" label="Disable" />
        )}
      </section>
    </HqPage>
  );
}

/** A person's own account: who they are, and a new password after saying the current one. */
export function AccountPage(props: { name: string; role: string; stores: string[] | null; problems?: Problems; message?: string | undefined }) {
  const p = props.problems ?? {};
  return (
    <HqPage title="Your account" active="account" message={props.message}>
      <h1>Your account</h1>
      <p data-testid="account-facts">
        {props.name} · {props.role} ·{" "}
        {props.stores === null ? "every store" : `limited to ${props.stores.length === 1 ? "1 store" : `${props.stores.length} stores`}`}
      </p>
      <h2>Change your password</h2>
      <form method="post" action="/account/password" class="stack narrow person-account">
        <Csrf />
        <Field label="Current password" name="current" type="password" error={p.current} required autocomplete="current-password" />
        <Field label="New password (at least 10 characters)" name="password" type="password" error={p.password} required autocomplete="new-password" />
        <Field label="New password again" name="password2" type="password" error={p.password2} required autocomplete="new-password" />
        <button type="submit" class="primary" data-testid="own-password-submit">
          Change password
        </button>
      </form>
      <p>Your other sessions end when you change it; this one goes on.</p>
    </HqPage>
  );
}
