// A labelled choice of one of a list, as head office's forms ask for a store or a region: Field's sibling for <select>.

/** A labelled choice of one of a list, with its sentence when refused. */
export function SelectField(props: {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  value: string | undefined;
  error?: string | undefined;
  empty?: string;
  required?: boolean;
  testid?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <label class={props.error ? "field invalid" : "field"} for={id}>
      <span>{props.label}</span>
      <select id={id} name={props.name} required={props.required} aria-invalid={props.error ? "true" : undefined} data-testid={props.testid}>
        <option value="">{props.empty ?? "—"}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error && (
        <small class="field-error" role="alert">
          {props.error}
        </small>
      )}
    </label>
  );
}
