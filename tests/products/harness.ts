// Reading the product pages as a browser would, for the specs: a request as a signed-in person (a form posted with the
// person's CSRF token), the text of elements by their test id, and a form field's value as the browser would send it.
import type { SignedIn } from "../helpers/store.ts";

type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** GET `path`, or POST `form` to it, as `who`. */
export function browse(app: App, who: SignedIn, path: string, form?: Record<string, string>): Promise<Response> {
  if (!form) return Promise.resolve(app.request(path, { headers: who.headers }));
  return Promise.resolve(
    app.request(path, {
      method: "POST",
      headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    }),
  );
}

const decode = (s: string) =>
  s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&#x27;", "'").replaceAll("&amp;", "&");

const textOf = (inner: string) =>
  decode(inner.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : new RegExp(`\\s${name}(?=[\\s/>])`).test(tag) ? "" : null;
};

/** Each element's inner HTML, from its start tag at `start` to its matching end tag (same-name elements nested counted). */
function innerAt(html: string, start: number): { tag: string; inner: string } {
  const open = /^<([a-zA-Z0-9]+)[^>]*>/.exec(html.slice(start))!;
  const name = open[1]!;
  const re = new RegExp(`<(/?)${name}\\b[^>]*>`, "g");
  re.lastIndex = start + open[0].length;
  let depth = 1;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return { tag: open[0], inner: html.slice(start + open[0].length, m.index) };
  }
  return { tag: open[0], inner: html.slice(start + open[0].length) };
}

function elements(html: string, testId: string): { tag: string; inner: string }[] {
  const out: { tag: string; inner: string }[] = [];
  const re = new RegExp(`<[a-zA-Z0-9]+[^>]*\\sdata-testid="${testId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`, "g");
  for (let m = re.exec(html); m; m = re.exec(html)) out.push(innerAt(html, m.index));
  return out;
}

/** The text of the first element with this test id (null: none). */
export const byTestId = (html: string, testId: string): string | null => {
  const [e] = elements(html, testId);
  return e ? textOf(e.inner) : null;
};

/** The text of every element with this test id, in page order. */
export const allByTestId = (html: string, testId: string): string[] => elements(html, testId).map((e) => textOf(e.inner));

/** What a browser sends for the field `name`: an input's value (the checked one of radios), a select's chosen option, a textarea's text; null when there is no such field. */
export function fieldValue(html: string, name: string): string | null {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const textarea = new RegExp(`<textarea[^>]*\\sname="${esc}"[^>]*>`).exec(html);
  if (textarea) return decode(innerAt(html, textarea.index).inner.replace(/^\n/, ""));
  const select = new RegExp(`<select[^>]*\\sname="${esc}"[^>]*>`).exec(html);
  if (select) {
    const options = [...innerAt(html, select.index).inner.matchAll(/<option[^>]*>/g)].map((o) => o[0]);
    const chosen = options.find((o) => attr(o, "selected") !== null) ?? options[0];
    return chosen ? (attr(chosen, "value") ?? "") : null;
  }
  const inputs = [...html.matchAll(new RegExp(`<input[^>]*\\sname="${esc}"[^>]*>`, "g"))].map((m) => m[0]);
  if (inputs.length === 0) return null;
  const radios = inputs.filter((i) => /\stype="(radio|checkbox)"/.test(i));
  if (radios.length > 0) {
    const checked = radios.find((i) => attr(i, "checked") !== null);
    return checked ? (attr(checked, "value") ?? "on") : null;
  }
  return attr(inputs[0]!, "value") ?? "";
}

/** The hidden fields a product page's save carries: the version it saves over and what it showed. */
export const formState = (html: string): { version: string; seen: string } => ({
  version: fieldValue(html, "version") ?? "",
  seen: fieldValue(html, "seen") ?? "",
});
