// Why head office refused an item, in words a head-office manager can act on: what it means, and whether a replay can
// help (after which fix) or only the store sending it again. Reads the reasons ingest writes (receiver.ts, documents.ts,
// the item checks and hq_receive_batch); a reason it does not know is shown as it is, with the general advice.
import { reasons } from "../ingest/receiver.ts";

export type Explanation = { meaning: string; whatToDo: string };

type Rule = { test: (reason: string) => boolean; meaning: string; whatToDo: string };

const startsWith = (s: string) => (reason: string) => reason.startsWith(s);
const includes = (s: string) => (reason: string) => reason.includes(s);
const is = (s: string) => (reason: string) => reason === s;

const ANOTHER_VERSION =
  "Head office already holds this document from the store under another sequence number, and this one says something different. What head office holds stands.";
const KEEP_WHAT_IS_HELD = "Nothing to replay: compare the two at the store, then discard this one with what you found.";

const rules: Rule[] = [
  {
    test: startsWith("unknown kind"),
    meaning: "The store sent a kind of item this head office does not know: the store runs a newer ShopFlow than head office.",
    whatToDo: "Upgrade head office to the store's version, then replay: the item lands once.",
  },
  {
    test: is(reasons.hashMismatch),
    meaning: "The item's content does not match the fingerprint (content hash) the store sent with it: it changed on the way, or the store has a fault.",
    whatToDo: "A replay refuses it again. Ask for the store's logs; discard it once the store has sent a good copy.",
  },
  {
    test: is(reasons.notText),
    meaning: "The item carried no document text, which every item must.",
    whatToDo: "A replay refuses it again; this is a fault of the store's program. Discard it with a note once reported.",
  },
  {
    test: includes("looks like a card number"),
    meaning: "The item held what looks like a card number. Head office never keeps card data, so it was not merged, and the number is masked here.",
    whatToDo: "Nothing to replay (the number is gone). Find out at the store why it was typed there, then discard this with what you found.",
  },
  {
    test: includes("refused by the text gate"),
    meaning: "A text in the item holds characters head office refuses everywhere (control characters, text-direction tricks).",
    whatToDo: "A replay refuses it again unless head office's rules were changed. Correct the text at the store, or discard this.",
  },
  {
    test: is("payload is not valid JSON"),
    meaning: "The item's document cannot be read: it is not valid JSON.",
    whatToDo: "A replay refuses it again; the store's program or its database is at fault. Discard it with a note once reported.",
  },
  {
    test: is(reasons.changed),
    meaning: `The store sent different content for a sequence number head office already holds. ${ANOTHER_VERSION}`,
    whatToDo: KEEP_WHAT_IS_HELD,
  },
  {
    test: is(reasons.notOnRecord),
    meaning: "The store sent an item for a sequence number head office has passed but has no record of.",
    whatToDo: "Nothing to replay. Look at the store's database history (a restore?), then discard this with what you found.",
  },
  { test: includes("already received under another sequence number"), meaning: ANOTHER_VERSION, whatToDo: KEEP_WHAT_IS_HELD },
  {
    test: includes("does not match"),
    meaning: "The item's reference does not agree with the document it carries.",
    whatToDo: "A replay refuses it again; the store's program is at fault. Discard it with a note once reported.",
  },
  {
    test: (r) => r.includes("more than a day away") || r.includes("never negative") || r.includes("is not the sum") || r.includes("do not come to"),
    meaning: "The document's own figures or dates do not add up, so head office did not take it into its totals.",
    whatToDo: "Correct the document at the store so that it sends it again, or discard this with what you found.",
  },
  {
    test: (r) => /^not an? /.test(r) || r.includes("nested more than") || r.includes("number out of range") || r.includes("NUL character"),
    meaning: "The document is not the shape head office expects for its kind: a field is missing, or has a value of the wrong form.",
    whatToDo: "If head office was wrong to refuse it, replay after the fix; otherwise the store must send it again.",
  },
];

/** What a dead letter's reason means and what a person can do about it. */
export function explainReason(reason: string): Explanation {
  const rule = rules.find((r) => r.test(reason));
  if (rule) return { meaning: rule.meaning, whatToDo: rule.whatToDo };
  return {
    meaning: "Head office's checks refused this item; the reason above is exactly what they said.",
    whatToDo: "If a fix of head office now accepts it, replay it; otherwise discard it with what you found.",
  };
}
