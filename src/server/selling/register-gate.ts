// The register's gate: the paired device is the register, and selling needs its shift open.
import type { MiddlewareHandler } from "hono";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";

export type RegisterEnv = { Variables: PagesEnv["Variables"] & { registerId: number; registerName: string } };

/** The register is the paired device; the cashier is the signed-in user; selling needs the register's open shift. */
export const registerGate =
  (store: Shop): MiddlewareHandler<RegisterEnv> =>
  async (c, next) => {
    const device = c.get("device")!;
    c.set("registerId", device.registerId);
    c.set("registerName", device.registerName);
    if (!store.shifts.current(device.registerId)) {
      if (c.req.header("HX-Request") === "true") {
        c.header("HX-Redirect", "/shift/open");
        throw new Problem("no_open_shift", "Open a shift before selling.");
      }
      return c.redirect("/shift/open", 303);
    }
    await next();
  };
