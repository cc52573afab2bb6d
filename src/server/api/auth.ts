// Bearer-token authentication for the JSON API.
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors.ts";
import type { TokenHolder } from "../store/tokens.ts";

export type ApiEnv = { Variables: { holder: TokenHolder } };

export const requireToken = (authenticate: (secret: string) => TokenHolder | null): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      throw new AppError(401, "token_required", "Send an API token as 'Authorization: Bearer <token>'. Create one with 'shopflow token create --name NAME'.");
    }
    const holder = authenticate(m[1]!);
    if (!holder) throw new AppError(401, "token_invalid", "This API token is unknown or revoked. Create a new one with 'shopflow token create'.");
    // reading needs "read"; anything that changes the store needs "sell" (sales) — "admin" covers both
    const needed = c.req.method === "GET" || c.req.method === "HEAD" ? "read" : "sell";
    if (!holder.scopes.includes(needed) && !holder.scopes.includes("admin")) {
      throw new AppError(403, "scope_missing", `This token may not ${needed === "read" ? "read" : "sell"}: it has the scopes ${holder.scopes.join(", ")}. Create one with --scopes ${needed}.`);
    }
    c.set("holder", holder);
    await next();
  };

/** POSTs must say they send JSON; anything else is refused before it is read. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "POST" || c.req.method === "PUT" || c.req.method === "PATCH") {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw new AppError(415, "unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'.");
    }
  }
  await next();
};
