// What every head-office page knows without being told, from the request it answers (hono's renderer context): the
// page's CSRF token, who is signed in, and head office's currency and time zone. Set once per request by the pages part.
import { useRequestContext } from "hono/jsx-renderer";

/** In order of what they may do: a viewer reads, catalog also edits and publishes the catalog, admin does everything. */
export const hqRoles = ["viewer", "catalog", "admin"] as const;
export type HqRoleName = (typeof hqRoles)[number];
export const hqAtLeast = (role: HqRoleName, needed: HqRoleName) => hqRoles.indexOf(role) >= hqRoles.indexOf(needed);
/** Who is looking, as the views need it. */
export type Me = { name: string; role: HqRoleName };

export type HqPageContext = { csrf: string; me: Me | null; currency: string; timeZone: string };

export const useHqPage = (): HqPageContext => useRequestContext<{ Variables: { hqPage: HqPageContext } }>().get("hqPage");

/** The signed-in person: only pages behind sign-in ask. */
export function useMe(): Me {
  const { me } = useHqPage();
  if (!me) throw new Error("a signed-in page was rendered for nobody signed in");
  return me;
}
