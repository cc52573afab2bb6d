// Devices in the back office: add printers, print a test page, choose the default, see the virtual printer's paper;
// set each register's scale and read it once to check.

import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import { PngError } from "../../hardware/printers/logo.ts";
import { listPrinterModels } from "../../hardware/printers/print-profile.ts";
import type { PrinterConfig } from "../../hardware/printers/registry.ts";
import { listUsbPrinters } from "../../hardware/printers/usb-lp.ts";
import { listSerialPorts } from "../../hardware/serial-port.ts";
import { BackupsSection } from "../../views/devices/backups.tsx";
import { HeadOfficeStatus, type HeadOfficeView } from "../../views/devices/head-office.tsx";
import { DevicesPage, VirtualPrintsPage } from "../../views/devices/page.tsx";
import { backUpNow } from "../backups/back-up-now.ts";
import { backupsView } from "../backups/view.ts";
import type { Shop } from "../compose.ts";
import { waitingReleases } from "../head-office/waiting-releases.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { readForm, validForm } from "../platform/http/form.ts";
import { statusOf } from "../platform/http/problems.ts";
import { render } from "../platform/http/render.ts";
import { saidLocation, saidOf } from "../platform/http/said.ts";
import type { DeviceActor } from "./actions.ts";
import { printerForm } from "./printer-form.ts";
import { scaleForm } from "./scale-form.ts";
import { scaleAddress } from "./scales.ts";
import { virtualPaper } from "./virtual-prints.ts";

export function address(p: PrinterConfig): string {
  switch (p.kind) {
    case "network":
      return `${p.host}:${p.port ?? 9100}`;
    case "usb":
      return p.path ?? "";
    case "serial":
      return `${p.path} @ ${p.baud ?? 9600}${p.flow !== "none" ? ` ${p.flow}` : ""}`;
    case "virtual":
      return "in the browser";
  }
}

// the three fields of the link; saveHeadOfficeLink checks them (an empty address disconnects)
const headOfficeForm = z.object({ hq_url: z.string().default(""), hq_store_id: z.string().default(""), hq_token: z.string().default("") });
// a new database epoch only with the box ticked: it makes the store send everything again once head office accepts it
const newEpochForm = z.object({ confirm: z.literal("1") });

