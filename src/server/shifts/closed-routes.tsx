// Closed shifts for managers (/reports/shifts): the list by register and day, newest first, paged; one shift's Z report
// as stored at closing; and printing it again, marked COPY, on this register's printer or, from the back office, on the
// printer of the register the shift was on.
import { Hono } from "hono";
import { nextDay, startOfDay } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { ClosedShiftPage, ClosedShiftsPage } from "../../views/reports/closed-shifts.tsx";
import type { Actor } from "../audit/audit-log.ts";
import { dayParam } from "../audit/filter.ts";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole } from "../people/guard.ts";
import { again, render } from "../platform/http/render.ts";
import { closedShifts } from "./closed.ts";

const PAGE_ROWS = 50;

/** A whole number id from a query or path; null when empty; `invalid_input` otherwise. */
function idParam(raw: string | undefined, what: string): number | null {
  const v = (raw ?? "").trim();
  if (v === "") return null;
  if (!/^[1-9]\d{0,9}$/.test(v)) throw new Problem("invalid_input", `${what} “${v.slice(0, 20)}” is not one the store knows: choose it from the list.`);
  return Number(v);
}

export function closedShiftRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const shifts = closedShifts(shop.db);

  app.get("/", (c) => {
    const registers = shifts.registers();
    try {
      const register = idParam(c.req.query("register"), "The register");
      const day = dayParam("Day", c.req.query("day")?.slice(0, 60));
      const before = idParam(c.req.query("before"), "The page");
      const tz = shop.settings().timeZone;
      const found = shifts.list({
        registerId: register,
        start: day ? startOfDay(day, tz) : null,
        end: day ? startOfDay(nextDay(day), tz) : null,
        before,
        limit: PAGE_ROWS,
      });
      const next = found.next
        ? `/reports/shifts?${new URLSearchParams({ ...(register ? { register: String(register) } : {}), ...(day ? { day } : {}), before: String(found.next) })}`
        : null;
      return render(c, <ClosedShiftsPage shifts={found.shifts} registers={registers} filter={{ register, day }} next={next} />);
    } catch (e) {
      // a register or a day that is none: the list's form again with the sentence, nothing looked up
      return again(e, (m) => render(c, <ClosedShiftsPage shifts={[]} registers={registers} filter={{ register: null, day: null }} next={null} message={m} />));
    }
  });

  const closed = (raw: string) => {
    const id = idParam(raw, "The shift");
    const found = id === null ? null : shifts.byId(id);
    if (!found) throw new Problem("not_found", "There is no closed shift with that number: choose one from the list of closed shifts.");
    return found;
  };

  app.get("/:id", (c) => {
    const { shift, report } = closed(c.req.param("id"));
    const message = c.req.query("printed") === "1" ? "A copy marked COPY was sent to the printer." : undefined;
    return render(c, <ClosedShiftPage shift={shift} report={report} message={message} />);
  });

  app.post("/:id/reprint", (c) => {
    const { shift } = closed(c.req.param("id"));
    const user = c.get("user")!;
    const device = c.get("device");
    const who: Actor = device
      ? { userId: user.id, userName: user.name, registerId: device.registerId, registerName: device.registerName }
      : { userId: user.id, userName: user.name, registerId: shift.registerId, registerName: `${shift.register} (from the back office)` };
    shop.shiftActions.reprintZ(who, shift.id);
    shop.printing.worker.kick();
    return c.redirect(`/reports/shifts/${shift.id}?printed=1`, 303);
  });
  return app;
}
