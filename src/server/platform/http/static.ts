// Static files, embedded in the binary: htmx and Alpine (CSP build) from their npm packages, our script, styles, icons.
import { Hono } from "hono";
import alpinePath from "../../../../node_modules/@alpinejs/csp/dist/cdn.min.js" with { type: "file" };
import htmxSsePath from "../../../../node_modules/htmx.org/dist/ext/hx-sse.min.js" with { type: "file" };
import htmxPath from "../../../../node_modules/htmx.org/dist/htmx.min.js" with { type: "file" };
import uplotPath from "../../../../node_modules/uplot/dist/uPlot.iife.min.js" with { type: "file" };
import uplotCssPath from "../../../../node_modules/uplot/dist/uPlot.min.css" with { type: "file" };
import iconPath from "../../../../static/icon.svg" with { type: "file" };
import liveJsPath from "../../../../static/live.js" with { type: "file" };
import manifestPath from "../../../../static/manifest.webmanifest" with { type: "file" };
import cssPath from "../../../../static/register.css" with { type: "file" };
import registerJsPath from "../../../../static/register.js" with { type: "file" };
import reportsCssPath from "../../../../static/reports.css" with { type: "file" };
import reportsJsPath from "../../../../static/reports.js" with { type: "file" };

/** A file embedded in the binary: where Bun put it, and the Content-Type it is served with. */
export type EmbeddedFile = { path: string; type: string };

const files: Record<string, EmbeddedFile> = {
  "/static/htmx.js": { path: htmxPath, type: "text/javascript; charset=utf-8" },
  "/static/alpine.js": { path: alpinePath, type: "text/javascript; charset=utf-8" },
  // htmx's server-sent events extension, and ours that hands the live channel's named messages to its swap
  "/static/hx-sse.js": { path: htmxSsePath, type: "text/javascript; charset=utf-8" },
  "/static/live.js": { path: liveJsPath, type: "text/javascript; charset=utf-8" },
  "/static/register.js": { path: registerJsPath, type: "text/javascript; charset=utf-8" },
  "/static/register.css": { path: cssPath, type: "text/css; charset=utf-8" },
  // the reports' charts: uPlot and its styles from its npm package, and ours that draws each chart from its data
  "/static/uplot.js": { path: uplotPath, type: "text/javascript; charset=utf-8" },
  "/static/uplot.css": { path: uplotCssPath, type: "text/css; charset=utf-8" },
  "/static/reports.js": { path: reportsJsPath, type: "text/javascript; charset=utf-8" },
  "/static/reports.css": { path: reportsCssPath, type: "text/css; charset=utf-8" },
  "/static/icon.svg": { path: iconPath, type: "image/svg+xml" },
  // browsers ask for /favicon.ico by themselves where a document names no icon (a JSON answer): the same SVG icon
  "/favicon.ico": { path: iconPath, type: "image/svg+xml" },
  "/manifest.webmanifest": { path: manifestPath, type: "application/manifest+json" },
};

/** Serves each URL of the table with an ETag. */
export function embeddedFileRoutes(table: Record<string, EmbeddedFile>) {
  const app = new Hono();
  for (const [url, f] of Object.entries(table)) {
    // read once; the browser revalidates each load and gets a 304 while the file is unchanged
    let cached: Promise<{ body: ArrayBuffer; etag: string }> | null = null;
    const load = () =>
      (cached ??= Bun.file(f.path)
        .arrayBuffer()
        .then((body) => ({ body, etag: `"${new Bun.CryptoHasher("sha1").update(body).digest("hex")}"` })));
    app.get(url, async (c) => {
      const { body, etag } = await load();
      const headers = { "Content-Type": f.type, "Cache-Control": "no-cache", ETag: etag };
      if (c.req.header("If-None-Match") === etag) return c.body(null, 304, headers);
      return c.body(body, 200, headers);
    });
  }
  return app;
}

export const staticRoutes = () => embeddedFileRoutes(files);
