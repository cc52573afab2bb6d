// The small pages a person fills in on the way to the register (first run, pairing, sign-in, shift open and close), and
// the form pieces they share.
import type { Child } from "hono/jsx";
import { useCsrf } from "./context.ts";
import { Layout } from "./layout.tsx";

/** The page's CSRF token as a form field, for forms posted without htmx. */
export const Csrf = () => <input type="hidden" name="_csrf" value={useCsrf()} />;

/** One button that posts to `action` with the page's CSRF token: row actions like Unlock, Disable, Revoke. */
export function PostButton(props: { action: string; label: string; confirm?: string; formClass?: string; buttonClass?: string }) {
  return (
    <form method="post" action={props.action} class={props.formClass} data-confirm={props.confirm}>
      <Csrf />
      <button type="submit" class={props.buttonClass}>
        {props.label}
      </button>
    </form>
  );
}

export function Card({ title, children, message }: { title: string; children: Child; message?: string | undefined }) {
  return (
    <Layout title={`${title} · ShopFlow`} bodyClass="people">
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

export const PinInput = ({
  name = "pin",
  label = "PIN",
  required = true,
  autofocus = false,
}: {
  name?: string;
  label?: string;
  required?: boolean;
  autofocus?: boolean;
}) => (
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
      autofocus={autofocus}
    />
  </label>
);
