// Backups on the Devices page: the last one (when, how big, where), a warning when it is old or the last try failed
// (with the reason), and whether head office took its copy. The settings say when and where (shopflow settings).
// "Back up now" starts one; while it runs the section asks for itself again every 2 s, and stops once it is done.
import { Csrf } from "../ui/card.tsx";
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
  /** A backup is being made now (the button's, or the nightly one). */
  running: boolean;
  /** What the button's backup came to, or that it started (shown with the facts). */
  said?: { kind: "info" | "error"; text: string } | null;
  /** The start of the backup the page waits for: the poll asks what became of it. */
  since?: string | null;
};

const size = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export function BackupsSection({ last, warning, time: at, folder, uploaded, uploadFailed, running, said, since }: BackupsView) {
  const { locale } = usePage();
  const poll = running
    ? { "hx-get": `/devices/backups${since ? `?since=${encodeURIComponent(since)}` : ""}`, "hx-trigger": "every 2s", "hx-swap": "outerHTML" }
    : {};
  return (
    <section id="backups" data-testid="backups" data-state={running ? "running" : "idle"} {...poll}>
      <h2>Backups</h2>
      {running && (
        <p class="message info" role="status" data-testid="backup-running">
          Backup started: the registers keep selling while it runs; this part of the page shows the result when it is done.
        </p>
      )}
      {said && (
        <p class={`message ${said.kind}`} role={said.kind === "error" ? "alert" : "status"} data-testid="backup-said">
          {said.text}
        </p>
      )}
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
      <div id="backup-refused"></div>
      <form
        method="post"
        action="/devices/backups"
        hx-post="/devices/backups"
        hx-target="#backups"
        hx-swap="outerHTML"
        {...{ "hx-status:4xx": "target:#backup-refused swap:innerHTML" }}
        class="inline-form"
      >
        <Csrf />
        <button type="submit" data-testid="back-up-now">
          Back up now
        </button>
      </form>
      <p class="hint">
        Back up now, or run <code>shopflow backup</code>; change the time, the folder (a USB disk, say) and how many are kept on the settings page or with{" "}
        <code>shopflow settings set backup_folder /media/usb/shopflow</code>.
      </p>
    </section>
  );
}
