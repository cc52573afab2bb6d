// Quick keys in the back office (/quick-keys), for managers: favourites pages named and ordered, products put on them,
// taken off and moved. Each change is a plain form POST answered by a redirect to the page (a reload repeats nothing);
// a refusal shows the page again with the sentence and the problem's status, having written nothing.
import type { Context } from "hono";
import { Hono } from "hono";
import { type Notice, QuickKeysPage } from "../../views/quick-keys/page.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { type OfficeActor, quickKeyActions } from "./actions.ts";
import { deleteForm, keyForm, moveForm, pageForm } from "./forms.ts";
import { quickKeyRecords } from "./records.ts";

type C = Context<PagesEnv>;

/** What the page is asked to show: the chosen page, a search, a sentence, the button to have the focus. */
type Shown = { pageId?: number; query?: string; notice?: Notice | null; focus?: string | null };

/** A button the page may focus again after a redirect: a row's up or down button, or the search field. */
const FOCUSABLE = /^(?:(?:key|page)-\d{1,12}-(?:up|down)|search)$/;

export function quickKeyRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const act = quickKeyActions({ db: shop.db, clock: shop.clock, audit: shop.audit, catalog: shop.catalog });
  const records = quickKeyRecords(shop.db);

  const who = (c: C): OfficeActor => {
    const user = c.get("user")!;
    return { userId: user.id, userName: user.name, registerName: c.get("device")?.registerName ?? null };
  };
  const idOf = (c: C, name: string) => Number(c.req.param(name)) || 0;
  const productName = (id: number) => shop.catalog.byId(id)?.name ?? "The product";

  const page = (c: C, s: Shown) => {
    const pages = records.pages();
    const chosen = pages.find((g) => g.id === s.pageId) ?? pages[0] ?? null;
    const query = chosen ? (s.query ?? "").trim().slice(0, 100) : "";
    return render(
      c,
      <QuickKeysPage
        pages={pages}
        chosen={chosen ? { ...chosen, items: records.keys(chosen.id) } : null}
        query={query}
        found={query ? shop.catalog.searchBest(query, 12) : []}
        notice={s.notice ?? null}
        focus={s.focus ?? null}
      />,
    );
  };
  /** A refused change: the page again (the one it was about, when it is still there) with the sentence. */
  const refused = (c: C, e: unknown, pageId?: number) => again(e, (text) => page(c, { pageId, notice: { text, kind: "error" } }));
  /** After a change, the page as it is now: a redirect, so a reload asks nothing again. */
  const back = (c: C, pageId: number | null, params: Record<string, string | number> = {}) => {
    const qs = new URLSearchParams(Object.entries({ ...(pageId ? { page: pageId } : {}), ...params }).map(([k, v]) => [k, String(v)]));
    return c.redirect(`/quick-keys${qs.size ? `?${qs}` : ""}`, 303);
  };

  /** The sentence for what was just done, from the redirect's short codes (never text taken from the address). */
  const said = (q: (k: string) => string | undefined): Notice | null => {
    const g = records.page(Number(q("page")) || 0);
    const product = Number(q("product")) || 0;
    const at = g ? records.positionOf(g.id, product) : null;
    const text = (() => {
      switch (q("done")) {
        case "page_added":
          return g && `“${g.name}” added. Find products below to put on it.`;
        case "page_renamed":
          return g && `The page is now called “${g.name}”.`;
        case "page_deleted":
          return "The page was deleted; the registers no longer show it.";
        case "page_moved":
          return g && `“${g.name}” is now tab ${g.position} of the favourites.`;
        case "key_added":
          return g && at && `${productName(product)} added to “${g.name}” as key ${at}.`;
        case "key_removed":
          return g && `${productName(product)} taken off “${g.name}”.`;
        case "key_moved":
          return g && at && `${productName(product)} is now key ${at} of “${g.name}”.`;
        case "not_moved":
          return "It is at that end already; nothing was changed.";
        default:
          return null;
      }
    })();
    return text ? { text, kind: "info" } : null;
  };

  app.get("/", (c) => {
    const focus = c.req.query("focus") ?? "";
    return page(c, {
      pageId: Number(c.req.query("page")) || 0,
      query: c.req.query("q") ?? "",
      notice: said((k) => c.req.query(k)),
      focus: FOCUSABLE.test(focus) ? focus : null,
    });
  });

  app.post("/pages", async (c) => {
    try {
      const f = await validForm(c, pageForm);
      const g = act.addPage(who(c), f.name);
      return back(c, g.id, { done: "page_added" });
    } catch (e) {
      return refused(c, e);
    }
  });

  app.post("/pages/:id/rename", async (c) => {
    const id = idOf(c, "id");
    try {
      const f = await validForm(c, pageForm);
      act.renamePage(who(c), id, f.name);
      return back(c, id, { done: "page_renamed" });
    } catch (e) {
      return refused(c, e, id);
    }
  });

  app.post("/pages/:id/delete", async (c) => {
    const id = idOf(c, "id");
    try {
      await validForm(c, deleteForm);
      act.deletePage(who(c), id);
      return back(c, null, { done: "page_deleted" });
    } catch (e) {
      return refused(c, e, id);
    }
  });

  app.post("/pages/:id/move", async (c) => {
    const id = idOf(c, "id");
    try {
      const f = await validForm(c, moveForm);
      const moved = act.movePage(who(c), id, f.to);
      return back(c, id, { done: moved ? "page_moved" : "not_moved", focus: `page-${id}-${f.to}` });
    } catch (e) {
      return refused(c, e, id);
    }
  });

  app.post("/pages/:id/keys", async (c) => {
    const id = idOf(c, "id");
    try {
      const f = await validForm(c, keyForm);
      act.addKey(who(c), id, f.product_id);
      return back(c, id, { done: "key_added", product: f.product_id, ...(f.q.trim() ? { q: f.q.trim() } : {}), focus: "search" });
    } catch (e) {
      return refused(c, e, id);
    }
  });

  app.post("/pages/:id/keys/:product/remove", (c) => {
    const id = idOf(c, "id");
    const product = idOf(c, "product");
    try {
      act.removeKey(who(c), id, product);
      return back(c, id, { done: "key_removed", product });
    } catch (e) {
      return refused(c, e, id);
    }
  });

  app.post("/pages/:id/keys/:product/move", async (c) => {
    const id = idOf(c, "id");
    const product = idOf(c, "product");
    try {
      const f = await validForm(c, moveForm);
      const at = act.moveKey(who(c), id, product, f.to);
      return back(c, id, { done: at === null ? "not_moved" : "key_moved", product, focus: `key-${product}-${f.to}` });
    } catch (e) {
      return refused(c, e, id);
    }
  });

  return app;
}
