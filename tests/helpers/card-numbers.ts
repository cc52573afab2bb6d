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
];
