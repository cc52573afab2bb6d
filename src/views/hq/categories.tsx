// The chain's category list, and the choice of a category on the product form: products pick from the list, so one
// category is never two spelled in different cases.
import { Csrf } from "../ui/card.tsx";
import { useMe } from "./context.ts";
import { Field, HqPage, may, When } from "./layout.tsx";

export type CategoryView = { name: string; created_by: string; created_at: Date };

export function CategoriesPage(props: {
  categories: CategoryView[];
  values?: { name?: string };
  problems?: Record<string, string>;
  message?: string | undefined;
}) {
  const p = props.problems ?? {};
  return (
    <HqPage title="Categories" active="categories" message={props.message}>
      <h1>Categories</h1>
      <p>Products pick their category from this list. A name is one category whatever its case: Pantry and pantry are the same.</p>
      {may(useMe(), "catalog") && (
        <form method="post" action="/catalog/categories" class="stack narrow" data-testid="category-form">
          <Csrf />
          <Field label="New category" name="name" value={props.values?.name} error={p.name} required maxlength={60} placeholder="Pantry" />
          <div class="actions">
            <button type="submit" class="primary" data-testid="add-category">
              Add to the list
            </button>
          </div>
        </form>
      )}
      {props.categories.length === 0 ? (
        <p class="empty" data-testid="categories-empty">
          There are no categories yet.
        </p>
      ) : (
        <table class="grid" data-testid="categories">
          <thead>
            <tr>
              <th>Category</th>
              <th>Added by</th>
              <th>Added</th>
            </tr>
          </thead>
          <tbody>
            {props.categories.map((c) => (
              <tr data-testid="category-row" data-category={c.name}>
                <td>{c.name}</td>
                <td>{c.created_by}</td>
                <td>
                  <When at={c.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </HqPage>
  );
}

/**
 * The product form's category: one of the list, or none. A value the list does not hold (typed into an older form) is
 * kept as an option so the page shows what was sent beside its sentence.
 */
export function CategorySelect(props: { categories: string[]; value: string | undefined; error: string | undefined }) {
  const value = props.value ?? "";
  return (
    <label class={props.error ? "field invalid" : "field"} for="f-category">
      <span>
        Category (<a href="/catalog/categories">the list</a>)
      </span>
      <select id="f-category" name="category" aria-invalid={props.error ? "true" : undefined} data-testid="category-input">
        <option value="">— none —</option>
        {props.categories.map((c) => (
          <option value={c} selected={c === value}>
            {c}
          </option>
        ))}
        {value && !props.categories.includes(value) && (
          <option value={value} selected>
            {value}
          </option>
        )}
      </select>
      {props.error && (
        <small class="field-error" role="alert" data-testid="category-error">
          {props.error}
        </small>
      )}
    </label>
  );
}
