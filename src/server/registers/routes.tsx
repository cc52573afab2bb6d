// Pairing a browser as a register: a manager chooses their name and types their PIN. Open to any browser that reaches
// the store, so it is slowed per address and for the whole store, and every failure is logged.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import { PairPage } from "../../views/registers/pair.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { COOKIES } from "../people/guard.ts";
import { countPairingTry, countPinTry, triesKey } from "../people/pin-throttle.ts";
import { setPrivateCookie } from "../platform/auth/sessions.ts";
import { saying, validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { registerNames } from "./records.ts";

const pairing = z.object({
  register: saying(40, "Give the register a name of 1 to 40 characters.", "invalid_register"),
  manager: z.string().default(""),
  manager_pin: z.string().default(""),
});

export function pairingRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  const page = (c: Context<PagesEnv>, message?: string) =>
    render(c, <PairPage registers={registerNames(shop.db)} managers={shop.users.approvers()} message={message} />);

  app.get("/", (c) => (shop.users.hasAdmin() ? page(c) : c.redirect("/setup", 303)));
  app.post("/", async (c) => {
    try {
      const f = await validForm(c, pairing);
      // each address, and the whole store, may try only so often: addresses are cheap to change on a LAN
      countPinTry(shop.db, triesKey(c, null), shop.clock.now());
      countPairingTry(shop.db, shop.clock.now());
      const managerId = Number(f.manager);
      if (!Number.isSafeInteger(managerId) || managerId <= 0) throw new Problem("approval_needed", "Choose the manager who pairs this register.");
      const token = await shop.registers.pair(f.register, { managerId, pin: f.manager_pin });
      setPrivateCookie(c, COOKIES.device, token, 400 * 86400);
      return c.redirect("/login", 303);
    } catch (e) {
      return again(e, (m) => page(c, m));
    }
  });
  return app;
}
