// `shopflow hq --demo`: head office to try without a database server. Its PostgreSQL is PGlite in ./data/hq-demo
// (embedded.ts), with the same schema, functions and receiver as production; the first start adds an admin and a demo
// store and prints how to sign in and how to start a store that sends its sales here. Every page and the log say it is
// for evaluation only: one embedded backend runs every statement in turn, and a NOTIFY reaches only the connection
// that committed it, never head office's LISTEN, so the low-stock pages learn of changes only from the feed's own
// check (live/feed.ts: every 30 s it finds its notice unheard, listens again and tells the pages to reread).
import { randomSecret } from "../../../server/platform/auth/secrets.ts";
import type { HqSql } from "../db/db.ts";
import { addUser } from "../people/users.ts";
import { addStore } from "../stores/stores.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded.ts";

export const DEMO_DATA_DIR = "./data/hq-demo";
export const DEMO_ADMIN = "demo-admin";
export const DEMO_STORE = "Demo store";

/** What the log says first and every page shows at its top. */
export const EVALUATION_ONLY =
  "Evaluation only: this head office runs on an embedded PostgreSQL (PGlite) inside one process. Nothing here is for a chain's real sales: for those, run head office on a PostgreSQL server.";

/** The first start's demo admin and store; null when the data directory had them already (shown once, then). */
export type DemoSeed = { password: string; storeId: string; token: string } | null;

export type HqDemo = EmbeddedPostgres & { dataDir: string };

/** Start the embedded database in `dataDir` (made on first start) and say where head office's data is. */
export async function startDemoDatabase(dataDir = DEMO_DATA_DIR, port = 0): Promise<HqDemo> {
  console.warn(`*** ${EVALUATION_ONLY} ***`);
  console.log(`demo head office keeps its database in ${dataDir}`);
  return { ...(await startEmbeddedPostgres(dataDir, port)), dataDir };
}

/**
 * On a new demo database (no user yet): an admin with a password made here and a demo store with its token, both shown
 * only now, as `hq user add` and `hq store add` show them. A database that has people already is left as it is.
 */
export async function seedDemo(sql: HqSql): Promise<DemoSeed> {
  const [any] = await sql`SELECT 1 FROM hq_users LIMIT 1`;
  if (any) return null;
  const password = randomSecret(12);
  await addUser(sql, { name: DEMO_ADMIN, role: "admin", password, createdBy: "demo", onlyIfNone: true });
  const store = await addStore(sql, DEMO_STORE);
  return { password, ...store };
}

/** The lines the first start prints: how to sign in, and how to start a store that sends its sales to this head office. */
export function demoInstructions(seed: DemoSeed, hqUrl: string): string[] {
  if (!seed) {
    return [`sign in as ${DEMO_ADMIN} with the password printed when ${DEMO_DATA_DIR} was made (delete the folder to start over)`];
  }
  return [
    `sign in at ${hqUrl} as ${DEMO_ADMIN}, password ${seed.password} (shown only now)`,
    `"${DEMO_STORE}" is registered; start a demo store that sends its sales here (its catalog, a manager PIN 1234 and a cashier PIN 1111 come with --demo):`,
    `  shopflow serve --demo --data ./data/hq-demo-store --port 8080 --hq-url ${hqUrl} --hq-store ${seed.storeId} --hq-token ${seed.token}`,
  ];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * Head office's pages with the evaluation-only line at the top of every whole page (a fragment has no <body> and is
 * left alone; JSON, files and the stores' sync answers pass untouched).
 */
export function withEvaluationBanner(fetch: (req: Request, server: unknown) => Response | Promise<Response>) {
  const [label, ...rest] = EVALUATION_ONLY.split(":");
  // head office's yellow notice, across the top of the page
  const banner = `<p class="note" role="note" data-testid="evaluation-only"><strong>${escapeHtml(label!)}:</strong>${escapeHtml(rest.join(":"))}</p>`;
  return async (req: Request, server: unknown): Promise<Response> => {
    const res = await fetch(req, server);
    if (!(res.headers.get("Content-Type") ?? "").startsWith("text/html")) return res;
    return new HTMLRewriter()
      .on("body", {
        element(body) {
          body.prepend(banner, { html: true });
        },
      })
      .transform(res);
  };
}
