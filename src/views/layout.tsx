// The HTML shell of every page: no inline script or style, so a strict Content-Security-Policy holds.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export function Layout(props: { title: string; children: Child; bodyClass?: string; csrf?: string }) {
  return (
    <>
    {raw("<!DOCTYPE html>")}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorCSS": false, "defaultTimeout": 10000}' />
        <meta name="theme-color" content="#14532d" />
        <title>{props.title}</title>
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/static/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/register.css" />
        <script src="/static/htmx.js"></script>
        <script src="/static/register.js"></script>
        <script defer src="/static/alpine.js"></script>
      </head>
      <body class={props.bodyClass} {...(props.csrf ? { "hx-headers:inherited": JSON.stringify({ "X-CSRF-Token": props.csrf }) } : {})}>
        {props.children}
      </body>
    </html>
    </>
  );
}
