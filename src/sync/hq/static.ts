// Head office's own static files, embedded in the binary like the store's (htmx and the icon come from staticRoutes),
// and htmx's SSE extension for the pages that follow /events.

import hxSsePath from "../../../node_modules/htmx.org/dist/ext/hx-sse.min.js" with { type: "file" };
import hqCssPath from "../../../static/hq.css" with { type: "file" };
import hqJsPath from "../../../static/hq.js" with { type: "file" };
import { type EmbeddedFile, embeddedFileRoutes } from "../../server/platform/http/static.ts";

const files: Record<string, EmbeddedFile> = {
  "/static/hq.css": { path: hqCssPath, type: "text/css; charset=utf-8" },
  "/static/hq.js": { path: hqJsPath, type: "text/javascript; charset=utf-8" },
  "/static/hx-sse.js": { path: hxSsePath, type: "text/javascript; charset=utf-8" },
};

export const hqStaticRoutes = () => embeddedFileRoutes(files);
