// Backups on the Devices page: the last one (when, how big, where), a warning when it is old or the last try failed
// (with the reason), and whether head office took its copy. The settings say when and where (shopflow settings).
import { usePage } from "../ui/context.ts";
import { time } from "../ui/format.ts";

export type BackupsView = {
  last: { at: string; file: string; bytes: number; sales: number } | null;
  /** The sentence to warn with: old, failed, or none yet; null when all is well. */
  warning: string | null;
  /** When the next nightly backup runs ("02:30"), or null when it is off. */
  time: string | null;
  folder: string;
  uploaded: { at: string } | null;
  uploadFailed: { at: string; problem: string } | null;
};

const size = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export function BackupsSection({ last, warning, time: at, folder, uploaded, uploadFailed }: BackupsView) {
  const { locale } = usePage();
  return (
    <section data-testid="backups">
      <h2>Backups</h2>
      <dl class="facts">
        <dt>Last backup</dt>
        <dd data-testid="last-backup">
          {last ? (
            <>
              <time datetime={last.at}>{time(last.at, locale)}</time>, {size(last.bytes)} ({last.sales} sales), {last.file}
            </>
          ) : (
            "none yet"
          )}
        </dd>
        <dt>Nightly</dt>
        <dd>{at ? `at ${at} (${locale.timeZone}) into ${folder}` : "off (settings: backup_time)"}</dd>
        {uploaded && (
          <>
            <dt>Copy at head office</dt>
            <dd>{time(uploaded.at, locale)}</dd>
          </>
        )}
      </dl>
      {warning && (
        <p class="message error" role="alert" data-testid="backup-warning">
          {warning}
        </p>
      )}
      {uploadFailed && (!uploaded || uploadFailed.at > uploaded.at) && (
        <p class="message error" data-testid="backup-upload-failed">
          The last copy to head office failed: {uploadFailed.problem}.
        </p>
      )}
      <p class="hint">
        Run <code>shopflow backup</code> for one now; change the time, the folder (a USB disk, say) and how many are kept with{" "}
        <code>shopflow settings set backup_folder /media/usb/shopflow</code>.
      </p>
    </section>
  );
}
