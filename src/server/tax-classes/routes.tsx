// Tax classes in the back office (/tax-classes), for managers: the list, a class added, renamed, its rate changed, one
// no product uses removed. Each change is a plain form POST answered by a redirect to the list (a reload repeats
// nothing); a refusal shows the list again with the sentence beside the field and the problem's status, nothing written.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { Problem } from "../../domain/kernel/problem.ts";
import { type Notice, TaxClassesPage, type TaxClassRefusal } from "../../views/tax-classes/page.tsx";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole, setUpActorOf } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { needsSetUp } from "../store-setup/checklist.ts";
import { taxClassActions } from "./actions.ts";
import { taxClassRecords } from "./records.ts";
import { rateInWords, typedRate } from "./rules.ts";

type C = Context<PagesEnv>;

const text = z.string().default("");
const newClass = z.object({ code: text, name: text, rate: text });
const changed = z.object({ name: text, rate: text });

/** The fields a refusal may point at; any other problem is said above the list. */
const FIELDS = new Set(["code", "name", "rate"]);

/** A refused value is shown again to be put right, save a card number or a control character: never sent back. */
const NOT_SHOWN_AGAIN = new Set(["card_data_refused", "control_character", "unstorable_text"]);

export function taxClassRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const act = taxClassActions(shop);
  const who = (c: C) => setUpActorOf(c.get("user"), c.get("device"));
  const records = taxClassRecords(shop.db);

  const page = (c: C, notice: Notice | null, refused: TaxClassRefusal | null = null) =>
    render(
      c,
      <TaxClassesPage
        classes={records.all().map((t) => ({ code: t.code, name: t.name, rate: typedRate(t.rateBp), products: t.products }))}
        notice={notice}
        refused={refused}
        setUp={needsSetUp(shop.db)}
        headOffice={shop.headOffice() !== null}
      />,
    );
  /** A refused change: the list again, the sentence beside the field of the row (`row`: a class's code, null: the new one). */
  const refused = (c: C, e: unknown, row: string | null, typed: Record<string, string>) =>
    again(e, (message) => {
      const p = e as Problem;
      const named = (p.details as { field?: string } | undefined)?.field;
      const rowThere = row === null || records.byCode(row) !== null;
      const field = named && FIELDS.has(named) && rowThere ? (named as TaxClassRefusal["field"]) : null;
      const shown = NOT_SHOWN_AGAIN.has(p.code) && field ? Object.fromEntries(Object.entries(typed).filter(([k]) => k !== field)) : typed;
      return page(c, null, { row, field, message, typed: shown });
    });
  const back = (c: C, done: string, code?: string) => c.redirect(`/tax-classes?${new URLSearchParams({ done, ...(code ? { code } : {}) })}`, 303);

  /** The sentence for what was just done, from the redirect's short code and the class as it is now. */
  const said = (done: string | undefined, code: string | undefined): Notice | null => {
    const t = code ? records.byCode(code) : null;
    const text = (() => {
      switch (done) {
        case "added":
          return t && `Tax class ${t.code} (${t.name}, ${rateInWords(t.rateBp)}) added.`;
        case "renamed":
          return t && `${t.code} is now called “${t.name}”.`;
        case "rate_changed":
          return t && `${t.code} is now ${rateInWords(t.rateBp)} for what is scanned from now on; sales already made keep the rate they were sold at.`;
        case "changed":
          return t && `${t.code} is now “${t.name}” at ${rateInWords(t.rateBp)} for what is scanned from now on; sales already made keep their rate.`;
        case "unchanged":
          return "Nothing had changed.";
        case "removed":
          return "The tax class was removed.";
        default:
          return null;
      }
    })();
    return text ? { text, kind: "info" } : null;
  };

  app.get("/", (c) => page(c, said(c.req.query("done"), c.req.query("code"))));

  app.post("/", async (c) => {
    let typed: Record<string, string> = {};
    try {
      typed = await validForm(c, newClass);
      const t = act.add(who(c), { code: typed.code!, name: typed.name!, rate: typed.rate! });
      return back(c, "added", t.code);
    } catch (e) {
      return refused(c, e, null, typed);
    }
  });

  app.post("/:code", async (c) => {
    const code = c.req.param("code");
    let typed: Record<string, string> = {};
    try {
      typed = await validForm(c, changed);
      const ch = act.change(who(c), code, { name: typed.name!, rate: typed.rate! });
      const renamed = ch.name.from !== ch.name.to;
      const rated = ch.rateBp.from !== ch.rateBp.to;
      return back(c, renamed && rated ? "changed" : renamed ? "renamed" : rated ? "rate_changed" : "unchanged", ch.code);
    } catch (e) {
      return refused(c, e, code, typed);
    }
  });

  app.post("/:code/remove", (c) => {
    const code = c.req.param("code");
    try {
      act.remove(who(c), code);
      return back(c, "removed");
    } catch (e) {
      // a class in use: said above the list, where its row shows how many products use it
      return again(e, (message) => page(c, null, { row: code, field: null, message, typed: {} }));
    }
  });

  return app;
}
