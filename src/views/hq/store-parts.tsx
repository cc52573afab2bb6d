// The running parts of a store's page: its catalog, its last days of sales and refunds, its open dead letters, and
// for an admin renaming, retiring (or re-activating) the store and giving it a new token, shown once.
import { formatMoney } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { useHqPage, useMe } from "./context.ts";
import type { DeadLetterRowView } from "./dead-letters.tsx";
import { may, utc } from "./layout.tsx";

export type StoreDaySalesView = {
  business_date: string;
  sales_count: number;
  total_minor: number;
  returns_count: number;
  refund_minor: number;
  net_minor: number;
};

export type StoreCatalogView = { catalog_version: number | null; catalog_pending: number[]; catalog_latest: number | null };

/** Applied, waiting at the store for their effective time, and how far behind the chain's latest release it is. */
export function CatalogFacts(p: { c: StoreCatalogView }) {
  const { catalog_version: applied, catalog_pending: pending, catalog_latest: latest } = p.c;
  const behind = latest !== null && (applied ?? 0) < latest && !pending.includes(latest);
  return (
    <>
      <dt>Catalog</dt>
      <dd data-testid="store-catalog" data-applied={applied ?? ""} data-latest={latest ?? ""}>
        {applied === null ? "no release applied yet" : `release ${applied} applied`}
        {pending.length > 0 && `; ${pending.length === 1 ? "release" : "releases"} ${pending.join(", ")} waiting for their time`}
        {latest === null ? "; head office has published no release" : `; latest published ${latest}`}{" "}
        {behind ? <span class="pill warn">behind</span> : latest !== null && <span class="pill ok">up to date</span>}
      </dd>
    </>
  );
}

