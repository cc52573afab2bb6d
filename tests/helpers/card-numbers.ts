// One test Visa number (Luhn-valid, 16 digits), spelled the ways a person or an attacker might type it: every one must
// be refused wherever text comes in, and masked wherever it is logged.
export const PAN = "4111111111111111";

export const cardNumberSpellings: [how: string, text: string][] = [
  ["dots", "4111.1111.1111.1111"],
  ["double spaces", "4111  1111  1111  1111"],
  ["no-break spaces", "4111\u00a01111\u00a01111\u00a01111"],
  ["slashes", "4111/1111/1111/1111"],
  ["underscores", "4111_1111_1111_1111"],
  ["fullwidth digits", "４１１１ １１１１ １１１１ １１１１"],
  ["one digit at a time", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"],
  ["Arabic-Indic digits", "٤١١١١١١١١١١١١١١١"],
  ["mixed scripts and separators", "４111 - ١١١١·1111_1111"],
  ["zero-width spaces", "4111\u200b1111\u200b1111\u200b1111"],
  ["circled digits", "④①①①①①①①①①①①①①①①"],
  ["after other numbers", "order 12 of 3: 4111 1111 1111 1111"],
  ["inside a run longer than 19 digits", "99 88 4111 1111 1111 1111 77"],
  ["combining grapheme joiners", "4111\u034f1111\u034f1111\u034f1111"],
  ["variation selectors", "4111\ufe0f1111\ufe001111\u180b1111"],
  ["an accent over a digit", "4111\u03011111 1111 1111"],
  ["Hangul fillers", "4111\u31641111\uffa01111\u31641111"],
  ["four spaces", "4111    1111    1111    1111"],
  ["four dashes", "4111----1111----1111----1111"],
  ["spaced double dashes", "4111 -- 1111 -- 1111 -- 1111"],
  ["blank lines", "4111\r\n\r\n1111\r\n\r\n1111\r\n\r\n1111"],
  ["soft hyphens", "4111\u00ad\u00ad\u00ad\u00ad1111\u00ad\u00ad\u00ad\u00ad1111\u00ad1111"],
  ["dingbat digits", "❹❶❶❶ ➀➀➀➀ ⓵⓵⓵⓵ ❶❶❶❶"],
  ["keycaps", "4\ufe0f\u20e31\ufe0f\u20e31\ufe0f\u20e31\ufe0f\u20e3 1111 1111 1111"],
];
