// Registering a store from the dashboard: its id and token are shown once, with the line that connects it.
import { Csrf } from "../ui/card.tsx";
import { Field, HqPage } from "./layout.tsx";

export function NewStorePage(props: { name?: string; problem?: string }) {
  return (
    <HqPage title="Register a store" active="overview">
      <h1>Register a store</h1>
      <form method="post" action="/stores" class="row-form">
        <Csrf />
        <Field label="Store name" name="name" value={props.name} error={props.problem} required maxlength={100} placeholder="Store 12" />
        <button type="submit" class="primary" data-testid="register-store-submit">
          Register
        </button>
      </form>
    </HqPage>
  );
}

export function StoreRegisteredPage(props: { name: string; storeId: string; token: string; hqUrl: string }) {
  const line = `shopflow serve --hq-url ${props.hqUrl} --hq-store ${props.storeId} --hq-token ${props.token}`;
  return (
    <HqPage title="Store registered" active="overview">
      <h1>Store "{props.name}" registered</h1>
      <section class="secret" aria-label="Store token">
        <p>
          <strong>Copy the token now: it is shown only this once.</strong> Head office keeps only a hash of it.
        </p>
        <dl>
          <div>
            <dt>Store id</dt>
            <dd>
              <code data-testid="store-id">{props.storeId}</code>
            </dd>
          </div>
          <div>
            <dt>Token</dt>
            <dd>
              <code data-testid="store-token">{props.token}</code>
            </dd>
          </div>
        </dl>
        <p>On the store's server, run:</p>
        <pre>
          <code data-testid="serve-line">{line}</code>
        </pre>
      </section>
      <p>
        <a class="button" href="/">
          Back to the stores
        </a>
      </p>
    </HqPage>
  );
}

/** How a store's link stands: from every exchange it makes, with the last one head office refused (stores/contact.ts). */
export type StoreContactView = {
  last_contact_at: Date | null;
  /** Seconds head office is behind: 0 when nothing waited at the last exchange; null if never heard from. */
  lag: number | null;
  items_waiting: number | null;
  last_error_code: string | null;
  last_error: string | null;
  last_error_at: Date | null;
  /** Set when the same kind of exchange succeeded after the error. */
  last_error_resolved_at: Date | null;
};

export function ago(at: Date, now: Date): string {
  return `${span(Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)))} ago`;
}

function span(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** Last contact, lag and the last refused exchange, in a few words: the stores list's cell and the store page's facts. */
export function StoreContact(p: { link: StoreContactView; now: Date }) {
  const { link, now } = p;
  // a page whose query does not carry the error columns (undefined) shows contact alone
  const open = !!link.last_error && !!link.last_error_at && !link.last_error_resolved_at;
  return (
    <div class="store-contact" data-testid="store-contact">
      {link.last_contact_at ? (
        <time datetime={link.last_contact_at.toISOString()} data-testid="last-contact">
          {ago(link.last_contact_at, now)}
        </time>
      ) : (
        <span data-testid="last-contact">never</span>
      )}
      {typeof link.lag === "number" && (
        <small data-testid="lag" data-lag={link.lag}>
          {" "}
          · {link.lag === 0 ? "up to date" : `${span(link.lag)} behind${link.items_waiting ? `, ${link.items_waiting} waiting` : ""}`}
        </small>
      )}
      {link.last_error && link.last_error_at && (
        <div data-testid="last-error" data-code={link.last_error_code ?? ""} data-open={open ? "1" : "0"}>
          {open ? <span class="pill bad">refused</span> : <span class="pill">was refused</span>}{" "}
          <small>
            {link.last_error} ({ago(link.last_error_at, now)}
            {link.last_error_resolved_at ? `; fine again ${ago(link.last_error_resolved_at, now)}` : ""})
          </small>
        </div>
      )}
    </div>
  );
}
