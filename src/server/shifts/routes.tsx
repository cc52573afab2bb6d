// The register's shift (/shift): open it with a float, cash in and out, the X report, and the count and Z report that
// close it. Only on a paired register, by a signed-in user.
import { type Context, Hono } from "hono";
import { currencyDigits } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type CashMoved, CloseShiftPage, OpenShiftPage, ShiftDialog, XReportDialog } from "../../views/shifts/pages.tsx";
import type { Shop } from "../compose.ts";
import { approval, approversFor } from "../people/approval.ts";
import type { PagesEnv } from "../people/guard.ts";
import { actorOf, requireRole } from "../people/guard.ts";
import type { User } from "../people/records.ts";
import { atLeast } from "../people/roles.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { DENOMINATIONS, shiftForms } from "./forms.ts";

type C = Context<PagesEnv>;

export function shiftRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("cashier", { device: true }));
  const forms = shiftForms(() => currencyDigits(shop.settings().currency));
  const blindFor = (user: User) => shop.settings().blindCount && !atLeast(user.role, "supervisor");
  const shiftOf = (c: C) => {
    const s = shop.shifts.current(c.get("device")!.registerId);
    if (!s) throw new Problem("no_open_shift", "Open a shift first.");
    return s;
  };
  const dialog = (c: C, moved?: CashMoved) =>
    render(
      c,
      <ShiftDialog
        report={shop.shifts.x(shiftOf(c))}
        blind={blindFor(c.get("user")!)}
        approvers={approversFor(shop, c.get("user")!)}
        {...(moved ? { moved } : {})}
      />,
    );
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
      shop.shiftActions.open(actorOf(c.get("user"), c.get("device")), await validForm(c, forms.open));
      return c.redirect("/", 303);
    } catch (e) {
      return again(e, (m) => openPage(c, m));
    }
  });

  app.get("/", (c) => dialog(c));
  app.post("/cash", async (c) => {
    const f = await validForm(c, forms.cashMove);
    // either way the drawer opens, and an open drawer is a manager's to allow, as a no-sale is
    const ok = await approval(shop, c.get("user")!, f, f.kind === "out" ? "Taking cash out" : "Putting cash in");
    const moved = shop.shiftActions.moveCash(actorOf(c.get("user"), c.get("device")), f.kind, f.amount, f.reason, {
      id: ok.approver.id,
      name: ok.approver.name,
    });
    shop.printing.worker.kick();
    return dialog(c, moved);
  });

  // looking at the X report changes nothing; printing it is a POST, logged
  app.get("/x", (c) => render(c, <XReportDialog report={shop.shifts.x(shiftOf(c))} title="X report — nothing reset" blind={blindFor(c.get("user")!)} />));
  app.post("/x/print", (c) => {
    const blind = blindFor(c.get("user")!);
    const report = shop.shiftActions.printX(actorOf(c.get("user"), c.get("device")), blind);
    shop.printing.worker.kick();
    return render(c, <XReportDialog report={report} title="X report — sent to the printer" blind={blind} />);
  });

  app.get("/close", (c) => {
    shiftOf(c);
    return closePage(c, null);
  });
  app.post("/close", async (c) => {
    try {
      shiftOf(c);
      const f = await validForm(c, forms.close);
      const ok = atLeast(c.get("user")!.role, "supervisor") ? null : await approval(shop, c.get("user")!, f, "Closing a shift");
      const report = shop.shiftActions.close(actorOf(c.get("user"), c.get("device")), f.count, ok ? { id: ok.approver.id, name: ok.approver.name } : null);
      shop.printing.worker.kick();
      return closePage(c, report);
    } catch (e) {
      return again(e, (m) => closePage(c, null, m));
    }
  });
  return app;
}
