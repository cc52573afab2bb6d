// The store's tax classes in the back office: each with its code, name, rate and how many products use it; the name
// and rate changed in place, a class no product uses removed, a new one added. A refused change shows its sentence
// beside the field and what was typed, save a card number or a control character. Plain forms: no script needed.
import { Csrf } from "../ui/card.tsx";
import { OfficePage } from "../ui/office.tsx";

export type TaxClassView = { code: string; name: string /** as typed: "20", "7.5" */; rate: string; products: number };

export type Notice = { text: string; kind: "info" | "error" };

/** A refused form: the class it was about (null: the new one), the field, the sentence, and what was typed there. */
export type TaxClassRefusal = { row: string | null; field: "code" | "name" | "rate" | null; message: string; typed: Record<string, string> };

export type TaxClassesProps = {
  classes: TaxClassView[];
  notice: Notice | null;
  refused: TaxClassRefusal | null;
  /** The store is still being set up: a way back to its checklist. */
  setUp: boolean;
  /** The store takes its catalog from head office, which may publish a class again. */
  headOffice: boolean;
};

export function TaxClassesPage(p: TaxClassesProps) {
  const r = p.refused;
  return (
    <OfficePage title="Tax classes">
      <h1>Tax classes</h1>
      {p.setUp && (
        <p>
          <a href="/store-setup" data-testid="back-to-setup">
            ← Back to setting up the store
          </a>
        </p>
      )}
      <p class="office-lead">
        Every product has a tax class; a sale charges the class's rate as it stands when the product is scanned. A new rate applies from then on: sales already
        made keep the rate they were sold at, on their receipts and in the reports.
      </p>
      {p.headOffice && (
        <p class="message warn" data-testid="tc-head-office">
          This store takes its catalog from head office: a class head office publishes again comes back as head office has it.
        </p>
      )}
      {r && r.field === null && <Message notice={{ text: r.message, kind: "error" }} />}
      {p.notice && <Message notice={p.notice} />}
      {p.classes.length === 0 ? (
        <p data-testid="tc-none">No tax classes yet. Add the ones your products are sold at, such as STD at 20 % and RED at 5 %.</p>
      ) : (
        <table class="grid office-table" data-testid="tc-list">
          <thead>
            <tr>
              <th>Code</th>
              <th>Name</th>
              <th>Rate</th>
              <th>Products</th>
              <th>
                <span class="sr-only">Save or remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.classes.map((t, i) => {
              const mine = r && r.row === t.code ? r : null;
              const form = `tc-${i}`;
              return (
                <tr data-testid="tc-row" data-code={t.code}>
                  <td class="tc-code">{t.code}</td>
                  <td>
                    <Field
                      form={form}
                      id={`${form}-name`}
                      name="name"
                      label={`Name of ${t.code}`}
                      value={mine ? (mine.typed.name ?? "") : t.name}
                      refused={mine}
                      maxlength={40}
                    />
                  </td>
                  <td>
                    <Field
                      form={form}
                      id={`${form}-rate`}
                      name="rate"
                      label={`Rate of ${t.code}, in per cent`}
                      value={mine ? (mine.typed.rate ?? "") : t.rate}
                      refused={mine}
                      maxlength={8}
                      unit="%"
                    />
                  </td>
                  <td data-testid="tc-products">{t.products === 1 ? "1 product" : `${t.products} products`}</td>
                  <td class="row-actions">
                    <form id={form} method="post" action={`/tax-classes/${encodeURIComponent(t.code)}`}>
                      <Csrf />
                      <button type="submit" data-testid="tc-save">
                        Save
                      </button>
                    </form>
                    {t.products === 0 ? (
                      <form method="post" action={`/tax-classes/${encodeURIComponent(t.code)}/remove`}>
                        <Csrf />
                        <button type="submit" class="danger" data-testid="tc-remove" aria-label={`Remove ${t.code}`}>
                          Remove
                        </button>
                      </form>
                    ) : (
                      <span class="hint">in use: stays</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>Add a tax class</h2>
      <form method="post" action="/tax-classes" class="filters office-add" data-testid="tc-add-form">
        <Csrf />
        <Field
          id="tc-new-code"
          name="code"
          label="Code"
          value={r && r.row === null ? (r.typed.code ?? "") : ""}
          refused={r && r.row === null ? r : null}
          maxlength={10}
          placeholder="STD"
        />
        <Field
          id="tc-new-name"
          name="name"
          label="Name"
          value={r && r.row === null ? (r.typed.name ?? "") : ""}
          refused={r && r.row === null ? r : null}
          maxlength={40}
          placeholder="Standard"
        />
        <Field
          id="tc-new-rate"
          name="rate"
          label="Rate"
          value={r && r.row === null ? (r.typed.rate ?? "") : ""}
          refused={r && r.row === null ? r : null}
          maxlength={8}
          placeholder="20"
          unit="%"
        />
        <button type="submit" class="primary" data-testid="tc-add">
          Add tax class
        </button>
      </form>
    </OfficePage>
  );
}

function Message({ notice }: { notice: Notice }) {
  return (
    <p class={`message ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="tc-message">
      {notice.text}
    </p>
  );
}

/** One input with its label, and the refusal's sentence beside it when it was this field that was refused. */
function Field(props: {
  id: string;
  name: "code" | "name" | "rate";
  label: string;
  value: string;
  refused: TaxClassRefusal | null;
  maxlength: number;
  form?: string;
  placeholder?: string;
  unit?: string;
}) {
  const problem = props.refused?.field === props.name ? props.refused.message : null;
  return (
    <div class={problem ? "setting refused" : "setting"}>
      <label for={props.id} class={props.form ? "sr-only" : undefined}>
        {props.label}
      </label>
      {problem && (
        <p class="problem" id={`${props.id}-problem`} data-testid={`problem-${props.name}`}>
          {problem}
        </p>
      )}
      <span class="with-unit">
        <input
          id={props.id}
          name={props.name}
          value={props.value}
          form={props.form}
          maxlength={props.maxlength}
          placeholder={props.placeholder}
          required
          inputmode={props.name === "rate" ? "decimal" : undefined}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? `${props.id}-problem` : undefined}
          autofocus={!!problem}
          data-testid={`tc-${props.name}`}
        />
        {props.unit}
      </span>
    </div>
  );
}
