import { expect, test } from "bun:test";
import { reasons } from "../ingest/receiver.ts";
import { explainReason } from "./explain.ts";

const general = explainReason("something no check says").meaning;

test("every reason ingest writes has words of its own; one it does not know gets the general advice", () => {
  const written = [
    'unknown kind "return"',
    ...Object.values(reasons),
    "payload is not valid JSON",
    "lines[0].name looks like a card number: head office keeps no card data, so this item was not merged",
    "lines[0].name: refused by the text gate (control character)",
    "not a completed sale document: lines.0.qty: Invalid input",
    "ref does not match the sale id in the payload",
    "total is not the sum of the lines' refunds",
    "business_date is more than a day away from completed_at",
  ];
  for (const reason of written) expect([reason, explainReason(reason).meaning]).not.toEqual([reason, general]);
  expect(explainReason('unknown kind "gift_card"').whatToDo).toContain("then replay");
  expect(explainReason(reasons.changed).whatToDo).toContain("Nothing to replay");
});
