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
