// A store's database copies at head office (sent by its nightly backup): when taken and received, how big, and a
// download for admins (each download is in the audit log); head office's limits on the copies, which an admin who sees
// every store sets here for every store.
import { Csrf } from "../ui/card.tsx";
import { useMe } from "./context.ts";
import { Field, HqPage, may, utc } from "./layout.tsx";

export type StoreBackupView = { backup_id: string; name: string; taken_at: Date | null; received_at: Date; bytes: number; sha256: string };

const size = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** Head office's limits on the copies, in the page's words (MB: 1,048,576 bytes). */
export type BackupLimitsView = { kept: number; maxMb: number; changedAt: Date | null; changedBy: string | null };

export function StoreBackupsPage(p: {
  storeId: string;
  storeName: string;
  backups: StoreBackupView[];
  limits: BackupLimitsView;
  /** An admin who sees every store: the limits' form is shown. */
  canSetLimits: boolean;
  message?: string | undefined;
  /** The limits typed and why they were refused (nothing was saved). */
  refused?: { text: string; typed: { kept: string; mb: string } } | undefined;
}) {
  const me = useMe();
  const admin = may(me, "admin");
  const { limits } = p;
  return (
    <HqPage title={`${p.storeName}: backups`} active="overview" message={p.message}>
      <h1>{p.storeName}: backups</h1>
      <p data-testid="backup-limits">
        Copies of the store's database its nightly backup sent (with the store setting backup_to_head_office = 1). The last {limits.kept} are kept, each at most{" "}
        {limits.maxMb} MB. <a href={`/stores/${p.storeId}`}>Back to the store</a>
      </p>
      {p.backups.length === 0 ? (
        <p class="empty" data-testid="store-backups">
          No copy received yet.
        </p>
      ) : (
        <table class="grid" data-testid="store-backups">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Received</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
              {admin && <th scope="col"></th>}
            </tr>
          </thead>
          <tbody>
            {p.backups.map((b) => (
              <tr data-testid="store-backup" data-id={b.backup_id}>
                <td>{utc(b.taken_at)}</td>
                <td>{utc(b.received_at)}</td>
                <td>{size(b.bytes)}</td>
                <td>
                  <code title={b.sha256}>{b.sha256.slice(0, 12)}…</code>
                </td>
                {admin && (
                  <td>
                    <a href={`/stores/${p.storeId}/backups/${b.backup_id}`} download={b.name} data-testid="backup-download">
                      Download
                    </a>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && (
        <p class="hint">
          To restore one at the store: stop its server, then run <code>shopflow restore FILE</code> there.
        </p>
      )}
      {p.canSetLimits && (
        <section data-testid="backup-limits-section">
          <h2>Limits for every store</h2>
          <p class="hint">
            How many copies head office keeps of each store (1 to 30; fewer removes each store's older copies at once) and the largest copy it takes (1 to 10240
            MB).
            {limits.changedBy && limits.changedAt && ` Last set by ${limits.changedBy}, ${utc(limits.changedAt)}.`}
          </p>
          {p.refused && (
            <p class="message error" role="alert" data-testid="backup-limits-refused">
              Not saved: {p.refused.text}
            </p>
          )}
          <form method="post" action={`/stores/${p.storeId}/backups/limits`} class="inline-form">
            <Csrf />
            <Field label="Copies kept per store" name="copies_kept" inputmode="numeric" value={p.refused?.typed.kept ?? String(limits.kept)} required />
            <Field label="Largest copy (MB)" name="max_mb" inputmode="numeric" value={p.refused?.typed.mb ?? String(limits.maxMb)} required />
            <button type="submit" data-testid="backup-limits-save">
              Save limits
            </button>
          </form>
        </section>
      )}
    </HqPage>
  );
}
