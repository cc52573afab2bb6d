// The register page: scan field and sale on the left, totals, tenders and product finder on the right.
import type { PrinterConfig } from "../../hardware/printers/registry.ts";
import { PrinterStatusBadge } from "../devices/page.tsx";
import { LiveConnection } from "../live/live.tsx";
import { usePage } from "../ui/context.ts";
import { Layout } from "../ui/layout.tsx";
import { type CategoryTab, type ProductTile, QuickKeys } from "./catalog.tsx";
import { Message, SaleLines, type SaleProps, Totals } from "./sale.tsx";
import { Suggestion } from "./suggestion.tsx";

export type RegisterPageProps = SaleProps & {
  storeName: string;
  registerName: string;
  catalogVersion: string;
  /** Why catalog updates from head office are not all in, in a few words; null when they are. */
  catalogTrouble: string | null;
  categories: CategoryTab[];
  activeCategory: number | null;
  quickKeys: ProductTile[];
  printer: PrinterConfig | null;
  /** Whose register this page is ("register:user"): scans kept while the server was away go only to their own sale. */
  owner: string;
};

/** The register's keys, as the status bar (or, on a tablet, its Keys list) tells them. */
const KEYS: [string, string][] = [
  ["Enter", "add"],
  ["↑↓", "pick line"],
  ["+/−", "qty"],
  ["F4", "change line"],
  ["Del", "remove"],
  ["F2", "new"],
  ["F3", "find"],
  ["F6", "park"],
  ["F7", "recall"],
  ["F8", "cash"],
  ["F9", "card"],
  ["F10", "discount"],
  ["F11", "no sale"],
  ["F12", "cancel"],
  ["F5", "return"],
  ["Esc", "close"],
];

export function RegisterPage(p: RegisterPageProps) {
  const { userName, menu } = usePage();
  return (
    <Layout title={`${p.registerName} · ${p.storeName}`} bodyClass="register">
      <div x-data="till" class="till" data-owner={p.owner}>
        <header class="topbar">
          <strong class="store">{p.storeName}</strong>
          <span class="lane" data-testid="register-name">
            {p.registerName}
          </span>
          <span class="cashier" data-testid="cashier-name">
            {userName}
          </span>
          <span id="connection" class="connection online" role="status" data-testid="connection">
            Connected
          </span>
          <PrinterStatusBadge printer={p.printer} />
          <details class="menu topbtn-menu" data-testid="menu">
            <summary class="topbtn">Menu</summary>
            <nav aria-label="Pages">
              {menu
                .filter((m) => m.href !== "/")
                .map((m) => (
                  <a href={m.href} data-testid="menu-link">
                    {m.label}
                  </a>
                ))}
            </nav>
          </details>
          <button type="button" class="topbtn" data-testid="return-button" data-key="F5" hx-get="/returns/dialog" hx-target="#dialog-body">
            Return <kbd>F5</kbd>
          </button>
          <button type="button" class="topbtn" data-testid="shift-button" hx-get="/shift" hx-target="#dialog-body">
            Shift
          </button>
          <button type="button" class="topbtn" data-testid="lock-button" hx-post="/logout">
            Lock
          </button>
          <button type="button" class="topbtn" data-testid="new-sale-button" data-key="F2" hx-post="/register/new" hx-target="#lines" hx-swap="outerHTML">
            New sale <kbd>F2</kbd>
          </button>
        </header>
        <div id="offline" class="offline" hidden role="alert">
          The store server cannot be reached. Nothing is lost — the sale is kept on the server, and scans made now are kept here and added when it is back.
          Reconnecting…
        </div>
        <div id="kept-scans" class="kept-scans" data-testid="kept-scans" role="status" hidden></div>
        <main class="columns">
          <section class="left" aria-label="Sale">
            <form id="scan-form" class="scan" hx-post="/register/scan" hx-target="#lines" hx-swap="outerHTML" hx-sync="this:queue all" autocomplete="off">
              <label for="barcode">Scan or type a barcode</label>
              <div class="scan-row">
                <input id="barcode" name="code" data-testid="barcode-input" inputmode="numeric" autofocus enterkeyhint="enter" />
                <button type="submit" class="primary">
                  Add <kbd>Enter</kbd>
                </button>
              </div>
            </form>
            <Message />
            <Suggestion suggestion={null} />
            <SaleLines sale={p.sale} totals={p.totals} />
          </section>
          <section class="right" aria-label="Payment and products">
            <Totals sale={p.sale} totals={p.totals} />
            <div class="tenders">
              <button type="button" class="tender tender-cash" data-testid="cash-payment" data-key="F8" hx-get="/register/dialog/cash" hx-target="#dialog-body">
                Cash <kbd>F8</kbd>
              </button>
              <button type="button" class="tender tender-card" data-testid="card-payment" data-key="F9" hx-get="/register/dialog/card" hx-target="#dialog-body">
                Card <kbd>F9</kbd>
              </button>
              <button type="button" class="tender tender-credit" data-testid="credit-payment" hx-get="/register/dialog/store-credit" hx-target="#dialog-body">
                Store credit
              </button>
            </div>
            <div class="actions">
              <button type="button" data-testid="park-sale" data-key="F6" hx-post="/register/park" hx-target="#lines" hx-swap="outerHTML">
                Park <kbd>F6</kbd>
              </button>
              <button type="button" data-testid="recall-sale" data-key="F7" hx-get="/register/dialog/recall" hx-target="#dialog-body">
                Recall <kbd>F7</kbd>
              </button>
              <button type="button" data-testid="sale-discount" data-key="F10" hx-get="/register/dialog/discount" hx-target="#dialog-body">
                Discount <kbd>F10</kbd>
              </button>
              <button type="button" data-testid="cancel-sale" data-key="F12" hx-get="/register/dialog/cancel" hx-target="#dialog-body">
                Cancel sale <kbd>F12</kbd>
              </button>
              <button type="button" data-testid="no-sale" data-key="F11" hx-get="/register/dialog/no-sale" hx-target="#dialog-body">
                No sale <kbd>F11</kbd>
              </button>
            </div>
            <div class="finder">
              <label for="search">
                Find a product <kbd>F3</kbd>
              </label>
              <input
                id="search"
                name="q"
                type="search"
                data-testid="product-search"
                data-key="F3"
                autocomplete="off"
                placeholder="name, SKU or barcode"
                hx-get="/register/search"
                hx-trigger="input changed delay:120ms, search"
                hx-target="#search-results"
                hx-swap="outerHTML"
              />
              <ul id="search-results" class="search-results"></ul>
            </div>
            <QuickKeys categories={p.categories} active={p.activeCategory} products={p.quickKeys} />
          </section>
        </main>
        <footer class="statusbar">
          <span>Catalog {p.catalogVersion}</span>
          {p.catalogTrouble && (
            <span class="warn" role="status" data-testid="catalog-trouble">
              ⚠ {p.catalogTrouble} — a manager sees more under Devices
            </span>
          )}
          <span class="hint">Keys: {KEYS.map(([k, what]) => `${k} ${what}`).join(" · ")}</span>
          <details class="keys-help" data-testid="keys-help">
            <summary>Keys ⌨</summary>
            <ul>
              {KEYS.map(([k, what]) => (
                <li>
                  <kbd>{k}</kbd> {what}
                </li>
              ))}
            </ul>
          </details>
        </footer>
        <dialog id="dialog" aria-labelledby="dialog-title">
          <div id="dialog-body"></div>
        </dialog>
        {/* the printer's pill as the live channel tells it (no polling while it is up) */}
        <LiveConnection />
      </div>
    </Layout>
  );
}
