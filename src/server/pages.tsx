// The store's pages: one sub-app that knows who is asking (device, user, their page context), limits bodies and checks
// CSRF and Origin for everything mounted under it. Each feature mounts under its own prefix with its own role gate,
// so a new route is protected by being mounted, never by being listed.
import { type Context, Hono } from "hono";
import { jsxRenderer } from "hono/jsx-renderer";
import { auditRoutes } from "./audit/routes.tsx";
import { categoryRoutes } from "./categories/routes.tsx";
import type { Shop } from "./compose.ts";
import { deviceRoutes } from "./devices/routes.tsx";
import { stockRoutes } from "./inventory/routes.tsx";
import { liveContext, liveRoutes } from "./live/routes.tsx";
import { checkCsrf, identify, type PagesEnv } from "./people/guard.ts";
import { menuFor } from "./people/menu.ts";
import { atLeast } from "./people/roles.ts";
import { signInRoutes, userRoutes } from "./people/routes.tsx";
import { limitBodies } from "./platform/http/body-limit.ts";
import { productRoutes } from "./products/routes.tsx";
import { quickKeyRoutes } from "./quick-keys/routes.tsx";
import { pairingRoutes } from "./registers/routes.tsx";
import { lossRoutes } from "./reports/loss-routes.tsx";
import { reportRoutes } from "./reports/routes.tsx";
import { togetherRoutes } from "./reports/together-routes.tsx";
import { returnRoutes } from "./returns/routes.tsx";
import { salesHistoryRoutes } from "./selling/history-routes.tsx";
import { registerPage, sellingRoutes } from "./selling/routes.tsx";
import { settingsRoutes } from "./settings/routes.tsx";
import { shiftRoutes } from "./shifts/routes.tsx";
import { storeSetupRoutes } from "./store-setup/routes.tsx";
import { taxClassRoutes } from "./tax-classes/routes.tsx";

/** A form is small; a logo upload, by a signed-in manager only, may be up to 2 MB. */
export const PAGE_FORM_LIMIT = 64 * 1024;
export const LOGO_UPLOAD_LIMIT = 2_500_000;
/** A delivery or a count of 10,000 lines (a code, a quantity and a cost a line) as a form. */
export const STOCK_LIST_LIMIT = 1024 * 1024;

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
  app.use(jsxRenderer(({ children }) => <>{children}</>, { docType: false }));

  // open to anyone who reaches the store: first run, pairing, signing in and out
  app.route("/", signInRoutes(shop));
  app.route("/pair", pairingRoutes(shop));
  // behind their gates
  app.get("/", ...registerPage(shop));
  app.route("/register", sellingRoutes(shop));
  app.route("/shift", shiftRoutes(shop));
  app.route("/sales", salesHistoryRoutes(shop));
  app.route("/returns", returnRoutes(shop));
  app.route("/devices", deviceRoutes(shop));
  app.route("/audit", auditRoutes(shop));
  // loss prevention, stock movement and closed shifts: their more specific paths before /reports' own
  app.route("/reports", lossRoutes(shop));
  app.route("/reports/bought-together", togetherRoutes(shop));
  app.route("/reports", reportRoutes(shop));
  app.route("/quick-keys", quickKeyRoutes(shop));
  app.route("/users", userRoutes(shop));
  app.route("/settings", settingsRoutes(shop));
  app.route("/stock", stockRoutes(shop));
  app.route("/products", productRoutes(shop));
  app.route("/tax-classes", taxClassRoutes(shop));
  app.route("/categories", categoryRoutes(shop));
  app.route("/store-setup", storeSetupRoutes(shop));
  // the live channel (server-sent events): anyone signed in, each told what their role and register may see
  app.route("/events", liveRoutes(shop));
  return app;
}
