// Receipt text made safe to print: control bytes and the code-page glyphs that a printer would read as commands are replaced.

/**
 * The symbols IBM's code pages draw at bytes 0x01-0x1F and 0x7F. The encoder sends them as those bytes, which a printer
 * reads as commands: "←p" would be ESC p, the drawer kick. They are written with plain characters instead.
 */
const controlGlyphs: Readonly<Record<string, string>> = {
  "☺": ":)",
  "☻": ":)",
  "♥": "<3",
  "♦": "*",
  "♣": "*",
  "♠": "*",
  "•": "*",
  "◘": "*",
  "○": "o",
  "◙": "o",
  "♂": "m",
  "♀": "f",
  "♪": "*",
  "♫": "*",
  "☼": "*",
  "►": ">",
  "◄": "<",
  "↕": "|",
  "‼": "!!",
  "¶": "P.",
  "§": "S.",
  "▬": "-",
  "↨": "|",
  "↑": "^",
  "↓": "v",
  "→": "->",
  "←": "<-",
  "∟": "L",
  "↔": "<->",
  "▲": "^",
  "▼": "v",
  "⌂": "^",
};
const controlGlyph = new RegExp(`[${Object.keys(controlGlyphs).join("")}]`, "g");

/** Printable text only: control bytes in a product name would otherwise reach the printer as commands. */
export function clean(s: string): string {
  return s
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")
    .replace(controlGlyph, (g) => controlGlyphs[g]!);
}
