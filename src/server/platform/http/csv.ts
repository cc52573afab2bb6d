// CSV for spreadsheets, as the back office exports it: every field quoted, lines ended CRLF, and a cell a spreadsheet
// would run as a formula (=, +, -, @, tab, CR first) defused with a leading apostrophe.
export type CsvCell = string | number | null;

export function csvTable(head: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const cell = (v: CsvCell) => {
    let s = v === null ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  return `${[head.map(cell).join(","), ...rows.map((r) => r.map(cell).join(","))].join("\r\n")}\r\n`;
}
