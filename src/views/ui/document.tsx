// The HTML document around every page of the store and of head office: no inline script or style, so the strict
// Content-Security-Policy holds; htmx sends the page's CSRF token with every request.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export function Document(props: {
  title: string;
  /** How long htmx waits for the server, in milliseconds, before it tells the person. */
  htmxTimeoutMs: number;
  stylesheet: string;
  /** Our own scripts, run after htmx; `deferredScripts` run once the page is parsed. */
  scripts: string[];
  deferredScripts?: string[];
  themeColor?: string;
  manifest?: string;
  bodyClass?: string | undefined;
  csrf?: string | undefined;
  children: Child;
}) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={`{"includeIndicatorCSS": false, "defaultTimeout": ${props.htmxTimeoutMs}}`} />
          {props.themeColor && <meta name="theme-color" content={props.themeColor} />}
          <title>{props.title}</title>
          {props.manifest && <link rel="manifest" href={props.manifest} />}
          <link rel="icon" href="/static/icon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href={props.stylesheet} />
          <script src="/static/htmx.js"></script>
          {props.scripts.map((src) => (
            <script src={src}></script>
          ))}
          {props.deferredScripts?.map((src) => (
            <script defer src={src}></script>
          ))}
        </head>
        <body class={props.bodyClass} {...(props.csrf ? { "hx-headers:inherited": JSON.stringify({ "X-CSRF-Token": props.csrf }) } : {})}>
          {props.children}
        </body>
      </html>
    </>
  );
}
