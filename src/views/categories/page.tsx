// The store's categories in the back office: the register's category tabs, each with how many products are in it; one
// renamed in place, an empty one removed, a new one added. A refused change shows its sentence beside the field and
// what was typed, save a card number or a control character. Plain forms: no script needed.
import { Csrf } from "../ui/card.tsx";
import { OfficePage } from "../ui/office.tsx";

export type CategoryView = { id: number; name: string; products: number };

export type Notice = { text: string; kind: "info" | "error" };

/** A refused form: the category it was about (null: the new one), whether it was the name, the sentence, what was typed. */
export type CategoryRefusal = { row: number | null; field: "name" | null; message: string; typed: string | null };

export type CategoriesProps = {
  categories: CategoryView[];
  notice: Notice | null;
  refused: CategoryRefusal | null;
  /** The store is still being set up: a way back to its checklist. */
  setUp: boolean;
};

export function CategoriesPage(p: CategoriesProps) {
  const r = p.refused;
  const newOne = r && r.row === null ? r : null;
  return (
    <OfficePage title="Categories">
      <h1>Categories</h1>
      {p.setUp && (
        <p>
          <a href="/store-setup" data-testid="back-to-setup">
            ← Back to setting up the store
          </a>
        </p>
      )}
      <p class="office-lead">
        Categories are the tabs of quick keys at every register, after the favourites pages. A product is in one category or none; a category with products in
        it stays until they are moved.
      </p>
      {r && r.field === null && <Message notice={{ text: r.message, kind: "error" }} />}
      {p.notice && <Message notice={p.notice} />}
      {p.categories.length === 0 ? (
        <p data-testid="cat-none">No categories yet. They are optional: add some, such as Bakery or Dairy, for tabs of quick keys at the registers.</p>
      ) : (
        <table class="grid office-table" data-testid="cat-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Products</th>
              <th>
                <span class="sr-only">Save or remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.categories.map((c) => {
              const mine = r && r.row === c.id && r.field === "name" ? r : null;
              const form = `cat-${c.id}`;
              return (
                <tr data-testid="cat-row" data-id={String(c.id)}>
                  <td>
                    <NameField
                      form={form}
                      id={`${form}-name`}
                      label={`Name of ${c.name}`}
                      value={mine ? (mine.typed ?? c.name) : c.name}
                      problem={mine?.message ?? null}
                    />
                  </td>
                  <td data-testid="cat-products">{c.products === 1 ? "1 product" : `${c.products} products`}</td>
                  <td class="row-actions">
                    <form id={form} method="post" action={`/categories/${c.id}/rename`}>
                      <Csrf />
                      <button type="submit" data-testid="cat-save">
                        Rename
                      </button>
                    </form>
                    {c.products === 0 ? (
                      <form method="post" action={`/categories/${c.id}/remove`}>
                        <Csrf />
                        <button type="submit" class="danger" data-testid="cat-remove" aria-label={`Remove ${c.name}`}>
                          Remove
                        </button>
                      </form>
                    ) : (
                      <span class="hint">has products: stays</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>Add a category</h2>
      <form method="post" action="/categories" class="filters office-add" data-testid="cat-add-form">
        <Csrf />
        <NameField id="cat-new-name" label="Name" value={newOne?.typed ?? ""} problem={newOne?.field === "name" ? newOne.message : null} placeholder="Bakery" />
        <button type="submit" class="primary" data-testid="cat-add">
          Add category
        </button>
      </form>
    </OfficePage>
  );
}

function Message({ notice }: { notice: Notice }) {
  return (
    <p class={`message ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="cat-message">
      {notice.text}
    </p>
  );
}

function NameField(props: { id: string; label: string; value: string; problem: string | null; form?: string; placeholder?: string }) {
  return (
    <div class={props.problem ? "setting refused" : "setting"}>
      <label for={props.id} class={props.form ? "sr-only" : undefined}>
        {props.label}
      </label>
      {props.problem && (
        <p class="problem" id={`${props.id}-problem`} data-testid="problem-name">
          {props.problem}
        </p>
      )}
      <input
        id={props.id}
        name="name"
        value={props.value}
        form={props.form}
        maxlength={100}
        placeholder={props.placeholder}
        required
        aria-invalid={props.problem ? "true" : undefined}
        aria-describedby={props.problem ? `${props.id}-problem` : undefined}
        autofocus={!!props.problem}
        data-testid="cat-name"
      />
    </div>
  );
}