/** The store's sales, refunds and net per business day; days it neither sold nor refunded are left out. */
export function StoreSales(p: { days: StoreDaySalesView[]; from: string; to: string }) {
  const { currency } = useHqPage();
  const money = (n: number) => formatMoney(n, currency);
  const sum = (f: (d: StoreDaySalesView) => number) => p.days.reduce((s, d) => s + f(d), 0);
  return (
    <section aria-labelledby="store-sales-title" data-testid="store-sales">
      <h2 id="store-sales-title">
        Sales, {p.from} to {p.to}
      </h2>
      {p.days.length === 0 ? (
        <p class="empty">No sales or refunds from this store in these days.</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>Business date</th>
              <th class="num">Sales</th>
              <th class="num">Gross</th>
              <th class="num">Refunds</th>
              <th class="num">Net</th>
            </tr>
          </thead>
          <tbody>
            {p.days.map((d) => (
              <tr data-date={d.business_date}>
                <td>{d.business_date}</td>
                <td class="num">{d.sales_count}</td>
                <td class="num">{money(d.total_minor)}</td>
                <td class="num">{d.returns_count > 0 ? `${money(d.refund_minor)} (${d.returns_count})` : "—"}</td>
                <td class="num" data-testid="day-net">
                  {money(d.net_minor)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th>{p.days.length === 1 ? "1 day" : `${p.days.length} days`}</th>
              <th class="num">{sum((d) => d.sales_count)}</th>
              <th class="num">{money(sum((d) => d.total_minor))}</th>
              <th class="num">{money(sum((d) => d.refund_minor))}</th>
              <th class="num" data-testid="period-net">
                {money(sum((d) => d.net_minor))}
              </th>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

/** The store's open dead letters, each opening its own page, where an admin replays or discards it. */
export function StoreDeadLetters(p: { storeId: string; rows: DeadLetterRowView[]; limit: number }) {
  return (
    <section aria-labelledby="store-dead-title" data-testid="store-dead-letter-list">
      <h2 id="store-dead-title">Open dead letters</h2>
      {p.rows.length === 0 ? (
        <p class="empty">None: everything this store sent was merged.</p>
      ) : (
        <>
          <p>Open one to read why head office could not merge it, then replay it once fixed, or discard it with a reason.</p>
          <table class="grid">
            <thead>
              <tr>
                <th>Kind</th>
                <th class="num">Seq</th>
                <th>Why</th>
                <th>Received</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr data-testid="store-dead-letter" data-id={r.id}>
                  <td>{r.kind}</td>
                  <td class="num">{r.seq}</td>
                  <td>
                    <a href={`/dead-letters/${r.id}`}>{r.meaning}</a>
                  </td>
                  <td>{utc(r.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {p.rows.length >= p.limit && (
            <p class="empty">
              Only the newest {p.limit}: <a href={`/dead-letters?store=${p.storeId}`}>see them all</a>.
            </p>
          )}
        </>
      )}
    </section>
  );
}

export type StoreAdminView = {
  store_id: string;
  name: string;
  retired_at: Date | null;
  retired_by: string | null;
  token_rotated_at: Date | null;
  /** When each token a rotation replaced stops working, soonest first: only those still working. */
  old_tokens_until: Date[];
};

/** Renaming, retiring or re-activating, and a new token: for admins only (the routes are gated where mounted). */
export function StoreAdmin(p: { store: StoreAdminView; graceHours: number }) {
  if (!may(useMe(), "admin")) return null;
  const { store } = p;
  const base = `/stores/${store.store_id}`;
  return (
    <section aria-labelledby="store-admin-title" data-testid="store-admin">
      <h2 id="store-admin-title">Run this store</h2>
      <form method="post" action={`${base}/rename`} class="inline-form" data-testid="rename-form">
        <Csrf />
        <label>
          Name <input name="name" value={store.name} maxlength={100} required />
        </label>
        <button type="submit">Rename</button>
      </form>
      {store.retired_at === null ? (
        <>
          <form method="post" action={`${base}/rotate-token`} class="inline-form" data-testid="rotate-form">
            <Csrf />
            <p>
              A new token, shown once. The old one keeps working for {p.graceHours} hours, so the store sells and sends on until its manager types the new one
              on its Devices page (or runs <code>shopflow sync set-token</code>).
            </p>
            <OldTokens until={store.old_tokens_until} />
            <button type="submit">Give the store a new token</button>
          </form>
          <form method="post" action={`${base}/retire`} class="inline-form" data-testid="retire-form">
            <Csrf />
            <p>Retire a store that closed or was registered anew: its token stops working and it leaves the overview's problems. Its history stays.</p>
            <label class="check">
              <input type="checkbox" name="confirm" value="1" required /> This store no longer sends to head office
            </label>
            <button type="submit" class="danger">
              Retire the store
            </button>
          </form>
        </>
      ) : (
        <form method="post" action={`${base}/reactivate`} class="inline-form" data-testid="reactivate-form">
          <Csrf />
          <p>Re-activated, the store's token works again (give it a new one if the old may have leaked).</p>
          <button type="submit">Re-activate the store</button>
        </form>
      )}
    </section>
  );
}

/** How many replaced tokens still work, and until when: the store may be on any of them until then. */
function OldTokens(p: { until: Date[] }) {
  if (p.until.length === 0) return null;
  const ends = p.until.map((t) => utc(t));
  return (
    <p data-testid="old-tokens">
      {p.until.length === 1
        ? `One old token still works, until ${ends[0]}.`
        : `${p.until.length} old tokens still work: until ${ends.slice(0, -1).join(", ")} and ${ends.at(-1)}.`}
    </p>
  );
}

/** The new token, once: head office keeps only its hash. */
export function NewTokenPanel(p: { storeId: string; token: string; graceUntil: Date }) {
  return (
    <section class="secret" aria-labelledby="new-token-title" data-testid="new-token">
      <h2 id="new-token-title">The store's new token</h2>
      <p>
        <strong>Copy it now: it is shown only this once.</strong> Head office keeps only a hash of it. The old token works until {utc(p.graceUntil)}.
      </p>
      <dl>
        <div>
          <dt>Token</dt>
          <dd>
            <code data-testid="token">{p.token}</code>
          </dd>
        </div>
      </dl>
      <p>On the store's server, a manager opens Devices, types it in the Token field under Head office and saves (the address and store id stay), or runs:</p>
      <pre>
        <code>shopflow sync set-token {p.token}</code>
      </pre>
    </section>
  );
}
