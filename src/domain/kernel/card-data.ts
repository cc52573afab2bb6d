// No card data, ever: recognise a card number (13–19 digits passing the Luhn check) in any spelling, so it can be
// refused or masked. The text is read in its compatibility form (NFKC: fullwidth ４, circled ①, superscript ² become
// plain digits); digits of other scripts (Arabic-Indic, Devanagari, …) and digit symbols (❶ ➀ ⓵) count as digits;
// marks and invisible characters (combining marks, variation selectors, zero-width and filler characters, soft hyphens)
// are passed over; anything else that is neither a letter nor a digit (spaces, NBSP, dots, slashes, underscores,
// dashes) may part the digits, up to eight in a row with a run of white space counted once; a letter ends the number.

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
/** More separator characters than this in a row end a number (a run of white space counts as one). */
const MAX_SEPARATOR_RUN = 8;

const decimalDigit = /\p{Nd}/u;
const letterLike = /[\p{L}\p{No}\p{Nl}]/u;
/** Marks and characters that show nothing: read through, as if they were not there. */
const invisible = /[\p{M}\p{Default_Ignorable_Code_Point}]/u;
const whiteSpace = /\s/u;

/** Digit symbols that NFKC leaves as they are, by the first of each run of ten (values 1 to 10; the tenth spells "10"). */
const DIGIT_SYMBOL_RUNS = [0x2776, 0x2780, 0x278a, 0x24f5];
const ZERO_SYMBOLS = new Set([0x24ff, 0x1f10b, 0x1f10c]);

/** The digits a digit symbol stands for ("1" for ❶, "10" for ❿), or null. */
function symbolDigits(cp: number): string | null {
  if (ZERO_SYMBOLS.has(cp)) return "0";
  for (const first of DIGIT_SYMBOL_RUNS) if (cp >= first && cp < first + 10) return String(cp - first + 1);
  return null;
}

/**
 * The value of a decimal digit of any script, or -1. Unicode encodes every decimal digit in runs of ten, 0 to 9 in
 * order, so a digit's value is its distance from the start of its run of digits, modulo ten.
 */
function digitValue(cp: number): number {
  if (cp >= 48 && cp <= 57) return cp - 48;
  if (cp < 0x660 || !decimalDigit.test(String.fromCodePoint(cp))) return -1;
  let k = 0;
  while (decimalDigit.test(String.fromCodePoint(cp - k - 1))) k++;
  return k % 10;
}

/** A group of digits written together, and where it stands in the text (UTF-16 indexes, end exclusive). */
type Group = { digits: string; start: number; end: number };

/** The runs of digit groups in a text: groups parted by short runs of separators; letters end a run. */
function digitRuns(text: string): Group[][] {
  const runs: Group[][] = [];
  let run: Group[] = [];
  let group: Group | null = null;
  let separators = 0;
  const endRun = () => {
    if (group) run.push(group);
    if (run.length > 0) runs.push(run);
    run = [];
    group = null;
    separators = 0;
  };
  let lastWasSpace = false;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp);
    const d = digitValue(cp);
    const digits = d >= 0 ? String(d) : symbolDigits(cp);
    if (digits !== null) {
      if (group && separators === 0) {
        group.digits += digits;
        group.end = i + width;
      } else {
        if (group) run.push(group);
        group = { digits, start: i, end: i + width };
      }
      separators = 0;
      lastWasSpace = false;
    } else if (invisible.test(ch)) {
      // shows nothing: neither parts the digits nor ends the number
    } else if (letterLike.test(ch)) {
      endRun();
    } else if (group || run.length > 0) {
      const space = whiteSpace.test(ch);
      if (!(space && lastWasSpace)) separators++;
      lastWasSpace = space;
      if (separators > MAX_SEPARATOR_RUN) endRun();
    }
    i += width;
  }
  endRun();
  return runs;
}

/** Every span of the text that spells a card number: consecutive groups of one run holding 13–19 digits that pass Luhn. */
function cardSpans(text: string): { start: number; end: number; digits: string }[] {
  const spans: { start: number; end: number; digits: string }[] = [];
  for (const run of digitRuns(text)) {
    let i = 0;
    while (i < run.length) {
      let digits = "";
      let found = false;
      for (let j = i; j < run.length; j++) {
        digits += run[j]!.digits;
        if (digits.length > MAX_DIGITS) break;
        if (digits.length >= MIN_DIGITS && luhnValid(digits)) {
          spans.push({ start: run[i]!.start, end: run[j]!.end, digits });
          i = j + 1;
          found = true;
          break;
        }
      }
      if (!found) i++;
    }
  }
  return spans;
}

/** Cheap first look: fewer than 13 digits of any script cannot spell a card number. */
function tooFewDigits(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c >= 0x80) n++;
    if (n >= MIN_DIGITS) return false;
  }
  return true;
}

export function looksLikeCardNumber(text: string): boolean {
  if (tooFewDigits(text)) return false;
  return cardSpans(text.normalize("NFKC")).length > 0;
}

/**
 * Every card number in the text replaced by its last four digits: for logs and for what head office keeps of a refused
 * item. A text that holds one comes back in its compatibility form (NFKC).
 */
export function maskCardNumbers(original: string): string {
  if (tooFewDigits(original)) return original;
  const text = original.normalize("NFKC");
  const spans = cardSpans(text);
  if (spans.length === 0) return original;
  let out = "";
  let at = 0;
  for (const s of spans) {
    out += `${text.slice(at, s.start)}[card ****${s.digits.slice(-4)}]`;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Any string in a JSON value (keys too) that looks like a card number, skipping the named keys (barcodes, SKUs).
 * Walks with its own stack, so a body nested a hundred thousand deep is no danger.
 */
export function findCardNumber(value: unknown, skipKeys: ReadonlySet<string>): string | null {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (looksLikeCardNumber(v)) return path || "(body)";
    } else if (typeof v === "number") {
      if (Number.isSafeInteger(v) && looksLikeCardNumber(String(v))) return path || "(body)";
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const at = path ? `${path}.${k}` : k;
        if (looksLikeCardNumber(k)) return at;
        if (!skipKeys.has(k)) stack.push([child, at]);
      }
    }
  }
  return null;
}
