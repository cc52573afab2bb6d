// People at the store: the first-run admin, signing in, and the users a manager looks after.
import { Card, Csrf, PinInput, PostButton } from "../ui/card.tsx";
import { OfficePage } from "../ui/office.tsx";

export function SetupPage({ message }: { message?: string }) {
  return (
    <Card title="Welcome: create the store's admin" message={message}>
      <p>This page exists only until the first admin is made.</p>
      <form method="post" action="/setup" class="stack">
        <Csrf />
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

export function LoginPage({
  message,
  users,
  register,
  chosen = null,
}: {
  message?: string;
  users: { id: number; name: string }[];
  register: string | null;
  /** Who was chosen before a wrong PIN: still chosen, the PIN field ready for another try. */
  chosen?: number | null;
}) {
  const picked = (u: { id: number }, i: number) => (chosen !== null ? u.id === chosen : i === 0 && users.length === 1);
  return (
    <Card title={register ? `Sign in · ${register}` : "Sign in · back office"} message={message}>
      <form method="post" action="/login" class="stack">
        <Csrf />
        <fieldset class="user-tiles">
          <legend>Who are you?</legend>
          {users.map((u, i) => (
            <label class="tile">
              <input type="radio" name="user_id" value={String(u.id)} required checked={picked(u, i)} data-testid="user-tile" /> {u.name}
            </label>
          ))}
        </fieldset>
        <PinInput autofocus={users.some(picked)} />
        <button type="submit" class="primary big" data-testid="login-submit">
          Sign in
        </button>
      </form>
    </Card>
  );
}

export function UsersPage({
  users,
  message,
  admin,
}: {
  users: { id: number; name: string; role: string; disabled: boolean; lockedUntil: string | null; lockedAwayUntil: string | null }[];
  message?: string;
  /** Only an admin adds and disables users; a manager sees them and unlocks them. */
  admin: boolean;
}) {
  return (
    <OfficePage title="Users">
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
                {(u.lockedUntil || u.lockedAwayUntil) && <PostButton action={`/users/${u.id}/unlock`} label="Unlock" />}
                {admin && !u.disabled && <PostButton action={`/users/${u.id}/disable`} buttonClass="danger" label="Disable" />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!admin && <p data-testid="users-admin-note">An admin adds and disables users.</p>}
      {admin && <AddUserForm />}
    </OfficePage>
  );
}

function AddUserForm() {
  return (
    <>
      <h2>Add a user</h2>
      <form method="post" action="/users" class="add-printer">
        <Csrf />
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
    </>
  );
}
