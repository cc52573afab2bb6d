// Shelf labels as an A4 PDF to print on plain paper or a 3 × 8 label sheet: each label the product's name, its price
// big, the price per 100 g for what is sold by weight, a barcode and the SKU small. The layout helpers are pure (they
// are given a way to measure text), so they are tested without a PDF; `shelfLabelsPdf` draws with them.
import { toBuffer } from "bwip-js/node";
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { type EmbeddedPattern, expandUpcE, isValidGtin, readEmbedded } from "../../domain/kernel/barcode.ts";
import { currencyDigits, formatMoney, minorToDecimal, mulDivRoundHalfUp } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";

/** The most labels one PDF holds: 84 sheets, a few seconds of the server's time, and paper enough for one go. */
export const MAX_LABELS = 2000;

/** A4 in points (1/72 in), 3 columns by 8 rows inside a 10 mm margin most printers can print up to. */
export const SHEET = { width: 595.28, height: 841.89, columns: 3, rows: 8, margin: 28.35 } as const;
export const LABELS_PER_PAGE = SHEET.columns * SHEET.rows;

/** What a label shows of a product: price in minor units, per kg when it is weighed. */
export type LabelItem = { sku: string; barcode: string | null; name: string; price: number; weighed: boolean };

/** How wide `text` is at `size` points in the font at hand. */
export type Measure = (text: string, size: number) => number;

export type Box = { page: number; x: number; y: number; width: number; height: number };

export const pageCount = (labels: number): number => Math.ceil(labels / LABELS_PER_PAGE);

/** Where label `index` sits: row by row from the top left of its page; x and y are its bottom-left corner (PDF space). */
export function labelBox(index: number): Box {
  const width = (SHEET.width - 2 * SHEET.margin) / SHEET.columns;
  const height = (SHEET.height - 2 * SHEET.margin) / SHEET.rows;
  const onPage = index % LABELS_PER_PAGE;
  const column = onPage % SHEET.columns;
  const row = Math.floor(onPage / SHEET.columns);
  return {
    page: Math.floor(index / LABELS_PER_PAGE),
    x: SHEET.margin + column * width,
    y: SHEET.height - SHEET.margin - (row + 1) * height,
    width,
    height,
  };
}

/** Letters the label's fonts lack but whose plain form they have (NFKD cannot take these apart). */
const PLAIN: Record<string, string> = { Ł: "L", ł: "l", Đ: "D", đ: "d", Ħ: "H", ħ: "h", ı: "i", Ŀ: "L", ŀ: "l", Ŧ: "T", ŧ: "t" };

/**
 * `text` in what the font can draw (the standard PDF fonts know WinAnsi only, and pdf-lib throws on anything else): a
 * letter it lacks as its plain letter ("Ł" → "L", "ő" → "o") or "?", any space as a plain space, and what is no letter
 * or digit (an emoji, a joiner) left out.
 */
export function showable(text: string, canShow: (codePoint: number) => boolean): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (/\s/u.test(ch)) out += " ";
    else if (canShow(cp)) out += ch;
    else if (/[\p{L}\p{N}]/u.test(ch)) {
      const plain = PLAIN[ch] ?? ch.normalize("NFKD").replace(/\p{M}/gu, "");
      out += plain !== "" && [...plain].every((c) => canShow(c.codePointAt(0)!)) ? plain : "?";
    }
  }
  return out.replace(/ {2,}/g, " ").trim();
}

/** `text` on one line of `maxWidth`: as it is when it fits, else cut at a character and ended with "…". */
export function fitLine(text: string, maxWidth: number, size: number, measure: Measure): string {
  if (measure(text, size) <= maxWidth) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  // the longest start that fits with the ellipsis
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${chars.slice(0, mid).join("").trimEnd()}…`, size) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join("").trimEnd()}…`;
}

/**
 * A name in at most `lines` lines of `maxWidth`, broken between words (a word longer than a line is cut); what does
 * not fit ends the last line with "…".
 */
