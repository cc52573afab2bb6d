// Stock counts in the back office (/stock/counts, mounted under /stock: supervisors and up): start a count, count into
// its sheet from any number of browsers (each scan an htmx post that adds), correct a line, bring in a count list, see
// the differences, approve (a manager above the shop's value, through the usual approval fields) or cancel. A refusal
// shows the page again with the sentence, having written nothing; a done action answers with a redirect.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { currencyDigits, minorToDecimal, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { defaultUncounted, mustBeOpen, needsManager, scopeLabel, type UncountedRule } from "../../domain/stock-count/count.ts";
import { CountReportPage } from "../../views/stock/count-report.tsx";
import { CountSheetPage, type CountSheetProps, ScanPanel, SheetLines } from "../../views/stock/count-sheet.tsx";
import { CountListPage, type CountListProps } from "../../views/stock/counts.tsx";
import type { Shop } from "../compose.ts";
import { approval, approvalFields, approversFor } from "../people/approval.ts";
import type { PagesEnv } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { readCountList, readScan } from "./count-input.ts";
import { type CountHeader, countQueries } from "./count-queries.ts";
import { reviewOf } from "./counts.ts";

type C = Context<PagesEnv>;

/** The sheet shows the latest lines; the report the largest differences first, up to this many each. */
const SHEET_LINES = 50;
const REPORT_LINES = 1000;
const UNCOUNTED_SHOWN = 200;

const COUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const startForm = z.object({
  scope: z.enum(["all", "category", "location"], { error: "Choose what to count: the whole store, a category or a shelf location." }),
  category: z.string().trim().max(12).default(""),
  location: z.string().max(100).default(""),
});
const scanForm = z.object({ items: z.string().trim().max(100).default("") });
const setForm = z.object({ qty: z.string().trim().max(20).default("") });
const listForm = z.object({ items: z.string().max(400_000).default("") });
const approveForm = z.object({
  uncounted: z.enum(["zero", "leave"], { error: "Choose what happens to the products nobody counted." }).optional(),
  // the sheet the approver was shown (its `changes`): required, so nobody approves numbers they were not shown
  seen: z.string({ error: "Look at the report again, then approve." }).regex(/^\d{1,12}$/, { error: "Look at the report again, then approve." }),
  ...approvalFields,
});

