// Restricted actions need a manager: the manager who approves is chosen by name and types their PIN on the same screen.

/** Who may approve: the store's managers. Empty when a manager is signed in, so nothing is asked. */
export type Approver = { id: number; name: string };

/** The manager and their PIN, as the fields `approver` and `manager_pin`. One manager is chosen already. */
export const ManagerApproval = ({ id, approvers, label = "Manager approval (if asked)" }: { id: string; approvers: Approver[]; label?: string }) =>
  approvers.length === 0 ? null : (
    <fieldset class="approval">
      <legend>{label}</legend>
      <label for={`${id}-who`}>Manager</label>
      <select id={`${id}-who`} name="approver" data-testid="approver">
        {approvers.length > 1 && <option value="">Choose…</option>}
        {approvers.map((a) => (
          <option value={String(a.id)}>{a.name}</option>
        ))}
      </select>
      <label for={id}>PIN</label>
      <input id={id} name="manager_pin" type="password" inputmode="numeric" autocomplete="off" maxlength={8} data-testid="manager-pin" />
    </fieldset>
  );
