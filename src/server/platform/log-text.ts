// Text that came from a client, made fit for a log line: the store's and head office's logs are read by people and by
// tools, one line per event.
/**
 * What a client sent, fit for a log line: a control character (a NUL, a line break that would forge a second line, an
 * escape that would repaint a terminal) is written as its \xNN code, so the log stays one line of text per refusal.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
