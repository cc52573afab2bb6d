// Shelf labels (/stock/labels), for supervisors and up: the page to choose products (Search shows it again with what is
// ticked, changing nothing), the form's PDF, and the same PDF from a link (a product's page, a delivery) by GET, which
// reads and writes nothing. A refusal shows the page again with the sentence, or answers with it for a link.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type LabelProductView, LabelsPage, type LabelsPageProps } from "../../views/stock/labels.tsx";
import type { Product } from "../catalog/queries.ts";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { MAX_LABELS, shelfLabelsPdf } from "./labels.ts";
import { type LabelRequest, labelChoice, readIds } from "./labels-choice.ts";

type C = Context<PagesEnv>;

/**
 * The form: what to search for (named "code": a scanned barcode is a code, not a card number, whatever its digits),
 * the codes and the day typed, which button; the ticks come as pick_<id> fields.
 */
const labelsForm = z.looseObject({
  code: z.string().max(100).default(""),
  barcodes: z.string().default(""),
  since: z.string().max(40).default(""),
  step: z.enum(["search", "pdf"]).catch("pdf"),
});

const view = (p: Product): LabelProductView => ({
  id: p.id,
  sku: p.sku,
  barcode: p.barcode,
  name: p.name,
  price: p.price,
  weighed: p.weighed,
  active: p.active,
});

export function labelRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("supervisor"));
  const choice = labelChoice(shop);
  const patterns = () => shop.settings().embeddedPatterns;

  const page = (c: C, props: Omit<LabelsPageProps, "max" | "found" | "searched">, status: 200 | 422 = 200) => {
    const chosen = new Set(props.chosen.map((p) => p.id));
    const found = choice.search(props.q, patterns()).filter((p) => !chosen.has(p.id));
    return render(c, <LabelsPage {...props} found={found.map(view)} searched={props.q.trim() !== ""} max={MAX_LABELS} />, status);
  };

  /** The PDF of `products`, as a download named for the store's day. */
  const pdf = async (c: C, products: Product[]) => {
    const s = shop.settings();
    const at = shop.clock.now();
    const bytes = await shelfLabelsPdf(products, { currency: s.currency, patterns: s.embeddedPatterns, at });
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="shelf-labels-${businessDate(at, s.timeZone)}.pdf"`,
      "Cache-Control": "no-store",
    });
  };

  const choose = (asked: LabelRequest) => {
    const s = shop.settings();
    const { products, changed } = choice.choose(asked, { patterns: s.embeddedPatterns, timeZone: s.timeZone });
    if (products.length === 0) {
      throw new Problem(
        "invalid_input",
        changed === 0
          ? `No product on sale has had its price changed since ${asked.since.trim()}; there is nothing to label.`
          : "Tick products, paste their codes or choose a day first; there is nothing to label yet.",
      );
    }
    return products;
  };

  // The page: a link may bring products ticked (?ids=1,2 or a delivery's, ?delivery=) and a day (?since=)
  app.get("/", (c) => {
    const delivery = c.req.query("delivery");
    const from = delivery ? choice.delivery(delivery.slice(0, 40)) : null;
    if (delivery && !from) throw new Problem("not_found", "There is no such delivery; choose the products yourself.");
    const ids = from ? from.ids : readIds(c.req.query("ids"));
    return page(c, {
      q: c.req.query("code")?.slice(0, 100) ?? "",
      chosen: choice.byIds(ids).map(view),
      typed: { barcodes: "", since: c.req.query("since")?.slice(0, 10) ?? "" },
      from: from ? `delivered by ${from.supplier}` : undefined,
    });
  });

  app.post("/", async (c) => {
    const f = await validForm(c, labelsForm);
    const ticked = Object.keys(f).flatMap((k) => {
      const m = /^pick_(\d{1,15})$/.exec(k);
      return m ? [Number(m[1])] : [];
    });
    const typed = { barcodes: f.barcodes, since: f.since };
    // what was ticked stays ticked whatever happens; a tick of a product that is gone is dropped, said by the refusal
    const chosen = ticked.flatMap((id) => {
      const p = shop.catalog.byId(id);
      return p ? [view(p)] : [];
    });
    if (f.step === "search") return page(c, { q: f.code, chosen, typed });
    try {
      return await pdf(c, choose({ ids: ticked, codes: f.barcodes, since: f.since }));
    } catch (e) {
      return again(e, (text) => page(c, { q: f.code, chosen, typed, message: { text, kind: "error" } }));
    }
  });

  // The PDF from a link: ?ids=1,2 (a product's page), ?delivery= (a delivery's products), ?since=2026-11-25
  app.get("/pdf", async (c) => {
    const delivery = c.req.query("delivery");
    const from = delivery ? choice.delivery(delivery.slice(0, 40)) : null;
    if (delivery && !from) throw new Problem("not_found", "There is no such delivery; choose the products on the labels page.");
    const ids = [...(from?.ids ?? []), ...readIds(c.req.query("ids"))];
    return pdf(c, choose({ ids, codes: "", since: c.req.query("since") ?? "" }));
  });

  return app;
}
