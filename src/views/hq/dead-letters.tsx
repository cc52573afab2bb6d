// Dead letters at head office: the items stores sent that head office could not merge, why in plain words, and for
// an admin the two ways to settle one — replay it once a fix lets it land, or discard it with a reason.
import { Csrf } from "../ui/card.tsx";
import { useMe } from "./context.ts";
import { HqPage, may, utc } from "./layout.tsx";

export type DeadLetterStatusView = "open" | "replayed" | "discarded";
export type DeadLetterFilter = { storeId: string | null; status: DeadLetterStatusView | "all" };

export type DeadLetterRowView = {
  id: number;
  store_id: string;
  store_name: string;
  kind: string;
  ref: string | null;
  seq: number;
  reason: string;
  at: Date;
  status: DeadLetterStatusView;
  landed: string | null;
  settled_by: string | null;
  settled_at: Date | null;
  note: string | null;
  tried_at: Date | null;
  tried_by: string | null;
  /** the reason in plain words */
  meaning: string;
};

export type DeadLetterView = DeadLetterRowView & {
  epoch: string;
  content_hash: string;
  whatToDo: string;
  /** the payload as head office kept it, pretty-printed when it is JSON (card numbers were masked when it was kept) */
  payload: string | null;
  /** said when head office kept only the start of the payload */
  cut: string | null;
  cannotReplay: string | null;
};

const statusLabel: Record<DeadLetterStatusView, string> = { open: "open", replayed: "replayed", discarded: "discarded" };

function Status({ dl }: { dl: Pick<DeadLetterRowView, "status" | "landed"> }) {
  const cls = dl.status === "open" ? "pill bad" : "pill ok";
  const landed = dl.status === "replayed" && dl.landed === "duplicate" ? " (head office had it already)" : "";
  return (
    <span class={cls} data-testid="dead-letter-status">
      {statusLabel[dl.status]}
      {landed}
    </span>
  );
}

/** An id or a ref as people read it: its start, the whole on hover. */
const Short = ({ text }: { text: string | null }) =>
  text === null ? <span>—</span> : text.length > 13 ? <code title={text}>{`${text.slice(0, 8)}…`}</code> : <code>{text}</code>;

