// Categories in the back office (/categories), for managers: the list, a category added, renamed, an empty one
// removed. Each change is a plain form POST answered by a redirect to the list (a reload repeats nothing); a refusal
// shows the list again with the sentence beside the field and the problem's status, nothing written.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { Problem } from "../../domain/kernel/problem.ts";
import { CategoriesPage, type CategoryRefusal, type Notice } from "../../views/categories/page.tsx";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole, setUpActorOf } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { needsSetUp } from "../store-setup/checklist.ts";
import { categoryActions } from "./actions.ts";
import { categoryRecords } from "./records.ts";

type C = Context<PagesEnv>;

const named = z.object({ name: z.string().default("") });

/** A refused name is shown again to be put right, save a card number or a control character: never sent back. */
const NOT_SHOWN_AGAIN = new Set(["card_data_refused", "control_character", "unstorable_text"]);

export function categoryRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const act = categoryActions(shop);
  const records = categoryRecords(shop.db);
  const who = (c: C) => setUpActorOf(c.get("user"), c.get("device"));
  const idOf = (c: C) => Number(c.req.param("id")) || 0;

  const page = (c: C, notice: Notice | null, refused: CategoryRefusal | null = null) =>
    render(c, <CategoriesPage categories={records.all()} notice={notice} refused={refused} setUp={needsSetUp(shop.db)} />);
  /** A refused change: the list again, the sentence beside the name of the row (`row`: a category's id, null: the new one). */
  const refused = (c: C, e: unknown, row: number | null, typed: string | null) =>
    again(e, (message) => {
      const p = e as Problem;
      const onName = (p.details as { field?: string } | undefined)?.field === "name" && (row === null || records.byId(row) !== null);
      return page(c, null, { row, field: onName ? "name" : null, message, typed: NOT_SHOWN_AGAIN.has(p.code) ? null : typed });
    });
  const back = (c: C, done: string, id?: number) => c.redirect(`/categories?${new URLSearchParams({ done, ...(id ? { id: String(id) } : {}) })}`, 303);

  /** The sentence for what was just done, from the redirect's short code and the category as it is now. */
  const said = (done: string | undefined, id: number): Notice | null => {
    const cat = records.byId(id);
    const text = (() => {
      switch (done) {
        case "added":
          return cat && `“${cat.name}” added: the registers show it as a tab once a product is in it.`;
        case "renamed":
          return cat && `The category is now called “${cat.name}”.`;
        case "removed":
          return "The category was removed.";
        default:
          return null;
      }
    })();
    return text ? { text, kind: "info" } : null;
  };

  app.get("/", (c) => page(c, said(c.req.query("done"), Number(c.req.query("id")) || 0)));

  app.post("/", async (c) => {
    let typed: string | null = null;
    try {
      typed = (await validForm(c, named)).name;
      const cat = act.add(who(c), typed);
      return back(c, "added", cat.id);
    } catch (e) {
      return refused(c, e, null, typed);
    }
  });

  app.post("/:id/rename", async (c) => {
    const id = idOf(c);
    let typed: string | null = null;
    try {
      typed = (await validForm(c, named)).name;
      const cat = act.rename(who(c), id, typed);
      return back(c, "renamed", cat.id);
    } catch (e) {
      return refused(c, e, id, typed);
    }
  });

  app.post("/:id/remove", (c) => {
    const id = idOf(c);
    try {
      act.remove(who(c), id);
      return back(c, "removed");
    } catch (e) {
      return refused(c, e, id, null);
    }
  });

  return app;
}
