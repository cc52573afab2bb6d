// Devices: the store's printers, their live state, a test page, and what the virtual printer printed; the scales.

import type { JobKind } from "../../hardware/printers/queue.ts";
import type { PrinterConfig } from "../../hardware/printers/registry.ts";
import { conditionOf } from "../../hardware/printers/status.ts";
import type { DecodedEvent } from "../../hardware/virtual/escpos-decoder.ts";
import { Csrf, PostButton } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { type Locale, money, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";
import { BackupsSection, type BackupsView } from "./backups.tsx";
import { HeadOfficeSection, type HeadOfficeView } from "./head-office.tsx";
import { type RegisterChoice, type ScaleRow, ScalesSection } from "./scales.tsx";

export type PrinterRow = PrinterConfig & { address: string };
/** What a print was sent for: the job's kind, and the sale's receipt number and total when it was a receipt or a copy. */
export type PrintedJob = { kind: JobKind; requestedBy: string | null; receiptNumber: string | null; total: number | null; title: string | null };
/** What a printer does beside printing text: cut, open the drawer, print a code or a picture. */
export type PaperEvent = Exclude<DecodedEvent, { type: "bold" | "align" | "size" | "codepage" }>;
export type VirtualPrint = { id: number; at: string; job: PrintedJob | null; lines: string[]; events: PaperEvent[] };

export function statusWords(p: PrinterConfig): { text: string; kind: "ok" | "warn" | "bad" | "unknown" } {
  if (p.kind === "virtual") return { text: "Ready (virtual)", kind: "ok" };
  if (!p.status) return { text: "Not checked yet", kind: "unknown" };
  const c = conditionOf(p.status);
  return { text: c.label, kind: c.blocksPrinting ? "bad" : c.code === "paper_low" ? "warn" : "ok" };
}

/**
 * The register's printer pill. It changes when the live channel says so (a `printer-status` event, swapped out of
 * band); while that channel is down, static/live.js asks /register/printer-status for it every 5 s.
 */
export function PrinterStatusBadge({ printer, oob }: { printer: PrinterConfig | null; oob?: boolean }) {
  const w = printer ? statusWords(printer) : { text: "No printer", kind: "unknown" as const };
  return (
    <span id="printer-status" class={`pill ${w.kind}`} role="status" data-testid="printer-status" hx-swap-oob={oob ? "true" : undefined}>
      {printer ? `${printer.name}: ${w.text}` : w.text}
    </span>
  );
}

export function DevicesPage({
  printers,
  usb,
  serial,
  models,
  message,
  headOffice,
  scales,
  registers,
  backups,
}: {
  printers: PrinterRow[];
  usb: string[];
  serial: string[];
  models: string[];
  message?: string;
  headOffice: HeadOfficeView;
  scales: ScaleRow[];
  registers: RegisterChoice[];
  /** The last backup and its warning (views/devices/backups.tsx). */
  backups?: BackupsView;
}) {
  return (
    <OfficePage title="Devices">
      <h1>Printers</h1>
      {message && (
        <p class="message info" role="status">
          {message}
        </p>
      )}
      <table class="grid" data-testid="printer-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Connection</th>
            <th>Language · paper</th>
            <th>State</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {printers.map((p) => {
            const w = statusWords(p);
            return (
              <tr data-testid="printer-row">
                <td>
                  {p.name}
                  {p.isDefault && <span class="pill ok">default</span>}
                </td>
                <td>{p.address}</td>
                <td>
                  {p.language === "esc-pos" ? "ESC/POS" : "StarPRNT"} · {p.paperMm} mm · {p.codepage}
                </td>
                <td>
                  <span class={`pill ${w.kind}`}>{w.text}</span>
                </td>
                <td class="row-actions">
                  <form method="post" action={`/devices/printers/${p.id}/test`}>
                    <Csrf />
                    <button type="submit" data-testid="print-test">
                      Print test page
                    </button>
                  </form>
                  {!p.isDefault && <PostButton action={`/devices/printers/${p.id}/default`} label="Make default" />}
                  {p.kind === "virtual" && (
                    <a class="button" href={`/devices/printers/${p.id}/prints`} data-testid="virtual-prints">
                      Show receipts
                    </a>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Add a printer</h2>
      <form method="post" action="/devices/printers" class="add-printer">
        <Csrf />
        <label>
          Name <input name="name" required maxlength={60} />
        </label>
        <label>
          Connection
          <select name="kind">
            <option value="network">Network (raw TCP)</option>
            <option value="usb">USB printer (/dev/usb/lp*)</option>
            <option value="serial">Serial</option>
            <option value="virtual">Virtual (shown in the browser)</option>
          </select>
        </label>
        <label>
          Host (network) <input name="host" placeholder="192.168.1.50" />
        </label>
        <label>
          Port (network) <input name="port" inputmode="numeric" placeholder="9100" />
        </label>
        <label>
          Device (USB, serial)
          <input name="path" list="device-paths" placeholder="/dev/usb/lp0 or /dev/ttyUSB0" />
          <datalist id="device-paths">
            {[...usb, ...serial].map((d) => (
              <option value={d} />
            ))}
          </datalist>
        </label>
        <label>
          Baud (serial)
          <select name="baud">
            {[9600, 19200, 38400, 57600, 115200].map((b) => (
              <option value={String(b)}>{b}</option>
            ))}
          </select>
        </label>
        <label>
          Flow control (serial)
          <select name="flow">
            <option value="none">none</option>
            <option value="rtscts">RTS/CTS</option>
            <option value="xonxoff">XON/XOFF</option>
          </select>
        </label>
        <label>
          Language{" "}
          <select name="language">
            <option value="esc-pos">ESC/POS</option>
            <option value="star-prnt">StarPRNT</option>
          </select>
        </label>
        <label>
          Paper{" "}
          <select name="paper_mm">
            <option value="80">80 mm</option>
            <option value="58">58 mm</option>
          </select>
        </label>
        <label>
          Code page <input name="codepage" value="auto" />
        </label>
        <label>
          Drawer pin{" "}
          <select name="drawer_pin">
            <option value="2">2</option>
            <option value="5">5</option>
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="default" value="1" /> Default printer
        </label>
        <button type="submit" class="primary">
          Add printer
        </button>
      </form>
      <h2>Receipt logo</h2>
      <form method="post" action="/devices/logo" enctype="multipart/form-data" class="inline-form">
        <Csrf />
        <label>
          PNG file <input type="file" name="logo" accept="image/png" required />
        </label>
        <button type="submit">Set logo</button>
      </form>
      {usb.length > 0 && <p>USB printers found: {usb.join(", ")}</p>}
      <details>
        <summary>Printer models the encoder knows</summary>
        <p>{models.join(", ")}</p>
      </details>
      <ScalesSection scales={scales} registers={registers} serial={serial} />
      <HeadOfficeSection {...headOffice} />
      {backups && <BackupsSection {...backups} />}
    </OfficePage>
  );
}

/** "Receipt 002-000042 · €12.50 · printed 25/11/2026, 14:03": what a print was, in a shop's words. */
export function printCaption(p: Pick<VirtualPrint, "at" | "job">, l: Locale): string {
  const printed = `printed ${time(p.at, l)}`;
  const j = p.job;
  if (!j) return `Printed ${time(p.at, l)}`; // a print whose job is no longer on file
  const receipt = j.receiptNumber ? [`receipt ${j.receiptNumber}`, ...(j.total === null ? [] : [money(j.total, l)])].join(" · ") : "a receipt";
  // who asked, where the queue holds a person's name (a copy holds the register's)
  const by = j.requestedBy ? [`by ${j.requestedBy}`] : [];
  switch (j.kind) {
    case "receipt":
      return [receipt.charAt(0).toUpperCase() + receipt.slice(1), printed].join(" · ");
    case "copy":
      return [`Copy of ${receipt}`, printed].join(" · ");
    case "report":
      return [j.title ? j.title.charAt(0).toUpperCase() + j.title.slice(1).toLowerCase() : "Report", ...by, printed].join(" · ");
    case "drawer":
      return ["Drawer opened (no sale)", ...by, printed].join(" · ");
    case "test":
      return ["Test page", printed].join(" · ");
    default: {
      const _exhaustive: never = j.kind;
      return String(_exhaustive);
    }
  }
}

/** A printer's action beside the text, in words. */
export function paperEventWords(e: PaperEvent): string {
  switch (e.type) {
    case "cut":
      return "Paper cut";
    case "pulse":
      return "Cash drawer opened";
    case "barcode":
      return `Barcode: ${e.data}`;
    case "qrcode":
      return `QR code: ${e.data}`;
    case "image":
      return `Picture, ${e.width}×${e.height} dots`;
    default: {
      const _exhaustive: never = e;
      return String(_exhaustive);
    }
  }
}

export function VirtualPrintsPage({ printer, prints }: { printer: PrinterConfig; prints: VirtualPrint[] }) {
  const { locale } = usePage();
  return (
    <OfficePage title={printer.name}>
      <h1>{printer.name}: what it printed</h1>
      <p>Decoded from the exact bytes the printer received, newest first.</p>
      {prints.length === 0 && <p>Nothing printed yet.</p>}
      <div class="paper-list">
        {prints.map((p) => (
          <figure class="paper" data-testid="virtual-print" data-kind={p.job?.kind ?? ""}>
            <figcaption data-testid="virtual-print-caption">{printCaption(p, locale)}</figcaption>
            <pre>{p.lines.join("\n")}</pre>
            <ul class="events">
              {p.events.map((e) => (
                <li data-event={e.type}>{paperEventWords(e)}</li>
              ))}
            </ul>
          </figure>
        ))}
      </div>
    </OfficePage>
  );
}
