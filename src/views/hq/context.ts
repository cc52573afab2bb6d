// What every head-office page knows without being told, from the request it answers (hono's renderer context): the
// page's CSRF token, who is signed in, and head office's currency and time zone. Set once per request by the pages part.
import { useRequestContext } from "hono/jsx-renderer";

export type HqRoleName = "admin" | "catalog" | "viewer";
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
