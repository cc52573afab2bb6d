// A refusal or a missing page for a signed-in person, inside head office's own pages: its navigation stays, so they go
// on from where they are. Drawn by the app's error handler, outside the pages' renderer: this gives the page the
// request it answers, as the renderer would.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { RequestContext } from "hono/jsx-renderer";
import { HqPage, type Section } from "./layout.tsx";

/** The part of head office the refused address belongs to, marked in the navigation (longest prefix first). */
const sections: [prefix: string, section: Section][] = [
  ["/catalog/categories", "categories"],
  ["/catalog/draft", "draft"],
  ["/catalog/releases", "releases"],
  ["/catalog", "catalog"],
  ["/reconciliation", "reconciliation"],
  ["/stock/low", "low-stock"],
  ["/stock", "stock"],
  ["/reports", "reports"],
  ["/dead-letters", "dead-letters"],
  ["/stores", "overview"],
  ["/users", "users"],
  ["/tokens", "tokens"],
  ["/audit", "audit"],
];

export function sectionOf(path: string): Section {
  const hit = sections.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
  // an address that is no part of head office: "stores" is a part no link stands for, so none is marked
  return hit ? hit[1] : "stores";
}

/** What HqErrorPage draws its body in for a signed-in person. */
export const inHqLayout = (c: Context) => (title: string, body: Child) => (
  <RequestContext.Provider value={c}>
    <HqPage title={title} active={sectionOf(c.req.path)}>
      {body}
    </HqPage>
  </RequestContext.Provider>
);
