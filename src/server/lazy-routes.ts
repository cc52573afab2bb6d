// A feature's pages built on their first request: a back-office group a store rarely opens (reports, stock, settings…)
// is imported then, not at start, which keeps a serving store's memory down. The group runs after everything the pages
// do for every request (who asks, body limits, CSRF): it takes over that request's variables and already-read body,
// keeps its own role gate inside it, and its refusals and failures reach the app's error handler as a mounted group's do.
import { type Context, type Env, Hono, type MiddlewareHandler } from "hono";
import type { RouterRoute } from "hono/types";

type Group<E extends Env> = { prefix: string; build(): Promise<Hono<E>> };

// biome-ignore lint/suspicious/noExplicitAny: a mount is found by its handler, whatever the app's variables
const groups = new WeakMap<object, Group<any>>();
/** The pages' context of a request a group answers, by its Request: the group's own context reads it once. */
const askedBy = new WeakMap<Request, Context>();
/** Headers a group set before it refused (an HX-Redirect to sign in), carried with the refusal to the error handler. */
const headersOf = new WeakMap<Error, Headers>();
/** A group's answer for a path it has no route for: the pages go on to what is mounted after it, as a mounted group would. */
const NOTHING_HERE = "x-shopflow-lazy-nothing-here";

/**
 * Mount the routes `load` builds under `prefix` of `app`, built on the first request there. `prepare` runs in the
 * group before its routes, as it ran in `app` (the JSX renderer: a group's context is its own).
 */
export function mountLazily<E extends Env>(app: Hono<E>, prefix: string, load: () => Promise<Hono<E>>, ...prepare: MiddlewareHandler<E>[]): void {
  let built: Promise<Hono<E>> | null = null;
  const group: Group<E> = {
    prefix,
    build() {
      built ??= load().then(
        (routes) => {
          const inner = new Hono<E>();
          inner.use(adopt);
          for (const p of prepare) inner.use(p);
          inner.route(prefix, routes);
          inner.notFound((c) => c.body(null, 404, { [NOTHING_HERE]: "1" }));
          inner.onError((err, c) => {
            headersOf.set(err, new Headers(c.res.headers));
            throw err;
          });
          return inner;
        },
        (e: unknown) => {
          built = null; // a failed import is tried again by the next request
          throw e;
        },
      );
      return built;
    },
  };
  const answer: MiddlewareHandler<E> = async (c, next) => {
    const inner = await group.build();
    askedBy.set(c.req.raw, c as unknown as Context);
    let res: Response;
    try {
      res = await inner.fetch(c.req.raw, c.env, executionOf(c as unknown as Context));
    } catch (e) {
      const headers = e instanceof Error ? headersOf.get(e) : undefined;
      headers?.forEach((value, name) => {
        c.header(name, value, { append: name === "set-cookie" });
      });
      throw e;
    }
    if (res.headers.has(NOTHING_HERE)) return next();
    // the pages' own headers (a fresh CSRF cookie) with the group's answer
    return c.newResponse(res.body, res);
  };
  groups.set(answer, group);
  app.all(`${prefix}/*`, answer);
}

/** The group's context as the pages left it: who asks, the page context, and a body the CSRF check has read already. */
const adopt: MiddlewareHandler = async (c, next) => {
  const outer = askedBy.get(c.req.raw);
  if (!outer) throw new Error(`${c.req.path} reached a lazily mounted group without the pages' context`);
  for (const [name, value] of Object.entries(outer.var)) c.set(name as never, value as never);
  c.req.bodyCache = outer.req.bodyCache;
  await next();
};

function executionOf(c: Context) {
  try {
    return c.executionCtx;
  } catch {
    return undefined; // Bun.serve and app.request give none
  }
}

/** Every route `app` answers, each lazily mounted group built and listed by its own routes (the security tests walk them). */
// biome-ignore lint/suspicious/noExplicitAny: any app's routes
export async function everyRoute(app: Hono<any>): Promise<RouterRoute[]> {
  const routes: RouterRoute[] = [];
  for (const r of app.routes) {
    const group = groups.get(r.handler);
    if (!group) {
      routes.push(r);
      continue;
    }
    const inner = await group.build();
    routes.push(...inner.routes.filter((x) => x.path.startsWith(group.prefix)));
  }
  return routes;
}
