// The shell of every store page: the register's styles and scripts, and Alpine for short-lived UI state.
import type { Child } from "hono/jsx";
import { Document } from "./document.tsx";

export function Layout(props: { title: string; children: Child; bodyClass?: string; csrf?: string }) {
  return (
    <Document
      title={props.title}
      htmxTimeoutMs={10000}
      themeColor="#14532d"
      manifest="/manifest.webmanifest"
      stylesheet="/static/register.css"
      scripts={["/static/register.js"]}
      deferredScripts={["/static/alpine.js"]}
      bodyClass={props.bodyClass}
      csrf={props.csrf}
    >
      {props.children}
    </Document>
  );
}
