// A "journal_entries" outbox item as head office sees it: a run of a store's journal it can take, or the reason it
// cannot. Whether the chain holds is judged after the batch is merged (chain.ts), never by refusing the item: a break is
// the store's to explain, and its later items must still arrive.
import { acceptedPayloads, outboxRef } from "../../contracts.ts";
import { type ItemCheck, readDocument } from "../ingest/documents.ts";

export function checkJournalItem(item: { ref: unknown; payload: string }): ItemCheck {
  // the entries are the store's own record, hashes and totals: no text typed by a person is kept of them but a reason
  const r = readDocument(item.payload, acceptedPayloads.journal_entries, "a journal entries document", ["entries"]);
  if (!r.ok) return r;
  if (item.ref !== outboxRef.journal_entries(r.data)) return { ok: false, reason: "ref does not match the first and last entries in the payload" };
  return { ok: true, ref: item.ref, businessDate: r.data.entries.at(-1)!.at.slice(0, 10), doc: r.doc };
}
