// The register's shift (/shift): open it with a float, cash in and out, the X report, and the count and Z report that
// close it. Only on a paired register, by a signed-in user.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { currencyDigits, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { countDenominations } from "../../domain/shift/shift.ts";
import { CloseShiftPage, OpenShiftPage, ReportView, ShiftDialog } from "../../views/shifts/pages.tsx";
import type { Shop } from "../compose.ts";
import { approval, approversFor } from "../people/approval.ts";
import type { PagesEnv } from "../people/guard.ts";
import { actorOf, requireRole } from "../people/guard.ts";
import type { User } from "../people/records.ts";
import { atLeast } from "../people/roles.ts";
import { readForm, saying, validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import type { Counted } from "./actions.ts";

type C = Context<PagesEnv>;

const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

const cashMove = z.object({
  kind: z.enum(["in", "out"]).catch("in"),
  amount: z.string().default(""),
  reason: saying(200, "Say why the cash moves.", "reason_required"),
  approver: z.string().optional(),
  manager_pin: z.string().optional(),
});

export function shiftRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("cashier", { device: true }));
  const digits = () => currencyDigits(shop.settings().currency);
  const amount = (text: string | undefined, what: string): number | null => {
    if (text === undefined || text.trim() === "") return null;
    const v = parseDecimalToMinor(text, digits());
    if (v === null || v < 0) throw new Problem("invalid_amount", `${what} must be an amount like 150.00.`);
    return v;
  };
  /** A total, or a count note by note (fields d_5000=3 ...): the count wins when both are given. */
  const counted = (f: Record<string, string>, field: string, what: string): Counted => {
    const detail: Record<string, number> = {};
    for (const d of DENOMINATIONS) {
      const n = f[`d_${d}`];
      if (n !== undefined && n.trim() !== "") {
        if (!/^\d{1,5}$/.test(n.trim())) throw new Problem("invalid_count", "Count each note and coin as a whole number.");
        detail[String(d)] = Number(n.trim());
      }
    }
    if (Object.keys(detail).length > 0) return { total: countDenominations(detail), detail };
    const total = amount(f[field], what);
    if (total === null) throw new Problem("count_required", `Type ${what.toLowerCase()}, or count it note by note.`);
    return { total, detail: null };
  };
  const blindFor = (user: User) => shop.settings().blindCount && !atLeast(user.role, "supervisor");
  const shiftOf = (c: C) => {
    const s = shop.shifts.current(c.get("device")!.registerId);
    if (!s) throw new Problem("no_open_shift", "Open a shift first.");
    return s;
  };
  const dialog = (c: C) =>
    render(c, <ShiftDialog report={shop.shifts.x(shiftOf(c))} blind={blindFor(c.get("user")!)} approvers={approversFor(shop, c.get("user")!)} />);
  const openPage = (c: C, message?: string) =>
    render(c, <OpenShiftPage register={c.get("device")!.registerName} user={c.get("user")!.name} denominations={DENOMINATIONS} message={message} />);
  const closePage = (c: C, report: Parameters<typeof CloseShiftPage>[0]["report"], message?: string) =>
    render(
      c,
      <CloseShiftPage
        register={c.get("device")!.registerName}
        denominations={DENOMINATIONS}
        report={report}
        message={message}
        openSales={report ? 0 : shop.shifts.openSales(c.get("device")!.registerId)}
        approvers={atLeast(c.get("user")!.role, "supervisor") ? [] : approversFor(shop, c.get("user")!)}
      />,
    );

  app.get("/open", (c) => (shop.shifts.current(c.get("device")!.registerId) ? c.redirect("/", 303) : openPage(c)));
  app.post("/open", async (c) => {
    try {
      shop.shiftActions.open(actorOf(c.get("user"), c.get("device")), counted(await readForm(c), "float", "The opening float"));
      return c.redirect("/", 303);
    } catch (e) {
      return again(e, (m) => openPage(c, m));
    }
  });

  app.get("/", (c) => dialog(c));
  app.post("/cash", async (c) => {
    const f = await validForm(c, cashMove);
    const value = amount(f.amount, "The amount") ?? 0;
    const ok = f.kind === "out" ? await approval(shop, c.get("user")!, f, "Taking cash out") : null;
    shop.shiftActions.moveCash(actorOf(c.get("user"), c.get("device")), f.kind, value, f.reason, ok ? { id: ok.approver.id, name: ok.approver.name } : null);
    return dialog(c);
  });

  // looking at the X report changes nothing; printing it is a POST, logged
  app.get("/x", (c) =>
    render(c, <ReportView report={shop.shifts.x(shiftOf(c))} title="X report — nothing reset" blind={blindFor(c.get("user")!)} printable />),
  );
  app.post("/x/print", (c) => {
    const blind = blindFor(c.get("user")!);
    const report = shop.shiftActions.printX(actorOf(c.get("user"), c.get("device")), blind);
    shop.printing.worker.kick();
    return render(c, <ReportView report={report} title="X report — sent to the printer" blind={blind} printable />);
  });

  app.get("/close", (c) => {
    shiftOf(c);
    return closePage(c, null);
  });
  app.post("/close", async (c) => {
    try {
      const f = await readForm(c);
      shiftOf(c);
      const count = counted(f, "counted", "The counted cash");
      const ok = atLeast(c.get("user")!.role, "supervisor") ? null : await approval(shop, c.get("user")!, f, "Closing a shift");
      const report = shop.shiftActions.close(actorOf(c.get("user"), c.get("device")), count, ok ? { id: ok.approver.id, name: ok.approver.name } : null);
      shop.printing.worker.kick();
      return closePage(c, report);
    } catch (e) {
      return again(e, (m) => closePage(c, null, m));
    }
  });
  return app;
}
