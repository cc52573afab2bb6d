// The text gate as forms apply it, for the values our own pages send back: an id or a digest of ours may pass a card
// number's check digit by chance and is let through; the same digits anywhere else, or spelled otherwise, are not.
import { expect, test } from "bun:test";
import { formFieldProblem } from "./form.ts";

// 4111111111111111 passes the Luhn check: a digest that starts with it is still only a digest
const digestWithCardDigits = "4111111111111111abcdef0123456789";

test("a draft's fingerprint of hexadecimal digits is let through, even when its digits pass a card number's check", () => {
  expect(formFieldProblem("note", digestWithCardDigits)?.code).toBe("card_data_refused");
  expect(formFieldProblem("fingerprint", digestWithCardDigits)).toBeNull();
});

test("a fingerprint field holding anything but hexadecimal digits goes through the gate as any text", () => {
  expect(formFieldProblem("fingerprint", "4111 1111 1111 1111")?.code).toBe("card_data_refused");
  expect(formFieldProblem("fingerprint", "4111-1111-1111-1111")?.code).toBe("card_data_refused");
  expect(formFieldProblem("fingerprint", `${digestWithCardDigits}\u0007`)?.code).toBe("control_character");
  expect(formFieldProblem("fingerprint", "4111111111111111ABCDEF0123456789")?.code).toBe("card_data_refused");
});
