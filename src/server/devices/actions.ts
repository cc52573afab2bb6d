// What a manager changes under Devices, each one transaction with its audit row: the head-office link, a new database
// epoch when head office asks for one, printers added or made the default, the receipt logo, a register's scale. Checks that take time (decoding a PNG) run before the
// transaction opens.
import type { Database } from "bun:sqlite";
import type { Clock, Ids } from "../../domain/kernel/clock.ts";
import type { NewPrinter, PrinterConfig } from "../../hardware/printers/registry.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { type NewEpoch, startNewEpoch } from "../head-office/epoch.ts";
import { type HeadOfficeLink, saveHeadOfficeLink } from "../head-office/link.ts";
import type { Printing } from "../printing/actions.ts";
import type { NewScale, ScaleSetting, Scales } from "./scales.ts";

/** Who changes devices: a signed-in manager, from any browser (the back office need not be a register). */
export type DeviceActor = { userId: number | null; userName: string | null; registerName: string | null };

export type DeviceActionDeps = { db: Database; clock: Clock; ids: Ids; audit: AuditLog; printing: Printing; scales: Scales };

export function deviceActions(deps: DeviceActionDeps) {
  const { db, clock, ids, audit, printing, scales } = deps;
  const tx = inOneTransaction(db);
  const record = (who: DeviceActor, action: string, subject: string, detail: unknown) =>
    audit.record({ at: clock.now().toISOString(), userId: who.userId, userName: who.userName, register: who.registerName, action, subject, detail });

  return {
    /** Connect the store to head office (or disconnect it: address empty). The token is never written to the log. */
    linkHeadOffice: tx((who: DeviceActor, input: { url: string; storeId: string; token: string }): HeadOfficeLink | null => {
      const link = saveHeadOfficeLink(db, input);
      record(who, "settings.changed", "head office", { url: link?.url ?? null, store_id: link?.storeId ?? null });
      return link;
    }),

    /**
     * A new database epoch, when head office asks for one (its admin accepts it, and the store sends everything again
     * under it; head office keeps each sale once). The epochs are in the audit row, so the store's log says when.
     */
    startNewEpoch: tx((who: DeviceActor, reason: string): NewEpoch => {
      const e = startNewEpoch(db, { epoch: ids.next(), at: clock.now().toISOString(), reason });
      record(who, "sync.new_epoch", "head office", { epoch: e.epoch, previous_epoch: e.previousEpoch, unsent: e.unsent, reason });
      return e;
    }),

    addPrinter: tx((who: DeviceActor, printer: NewPrinter): PrinterConfig => {
      const p = printing.printers.add(printer, clock.now().toISOString());
      record(who, "printer.added", p.name, { kind: p.kind, default: p.isDefault });
      return p;
    }),

    makeDefault: tx((who: DeviceActor, printer: PrinterConfig): void => {
      printing.printers.makeDefault(printer.id);
      record(who, "printer.made_default", printer.name, {});
    }),

    /** A register's scale set or changed; refused (nothing written) when the register or the port will not do. */
    setScale: tx((who: DeviceActor, scale: NewScale): ScaleSetting => {
      const s = scales.set(scale, clock.now().toISOString());
      record(who, "scale.set", s.registerName, { path: s.path, baud: s.baud, framing: s.framing });
      return s;
    }),

    /** The register weighs by hand again; null (and no audit row) when it had no scale. */
    clearScale: tx((who: DeviceActor, registerId: number): ScaleSetting | null => {
      const before = scales.clear(registerId);
      if (before) record(who, "scale.cleared", before.registerName, { path: before.path });
      return before;
    }),

    /** The receipt logo: refused with a reason (PngError) when the PNG will not do, before anything is written. */
    setLogo(who: DeviceActor, png: Uint8Array): { width: number; height: number } {
      const size = printing.checkLogo(png);
      tx(() => {
        printing.saveLogo(png);
        record(who, "settings.changed", "receipt logo", { width: size.width, height: size.height, bytes: png.length });
      })();
      return size;
    },
  };
}

export type DeviceActions = ReturnType<typeof deviceActions>;
