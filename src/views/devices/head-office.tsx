// The store's link to head office, as a manager sees it on the Devices page: where sales go, what is waiting, the
// catalog version, the form that connects the store, and a new database epoch when head office asks for one.

import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { time } from "../ui/format.ts";
import { WaitingReleases, type WaitingReleasesView } from "./waiting-releases.tsx";

/** How sending to head office stands (the uploader's status). */
export type SyncView = {
  ackedSeq: number;
  lastSeq: number;
  pending: number;
  lastContactAt: string | null;
  lastError: string | null;
  /** Head office holds another epoch for this store: a restored database, never merged by itself. */
  epochRefused: boolean;
  /** Head office knows this store's id and token from another installation: this server is taken for a copy. */
  cloneRefused: boolean;
  /** This database file's installation, sent with every batch; head office names it on the store's page. */
  installationId: string | null;
  /** The epoch this database left when it found itself to be an older copy, and why; null if it never did. */
  previousEpoch: string | null;
  epochReason: string | null;
};

/** How catalog updates stand (the catalog puller's health). */
export type CatalogView = {
  lastError: string | null;
  problems: { sku: string; version: number; barcode: string; heldBySku: string; heldByName: string }[];
};

export type HeadOfficeView = {
  link: { url: string; storeId: string } | null;
  sync: SyncView;
  catalogVersion: string;
  catalog: CatalogView;
  /** Catalog releases kept here until their effective time. */
  waiting: WaitingReleasesView;
};

/** The status part, polled every 10 s while the page is open (a self-polling partial). */
export function HeadOfficeStatus({ link, sync, catalogVersion, catalog, waiting }: HeadOfficeView) {
  const { locale } = usePage();
  return (
    <div id="head-office-status" hx-get="/devices/head-office" hx-trigger="every 10s" hx-swap="outerHTML" data-testid="head-office-status">
      <dl class="facts">
        <dt>Head office</dt>
        <dd>{link ? `${link.url} (store ${link.storeId})` : "not connected — sales stay here until it is"}</dd>
        <dt>Waiting to send</dt>
        <dd data-testid="sync-pending">
          {sync.pending} {sync.pending === 1 ? "item" : "items"} (sent through {sync.ackedSeq} of {sync.lastSeq})
        </dd>
        <dt>Last contact</dt>
        <dd>{sync.lastContactAt ? time(sync.lastContactAt, locale) : "never"}</dd>
        <dt>Catalog version</dt>
        <dd data-testid="catalog-version">{catalogVersion}</dd>
      </dl>
      <WaitingReleases {...waiting} />
      {sync.epochRefused && (
        <p class="message error" role="alert" data-testid="epoch-refused">
          Head office knows this store under another database. Nothing more is sent until someone at head office accepts this database; selling goes on and
          every sale waits here.
        </p>
      )}
      {sync.cloneRefused && (
        <p class="message error" role="alert" data-testid="clone-refused">
          Head office knows this store's id and token from another server: this one (installation {sync.installationId}) is taken for a copy and nothing it
          sells is sent. Selling goes on and every sale waits here. If this server replaces the store's old one, ask head office to move the store to this
          installation.
        </p>
      )}
      {sync.previousEpoch && <p class="message info">This database started a new sequence ({sync.epochReason}).</p>}
      {sync.lastError && !sync.epochRefused && !sync.cloneRefused && <p class="message error">{sync.lastError}</p>}
      {catalog.lastError && (
        <p class="message error" data-testid="catalog-error">
          {catalog.lastError}
        </p>
      )}
      {catalog.problems.length > 0 && (
        <div class="message error" role="alert" data-testid="catalog-problems">
          <p>
            {catalog.problems.length === 1 ? "One product" : `${catalog.problems.length} products`} from head office could not take
            {catalog.problems.length === 1 ? " its barcode" : " their barcodes"}: a product of this store holds {catalog.problems.length === 1 ? "it" : "them"}.
            Head office has been told. Give the store's product another barcode, or ask head office to change theirs.
          </p>
          <ul>
            {catalog.problems.map((p) => (
              <li data-testid="catalog-problem">
                {p.barcode}: head office's {p.sku} (release {p.version}) — held here by {p.heldBySku} {p.heldByName}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function HeadOfficeSection(p: HeadOfficeView) {
  return (
    <section aria-labelledby="head-office-title">
      <h2 id="head-office-title">Head office</h2>
      <HeadOfficeStatus {...p} />
      <form method="post" action="/devices/head-office" class="add-printer" data-testid="head-office-form">
        <Csrf />
        <label>
          Address <input name="hq_url" type="url" placeholder="https://hq.example.com" value={p.link?.url ?? ""} />
        </label>
        <label>
          Store id <input name="hq_store_id" placeholder="from 'shopflow hq store add'" value={p.link?.storeId ?? ""} />
        </label>
        <label>
          Token <input name="hq_token" type="password" autocomplete="off" placeholder={p.link ? "(kept; type to change)" : "sfhq_…"} />
        </label>
        <button type="submit">Save head office</button>
        {p.link && (
          <small data-testid="new-token-hint">
            Head office gave the store a new token? Type it in Token and save: the address and store id stay, and the old token works meanwhile.
          </small>
        )}
      </form>
      {p.link && (
        <form method="post" action="/devices/head-office/send" class="inline-form">
          <Csrf />
          <button type="submit" data-testid="sync-send-now">
            Send now
          </button>
        </form>
      )}
      {p.link && (
        <form method="post" action="/devices/head-office/new-epoch" class="inline-form" data-testid="new-epoch-form">
          <Csrf />
          <p>
            Only when head office asks for it: a new database epoch. Once head office accepts it, this store sends everything in its outbox again; head office
            keeps each sale once.
          </p>
          <label class="check">
            <input type="checkbox" name="confirm" value="1" required /> Head office asked for a new epoch
          </label>
          <button type="submit">Start a new epoch</button>
        </form>
      )}
    </section>
  );
}
