// The sales history pages (/sales): the search, one sale's receipt, a copy of it. Anyone signed in may look; a copy
// prints on this register's printer, or from the back office on the printer of the register that made the sale.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { currencyDigits } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import type { Sale } from "../../domain/sale/sale.ts";
import { SaleReceiptPage, SalesHistoryPage } from "../../views/selling/history.tsx";
import type { Actor } from "../audit/audit-log.ts";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { type HistoryCursor, readDay, readSalesSearch, type SalesSearch, timeWindow } from "./history.ts";

type C = Context<PagesEnv>;

const reprintForm = z.object({ back: z.string().max(200, "That link back to the sales history is too long; open the sales history again.").optional() });

/** Where the previous page ended: "time~id" as the "Older sales" link writes it. */
function readCursor(text: string | undefined): HistoryCursor | null {
  if (!text) return null;
  const [at, id] = text.split("~");
  if (!at || !id || at.length > 40 || id.length > 64 || !/^[\w:.\-+]+$/.test(at) || !/^[\w-]+$/.test(id)) {
    throw new Problem("invalid_input", "That link to older sales is broken; start again from the sales history.");
  }
  return { at, id };
}

/** Only a page of this history may be gone back to (never another site, never another page of the store). */
const backTo = (text: unknown) => (typeof text === "string" && /^\/sales(\?[\w=&%.~+-]*)?$/.test(text) ? text : "/sales");

export function salesHistoryRoutes(store: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("cashier"));

  app.get("/", (c) => {
    const typed = c.req.query("q") ?? "";
    const dayText = c.req.query("day");
    const query = typed.trim();
    try {
      // the whole text through the gate (never cut first: a cut could split a character or hide what follows)
      const bad = textProblem(typed, "The search", { max: 40 });
      if (bad) throw new Problem(bad.code, bad.message);
      const day = readDay(dayText);
      const search = readSalesSearch(query, currencyDigits(store.settings().currency));
      const found = store.history.find(search, { day, after: readCursor(c.req.query("after")), around: aroundTime(search, day) });
      // one receipt scanned or typed: straight to it
      if (search.kind === "receipt" && found.sales.length === 1) return c.redirect(`/sales/${found.sales[0]!.id}`, 303);
      const next = found.next
        ? `/sales?${new URLSearchParams({ ...(query ? { q: query } : {}), ...(day ? { day } : {}), after: `${found.next.at}~${found.next.id}` })}`
        : null;
      return render(c, <SalesHistoryPage sales={found.sales} query={query} day={day} next={next} />);
    } catch (e) {
      // a refused search is not shown back when it looked like a card number, nor when it could not be kept as text
      const shown = e instanceof Problem && (e.code === "card_data_refused" || e.code === "unstorable_text" || e.code === "text_too_long") ? "" : typed;
      return again(e, (m) => render(c, <SalesHistoryPage sales={[]} query={shown} day={null} next={null} message={m} />));
    }
  });

  const aroundTime = (search: SalesSearch, day: string | null) => timeWindow(search, day, store.settings().timeZone, store.clock.now());

  const completed = (id: string): Sale => {
    const { state } = store.sales.load(id.slice(0, 64));
    if (state.status !== "completed") throw new Problem("not_found", "There is no completed sale with that receipt.");
    return state;
  };

  // a return's receipt, from its sale's page: shown, and a copy printed (marked COPY) where the person is
  const completedReturn = (id: string) => {
    const r = store.returnRecords.byId(id);
    if (!r) throw new Problem("not_found", "There is no such return.");
    return r;
  };

  app.get("/returns/:rid", (c) => {
    const r = completedReturn(c.req.param("rid"));
    const print = c.req.query("printed") === "1" ? store.printing.stateOfReturn(r.returnId) : null;
    const printed = print !== null && print.state !== "none";
    return render(
      c,
      <SaleReceiptPage
        saleId={r.saleId ?? r.returnId}
        doc={store.printing.returnReceiptDocument(r, null, store.returnRecords.exchangeOf(r.returnId))}
        print={printed ? print : null}
        back={backTo(c.req.query("back"))}
        message={printed ? "A copy was sent to the printer." : undefined}
        reprintUrl={`/sales/returns/${r.returnId}/reprint`}
      />,
    );
  });

  app.post("/returns/:rid/reprint", async (c) => {
    const r = completedReturn(c.req.param("rid"));
    const form = await validForm(c, reprintForm);
    const user = c.get("user")!;
    const device = c.get("device");
    const who: Actor = device
      ? { userId: user.id, userName: user.name, registerId: device.registerId, registerName: device.registerName }
      : { userId: user.id, userName: user.name, registerId: r.registerId, registerName: `${store.history.registerName(r.registerId)} (from the back office)` };
    store.returns.reprint(who, r.returnId);
    store.printing.worker.kick();
    return c.redirect(`/sales/returns/${r.returnId}?printed=1&back=${encodeURIComponent(backTo(form.back))}`, 303);
  });

  app.get("/:id", (c) => {
    const sale = completed(c.req.param("id"));
    // "printed=1" comes from the copy just asked for; with no copy of this sale on record it says nothing
    const print = c.req.query("printed") === "1" ? store.printing.stateOfSale(sale.saleId) : null;
    const printed = print !== null && print.state !== "none";
    return render(
      c,
      <SaleReceiptPage
        saleId={sale.saleId}
        doc={store.printing.receiptDocument(sale)}
        print={printed ? print : null}
        back={backTo(c.req.query("back"))}
        message={printed ? "A copy was sent to the printer." : undefined}
        returns={store.returnRecords.ofSale(sale.saleId).map((r) => ({ id: r.id, returnNumber: r.returnNumber, at: r.at, total: r.total }))}
      />,
    );
  });

  app.post("/:id/reprint", async (c) => {
    const sale = completed(c.req.param("id"));
    const form = await validForm(c, reprintForm);
    store.selling.reprint(actorFor(c, sale), sale.saleId);
    store.printing.worker.kick();
    return c.redirect(`/sales/${sale.saleId}?printed=1&back=${encodeURIComponent(backTo(form.back))}`, 303);
  });

  /** On a register, that register; in the back office, the register that made the sale (and its printer). */
  function actorFor(c: C, sale: Sale): Actor {
    const user = c.get("user")!;
    const device = c.get("device");
    if (device) return { userId: user.id, userName: user.name, registerId: device.registerId, registerName: device.registerName };
    const name = store.history.registerName(sale.registerId);
    return { userId: user.id, userName: user.name, registerId: sale.registerId, registerName: `${name} (from the back office)` };
  }

  return app;
}
