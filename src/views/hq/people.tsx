// Head-office people: first-run admin, sign-in, users and API tokens.
import { Csrf, PostButton } from "../ui/card.tsx";
import { Field, HqCard, HqPage, utc } from "./layout.tsx";

type Problems = Record<string, string>;

export function SetupPage(props: { values?: { name?: string }; problems?: Problems; message?: string }) {
  const p = props.problems ?? {};
  return (
    <HqCard title="Welcome: create head office's first admin" message={props.message}>
      <p>This page exists only until head office has its first user. Later users are added by an admin.</p>
      <form method="post" action="/setup" class="stack">
        <Csrf />
        <Field label="Name" name="name" value={props.values?.name} error={p.name} required maxlength={60} autocomplete="username" />
        <Field label="Password (at least 10 characters)" name="password" type="password" error={p.password} required autocomplete="new-password" />
        <button type="submit" class="primary big" data-testid="setup-submit">
          Create admin and sign in
        </button>
      </form>
    </HqCard>
  );
}

export function LoginPage(props: { next: string; name?: string; message?: string }) {
  return (
    <HqCard title="Sign in to head office" message={props.message}>
      <form method="post" action="/login" class="stack">
        <Csrf />
        <input type="hidden" name="next" value={props.next} />
        <Field label="Name" name="name" value={props.name} required maxlength={60} autocomplete="username" />
        <Field label="Password" name="password" type="password" required autocomplete="current-password" />
        <button type="submit" class="primary big" data-testid="login-submit">
          Sign in
        </button>
      </form>
    </HqCard>
  );
}

export type UserView = {
  id: number;
  name: string;
  role: string;
  disabled: boolean;
  locked_until: Date | null;
  created_at: Date;
  created_by: string | null;
  /** The stores they are limited to (null: every store). */
  stores?: string[] | null;
};

export function UsersPage(props: { now: Date; users: UserView[]; values?: { name?: string; role?: string }; problems?: Problems; message?: string }) {
  const p = props.problems ?? {};
  const role = props.values?.role ?? "viewer";
  return (
    <HqPage title="Users" active="users" message={props.message}>
      <h1>Users</h1>
      <table class="grid" data-testid="users">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>State</th>
            <th>Stores</th>
            <th>Added</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => {
            const locked = u.locked_until !== null && u.locked_until > props.now;
            return (
              <tr data-testid="user-row">
                <td>
                  <a href={`/users/${u.id}`} data-testid="user-link">
                    {u.name}
                  </a>
                </td>
                <td>{u.role}</td>
                <td>{u.disabled ? "disabled" : locked ? `locked until ${utc(u.locked_until)}` : "active"}</td>
                <td>{u.stores ? `only ${u.stores.length === 1 ? "1 store" : `${u.stores.length} stores`}` : "every store"}</td>
                <td>
                  {utc(u.created_at)}
                  {u.created_by ? ` by ${u.created_by}` : ""}
                </td>
                <td class="row-actions">
                  {locked && !u.disabled && <PostButton action={`/users/${u.id}/unlock`} label="Unlock" />}
                  {!u.disabled && (
                    <PostButton
                      action={`/users/${u.id}/disable`}
                      confirm={`Disable ${u.name}? They are signed out at once.`}
                      buttonClass="danger"
                      label="Disable"
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Add a user</h2>
      <form method="post" action="/users" class="row-form">
        <Csrf />
        <Field label="Name" name="name" value={props.values?.name} error={p.name} required maxlength={60} autocomplete="off" />
        <label class={p.role ? "field invalid" : "field"} for="f-role">
          <span>Role</span>
          <select id="f-role" name="role" data-testid="role-input">
            <option value="viewer" selected={role === "viewer"}>
              viewer — reads figures and the catalog
            </option>
            <option value="catalog" selected={role === "catalog"}>
              catalog — also edits and publishes the catalog
            </option>
            <option value="admin" selected={role === "admin"}>
              admin — also users, stores and API tokens
            </option>
          </select>
          {p.role && (
            <small class="field-error" role="alert">
              {p.role}
            </small>
          )}
        </label>
        <Field label="Password (at least 10 characters)" name="password" type="password" error={p.password} required autocomplete="new-password" />
        <button type="submit" class="primary">
          Add user
        </button>
      </form>
    </HqPage>
  );
}

export type TokenView = {
  id: number;
  name: string;
  /** the names of the stores it is limited to; null: every store */
  store_names: string[] | null;
  created_at: Date;
  created_by: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

export function TokensPage(props: {
  tokens: TokenView[];
  /** the stores a new token may be limited to */
  stores: { store_id: string; name: string }[];
  created?: { name: string; secret: string };
  problems?: Problems;
  message?: string;
}) {
  const p = props.problems ?? {};
  return (
    <HqPage title="API tokens" active="tokens" message={props.message}>
      <h1>API tokens</h1>
      <p>
        Programs read head office's figures at <code>/api/v1/…</code> with <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      {props.created && (
        <section class="secret" data-testid="new-token" aria-label="New token">
          <p>
            <strong>Token "{props.created.name}" made.</strong> Copy it now: it is shown only this once.
          </p>
          <pre>
            <code data-testid="token-secret">{props.created.secret}</code>
          </pre>
        </section>
      )}
      <table class="grid" data-testid="tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Stores</th>
            <th>Made</th>
            <th>Last used</th>
            <th>State</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((t) => (
            <tr>
              <td>{t.name}</td>
              <td data-testid="token-stores">{t.store_names === null ? "every store" : t.store_names.join(", ")}</td>
              <td>
                {utc(t.created_at)}
                {t.created_by ? ` by ${t.created_by}` : ""}
              </td>
              <td>{utc(t.last_used_at)}</td>
              <td>{t.revoked_at ? `revoked ${utc(t.revoked_at)}` : "live"}</td>
              <td class="row-actions">
                {!t.revoked_at && (
                  <PostButton
                    action={`/tokens/${t.id}/revoke`}
                    confirm={`Revoke ${t.name}? Programs using it stop at once.`}
                    buttonClass="danger"
                    label="Revoke"
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Make a token</h2>
      <form method="post" action="/tokens" class="stack" data-testid="token-form">
        <Csrf />
        <Field label="Name (who uses it)" name="name" error={p.name} required maxlength={60} placeholder="BI export" />
        <p>Stores it reads: tick some to limit it to them; with none ticked it reads every store.</p>
        <fieldset class="store-choices" aria-label="Stores">
          {props.stores.length === 0 && <p>No store is registered yet.</p>}
          {props.stores.map((s) => (
            <label class="check">
              <input type="checkbox" name={`store:${s.store_id}`} value="on" data-testid="token-store-choice" /> {s.name}
            </label>
          ))}
        </fieldset>
        {p.stores && (
          <small class="field-error" role="alert" data-testid="token-stores-error">
            {p.stores}
          </small>
        )}
        <p class="actions">
          <button type="submit" class="primary">
            Make token
          </button>
        </p>
      </form>
    </HqPage>
  );
}
