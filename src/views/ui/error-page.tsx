// The page a browser gets when it navigated somewhere it may not go or that does not exist: a headline, the sentence a
// person acts on, and the ways on from here, in the store's or head office's look. Drawn outside the pages' renderer
// (the app's error handler), so it reads no page context: everything comes in as props.
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import { Document } from "./document.tsx";

/** A link onwards; the first is the one most people want. */
export type WayOn = { href: string; label: string };

/** Who was refused, as far as the ways on depend on it. */
export type Asker = {
  signedIn: boolean;
  /** The browser is a paired register: the register page is where it goes back to. */
  register: boolean;
  /** The signed-in person may open the back office (a manager or above). */
  backOffice: boolean;
};

type Refusal = { code: string; message: string };

/** The store's page for a refusal or a missing page. */
export function StoreErrorPage({ code, message, asker }: Refusal & { asker: Asker }) {
  const home: WayOn[] = [];
  if (asker.register && asker.signedIn) home.push({ href: "/", label: "Back to the register" });
  if (asker.backOffice) home.push({ href: "/devices", label: "Back office" });
  const signIn: WayOn = { href: "/login", label: asker.signedIn ? "Sign in as someone else" : "Sign in" };
  const words = wordsFor(code, message, "Ask someone who may open it to sign in on this browser.");
  let ways: WayOn[];
  if (code === "not_paired") ways = [{ href: "/pair", label: "Pair this browser" }, ...home];
  else if (code === "unknown_host") ways = [];
  else if (!asker.signedIn) ways = [signIn];
  else if (code === "forbidden") ways = [...home, signIn];
  else ways = home.length ? home : [signIn];
  return (
    <ErrorCard
      headline={words.headline}
      code={code}
      sentences={words.sentences}
      ways={ways}
      site="ShopFlow"
      stylesheet="/static/register.css"
      bodyClass="people"
      waysClass="ways-on"
    />
  );
}

/**
 * Head office's page for a refusal or a missing page. `layout` (head office's pages with their navigation, given for a
 * signed-in person) draws it inside them; without it, anyone else gets the card.
 */
export function HqErrorPage({
  code,
  message,
  signedIn,
  layout,
}: Refusal & { signedIn: boolean; layout?: ((title: string, body: Child) => HtmlEscapedString | Promise<HtmlEscapedString>) | undefined }) {
  const words = wordsFor(code, message, "Ask a head-office admin for the role, or go back.");
  const ways: WayOn[] = code === "unknown_host" ? [] : signedIn ? [{ href: "/", label: "Back to head office" }] : [{ href: "/login", label: "Sign in" }];
  if (layout) {
    return layout(
      words.headline,
      <section class="error-page" aria-labelledby="error-title" data-testid="error-page">
        <h1 id="error-title">{words.headline}</h1>
        <ErrorWords code={code} sentences={words.sentences} ways={ways} waysClass="actions ways-on" />
      </section>,
    );
  }
  return (
    <ErrorCard
      headline={words.headline}
      code={code}
      sentences={words.sentences}
      ways={ways}
      site="ShopFlow head office"
      stylesheet="/static/hq.css"
      bodyClass="hq"
      waysClass="actions ways-on"
    />
  );
}

/** The headline and sentences for a problem code; the problem's own sentence always shows (it says what to do). */
function wordsFor(code: string, message: string, askForRole: string): { headline: string; sentences: string[] } {
  switch (code) {
    case "not_found":
      // an unknown address has the generic words; a page that exists but not for this (a sale that is not there) its own
      return message.startsWith("There is nothing at ")
        ? { headline: "Page not found", sentences: ["There is no page at this address.", "Check the address, or go on from here."] }
        : { headline: "Not found", sentences: [message, "Check the address, or go on from here."] };
    case "forbidden":
      return { headline: "You cannot open this page", sentences: [message, askForRole] };
    case "not_paired":
      return { headline: "This browser is not a register", sentences: [message] };
    case "sign_in":
      return { headline: "Sign in first", sentences: [message] };
    default:
      return { headline: "That did not work", sentences: [message] };
  }
}

function ErrorCard(props: {
  headline: string;
  site: string;
  code: string;
  sentences: string[];
  ways: WayOn[];
  stylesheet: string;
  bodyClass: string;
  waysClass: string;
}) {
  return (
    <Document title={`${props.headline} · ${props.site}`} htmxTimeoutMs={10000} stylesheet={props.stylesheet} scripts={[]} bodyClass={props.bodyClass}>
      <div class="card-page">
        <main class="card error-page" aria-labelledby="card-title" data-testid="error-page">
          <h1 id="card-title">{props.headline}</h1>
          <ErrorWords code={props.code} sentences={props.sentences} ways={props.ways} waysClass={props.waysClass} />
        </main>
      </div>
    </Document>
  );
}

/** The sentences and the ways on, in a card or inside a program's own page. */
function ErrorWords(props: { code: string; sentences: string[]; ways: WayOn[]; waysClass: string }) {
  const [first, ...rest] = props.sentences;
  return (
    <>
      {/* one block, so the sentences' margins collapse as in running text */}
      <div>
        <p class="message error" role="alert" data-code={props.code} data-testid="error-message">
          {first}
        </p>
        {rest.map((s) => (
          <p>{s}</p>
        ))}
      </div>
      {props.ways.length > 0 && (
        <nav class={props.waysClass} aria-label="Where to go from here">
          {props.ways.map((w, i) => (
            <a class={i === 0 ? "button primary" : "button"} href={w.href} data-testid="way-on">
              {w.label}
            </a>
          ))}
        </nav>
      )}
    </>
  );
}
