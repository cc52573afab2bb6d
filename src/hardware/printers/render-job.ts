// What a print job becomes on paper: receipt, copy, test page, drawer kick or report, in the printer's language.
import type { ReceiptDocument } from "../../domain/sale/receipt.ts";
import type { PrintProfile } from "./print-profile.ts";
import type { PrintJob } from "./queue.ts";
import { type Logo, type ReportPage, renderDrawerKick, renderReceipt, renderReport, renderTestPage } from "./receipt-bytes.ts";
import type { PrinterConfig } from "./registry.ts";

export type ReceiptPayload = { doc: ReceiptDocument; currency: string; timeZone: string };
export type TestPayload = { printerName: string; at: string; timeZone: string };

export function profileOf(p: PrinterConfig): PrintProfile {
  return { language: p.language, paperMm: p.paperMm, codepage: p.codepage };
}

export function renderJob(job: PrintJob, printer: PrinterConfig, extras: { logo?: Logo | null } = {}): Uint8Array {
  const profile = profileOf(printer);
  switch (job.kind) {
    case "receipt":
    case "copy": {
      const p = job.payload as ReceiptPayload;
      return renderReceipt({ ...p.doc, copy: job.kind === "copy" }, profile, {
        currency: p.currency,
        timeZone: p.timeZone,
        kickDrawer: job.kickDrawer ? printer.drawerPin : null,
        logo: extras.logo ?? null,
      });
    }
    case "test":
      return renderTestPage(profile, job.payload as TestPayload);
    case "drawer":
      return renderDrawerKick(printer.drawerPin, printer.language);
    case "report":
      return renderReport(profile, job.payload as ReportPage);
    default: {
      const _exhaustive: never = job.kind;
      throw new Error(`unknown job kind ${String(_exhaustive)}`);
    }
  }
}
