// A page or fragment through the request's renderer (hono's jsxRenderer), so views read the page context, with a status.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { Problem } from "../../../domain/kernel/problem.ts";
import { statusOf } from "./problems.ts";

export function render(c: Context, node: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 421 | 422 | 423 | 429 = 200): Response | Promise<Response> {
  c.status(status);
  return c.render(node as never);
}

/** A refused form shows its page again with the sentence and the problem's status; nothing was changed. */
export async function again(e: unknown, page: (message: string) => Response | Promise<Response>): Promise<Response> {
  if (!(e instanceof Problem)) throw e;
  const res = await page(e.message);
  return new Response(res.body, { status: statusOf[e.code], headers: res.headers });
}
