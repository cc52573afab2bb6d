// What the virtual printer printed, for its page: each print decoded from its bytes, with the job it was (a sale's
// receipt and its number and total, a copy, a report, a test page, the drawer).
import type { Database } from "bun:sqlite";
import { decodeEscPos, EscPosDecodeError } from "../../hardware/virtual/escpos-decoder.ts";
import { virtualPrints } from "../../hardware/virtual/virtual-printer.ts";
import type { PaperEvent, PrintedJob, VirtualPrint } from "../../views/devices/page.tsx";

export function virtualPaper(db: Database) {
  const jobs = db.query<
    { id: number; kind: PrintedJob["kind"]; requested_by: string | null; receipt_number: string | null; total: number | null; title: string | null },
    [string]
  >(
    `SELECT j.id, j.kind, j.requested_by, s.receipt_number, s.total,
            CASE WHEN j.kind = 'report' THEN json_extract(j.payload, '$.title') END AS title
       FROM print_jobs j LEFT JOIN sales s ON s.id = j.sale_id
      WHERE j.id IN (SELECT value FROM json_each(?))`,
  );

  /** The latest prints of a virtual printer, newest first. */
  return (printerId: number): VirtualPrint[] => {
    const prints = virtualPrints(db, printerId);
    const ids = prints.map((p) => p.jobId).filter((id): id is number => id !== null);
    const byId = new Map(
      jobs
        .all(JSON.stringify(ids))
        .map((j) => [
          j.id,
          { kind: j.kind, requestedBy: j.requested_by, receiptNumber: j.receipt_number, total: j.receipt_number === null ? null : j.total, title: j.title },
        ]),
    );
    return prints.map((v) => {
      const job = (v.jobId !== null && byId.get(v.jobId)) || null;
      try {
        const d = decodeEscPos(v.bytes);
        // what a person sees happen beside the text; bold, alignment, size and code page are already in the lines
        const events = d.events.filter((e): e is PaperEvent => e.type !== "bold" && e.type !== "align" && e.type !== "size" && e.type !== "codepage");
        return { id: v.id, at: v.at, job, lines: d.lines, events };
      } catch (e) {
        // a language the decoder does not read (StarPRNT): say so, never fail the page
        const why = e instanceof EscPosDecodeError ? e.message : "not ESC/POS";
        return { id: v.id, at: v.at, job, lines: [`(${v.bytes.length} bytes this page cannot show: ${why})`], events: [] };
      }
    });
  };
}
