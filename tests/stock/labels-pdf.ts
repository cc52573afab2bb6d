// A shelf-label PDF read back as a person would check it: each page's size, the text drawn on it (pdf-lib writes the
// standard fonts' text as hex strings of WinAnsi bytes, one string a line) and how many images (barcodes) it shows.
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";

export type LabelPage = { width: number; height: number; text: string[]; images: number };

/** WinAnsi bytes as text: Latin-1, save the few the standard fonts put elsewhere (€ is 0x80, … is 0x85). */
const winAnsi = (bytes: number[]) => bytes.map((b) => (b === 0x80 ? "€" : b === 0x85 ? "…" : String.fromCharCode(b))).join("");

export async function readLabelsPdf(bytes: Uint8Array): Promise<LabelPage[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const contents = page.node.normalizedEntries().Contents;
    const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
    const text: string[] = [];
    for (const s of streams) {
      if (!(s instanceof PDFRawStream)) continue;
      const ops = new TextDecoder("latin1").decode(decodePDFRawStream(s).decode());
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) text.push(winAnsi((m[1]!.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))));
    }
    const images = page.node.Resources()?.lookupMaybe(PDFName.of("XObject"), PDFDict)?.keys().length ?? 0;
    return { width: page.getWidth(), height: page.getHeight(), text, images };
  });
}
