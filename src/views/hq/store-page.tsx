// One store's page at head office, the part about whose server it is: the installation its credentials are bound to,
// other installations that used them (clones, never merged), and a restored database it reports, with what accepting
// it would merge. Admins decide here; everyone else reads.
import { formatMoney } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { time } from "../ui/format.ts";
import { useHqPage, useMe } from "./context.ts";
import type { DeadLetterRowView } from "./dead-letters.tsx";
import { HqPage, may, utc } from "./layout.tsx";
import { type DayReconciliation, ReconciliationSection } from "./reconciliation.tsx";
import {
  CatalogFacts,
  NewTokenPanel,
  StoreAdmin,
  type StoreAdminView,
  type StoreCatalogView,
  type StoreDaySalesView,
  StoreDeadLetters,
  StoreSales,
} from "./store-parts.tsx";
import { StoreContact, type StoreContactView } from "./stores.tsx";

export type { StoreDaySalesView };

/** What the refused batches of a reported restored database carry (stores/restored.ts). */
export type RestoredSummaryView = {
  from_seq: number;
  to_seq: number;
  outbox_top: number | null;
  sales: number;
  sales_total: number;
  held_sales: number;
  held_total: number;
  returns: number;
  other_items: number;
  first_at: string | null;
  last_at: string | null;
};

export type StoreFactsView = {
  store_id: string;
  name: string;
  epoch: string | null;
  last_seq: number;
  installation_id: string | null;
  restored_epoch: string | null;
  /** Items the store sent that head office set aside. */
  dead_letters: number;
  restored_epoch_at: Date | null;
  restored_summary: RestoredSummaryView | null;
  /** When the last item of the current epoch arrived, and whether that is recent enough to call it live. */
  epoch_heard_at: Date | null;
  epoch_live: boolean;
} & StoreContactView &
  StoreCatalogView &
  StoreAdminView;

export type CloneView = { installation_id: string; epoch: string | null; outbox_top: number | null; batches: number; first_seen_at: Date; last_seen_at: Date };

export type StorePageView = {
  store: StoreFactsView;
  clones: CloneView[];
  liveMinutes: number;
  /** The business days shown: its sales and its reconciliation. */
  from: string;
  to: string;
  sales: StoreDaySalesView[];
  reconciliation: DayReconciliation[];
  deadLetters: DeadLetterRowView[];
  deadLetterLimit: number;
  tokenGraceHours: number;
  /** How the store's journal stands as head office checked it on arrival (null: no entries received yet). */
  journal?: { last_seq: number; broken_seq: number | null; broken_reason: string | null } | null;
  /** The keys the store told for its journal's closures, newest first (each kept: older closures name theirs). */
  journalKeys?: { keys: { fingerprint: string; first_told_at: Date }[]; waiting: number };
  now: Date;
  message?: string | undefined;
  /** Right after a rotation: the new token, shown this once. */
  newToken?: { token: string; graceUntil: Date } | undefined;
};

const short = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);

/** An id shortened, the whole of it on hover and in the text a person copies. */
function Id(p: { value: string }) {
  return (
    <code title={p.value} data-full={p.value}>
      {short(p.value)}
    </code>
  );
}

function CloneAlert(p: { storeId: string; clone: CloneView }) {
  const page = useHqPage();
  const { clone } = p;
  return (
    <section class="message error" role="alert" data-testid="clone-alert">
      <h2>Another server uses this store's id and token</h2>
      <p>
        Installation <code>{clone.installation_id}</code> tried {clone.batches} {clone.batches === 1 ? "exchange" : "exchanges"}
        {clone.epoch !== null && (
          <>
            {" "}
            (database epoch <Id value={clone.epoch} />)
          </>
        )}{" "}
        between {time(clone.first_seen_at.toISOString(), page)} and {time(clone.last_seen_at.toISOString(), page)}
        {clone.outbox_top !== null ? `; ${clone.outbox_top} ${clone.outbox_top === 1 ? "item waits" : "items wait"} there` : ""}. Nothing it sent was merged: it
        is taken for a copy of the store's server.
      </p>
      <p>
        If that server replaces the store's own (new hardware), move the store to it: its database then waits here to be accepted, and the old server is refused
        from then on. Otherwise stop that server and give the store a new token.
      </p>
      {may(useMe(), "admin") && (
        <form method="post" action={`/stores/${p.storeId}/installation`} class="inline-form" data-testid="move-installation">
          <Csrf />
          <input type="hidden" name="installation" value={clone.installation_id} />
          <label class="check">
            <input type="checkbox" name="confirm" value="1" required /> This server replaces the store's server
          </label>
          <button type="submit">Move the store to this installation</button>
        </form>
      )}
    </section>
  );
}

