// CSV for spreadsheets, as the back office exports it: every field quoted, lines ended CRLF, and a cell a spreadsheet
// would run as a formula (=, +, -, @, tab, CR first) defused with a leading apostrophe — but a plain number, a
// negative stock of "-5" or "-1.25", stays a number (nothing in it can run).
export type CsvCell = string | number | null;

function cell(v: CsvCell): string {
  let s = v === null ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** One line of the file, its CRLF included. */
const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(cell).join(",")}\r\n`;

export function csvTable(head: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return csvLine(head) + rows.map(csvLine).join("");
}

/**
 * The same file as a stream, for exports too big to build as one string: the header, then each page of rows as the
 * reader asks for more (`pages` reads its next page only then), so a slow download never holds more than a page.
 */
export function csvStream(head: readonly string[], pages: Iterable<readonly (readonly CsvCell[])[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = pages[Symbol.iterator]();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvLine(head)));
          return;
        }
        const next = it.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map(csvLine).join("")));
      },
      cancel() {
        it.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
