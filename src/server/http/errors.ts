// The app's last word on errors: every known failure becomes a 4xx JSON body; anything else is logged, never shown.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { SaleError } from "../../domain/sale.ts";
import { AppError, errorBody, fromSaleError } from "../errors.ts";

export function onError(err: Error, c: Context): Response {
  const e = err instanceof SaleError ? fromSaleError(err) : err;
  if (e instanceof AppError) return c.json(errorBody(e.code, e.message, e.details), e.status);
  if (e instanceof HTTPException) {
    if (e.status === 400 && /json/i.test(e.message)) {
      return c.json(errorBody("malformed_json", "The request body is not valid JSON."), 400);
    }
    if (e.status === 413) return c.json(errorBody("body_too_large", "The request body is larger than 1 MB."), 413);
    if (e.status < 500) return c.json(errorBody("bad_request", e.message || "The request was not understood."), e.status);
  }
  console.error(`[${new Date().toISOString()}] ${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody("internal", "Something went wrong on the store server; the request was not carried out. Try again."), 500);
}
