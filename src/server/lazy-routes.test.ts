// A lazily mounted group answers as a mounted one would: built on its first request only, with the pages' variables,
// a body the pages already read, their cookies, its refusals' headers, and the pages' own not-found past its routes.
import { expect, test } from "bun:test";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { everyRoute, mountLazily } from "./lazy-routes.ts";

type Env = { Variables: { user: string | null } };

function pagesWith(onBuild: () => void) {
  const app = new Hono<Env>();
  app.onError((err, c) => c.text(`refused: ${err.message}`, 403));
  app.notFound((c) => c.text("nothing here", 404));
  app.use(async (c, next) => {
    c.set("user", c.req.header("X-User") ?? null);
    setCookie(c, "csrf", "fresh");
    // as the CSRF check does: a form's body is read before the group sees it
    if (c.req.method === "POST") await c.req.parseBody();
    await next();
  });
  mountLazily(app, "/reports", async () => {
    onBuild();
    const group = new Hono<Env>();
    group.use(async (c, next) => {
      if (!c.get("user")) {
        c.header("HX-Redirect", "/login");
        throw new Error("sign in first");
      }
      await next();
    });
    group.get("/", (c) => c.text(`reports for ${c.get("user")}`));
    group.get("/:name", (c) => c.text(`report ${c.req.param("name")}`));
    group.post("/notes", async (c) => c.text(`noted ${(await c.req.parseBody()).text}`));
    return group;
  });
  app.get("/reports-later", (c) => c.text("mounted after"));
  return app;
}

test("the group is built on its first request, once, and answers with the pages' user and cookies", async () => {
  let builds = 0;
  const app = pagesWith(() => builds++);
  expect(builds).toBe(0);
  const res = await app.request("/reports", { headers: { "X-User": "Ann" } });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe("reports for Ann");
  expect(res.headers.get("Set-Cookie")).toContain("csrf=fresh");
  expect(await (await app.request("/reports/tax", { headers: { "X-User": "Ann" } })).text()).toBe("report tax");
  expect(builds).toBe(1);
});

test("a form the pages read already reaches the group's route whole", async () => {
  const app = pagesWith(() => {});
  const res = await app.request("/reports/notes", {
    method: "POST",
    headers: { "X-User": "Ann", "Content-Type": "application/x-www-form-urlencoded" },
    body: "text=late+delivery",
  });
  expect(await res.text()).toBe("noted late delivery");
});

test("a refusal inside the group reaches the app's error handler with the headers the group set", async () => {
  const app = pagesWith(() => {});
  const res = await app.request("/reports");
  expect(res.status).toBe(403);
  expect(await res.text()).toBe("refused: sign in first");
  expect(res.headers.get("HX-Redirect")).toBe("/login");
});

test("a path the group has no route for goes on to the pages, as a mounted group's would", async () => {
  const app = pagesWith(() => {});
  const res = await app.request("/reports/a/b", { headers: { "X-User": "Ann" } });
  expect(res.status).toBe(404);
  expect(await res.text()).toBe("nothing here");
  expect(await (await app.request("/reports-later")).text()).toBe("mounted after");
});

test("every route lists the group's own routes in place of its mount", async () => {
  const app = pagesWith(() => {});
  const routes = (await everyRoute(app)).map((r) => `${r.method} ${r.path}`);
  // the group's gate is its own ALL /reports/*; the mount's handler is no longer listed
  expect(routes).toEqual(["ALL /*", "ALL /reports/*", "GET /reports", "GET /reports/:name", "POST /reports/notes", "GET /reports-later"]);
});
