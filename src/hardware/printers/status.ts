// Reading ESC/POS real-time status: the DLE EOT requests and a pure parser of the printer's one-byte replies.
/** What a printer says of itself (DLE EOT), or what the store concludes when it cannot be reached. */
export type PrinterStatus = {
  online: boolean;
  paper: "ok" | "near-end" | "out" | "unknown";
  coverOpen: boolean | null;
  drawerOpen: boolean | null;
  error: string | null;
};

const DLE = 0x10;
const EOT = 0x04;

/** The requests, in the order their replies are expected: printer status, offline cause, paper roll sensor. */
export const statusQueries: readonly Uint8Array[] = [Uint8Array.of(DLE, EOT, 1), Uint8Array.of(DLE, EOT, 2), Uint8Array.of(DLE, EOT, 4)];

/** The three requests in one write. */
export const statusRequest: Uint8Array = Uint8Array.of(...statusQueries.flatMap((q) => [...q]));

/**
 * Every DLE EOT reply has bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0 (0x12 under mask 0x93). Automatic status
 * back (ASB) bytes and XON/XOFF (0x11, 0x13) never match, so they can be told apart on a shared line.
 */
export function isStatusReply(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** DLE EOT 1. bit 2: drawer kick-out connector pin 3 is high; bit 3: offline. */
export function parsePrinterByte(byte: number): { online: boolean; drawerPinHigh: boolean } {
  return { online: (byte & 0x08) === 0, drawerPinHigh: (byte & 0x04) !== 0 };
}

/** DLE EOT 2. bit 2: cover open; bit 3: paper fed with the FEED button; bit 5: stopped at paper end; bit 6: error. */
export function parseOfflineCauseByte(byte: number): { coverOpen: boolean; feedButton: boolean; paperEndStop: boolean; error: boolean } {
  return { coverOpen: (byte & 0x04) !== 0, feedButton: (byte & 0x08) !== 0, paperEndStop: (byte & 0x20) !== 0, error: (byte & 0x40) !== 0 };
}

/** DLE EOT 4. bits 2-3: roll near its end; bits 5-6: paper end. Printers set both bits of a pair; either one counts. */
export function parsePaperByte(byte: number): "ok" | "near-end" | "out" {
  if ((byte & 0x60) !== 0) return "out";
  if ((byte & 0x0c) !== 0) return "near-end";
  return "ok";
}

export type StatusOptions = {
  /**
   * Whether the drawer is open when pin 3 reads high (most drawers: the switch closes with the drawer) or low.
   * This depends on the drawer, not the printer.
   */
  drawerOpenWhen?: "high" | "low";
};

/**
 * Combine the replies to `statusQueries` into a PrinterStatus. `received` is what came back on the link, in order;
 * bytes that are not DLE EOT replies are skipped. Missing replies leave their fields unknown (null / "unknown").
 */
export function parseStatus(received: ArrayLike<number>, options: StatusOptions = {}): PrinterStatus {
  const replies = Array.from(received).filter(isStatusReply);
  const [printerByte, causeByte, paperByte] = replies;
  if (printerByte === undefined) {
    return { online: false, paper: "unknown", coverOpen: null, drawerOpen: null, error: "The printer did not answer the status request." };
  }
  const printer = parsePrinterByte(printerByte);
  const cause = causeByte === undefined ? null : parseOfflineCauseByte(causeByte);
  let paper: PrinterStatus["paper"] = paperByte === undefined ? "unknown" : parsePaperByte(paperByte);
  if (cause?.paperEndStop) paper = "out";
  const coverOpen = cause ? cause.coverOpen : null;
  const drawerOpen = printer.drawerPinHigh === ((options.drawerOpenWhen ?? "high") === "high");
  return { online: printer.online, paper, coverOpen, drawerOpen, error: errorSentence(printer.online, paper, cause) };
}

function errorSentence(online: boolean, paper: PrinterStatus["paper"], cause: ReturnType<typeof parseOfflineCauseByte> | null): string | null {
  if (cause?.coverOpen) return "Printer cover open: close it.";
  if (paper === "out") return "Paper out: put in a new roll.";
  if (cause?.error) return "Printer error (paper jam, cutter or overheating): clear it, then switch the printer off and on.";
  if (online) return null;
  if (cause?.feedButton) return "Printer offline while paper is fed with the FEED button.";
  return "Printer offline.";
}

/** What a status means at the till: the short label the status pill shows, the sentence a cashier can act on, and
 * whether print jobs must wait. The one place printer states become words. */
export type PrinterCondition = {
  code: "paper_out" | "cover_open" | "offline" | "paper_low" | "ready";
  label: string;
  message: string;
  blocksPrinting: boolean;
};

/** What a cashier is told when the roll is out, however the printer says so (status byte or a full USB buffer). */
export const PAPER_OUT = "Paper out: put in a new roll.";

export function conditionOf(s: PrinterStatus): PrinterCondition {
  // a printer reports itself offline when the paper is out or the cover open: name the cause a person can fix
  if (s.paper === "out") return { code: "paper_out", label: "Paper out", message: PAPER_OUT, blocksPrinting: true };
  if (s.coverOpen) return { code: "cover_open", label: "Cover open", message: "Printer cover open: close it.", blocksPrinting: true };
  if (!s.online) {
    return {
      code: "offline",
      label: s.error ? `Offline: ${s.error}` : "Offline",
      message: s.error ?? "Printer offline: check power and cable.",
      blocksPrinting: true,
    };
  }
  if (s.paper === "near-end") return { code: "paper_low", label: "Paper low", message: "Paper low: have a new roll ready.", blocksPrinting: false };
  return { code: "ready", label: s.drawerOpen ? "Ready · drawer open" : "Ready", message: "Ready.", blocksPrinting: false };
}
