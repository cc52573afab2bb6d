// A store's database copies at head office (sent by its nightly backup): when taken and received, how big, and a
// download for admins (each download is in the audit log).
import { useMe } from "./context.ts";
import { HqPage, may, utc } from "./layout.tsx";

export type StoreBackupView = { backup_id: string; name: string; taken_at: Date | null; received_at: Date; bytes: number; sha256: string };

const size = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export function StoreBackupsPage(p: { storeId: string; storeName: string; backups: StoreBackupView[]; kept: number; maxMb: number }) {
  const me = useMe();
  const admin = may(me, "admin");
  return (
    <HqPage title={`${p.storeName}: backups`} active="overview">
      <h1>{p.storeName}: backups</h1>
      <p>
        Copies of the store's database its nightly backup sent (with the store setting backup_to_head_office = 1). The last {p.kept} are kept, each at most{" "}
        {p.maxMb} MB. <a href={`/stores/${p.storeId}`}>Back to the store</a>
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
    </HqPage>
  );
}
