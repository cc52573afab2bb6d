// What every store page knows without being told, from the request it answers (hono's renderer context): the page's
// CSRF token, the shop's currency and time zone, and who is signed in. Set once per request by the pages sub-app.
import { useRequestContext } from "hono/jsx-renderer";
import type { Locale } from "./format.ts";

/** A page a person may open from the register's menu and the back office's bar. */
export type MenuItem = { href: string; label: string };

export type PageContext = { csrf: string; locale: Locale; userName: string | null; menu: MenuItem[] };

export const usePage = (): PageContext => useRequestContext<{ Variables: { page: PageContext } }>().get("page");

/** The page's CSRF token: the `csrf` both the store and head office set on every request, so shared pieces read it. */
export const useCsrf = (): string => useRequestContext<{ Variables: { csrf: string } }>().get("csrf");
