// A head-office page's heading bar: its title, and buttons to the pages a person goes on to from it.
import type { Child } from "hono/jsx";

/** A button of the heading bar; `primary` marks the one most go on to. */
export type HeadingLink = { href: string; label: string; primary?: boolean; testid?: string };

/** The catalog pages' way on to the draft release, where their changes wait. */
export const DRAFT_RELEASE: HeadingLink = { href: "/catalog/draft", label: "Draft release", primary: true };

export function Heading(props: { title: Child; links: HeadingLink[] }) {
  return (
    <div class="heading">
      <h1>{props.title}</h1>
      <div class="actions">
        {props.links.map((l) => (
          <a class={l.primary ? "button primary" : "button"} href={l.href} data-testid={l.testid}>
            {l.label}
          </a>
        ))}
      </div>
    </div>
  );
}
