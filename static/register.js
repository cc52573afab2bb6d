// The register's short-lived UI state: focus, the selected line, keyboard shortcuts, the dialog, the wedge scanner,
// the connection banner. The sale itself lives on the store server; nothing here keeps it.
(() => {
  const SCAN_GAP_MS = 35; // a wedge scanner types faster than any person
  const SCAN_MIN_DIGITS = 6;

  let audio = null;
  function beep() {
    try {
      audio = audio || new AudioContext();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.12);
    } catch (_) {
      /* no sound device: the red message is still there */
    }
  }

  const $ = (sel) => document.querySelector(sel);
  const dialog = () => $("#dialog");
  const barcode = () => $("#barcode");
  const rows = () => Array.from(document.querySelectorAll("#lines tr.item"));

  let selected = null;
  let lineCount = 0;

  function select(id) {
    const all = rows();
    if (!all.length) {
      selected = null;
      return;
    }
    const row = (id && all.find((r) => r.dataset.lineId === id)) || all[all.length - 1];
    selected = row.dataset.lineId;
    for (const r of all) r.classList.toggle("selected", r === row);
    row.setAttribute("aria-selected", "true");
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    let i = all.findIndex((r) => r.dataset.lineId === selected);
    i = Math.max(0, Math.min(all.length - 1, (i < 0 ? all.length - 1 : i) + step));
    select(all[i].dataset.lineId);
    all[i].scrollIntoView({ block: "nearest" });
  }

  function focusScan() {
    const d = dialog();
    if (d?.open) return;
    const b = barcode();
    if (b && document.activeElement !== b && !(document.activeElement && document.activeElement.id === "search")) b.focus();
  }

  function openDialog() {
    const d = dialog();
    if (!d.open) d.showModal();
    const first = d.querySelector("[autofocus]") || d.querySelector("input, button:not(.close)");
    if (first) {
      first.focus();
      if (first.select) first.select();
    }
  }

  function closeDialog() {
    const d = dialog();
    if (d?.open) d.close();
  }

  function lineAction(path) {
    if (!selected) return;
    htmx.ajax("POST", `/register/lines/${selected}${path}`, { target: "#lines", swap: "outerHTML" });
  }

  function clickKey(key) {
    const el = document.querySelector(`[data-key="${key}"]`);
    if (!el) return false;
    if (el.tagName === "INPUT") {
      el.focus();
      el.select();
    } else el.click();
    return true;
  }

  function editable(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  // Keystrokes typed at scanner speed into somewhere other than the barcode field are a scan all the same.
  let burst = { text: "", last: 0, field: null, before: "" };
  function trackScanner(e) {
    const now = performance.now();
    const target = e.target;
    if (target === barcode()) return false;
    if (e.key === "Enter") {
      const fast = burst.text.length >= SCAN_MIN_DIGITS && /^\d+$/.test(burst.text) && now - burst.last < 80;
      if (fast) {
        e.preventDefault();
        e.stopPropagation();
        if (burst.field) burst.field.value = burst.before;
        closeDialog();
        const b = barcode();
        b.value = burst.text;
        b.form.requestSubmit();
        burst = { text: "", last: 0, field: null, before: "" };
        return true;
      }
      burst = { text: "", last: 0, field: null, before: "" };
      return false;
    }
    // only fields other than the barcode field need this; digits on the page itself go to the barcode field (onKey)
    if (editable(target) && e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      if (now - burst.last > SCAN_GAP_MS || burst.field !== target) {
        burst = { text: "", last: 0, field: target, before: target.value };
      }
      burst.text += e.key;
      burst.last = now;
    }
    return false;
  }

  function onKey(e) {
    if (trackScanner(e)) return;
    const d = dialog();
    if (d?.open) return; // the dialog handles its own keys; Esc closes it natively
    const inScan = e.target === barcode();
    const scanEmpty = inScan && barcode().value === "";
    switch (e.key) {
      case "F2":
      case "F3":
      case "F6":
      case "F7":
      case "F8":
      case "F9":
      case "F10":
      case "F11":
      case "F12":
        if (clickKey(e.key)) e.preventDefault();
        return;
      case "F4":
        e.preventDefault();
        if (selected) htmx.ajax("GET", `/register/dialog/line/${selected}`, { target: "#dialog-body" });
        return;
      case "ArrowUp":
      case "ArrowDown":
        if (inScan || !editable(e.target)) {
          e.preventDefault();
          move(e.key === "ArrowUp" ? -1 : 1);
        }
        return;
      case "+":
      case "-":
        if (scanEmpty || !editable(e.target)) {
          e.preventDefault();
          const row = rows().find((r) => r.dataset.lineId === selected);
          const btn = row?.querySelectorAll("button.step")[e.key === "-" ? 0 : 1];
          if (btn) btn.click();
        }
        return;
      case "Delete":
        if (scanEmpty || !editable(e.target)) {
          e.preventDefault();
          lineAction("/remove");
        }
        return;
      default:
        if (!editable(e.target) && /^\d$/.test(e.key) && !e.ctrlKey && !e.altKey && !e.metaKey) {
          // digits typed (or scanned) anywhere on the page go to the barcode field, none lost on the way
          e.preventDefault();
          const b = barcode();
          b.focus();
          b.value += e.key;
        }
    }
  }

  // Connection: say so plainly, keep trying, and show the sale again when the server answers.
  let retry = null;
  function offline() {
    const banner = $("#offline");
    const status = $("#connection");
    if (!banner || retry) return;
    banner.hidden = false;
    status.textContent = "Not connected";
    status.className = "connection offline";
    retry = setInterval(async () => {
      try {
        const res = await fetch("/healthz", { cache: "no-store" });
        if (!res.ok) return;
        clearInterval(retry);
        retry = null;
        banner.hidden = true;
        status.textContent = "Connected";
        status.className = "connection online";
        htmx.ajax("GET", "/register/sale", { target: "#lines", swap: "outerHTML" });
      } catch (_) {
        /* still away */
      }
    }, 2000);
  }

  function wire() {
    if (!dialog() || !barcode()) return; // back-office pages use the component for nothing yet
    document.addEventListener("keydown", onKey, true);

    document.body.addEventListener("htmx:config:request", (e) => {
      // the code is in the request now: clear the field at once so the next scan can follow without waiting
      if (e.target && e.target.id === "scan-form") {
        // an Enter with nothing typed (e.g. the one that closed the receipt) is not a scan
        if (!barcode().value.trim()) {
          e.preventDefault();
          return;
        }
        barcode().value = "";
      }
    });

    document.body.addEventListener("htmx:after:swap", (e) => {
      const ctx = e.detail?.ctx;
      const target = ctx?.target;
      const id = target?.id;
      if (id === "dialog-body" && target.childElementCount > 0) openDialog();
      if ($("#dialog-body") && $("#dialog-body").childElementCount > 0 && !dialog().open && $("#dialog-body [data-testid=receipt-modal]")) openDialog();
      // a new line (scan, quick key, search) becomes the selected one; otherwise the selection stays where it was
      const count = rows().length;
      select(count > lineCount ? null : selected);
      lineCount = count;
      const last = document.querySelector("#lines tr.item.last");
      if (last && id === "lines") last.scrollIntoView({ block: "nearest" });
      focusScan();
    });

    document.body.addEventListener("till-error", beep);
    document.body.addEventListener("close-dialog", closeDialog);
    document.body.addEventListener("htmx:error", (e) => {
      const ctx = e.detail?.ctx;
      if (!ctx?.response) offline();
    });

    document.addEventListener("click", (e) => {
      const close = e.target.closest?.("[data-close-dialog]");
      if (close) closeDialog();
      const row = e.target.closest?.("#lines tr.item");
      if (row) select(row.dataset.lineId);
    });

    const d = dialog();
    d.addEventListener("close", () => {
      const receipt = $("#dialog-body [data-testid=receipt-modal]");
      $("#dialog-body").innerHTML = "";
      // "Sale complete" has been read once the cashier moves on to the next customer
      const msg = $("#message");
      if (receipt && msg?.classList.contains("info")) msg.textContent = "";
      // Chrome takes typing into a field focused while the modal dialog is being torn down only after a fresh focus
      const b = barcode();
      if (b) b.blur();
      setTimeout(focusScan, 0);
    });

    window.addEventListener("offline", offline);
    lineCount = rows().length;
    select(null);
    focusScan();
  }

  document.addEventListener("alpine:init", () => {
    window.Alpine.data("till", () => ({
      init() {
        wire();
      },
    }));
  });
})();
