// A shop for the printing tests: a real store, a register with a signed-in cashier, a fake receipt printer, and the paper read back.

import { type NewPrinter, type PrinterConfig, VIRTUAL_PRINTER } from "../../src/hardware/printers/registry.ts";
import { type DecodedEvent, decodeEscPos } from "../../src/hardware/virtual/escpos-decoder.ts";
import type { Role } from "../../src/server/people/roles.ts";
import { type FakePrinter, startFakePrinter } from "../helpers/fake-printer.ts";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

/** A register in a browser: a paired device with a signed-in cashier, form posts the way htmx sends them. */
export type Register = {
  post(path: string, form?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
  /** Who is signed in on this register, with the cookies and the CSRF header their browser sends. */
  who: SignedIn;
};

/** The register of "Lane N" as a browser on it: paired, a user of `role` signed in, a shift open. */
export async function openRegister(t: TestStore, lane = 1, role: Role = "cashier"): Promise<Register> {
  return browserOf(t.app, await signIn(t.store, lane, { role }));
}

/** Requests from a signed-in browser, to any app (a restarted server's too). */
export function browserOf(app: Pick<TestStore["app"], "request">, who: SignedIn): Register {
  return {
    who,
    post: async (path, form = {}) =>
      app.request(path, {
        method: "POST",
        headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
        body: new URLSearchParams(form).toString(),
      }),
    get: async (path) => app.request(path, { headers: { ...who.headers, "HX-Request": "true" } }),
  };
}

/** A printer row as the Devices form would make it; the fields a test cares about override the defaults. */
export function printerSpec(p: Pick<NewPrinter, "name" | "kind"> & Partial<NewPrinter>): NewPrinter {
  return { ...VIRTUAL_PRINTER, ...p };
}

/** `manager` is the one whose PIN approves what a cashier may not do alone (a no sale); they sign in on "Lane 9". */
export type PrintingShop = { t: TestStore; fake: FakePrinter; printer: PrinterConfig; register: Register; manager: SignedIn; close(): Promise<void> };

/** A store whose default printer is a fake network printer on this machine. */
export async function openPrintingShop(options: { codepage?: string } = {}): Promise<PrintingShop> {
  const t = makeTestStore();
  const fake = startFakePrinter();
  const printer = t.store.printing.printers.add(
    printerSpec({ name: "Front", kind: "network", host: fake.host, port: fake.port, codepage: options.codepage ?? "auto" }),
    t.clock.now().toISOString(),
  );
  const register = await openRegister(t);
  const manager = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria" });
  return {
    t,
    fake,
    printer,
    register,
    manager,
    async close() {
      await t.store.printing.worker.stop(); // a kicked pass may still be talking to the printer
      fake.stop();
      t.close();
    },
  };
}

export type Sold = { saleId: string; receiptNumber: string; status: number; html: string };

/** Scan the codes and pay; the sale must complete (nothing left due). */
export async function sell(t: TestStore, register: Register, codes: string[], payment: Record<string, string>): Promise<Sold> {
  for (const code of codes) {
    const scan = await register.post("/register/scan", { code });
    if (scan.status !== 200) throw new Error(`scanning ${code} answered ${scan.status}: ${await scan.text()}`);
  }
  const res = await register.post("/register/pay", payment);
  const html = await res.text();
  const saleId = /\/register\/receipt\/([^/"]+)\/reprint/.exec(html)?.[1];
  if (!saleId) throw new Error(`the sale did not complete (${res.status}): ${html}`);
  const { state } = t.store.sales.load(saleId);
  const receiptNumber = state.status === "completed" ? state.receiptNumber : null;
  if (!receiptNumber) throw new Error(`sale ${saleId} is ${state.status}, with no receipt number`);
  return { saleId, receiptNumber, status: res.status, html };
}

/** The print state element of a receipt dialog or print-state fragment. */
export function printState(html: string): { state: string; text: string } {
  const m = /<p[^>]*data-testid="print-state"[^>]*data-state="([^"]+)"[^>]*>([^<]*)<\/p>/.exec(html);
  if (!m) throw new Error(`no print state in: ${html}`);
  return { state: m[1]!, text: unescapeHtml(m[2]!) };
}

export function unescapeHtml(s: string): string {
  return s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** What came out on paper: the printed lines without trailing blanks, and the events that are not mere formatting. */
export type Paper = { lines: string[]; text: string; events: DecodedEvent[] };

export function paper(bytes: Uint8Array): Paper {
  const d = decodeEscPos(bytes);
  const lines = d.lines.map((l) => l.trimEnd());
  const events = d.events.filter((e) => e.type !== "bold" && e.type !== "align" && e.type !== "size" && e.type !== "codepage");
  return { lines, text: lines.join("\n"), events };
}

export const eventsOf = (p: Paper, type: DecodedEvent["type"]) => p.events.filter((e) => e.type === type);

/** A label and its amount on one receipt line, columns apart: "Cash ....... 20.00". */
export function row(label: string, amount: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${esc(label)} +${esc(amount)}$`, "m");
}

/** The print jobs of a sale as the database holds them. */
export function jobsOfSale(t: TestStore, saleId: string): { id: number; kind: string; state: string; attempts: number; last_error: string | null }[] {
  return t.store.db
    .query<{ id: number; kind: string; state: string; attempts: number; last_error: string | null }, [string]>(
      "SELECT id, kind, state, attempts, last_error FROM print_jobs WHERE sale_id = ? ORDER BY id",
    )
    .all(saleId);
}

/** Let the retry back-off pass (it never waits longer than 30 s) and run one worker pass. */
export async function laterTick(t: TestStore, ms = 31_000): Promise<void> {
  t.clock.advance(ms);
  await t.store.printing.worker.tick();
}