export function deviceRoutes(store: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const print = store.printing;
  const paperOf = virtualPaper(store.db);
  const waitingAt = waitingReleases(store.db);
  const headOffice = (): HeadOfficeView => {
    const link = store.headOffice();
    return {
      link: link ? { url: link.url, storeId: link.storeId } : null,
      sync: store.sync.status(),
      catalogVersion: store.settings().catalogVersion,
      catalog: store.catalogReleases.health(),
      waiting: waitingAt(store.clock.now()),
    };
  };
  const startBackup = backUpNow({ db: store.db, clock: store.clock, audit: store.audit, backups: store.backups });
  const backups = (since?: string | null) => backupsView(store.db, store.clock.now(), { running: store.backups.busy(), since: since ?? null });
  const page = (c: Context<PagesEnv>, message?: string, status: 200 | 422 = 200) =>
    render(
      c,
      <DevicesPage
        printers={print.printers.list().map((p) => ({ ...p, address: address(p) }))}
        usb={listUsbPrinters()}
        serial={listSerialPorts()}
        models={listPrinterModels()}
        message={message}
        headOffice={headOffice()}
        scales={store.scales.list().map((s) => ({ registerId: s.registerId, registerName: s.registerName, address: scaleAddress(s) }))}
        registers={store.scales.registers()}
        backups={backups(c.req.query("since"))}
      />,
      status,
    );
  const who = (c: Context<PagesEnv>): DeviceActor => {
    const user = c.get("user");
    return { userId: user?.id ?? null, userName: user?.name ?? null, registerName: c.get("device")?.registerName ?? null };
  };
  /** Back to the page, which then shows this sentence (said.ts: only one this store signed shows). */
  const back = (text: string) => saidLocation("/devices", text, store.clock.now());
  const printerId = (c: Context) => {
    const p = print.printers.byId(Number(c.req.param("id")) || 0);
    if (!p) throw new Problem("printer_not_found", "That printer is not set up.");
    return p;
  };

  app.get("/", (c) => page(c, saidOf(c, store.clock.now(), 200)));

  app.get("/head-office", (c) => render(c, <HeadOfficeStatus {...headOffice()} />));

  app.post("/head-office", async (c) => {
    const f = await validForm(c, headOfficeForm);
    try {
      const link = store.devices.linkHeadOffice(who(c), { url: f.hq_url, storeId: f.hq_store_id, token: f.hq_token });
      return c.redirect(back(link ? `Connected to head office at ${link.url}.` : "Disconnected from head office."), 303);
    } catch (e) {
      if (e instanceof Problem && statusOf[e.code] === 422) return page(c, `Not saved: ${e.message}`, 422);
      throw e;
    }
  });

  app.post("/head-office/send", async (c) => {
    if (!store.headOffice()) return page(c, "Not sent: this store is not connected to head office.", 422);
    const sent = await store.sync.sendNow();
    const s = store.sync.status();
    const said = s.lastError ? `Head office did not take everything: ${s.lastError}` : `Sent ${sent} ${sent === 1 ? "item" : "items"}; ${s.pending} waiting.`;
    return c.redirect(back(said.slice(0, 200)), 303);
  });

  // head office asked for a new database epoch: this store's outbox is then sent again under it once accepted there
  app.post("/head-office/new-epoch", async (c) => {
    const f = newEpochForm.safeParse(await readForm(c));
    if (!f.success) return page(c, "No new epoch: tick the box to say head office asked for one.", 422);
    const e = store.devices.startNewEpoch(who(c), "asked for by head office (Devices page)");
    const said = `New database epoch started. Once head office accepts it, the store sends its ${e.items} ${e.items === 1 ? "item" : "items"} again (${e.unsent} not sent before).`;
    return c.redirect(back(said.slice(0, 200)), 303);
  });

  // the backups part of the page, alone: what the page polls while a backup runs (`since`: the one it waits for)
  app.get("/backups", (c) => render(c, <BackupsSection {...backups(c.req.query("since"))} />));

  // "Back up now": the nightly backup's run, started at once; the page (or its backups part, with htmx) polls for the end
  app.post("/backups", (c) => {
    const started = startBackup(who(c));
    if (c.req.header("HX-Request") === "true") return render(c, <BackupsSection {...backups(started.at)} />);
    return c.redirect(`${back("Backup started.")}&since=${encodeURIComponent(started.at)}#backups`, 303);
  });

  app.post("/printers", async (c) => {
    try {
      const p = store.devices.addPrinter(who(c), await validForm(c, printerForm));
      return c.redirect(back(`Printer ${p.name} added.`), 303);
    } catch (e) {
      // the form's refusals and the registry's share the code; the text gate's have their own
      if (e instanceof Problem && e.code === "invalid_printer") return page(c, `Not added: ${e.message}.`, 422);
      throw e;
    }
  });

  app.post("/printers/:id/test", (c) => {
    const p = printerId(c);
    print.queueTest(p.id, "back office");
    print.worker.kick();
    return c.redirect(back(`Test page sent to ${p.name}.`), 303);
  });

  app.post("/printers/:id/default", (c) => {
    const p = printerId(c);
    store.devices.makeDefault(who(c), p);
    return c.redirect(back(`${p.name} is now the default printer.`), 303);
  });

  app.post("/logo", async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const file = (body as Record<string, unknown>).logo;
    if (!(file instanceof File) || file.size === 0) return page(c, "Choose a PNG file for the logo.", 422);
    if (file.size > 2_000_000) return page(c, "The logo file is larger than 2 MB; export a smaller PNG.", 422);
    try {
      const size = store.devices.setLogo(who(c), new Uint8Array(await file.arrayBuffer()));
      return c.redirect(back(`Receipt logo set (${size.width}×${size.height}).`), 303);
    } catch (e) {
      if (e instanceof PngError) return page(c, `Logo not set: ${e.message}`, 422);
      throw e;
    }
  });

  app.post("/scales", async (c) => {
    try {
      const s = store.devices.setScale(who(c), await validForm(c, scaleForm));
      return c.redirect(back(`${s.registerName} weighs on the scale at ${scaleAddress(s)}.`), 303);
    } catch (e) {
      if (e instanceof Problem && statusOf[e.code] === 422) return page(c, `Scale not set: ${e.message}`, 422);
      throw e;
    }
  });

  app.post("/scales/:register/clear", (c) => {
    const before = store.devices.clearScale(who(c), Number(c.req.param("register")) || 0);
    const said = before ? `${before.registerName} has no scale now: its cashiers type the weight.` : "That register has no scale.";
    return c.redirect(back(said), 303);
  });

  // asks the scale for its weight, to check the setting: the store changes nothing
  app.get("/scales/:register/reading", async (c) => {
    const s = store.scales.forRegister(Number(c.req.param("register")) || 0);
    if (!s) return page(c, "That register has no scale.");
    const r = await store.scales.read(s.registerId);
    if (!r) return page(c, "That register has no scale.");
    return page(c, r.ok ? `The scale of ${s.registerName} reads ${(r.grams / 1000).toFixed(3)} kg.` : `The scale of ${s.registerName}: ${r.message}`);
  });

  app.get("/printers/:id/prints", (c) => {
    const p = printerId(c);
    return render(c, <VirtualPrintsPage printer={p} prints={paperOf(p.id)} />);
  });

  return app;
}
