// What a bench section is and what it is given. Add a section by writing a module and listing it in sections.ts.
import type { Fixture } from "./fixture.ts";
import type { RunningServer } from "./server.ts";
import type { SaleRequest } from "./workload.ts";

export type ApiClient = {
  /** GET an API path; the body is read so the keep-alive connection is free again. Status 0 on a network error. */
  get(path: string): Promise<{ status: number; body: unknown }>;
  postSale(sale: SaleRequest): Promise<{ status: number; body: unknown }>;
};

export type BenchContext = {
  fixture: Fixture;
  /** The running binary; null for sections of the "offline" phase, which run after it stopped. */
  server: RunningServer | null;
  api: ApiClient;
  /** Figures of the sections that ran before, by top-level key (a section may read another's, as the floor does). */
  results: Record<string, unknown>;
};

export type Section = {
  name: string;
  /** "server": runs while the binary serves, in list order; "offline": runs in-process after it stopped. */
  phase: "server" | "offline";
  /** Top-level figures to merge into the report, e.g. `{ lookup: { p50_ms, p99_ms } }`. */
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
};

const REQUEST_TIMEOUT_MS = 10_000;

export function apiClient(baseUrl: string, token: string): ApiClient {
  const auth = { Authorization: `Bearer ${token}` };
  const json = { ...auth, "Content-Type": "application/json" };
  async function send(path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    try {
      const res = await fetch(baseUrl + path, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text for error messages
      }
      return { status: res.status, body };
    } catch (e) {
      return { status: 0, body: e instanceof Error ? e.message : String(e) };
    }
  }
  return {
    get: (path) => send(path, { headers: auth }),
    postSale: (sale) => send("/api/v1/sales", { method: "POST", headers: json, body: JSON.stringify(sale) }),
  };
}