function RestoredSummary(p: { store: StoreFactsView; liveMinutes: number }) {
  const page = useHqPage();
  const { store } = p;
  const s = store.restored_summary;
  const money = (n: number) => formatMoney(n, page.currency);
  return (
    <section aria-labelledby="restored-title" data-testid="restored-summary">
      <h2 id="restored-title">A restored (or new) database waits to be accepted</h2>
      <p>
        The store sends under database epoch <Id value={store.restored_epoch ?? ""} />
        {store.restored_epoch_at ? ` since ${time(store.restored_epoch_at.toISOString(), page)}` : ""}; head office follows{" "}
        {store.epoch ? <Id value={store.epoch} /> : "none yet"} and merged nothing of it.
      </p>
      {s ? (
        <ul>
          <li>
            Items {s.from_seq} to {s.to_seq} seen{s.outbox_top !== null ? ` of ${s.outbox_top} the store holds` : ""}: {s.sales}{" "}
            {s.sales === 1 ? "sale" : "sales"} totalling {money(s.sales_total)}
            {s.returns > 0 ? `, ${s.returns} ${s.returns === 1 ? "return" : "returns"}` : ""}
            {s.other_items > 0 ? `, ${s.other_items} other ${s.other_items === 1 ? "item" : "items"}` : ""}.
          </li>
          <li>
            {s.held_sales} of them head office holds already ({money(s.held_total)}): they come back as duplicates and count once; {s.sales - s.held_sales} new
            ({money(s.sales_total - s.held_total)}) will be merged.
          </li>
          <li data-testid="restored-range">
            {s.first_at && s.last_at ? `Sold from ${time(s.first_at, page)} to ${time(s.last_at, page)}.` : "No sales among the items seen."}
          </li>
        </ul>
      ) : (
        <p>Nothing of it has been seen yet beyond its epoch.</p>
      )}
      {store.epoch_live && store.epoch_heard_at && (
        <p class="message error" data-testid="epoch-live">
          The database head office follows now sent an item at {time(store.epoch_heard_at.toISOString(), page)}, within the last {p.liveMinutes} minutes: a
          server may still be selling under it. Accepting retires it; its sales sent from then on are refused.
        </p>
      )}
      {may(useMe(), "admin") && (
        <form method="post" action={`/stores/${store.store_id}/accept-epoch`} class="inline-form" data-testid="accept-epoch">
          <Csrf />
          <input type="hidden" name="epoch" value={store.restored_epoch ?? ""} />
          <input type="hidden" name="reviewed" value="1" />
          <label class="check">
            <input type="checkbox" name="confirm" value="1" required /> The store's database was restored on purpose
          </label>
          {store.epoch_live && (
            <label class="check">
              <input type="checkbox" name="retire_live" value="1" required /> The server still sending under the current database is stopped
            </label>
          )}
          <button type="submit">Accept restored database</button>
        </form>
      )}
    </section>
  );
}

export function StorePage(p: StorePageView) {
  const { store } = p;
  return (
    <HqPage title={store.name} active="overview" message={p.message}>
      <h1>
        {store.name}{" "}
        {store.retired_at && (
          <span class="pill warn" data-testid="store-retired">
            retired {utc(store.retired_at)}
            {store.retired_by ? ` by ${store.retired_by}` : ""}
          </span>
        )}
      </h1>
      {p.newToken && <NewTokenPanel storeId={store.store_id} token={p.newToken.token} graceUntil={p.newToken.graceUntil} />}
      <dl class="facts">
        <dt>Store id</dt>
        <dd>
          <Id value={store.store_id} />
        </dd>
        <dt>Installation</dt>
        <dd data-testid="store-installation">{store.installation_id ? <Id value={store.installation_id} /> : "not heard from yet"}</dd>
        <dt>Database epoch</dt>
        <dd>{store.epoch ? <Id value={store.epoch} /> : "none yet"}</dd>
        <dt>Items received</dt>
        <dd>{store.last_seq}</dd>
        <dt>Last contact</dt>
        <dd>
          <StoreContact link={store} now={p.now} />
        </dd>
        <CatalogFacts c={store} />
        <dt>Dead letters</dt>
        <dd data-testid="store-dead-letters">
          {store.dead_letters > 0 ? <a href={`/dead-letters?store=${store.store_id}`}>{store.dead_letters} set aside: read them</a> : "none"}
        </dd>
        <dt>Journal</dt>
        <dd data-testid="store-journal" class={p.journal?.broken_seq != null ? "bad" : undefined}>
          {!p.journal
            ? "no entries received yet"
            : p.journal.broken_seq !== null
              ? `BROKEN at entry ${p.journal.broken_seq}: ${p.journal.broken_reason ?? ""}. Ask the store to run 'shopflow journal verify'.`
              : `holds: ${p.journal.last_seq} entries checked`}
        </dd>
        <dt>Journal keys</dt>
        <dd data-testid="store-journal-keys">
          {!p.journalKeys?.keys.length
            ? "none told yet: closures wait to have their signatures checked"
            : p.journalKeys.keys.map((k, i) => (
                <div>
                  {`${k.fingerprint.slice(0, 16)}… since ${k.first_told_at.toISOString().slice(0, 16).replace("T", " ")} UTC`}
                  {i === 0
                    ? p.journalKeys!.keys.length > 1
                      ? " (current: the key changed, see the audit log)"
                      : " (current)"
                    : " (earlier: its closures still hold)"}
                </div>
              ))}
          {p.journalKeys?.waiting ? <div>{`${p.journalKeys.waiting} closures wait for the store's key`}</div> : null}
        </dd>
        <dt>Backups</dt>
        <dd>
          <a href={`/stores/${store.store_id}/backups`} data-testid="store-backups-link">
            copies of its database the store sent
          </a>
        </dd>
      </dl>
      {p.clones.map((c) => (
        <CloneAlert storeId={store.store_id} clone={c} />
      ))}
      {store.restored_epoch !== null && <RestoredSummary store={store} liveMinutes={p.liveMinutes} />}
      <StoreSales days={p.sales} from={p.from} to={p.to} />
      <StoreDeadLetters storeId={store.store_id} rows={p.deadLetters} limit={p.deadLetterLimit} />
      <ReconciliationSection from={p.from} to={p.to} days={p.reconciliation} />
      <StoreAdmin store={store} graceHours={p.tokenGraceHours} />
    </HqPage>
  );
}
