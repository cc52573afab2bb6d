// CSV text into records, for the store's imports and head office's alike: RFC 4180 parsing with the line each record
// starts on, and a guess at the delimiter.

/** One record of a CSV file and the physical line it starts on (1-based; a quoted line break does not fool it). */
export type CsvRecord = { line: number; fields: string[]; unclosedQuote: boolean };

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** RFC 4180: quoted fields, doubled quotes, delimiters and line breaks inside quotes, CRLF or LF. Blank lines are skipped. */
export function parseCsv(text: string, delimiter: string): CsvRecord[] {
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  const records: CsvRecord[] = [];
  const fieldEnd = (from: number) => {
    let i = from;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === delim || c === LF || c === CR) break;
    }
    return i;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const record: CsvRecord = { line, fields: [], unclosedQuote: false };
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        value = "";
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            value += text.slice(from);
            i = n;
            record.unclosedQuote = true;
            break;
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        line += lineBreaks(value);
        // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
        const end = fieldEnd(i);
        value += text.slice(i, end);
        i = end;
      } else {
        const end = fieldEnd(i);
        value = text.slice(i, end);
        i = end;
      }
      record.fields.push(value);
      if (i < n && text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      if (i < n) {
        i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
      }
      break;
    }
    const blank = record.fields.every((f) => f.trim() === "");
    if (!blank || record.unclosedQuote) records.push(record);
  }
  return records;
}

function lineBreaks(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

/** Comma unless the header line has none and has semicolons (or tabs), as European spreadsheets save. */
export function guessDelimiter(text: string): string {
  const firstLine = /^\s*([^\r\n]*)/.exec(text)?.[1] ?? "";
  if (firstLine.includes(",")) return ",";
  if (firstLine.includes(";")) return ";";
  if (firstLine.includes("\t")) return "\t";
  return ",";
}
