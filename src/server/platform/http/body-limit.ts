// Every request body has a size limit, checked before anything reads it (the CSRF check, a form, JSON): a stranger's
// 128 MB form is refused at its Content-Length, or as soon as a streamed body passes the limit.

import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Problem } from "../../../domain/kernel/problem.ts";

/** A limit for paths starting with `prefix`; with `when`, only for requests it holds for (a manager signed in). */
// biome-ignore lint/suspicious/noExplicitAny: a rule reads whatever variables the app it is used in has set
export type BodyRule = { prefix: string; maxBytes: number; message?: string; when?: (c: Context<any>) => boolean };

const size = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.round(n / 1024)} KB`);

/** The first rule whose prefix the path starts with sets the limit; anything else gets `otherwise`. */
export const limitBodies = ({ rules, otherwise, message }: { rules: BodyRule[]; otherwise: number; message?: string }): MiddlewareHandler => {
  const limiter = (maxBytes: number, message?: string) =>
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new Problem("body_too_large", message ?? `The request body is larger than ${size(maxBytes)}; nothing was read or changed.`);
      },
    });
  const limiters = rules.map((r) => ({ prefix: r.prefix, when: r.when, run: limiter(r.maxBytes, r.message) }));
  const fallback = limiter(otherwise, message);
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const rule = limiters.find((l) => c.req.path.startsWith(l.prefix) && (!l.when || l.when(c)));
    return (rule?.run ?? fallback)(c, next);
  };
};

/** The largest body any rule allows: what Bun.serve is told to accept at all. */
export const largestBody = (rules: BodyRule[], otherwise: number) => Math.max(otherwise, ...rules.map((r) => r.maxBytes));
