// The category list's page: everyone at head office reads it, the catalog role and admins add to it.
import { Hono } from "hono";
import { z } from "zod";
import { validForm } from "../../../server/platform/http/form.ts";
import { again, render } from "../../../server/platform/http/render.ts";
import { CategoriesPage } from "../../../views/hq/categories.tsx";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { addCategory, categoryList } from "./categories.ts";

const categoryForm = z.object({ name: z.string().default("") });

export function categoryRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", requireRole("catalog"));

  app.get("/", async (c) => {
    const added = c.req.query("added");
    const message = added ? `${added.slice(0, 60)} is in the list; products can pick it now.` : undefined;
    return render(c, <CategoriesPage categories={await categoryList(sql)} message={message} />);
  });
  app.post("/", async (c) => {
    const f = await validForm(c, categoryForm);
    try {
      const name = await addCategory(sql, f.name, c.get("user")!.name);
      return c.redirect(`/catalog/categories?added=${encodeURIComponent(name)}`, 303);
    } catch (e) {
      return again(e, async (problem) => render(c, <CategoriesPage categories={await categoryList(sql)} values={f} problems={{ name: problem }} />));
    }
  });
  return app;
}