export function wrapName(name: string, maxWidth: number, size: number, lines: number, measure: Measure): string[] {
  const words = name.split(" ").filter(Boolean);
  const out: string[] = [];
  let i = 0;
  while (i < words.length && out.length < lines) {
    let line = words[i]!;
    i++;
    while (i < words.length && measure(`${line} ${words[i]}`, size) <= maxWidth) {
      line = `${line} ${words[i]}`;
      i++;
    }
    out.push(line);
  }
  if (i < words.length) out[out.length - 1] = `${out.at(-1)} ${words.slice(i).join(" ")}`;
  return out.map((l) => fitLine(l, maxWidth, size, measure));
}

/** The largest size from `max` down to `min` (in half points) at which `text` fits `maxWidth`; `min` when none does. */
export function fitSize(text: string, maxWidth: number, max: number, min: number, measure: Measure): number {
  for (let size = max; size > min; size -= 0.5) if (measure(text, size) <= maxWidth) return size;
  return min;
}

/** A barcode symbology of bwip-js and the text it encodes. */
export type LabelBarcode = { bcid: "ean13" | "ean8" | "upca" | "upce" | "code128"; text: string };

/**
 * The barcode a label carries: the product's own when it is a valid EAN-13, EAN-8 or UPC, so a scan of the shelf
 * finds what a scan of the pack finds; otherwise Code 128 of the SKU (the back office's pages take a SKU). A code of
 * the shop's price- or weight-embedded ranges gets the SKU too: its base code carries no price or weight, and a shelf
 * is no place to sell from.
 */
export function symbolFor(item: Pick<LabelItem, "barcode" | "sku">, patterns: readonly EmbeddedPattern[]): LabelBarcode | null {
  const code = item.barcode;
  if (code && readEmbedded(code, patterns) === null) {
    if (code.length === 13 && isValidGtin(code)) return { bcid: "ean13", text: code };
    if (code.length === 12 && isValidGtin(code)) return { bcid: "upca", text: code };
    if (code.length === 8 && isValidGtin(code)) return { bcid: "ean8", text: code };
    if (code.length === 8 && expandUpcE(code)) return { bcid: "upce", text: code };
  }
  // Code 128 carries printable ASCII; a SKU with anything else goes on the label as text only
  return /^[\x20-\x7e]{1,40}$/.test(item.sku) ? { bcid: "code128", text: item.sku } : null;
}

/** A price as the label shows it: in the shop's money format, or "12.34 PLN" when the font lacks its symbol. */
export function priceText(amount: number, currency: string, canShow: (codePoint: number) => boolean): string {
  const formatted = formatMoney(amount, currency).replace(/\s/gu, " ");
  return [...formatted].every((c) => canShow(c.codePointAt(0)!)) ? formatted : `${minorToDecimal(amount, currencyDigits(currency))} ${currency}`;
}

/** The small line under a weighed item's price: its price per 100 g (the price is per kg). */
export const per100g = (pricePerKg: number): number => mulDivRoundHalfUp(pricePerKg, 1, 10);

/** Points between a label's edge and what is on it. */
const PAD = 6;
const NAME_SIZE = 9.5;
const BARCODE_WIDTH = 86;

type Fonts = { regular: PDFFont; bold: PDFFont; canShow: (codePoint: number) => boolean };

/** A barcode as a PNG, or null when bwip-js refuses the text (the label then shows the SKU alone). */
async function barcodePng(symbol: LabelBarcode): Promise<Uint8Array | null> {
  const withDigits = symbol.bcid !== "code128";
  try {
    return await toBuffer({
      bcid: symbol.bcid,
      text: symbol.text,
      scale: 3,
      height: withDigits ? 14 : 16,
      includetext: withDigits,
      textxalign: "center",
    });
  } catch {
    return null;
  }
}

