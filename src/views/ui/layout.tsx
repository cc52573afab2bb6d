// The shell of every store page: the register's styles and scripts, Alpine for short-lived UI state, and the page's
// CSRF token for htmx (from the request's page context).
import type { Child } from "hono/jsx";
import { usePage } from "./context.ts";
import { Document } from "./document.tsx";

export function Layout(props: { title: string; children: Child; bodyClass?: string }) {
  return (
    <Document
      title={props.title}
      htmxTimeoutMs={10000}
      themeColor="#14532d"
      manifest="/manifest.webmanifest"
      stylesheet="/static/register.css"
      scripts={["/static/hx-sse.js", "/static/live.js", "/static/register.js"]}
      deferredScripts={["/static/alpine.js"]}
      bodyClass={props.bodyClass}
      csrf={usePage().csrf}
    >
      {props.children}
    </Document>
  );
}
