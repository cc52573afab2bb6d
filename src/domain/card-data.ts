// No card data, ever: recognise a card number (13–19 digits passing the Luhn check) so it can be refused or masked.

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

const candidate = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g;

export function looksLikeCardNumber(text: string): boolean {
  for (const m of text.matchAll(candidate)) {
    const digits = m[0].replace(/[ -]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}

/** Replace every card-number-like run with its last four digits: for logs. */
export function maskCardNumbers(text: string): string {
  return text.replace(candidate, (m) => {
    const digits = m.replace(/[ -]/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? `[card ****${digits.slice(-4)}]` : m;
  });
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