export function countRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  const reads = countQueries(shop.db);
  const act = () => shop.counts;
  const scanning = () => ({ catalog: shop.catalog, patterns: shop.settings().embeddedPatterns });
  const who = (c: C) => {
    const user = c.get("user")!;
    return { userId: user.id, userName: user.name, registerName: c.get("device")?.registerName ?? null };
  };
  const countOf = (id: string): CountHeader => {
    const h = COUNT_ID.test(id) ? reads.header(id) : null;
    if (!h) throw new Problem("stock_count_not_found", "There is no such stock count; choose one from the list.");
    return h;
  };
  const view = (h: CountHeader) => ({ id: h.id, scope: scopeLabel(h.scope), status: h.status, openedAt: h.openedAt, openedBy: h.openedBy, lines: h.lines });

  const listPage = (c: C, extra: Pick<CountListProps, "typed" | "message"> = {}) =>
    render(
      c,
      <CountListPage
        counts={reads.list().map((h) => ({ ...view(h), value: h.value }))}
        categories={reads.categories()}
        locations={reads.locations()}
        {...extra}
      />,
    );
  const sheetPage = (c: C, h: CountHeader, extra: Pick<CountSheetProps, "message" | "list" | "last"> = {}) =>
    render(c, <CountSheetPage count={view(h)} lines={reads.sheet(h.id, SHEET_LINES)} {...extra} />);

  function reportPage(c: C, h: CountHeader, message?: { text: string; kind: "info" | "error" }) {
    const open = h.status === "open";
    // an open count's lines under "leave": the products nobody counted are shown apart, with the choice for them
    const review = reviewOf(reads.reviewRows(h.id), [], open ? "leave" : (h.uncounted ?? "leave"));
    const size = (v: number) => Math.abs(v);
    const lines = review.lines.sort((a, b) => size(b.value) - size(a.value) || size(b.varianceMilli) - size(a.varianceMilli) || a.name.localeCompare(b.name));
    const shown = lines.slice(0, REPORT_LINES);
    return render(
      c,
      <CountReportPage
        count={{ ...view(h), approvedAt: h.approvedAt, approvedBy: h.approvedBy, cancelledAt: h.cancelledAt, uncounted: h.uncounted }}
        lines={shown}
        more={lines.length - shown.length}
        totals={review.totals}
        uncounted={open ? { rows: reads.uncounted(h, UNCOUNTED_SHOWN), ...reads.uncountedTotals(h) } : { rows: [], products: 0, value: 0 }}
        rule={defaultUncounted(h.scope)}
        seen={h.changes}
        approvers={approversFor(shop, c.get("user")!)}
        approvalOver={shop.settings().adjustmentApproval}
        message={message}
      />,
    );
  }

  const done: Record<string, string> = {
    approved: "Approved: the counted stock is on the books.",
    cancelled: "Cancelled: nothing changed on the books.",
    set: "The line is set to what you typed.",
  };

  app.get("/", (c) => listPage(c));

  app.post("/", async (c) => {
    const f = await validForm(c, startForm);
    try {
      const choice =
        f.scope === "all"
          ? ({ kind: "all" } as const)
          : f.scope === "category"
            ? ({ kind: "category", categoryId: /^\d{1,12}$/.test(f.category) ? Number(f.category) : 0 } as const)
            : ({ kind: "location", location: f.location } as const);
      const { id } = act().open(who(c), choice);
      return c.redirect(`/stock/counts/${id}`, 303);
    } catch (e) {
      return again(e, (text) => listPage(c, { typed: f, message: { text, kind: "error" } }));
    }
  });

  app.get("/:id", (c) => {
    const h = countOf(c.req.param("id"));
    const key = c.req.query("done") ?? "";
    const listed = /^listed-(\d{1,6})$/.exec(key);
    const text = listed ? `The list is in: ${listed[1]} rows counted.` : done[key];
    return sheetPage(c, h, text ? { message: { text, kind: "info" } } : {});
  });

  // one scan: htmx gets the scan panel (emptied for the next item) and the latest lines out of band
  app.post("/:id/scan", async (c) => {
    const h = countOf(c.req.param("id"));
    const htmx = c.req.header("HX-Request") === "true";
    try {
      const f = await validForm(c, scanForm);
      if (!f.items) throw new Problem("invalid_input", "Scan an item, or type its barcode or SKU.");
      const read = readScan(f.items, scanning());
      const line = act().count(h.id, read.product.id, read.qtyMilli);
      if (!htmx) return c.redirect(`/stock/counts/${h.id}`, 303);
      const now = countOf(h.id);
      const last = { name: read.product.name, weighed: read.product.weighed, addedMilli: read.qtyMilli, countedMilli: line.countedMilli };
      return render(
        c,
        <>
          <ScanPanel countId={h.id} last={last} />
          <SheetLines count={view(now)} lines={reads.sheet(h.id, SHEET_LINES)} oob />
        </>,
      );
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      const error = { code: e.code, text: e.message };
      return again(e, () => (htmx ? render(c, <ScanPanel countId={h.id} error={error} />) : sheetPage(c, h, { message: { text: e.message, kind: "error" } })));
    }
  });

  // a line set to what is on the shelf, typed
  app.post("/:id/lines/:product", async (c) => {
    const h = countOf(c.req.param("id"));
    try {
      const f = await validForm(c, setForm);
      const productId = /^\d{1,12}$/.test(c.req.param("product")) ? Number(c.req.param("product")) : 0;
      const qtyMilli = parseDecimalToMinor(f.qty, 3);
      if (qtyMilli === null) throw new Problem("invalid_quantity", "Type how many are on the shelf, like 12 or 2.5 (0 when there are none).");
      act().set(h.id, productId, qtyMilli);
      return c.redirect(`/stock/counts/${h.id}?done=set`, 303);
    } catch (e) {
      return again(e, (text) => sheetPage(c, h, { message: { text, kind: "error" } }));
    }
  });

  // a count list: a CSV file or pasted text; every row read and checked first, then all of it counted or none
  app.post("/:id/import", async (c) => {
    const h = countOf(c.req.param("id"));
    let typed = "";
    try {
      const f = await validForm(c, listForm);
      typed = f.items;
      const file = (await c.req.parseBody()).file;
      const text = file instanceof File && file.size > 0 ? await file.text() : f.items;
      if (h.status !== "open") {
        // a closed count says so once, before any row is read
        throw new Problem("stock_count_closed", `This count was ${h.status} already; nothing more can be counted on it. Start a new count.`);
      }
      const read = readCountList(text, scanning());
      const problems = [...read.problems];
      // a product on several rows adds up, as on its line: each row checked with the rows before it
      const earlier = new Map<number, number>();
      for (const r of read.rows) {
        const before = earlier.get(r.product.id) ?? 0;
        const p = act().check(h.id, r.product.id, r.qtyMilli, before);
        if (p) problems.push({ line: r.line, message: p.message });
        earlier.set(r.product.id, before + r.qtyMilli);
      }
      if (problems.length > 0) {
        problems.sort((a, b) => a.line - b.line);
        const text = `${problems.length} ${problems.length === 1 ? "row needs" : "rows need"} another look; nothing was counted.`;
        return again(new Problem("invalid_input", text), () =>
          sheetPage(c, h, { message: { text, kind: "error" }, list: { typed, problems: problems.slice(0, 200) } }),
        );
      }
      const added = act().addList(
        who(c),
        h.id,
        read.rows.map((r) => ({ productId: r.product.id, qtyMilli: r.qtyMilli })),
      );
      return c.redirect(`/stock/counts/${h.id}?done=listed-${added.rows}`, 303);
    } catch (e) {
      return again(e, (text) => sheetPage(c, h, { message: { text, kind: "error" }, list: { typed, problems: [] } }));
    }
  });

  app.get("/:id/report", (c) => {
    const h = countOf(c.req.param("id"));
    const text = done[c.req.query("done") ?? ""];
    return reportPage(c, h, text ? { text, kind: "info" } : undefined);
  });

  app.post("/:id/approve", async (c) => {
    const h = countOf(c.req.param("id"));
    try {
      // a closed count says so first: there is no report to have seen
      mustBeOpen(reads.state(h));
      const f = await validForm(c, approveForm);
      const rule: UncountedRule = f.uncounted ?? defaultUncounted(h.scope);
      let approver: { id: number; name: string } | null = null;
      // worth more than the shop's value: a manager, asked before anything is written
      const preview = reviewOf(reads.reviewRows(h.id), rule === "zero" ? reads.uncounted(h) : [], rule);
      const over = shop.settings().adjustmentApproval;
      if (needsManager(preview, over)) {
        const money = minorToDecimal(over, currencyDigits(shop.settings().currency));
        const ok = await approval(shop, c.get("user")!, f, `A count with differences worth more than ${money}`);
        approver = { id: ok.approver.id, name: ok.approver.name };
      }
      act().approve(who(c), h.id, { uncounted: rule, seen: Number(f.seen) }, approver);
      return c.redirect(`/stock/counts/${h.id}/report?done=approved`, 303);
    } catch (e) {
      return again(e, (text) => reportPage(c, countOf(h.id), { text, kind: "error" }));
    }
  });

  app.post("/:id/cancel", (c) => {
    const h = countOf(c.req.param("id"));
    try {
      act().cancel(who(c), h.id);
      return c.redirect(`/stock/counts/${h.id}/report?done=cancelled`, 303);
    } catch (e) {
      return again(e, (text) => reportPage(c, h, { text, kind: "error" }));
    }
  });

  return app;
}
