// Printer profiles: checks a profile's printer model and code page against the encoder and starts an encoder set up for it.

import type { ReceiptPrinterEncoderOptions } from "@point-of-sale/receipt-printer-encoder";
import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";

export type PrintProfile = {
  language: "esc-pos" | "star-prnt";
  paperMm: 58 | 80;
  /** "auto" picks a code page per character, or one fixed encoder code page name such as "cp858" */
  codepage: string;
  /** an encoder printer profile id (see listPrinterModels), for its code page numbering, columns and cutter feed */
  printerModel?: string;
};

export class PrintProfileError extends Error {
  constructor(
    readonly code: "unknown_printer_model" | "printer_model_language" | "unknown_codepage" | "codepage_not_on_printer",
    message: string,
  ) {
    super(message);
  }
}

type Codepage = Exclude<Parameters<ReceiptPrinterEncoder["codepage"]>[0], "auto">;
type PrinterModel = NonNullable<ReceiptPrinterEncoderOptions["printerModel"]>;
type Language = NonNullable<ReceiptPrinterEncoderOptions["language"]>;

// "auto" tries these in order for each character. cp437 is every printer's power-on table, so plain text needs no
// switch; cp858 (cp850 plus €) holds every Western European letter and the euro sign, so a receipt in those
// languages uses at most these two. The rest cover other scripts, and only pages the printer has are kept.
const AUTO_CANDIDATES: Codepage[] = [
  "cp437",
  "cp858",
  "cp850",
  "windows1252",
  "iso8859-15",
  "cp865",
  "cp860",
  "cp863",
  "cp861",
  "cp852",
  "windows1250",
  "cp866",
  "windows1251",
  "cp737",
  "windows1253",
  "cp857",
  "windows1254",
  "cp775",
  "windows1257",
  "cp862",
  "windows1255",
  "cp864",
  "windows1256",
  "windows1258",
];

/** The printer profiles the encoder knows, by id, e.g. "epson-tm-t88vi". */
export function listPrinterModels(): string[] {
  return ReceiptPrinterEncoder.printerModels.map((m) => m.id);
}

/** An encoder for the profile, initialized and on the profile's code page; throws PrintProfileError for a profile the printer cannot take. */
export function startEncoder(profile: PrintProfile): ReceiptPrinterEncoder {
  const enc = new ReceiptPrinterEncoder(encoderOptions(profile)).initialize();
  enc.codepage(profile.codepage === "auto" ? "auto" : (profile.codepage as Codepage));
  return enc;
}

const optionsCache = new Map<string, ReceiptPrinterEncoderOptions>();

function encoderOptions(profile: PrintProfile): ReceiptPrinterEncoderOptions {
  const key = `${profile.language}|${profile.paperMm}|${profile.codepage}|${profile.printerModel ?? ""}`;
  const cached = optionsCache.get(key);
  if (cached) return cached;

  const base: ReceiptPrinterEncoderOptions = { language: profile.language };
  let modelColumns = 0;
  if (profile.printerModel) {
    if (!listPrinterModels().includes(profile.printerModel)) {
      throw new PrintProfileError("unknown_printer_model", `The printer model "${profile.printerModel}" is not known; pick one from the list.`);
    }
    const model = new ReceiptPrinterEncoder({ printerModel: profile.printerModel as PrinterModel });
    // Star Line mode models take the StarPRNT setting: the encoder writes both with the same commands
    if ((model.language === "esc-pos") !== (profile.language === "esc-pos")) {
      throw new PrintProfileError(
        "printer_model_language",
        `The ${profile.printerModel} does not speak ${profile.language}; set the printer language to match.`,
      );
    }
    base.printerModel = profile.printerModel as PrinterModel;
    base.language = model.language as Language;
    modelColumns = model.columns;
  } else {
    // without a model nobody knows the distance from print head to cutter; feed enough not to cut the last line
    base.feedBeforeCut = 4;
  }
  base.columns = profile.paperMm === 58 ? 32 : [42, 44, 48].includes(modelColumns) ? modelColumns : 48;

  if (profile.codepage === "auto") {
    base.codepageCandidates = AUTO_CANDIDATES.filter((cp) => printerHas(base, cp));
  } else if (!printerHas(base, profile.codepage as Codepage)) {
    throw codepageError(base, profile.codepage);
  }
  optionsCache.set(key, base);
  return base;
}

function printerHas(base: ReceiptPrinterEncoderOptions, codepage: Codepage): boolean {
  try {
    new ReceiptPrinterEncoder(base).codepage(codepage);
    return true;
  } catch {
    return false;
  }
}

function codepageError(base: ReceiptPrinterEncoderOptions, codepage: string): PrintProfileError {
  try {
    new ReceiptPrinterEncoder(base).codepage(codepage as Codepage);
  } catch (e) {
    if (e instanceof Error && e.message === "Unknown codepage") {
      return new PrintProfileError("unknown_codepage", `"${codepage}" is not a code page name; use "auto" or one such as "cp858".`);
    }
  }
  return new PrintProfileError("codepage_not_on_printer", `This printer has no code page "${codepage}"; use "auto" or another one.`);
}

const encodableCache = new Map<string, boolean>();

/** Whether the profile's code page(s) can print every character of `text` (else the printer shows "?"). */
export function encodable(profile: PrintProfile, text: string): boolean {
  const key = `${profile.language}|${profile.codepage}|${profile.printerModel ?? ""}|${text}`;
  let ok = encodableCache.get(key);
  if (ok === undefined) {
    const lines = startEncoder(profile).text(text).encode("lines") as { type: string; payload?: number[] }[][];
    const bytes = lines
      .flat()
      .filter((c) => c.type === "text")
      .flatMap((c) => c.payload ?? []);
    ok = !bytes.includes(0x3f) || text.includes("?");
    encodableCache.set(key, ok);
  }
  return ok;
}