async function drawLabel(
  doc: PDFDocument,
  page: PDFPage,
  box: Box,
  item: LabelItem,
  o: { currency: string; patterns: readonly EmbeddedPattern[]; fonts: Fonts },
) {
  const { regular, bold, canShow } = o.fonts;
  const ink = rgb(0, 0, 0);
  // a faint edge to cut along on plain paper; on a label sheet it falls between labels
  page.drawRectangle({ x: box.x, y: box.y, width: box.width, height: box.height, borderColor: rgb(0.8, 0.8, 0.8), borderWidth: 0.5 });
  const inner = box.width - 2 * PAD;
  const top = box.y + box.height - PAD;

  const name = wrapName(showable(item.name, canShow) || "?", inner, NAME_SIZE, 2, (t, s) => bold.widthOfTextAtSize(t, s));
  name.forEach((line, i) => {
    page.drawText(line, { x: box.x + PAD, y: top - NAME_SIZE - i * (NAME_SIZE + 1.5), size: NAME_SIZE, font: bold, color: ink });
  });
  const below = top - 2 * (NAME_SIZE + 1.5) - 2;

  // the barcode on the right, under the name, as large as fits
  const symbol = symbolFor(item, o.patterns);
  const png = symbol ? await barcodePng(symbol) : null;
  let left = inner;
  if (png) {
    const image = await doc.embedPng(png);
    const room = { width: BARCODE_WIDTH, height: below - (box.y + PAD) };
    const k = Math.min(room.width / image.width, room.height / image.height);
    const [w, h] = [image.width * k, image.height * k];
    page.drawImage(image, { x: box.x + box.width - PAD - w, y: box.y + PAD + (room.height - h) / 2, width: w, height: h });
    left = inner - BARCODE_WIDTH - 4;
  }

  // the price big on the left, "/ kg" after it for what is weighed; the price per 100 g and the SKU small below
  const price = priceText(item.price, o.currency, canShow);
  const unit = item.weighed ? " / kg" : "";
  const unitSize = 8;
  const unitWidth = unit ? regular.widthOfTextAtSize(unit, unitSize) : 0;
  const size = fitSize(price, left - unitWidth, 22, 8, (t, s) => bold.widthOfTextAtSize(t, s));
  const priceY = box.y + PAD + (item.weighed ? 20 : 11);
  page.drawText(price, { x: box.x + PAD, y: priceY, size, font: bold, color: ink });
  if (unit) page.drawText(unit, { x: box.x + PAD + bold.widthOfTextAtSize(price, size), y: priceY, size: unitSize, font: regular, color: ink });
  if (item.weighed) {
    const line = fitLine(`${priceText(per100g(item.price), o.currency, canShow)} per 100 g`, left, 7, (t, s) => regular.widthOfTextAtSize(t, s));
    page.drawText(line, { x: box.x + PAD, y: box.y + PAD + 10, size: 7, font: regular, color: ink });
  }
  const sku = fitLine(showable(item.sku, canShow), left, 6.5, (t, s) => regular.widthOfTextAtSize(t, s));
  page.drawText(sku, { x: box.x + PAD, y: box.y + PAD, size: 6.5, font: regular, color: rgb(0.25, 0.25, 0.25) });
}

/**
 * The labels of `items`, in their order, as a PDF. Between pages it lets the server answer others (a register's
 * scan must not wait for a stack of labels).
 */
export async function shelfLabelsPdf(
  items: readonly LabelItem[],
  o: { currency: string; patterns: readonly EmbeddedPattern[]; at: Date },
): Promise<Uint8Array> {
  if (items.length === 0) throw new Problem("invalid_input", "Choose at least one product to make labels for.");
  if (items.length > MAX_LABELS) {
    throw new Problem("too_many_labels", `That is ${items.length} labels; one PDF takes at most ${MAX_LABELS}. Choose fewer products, or a later date.`, {
      labels: items.length,
      max: MAX_LABELS,
    });
  }
  const doc = await PDFDocument.create();
  doc.setTitle("Shelf labels");
  doc.setCreator("ShopFlow");
  doc.setProducer("ShopFlow");
  doc.setCreationDate(o.at);
  doc.setModificationDate(o.at);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const known = new Set(regular.getCharacterSet());
  const fonts: Fonts = { regular, bold, canShow: (cp) => known.has(cp) };
  let page: PDFPage | null = null;
  for (const [i, item] of items.entries()) {
    const box = labelBox(i);
    if (i % LABELS_PER_PAGE === 0) {
      if (page) await new Promise((r) => setTimeout(r, 0));
      page = doc.addPage([SHEET.width, SHEET.height]);
    }
    await drawLabel(doc, page!, box, item, { currency: o.currency, patterns: o.patterns, fonts });
  }
  return doc.save();
}