export function DeadLettersPage(props: {
  rows: DeadLetterRowView[];
  filter: DeadLetterFilter;
  stores: { store_id: string; name: string }[];
  limit: number;
  message?: string | undefined;
}) {
  const { rows, filter } = props;
  return (
    <HqPage title="Dead letters" active="dead-letters" message={props.message}>
      <div class="heading">
        <h1>Dead letters</h1>
      </div>
      <p>
        Items a store sent that head office could not merge. They never hold up the store's other sales. Open one to read why, then replay it once head office
        has been fixed, or discard it with a reason.
      </p>
      {/* biome-ignore lint/a11y/useSemanticElements: a form in the search landmark; <search> is not in hono/jsx types */}
      <form method="get" action="/dead-letters" class="search" role="search">
        <label for="store">Store</label>
        <select id="store" name="store" data-testid="dead-letters-store">
          <option value="">All stores</option>
          {props.stores.map((s) => (
            <option value={s.store_id} selected={s.store_id === filter.storeId}>
              {s.name}
            </option>
          ))}
        </select>
        <label for="status">Status</label>
        <select id="status" name="status" data-testid="dead-letters-status">
          {(["open", "replayed", "discarded", "all"] as const).map((s) => (
            <option value={s} selected={s === filter.status}>
              {s}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      {rows.length === 0 ? (
        <p class="empty" data-testid="dead-letters-empty">
          {filter.status === "open" ? "No open dead letters: everything the stores sent was merged." : "No dead letter matches."}
        </p>
      ) : (
        <table class="grid" data-testid="dead-letters">
          <thead>
            <tr>
              <th>Store</th>
              <th>Kind</th>
              <th>Reference</th>
              <th class="num">Seq</th>
              <th>Why</th>
              <th>Received</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-testid="dead-letter-row" data-id={r.id} data-store-id={r.store_id}>
                <td>{r.store_name}</td>
                <td>{r.kind}</td>
                <td>
                  <Short text={r.ref} />
                </td>
                <td class="num">{r.seq}</td>
                <td>
                  <a href={`/dead-letters/${r.id}`} data-testid="dead-letter-open">
                    {r.meaning}
                  </a>
                </td>
                <td>{utc(r.at)}</td>
                <td>
                  <Status dl={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length >= props.limit && <p class="empty">Only the newest {props.limit} are shown: choose a store to see others.</p>}
    </HqPage>
  );
}

export function DeadLetterPage(props: {
  dl: DeadLetterView;
  message?: string | undefined;
  /** a refused replay or discard: its code and sentence */
  problem?: { code: string; message: string } | undefined;
  reason?: string | undefined;
}) {
  const { dl } = props;
  const me = useMe();
  return (
    <HqPage title={`Dead letter ${dl.id}`} active="dead-letters" message={props.message}>
      <div class="heading">
        <h1>
          Dead letter {dl.id}: {dl.kind} from {dl.store_name}
        </h1>
        <div class="actions">
          <a class="button" href={`/dead-letters?store=${dl.store_id}`}>
            This store's dead letters
          </a>
        </div>
      </div>
      {props.problem && (
        <p class="message error" role="alert" data-testid="dead-letter-problem" data-code={props.problem.code}>
          {props.problem.message}
        </p>
      )}
      <section aria-labelledby="why">
        <h2 id="why">Why head office did not merge it</h2>
        <p data-testid="dead-letter-meaning">{dl.meaning}</p>
        <p>
          Head office said: <q data-testid="dead-letter-reason">{dl.reason}</q>
          {dl.tried_at && (
            <span class="note">
              {" "}
              (after a replay by {dl.tried_by} at {utc(dl.tried_at)})
            </span>
          )}
        </p>
        {dl.status === "open" && <p data-testid="dead-letter-advice">{dl.whatToDo}</p>}
        <p>
          Status: <Status dl={dl} />
          {dl.settled_at && (
            <span data-testid="dead-letter-settled">
              {" "}
              by {dl.settled_by} at {utc(dl.settled_at)}
              {dl.note && <>: “{dl.note}”</>}
            </span>
          )}
        </p>
      </section>
      <table class="grid">
        <tbody>
          <tr>
            <th>Store</th>
            <td>
              {dl.store_name} <Short text={dl.store_id} />
            </td>
          </tr>
          <tr>
            <th>Kind</th>
            <td>{dl.kind}</td>
          </tr>
          <tr>
            <th>Reference</th>
            <td>{dl.ref === null ? "—" : <code>{dl.ref}</code>}</td>
          </tr>
          <tr>
            <th>Sequence number</th>
            <td>
              {dl.seq} <span class="note">of the store's database {dl.epoch.length > 40 ? `${dl.epoch.slice(0, 40)}…` : dl.epoch}</span>
            </td>
          </tr>
          <tr>
            <th>Received</th>
            <td>{utc(dl.at)}</td>
          </tr>
          <tr>
            <th>Content hash</th>
            <td>
              <Short text={dl.content_hash} />
            </td>
          </tr>
        </tbody>
      </table>
      {dl.status === "open" && may(me, "admin") && <Actions dl={dl} reason={props.reason} />}
      <h2>What the store sent</h2>
      <p class="note">As head office kept it: card numbers are never kept (a number that looked like one is masked).</p>
      {dl.cut && <p class="message error">{dl.cut}.</p>}
      {dl.payload === null ? <p class="empty">The item carried no document.</p> : <pre data-testid="dead-letter-payload">{dl.payload}</pre>}
    </HqPage>
  );
}

function Actions({ dl, reason }: { dl: DeadLetterView; reason?: string | undefined }) {
  return (
    <section aria-labelledby="settle" class="actions">
      <h2 id="settle">Settle it</h2>
      {dl.cannotReplay === null ? (
        <form method="post" action={`/dead-letters/${dl.id}/replay`}>
          <Csrf />
          <p>Replay runs the item through head office's checks again. If they accept it now, it lands once, as if the store had just sent it.</p>
          <button type="submit" class="primary" data-testid="replay">
            Replay
          </button>
        </form>
      ) : (
        <p data-testid="cannot-replay">{dl.cannotReplay}</p>
      )}
      <form method="post" action={`/dead-letters/${dl.id}/discard`}>
        <Csrf />
        <label class="field" for="f-reason">
          <span>Why discard it (kept in the audit log)</span>
          <textarea id="f-reason" name="reason" required minlength={3} maxlength={500} data-testid="discard-reason">
            {reason ?? ""}
          </textarea>
        </label>
        <button type="submit" data-testid="discard">
          Discard
        </button>
      </form>
    </section>
  );
}
