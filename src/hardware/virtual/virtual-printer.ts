// The virtual printer: keeps the exact bytes it is sent, so the browser can show what a real printer would print.
import type { Database } from "bun:sqlite";
import type { PrinterStatus, Transport } from "../printers/transport.ts";

export function virtualTransport(db: Database, printerId: number, jobId: () => number | null, at: () => string): Transport {
  const insert = db.query("INSERT INTO virtual_prints(printer_id, job_id, bytes, at) VALUES (?, ?, ?, ?)");
  // keep the last 200 prints of each virtual printer
  const prune = db.query(
    "DELETE FROM virtual_prints WHERE printer_id = ? AND id <= (SELECT id FROM virtual_prints WHERE printer_id = ? ORDER BY id DESC LIMIT 1 OFFSET 200)",
  );
  return {
    description: "virtual printer",
    async send(bytes: Uint8Array) {
      insert.run(printerId, jobId(), bytes, at());
      prune.run(printerId, printerId);
    },
    async status(): Promise<PrinterStatus> {
      return { online: true, paper: "ok", coverOpen: false, drawerOpen: false, error: null };
    },
    async close() {},
  };
}

export function virtualPrints(db: Database, printerId: number, limit = 20): { id: number; jobId: number | null; at: string; bytes: Uint8Array }[] {
  return db
    .query<{ id: number; job_id: number | null; at: string; bytes: Uint8Array }, [number, number]>(
      "SELECT id, job_id, at, bytes FROM virtual_prints WHERE printer_id = ? ORDER BY id DESC LIMIT ?",
    )
    .all(printerId, limit)
    .map((r) => ({ id: r.id, jobId: r.job_id, at: r.at, bytes: r.bytes }));
}
