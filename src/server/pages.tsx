// The store's pages: one sub-app that knows who is asking (device, user, their page context), limits bodies and checks
// CSRF and Origin for everything mounted under it. Each feature mounts under its own prefix with its own role gate,
// so a new route is protected by being mounted, never by being listed.
import { type Context, Hono } from "hono";
import { jsxRenderer } from "hono/jsx-renderer";
import type { Shop } from "./compose.ts";
import { mountLazily } from "./lazy-routes.ts";
import { liveContext, liveRoutes } from "./live/routes.tsx";
import { checkCsrf, identify, type PagesEnv } from "./people/guard.ts";
import { menuFor } from "./people/menu.ts";
import { atLeast } from "./people/roles.ts";
import { signInRoutes, userRoutes } from "./people/routes.tsx";
import { limitBodies } from "./platform/http/body-limit.ts";
import { pairingRoutes } from "./registers/routes.tsx";
import { returnRoutes } from "./returns/routes.tsx";
import { salesHistoryRoutes } from "./selling/history-routes.tsx";
import { registerPage, sellingRoutes } from "./selling/routes.tsx";
import { shiftRoutes } from "./shifts/routes.tsx";

/** A form is small; a logo upload, by a signed-in manager only, may be up to 2 MB. */
export const PAGE_FORM_LIMIT = 64 * 1024;
export const LOGO_UPLOAD_LIMIT = 2_500_000;
/** A delivery or a count of 10,000 lines (a code, a quantity and a cost a line) as a form. */
export const STOCK_LIST_LIMIT = 1024 * 1024;

/** Pages render their own documents: the renderer only passes a view through (c.render). */
const renderer = jsxRenderer(({ children }) => <>{children}</>, { docType: false });

export function pages(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(identify(shop));
  app.use(async (c, next) => {
    const s = shop.settings();
    const user = c.get("user");
    c.set("page", {
      csrf: c.get("csrf"),
      locale: { currency: s.currency, timeZone: s.timeZone },
      userName: user?.name ?? null,
      menu: menuFor(user, !!c.get("device")),
    });
    await next();
  });
  // the bigger limit only once the asker is known to be a manager: a stranger's body is never read past a form's size
  app.use(
    limitBodies({
      rules: [
        {
          prefix: "/devices/logo",
          maxBytes: LOGO_UPLOAD_LIMIT,
          when: (c) => !!c.get("user") && atLeast(c.get("user")!.role, "manager"),
          message: "The logo upload is larger than 2 MB; export a smaller PNG.",
        },
        // a supplier's delivery note or a shelf count pasted or uploaded whole: thousands of lines, from supervisors up
        ...["/stock/deliveries", "/stock/counts"].map((prefix) => ({
          prefix,
          maxBytes: STOCK_LIST_LIMIT,
          when: (c: Context<PagesEnv>) => !!c.get("user") && atLeast(c.get("user")!.role, "supervisor"),
          message: "The list is larger than 1 MB; send it in parts.",
        })),
      ],
      otherwise: PAGE_FORM_LIMIT,
    }),
  );
  app.use(checkCsrf);
  app.use(liveContext(shop));
  app.use(renderer);

  // open to anyone who reaches the store: first run, pairing, signing in and out
  app.route("/", signInRoutes(shop));
  app.route("/pair", pairingRoutes(shop));
  // behind their gates
  app.get("/", ...registerPage(shop));
  app.route("/register", sellingRoutes(shop));
  app.route("/shift", shiftRoutes(shop));
  app.route("/sales", salesHistoryRoutes(shop));
  app.route("/returns", returnRoutes(shop));
  // the back office, built on its first request (lazy-routes.ts): each group's gate is inside it, as when mounted
  const later = (prefix: string, load: () => Promise<Hono<PagesEnv>>) => mountLazily(app, prefix, load, renderer);
  later("/devices", async () => (await import("./devices/routes.tsx")).deviceRoutes(shop));
  later("/audit", async () => (await import("./audit/routes.tsx")).auditRoutes(shop));
  later("/reports", async () => {
    const [loss, together, reports] = await Promise.all([
      import("./reports/loss-routes.tsx"),
      import("./reports/together-routes.tsx"),
      import("./reports/routes.tsx"),
    ]);
    // loss prevention, stock movement and closed shifts: their more specific paths before /reports' own
    return new Hono<PagesEnv>()
      .route("/", loss.lossRoutes(shop))
      .route("/bought-together", together.togetherRoutes(shop))
      .route("/", reports.reportRoutes(shop));
  });
  later("/quick-keys", async () => (await import("./quick-keys/routes.tsx")).quickKeyRoutes(shop));
  app.route("/users", userRoutes(shop));
  later("/settings", async () => (await import("./settings/routes.tsx")).settingsRoutes(shop));
  later("/stock", async () => (await import("./inventory/routes.tsx")).stockRoutes(shop));
  later("/products", async () => (await import("./products/routes.tsx")).productRoutes(shop));
  later("/tax-classes", async () => (await import("./tax-classes/routes.tsx")).taxClassRoutes(shop));
  later("/categories", async () => (await import("./categories/routes.tsx")).categoryRoutes(shop));
  later("/store-setup", async () => (await import("./store-setup/routes.tsx")).storeSetupRoutes(shop));
  // the live channel (server-sent events): anyone signed in, each told what their role and register may see
  app.route("/events", liveRoutes(shop));
  return app;
}
