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

  /** Back to the scan field, unless the cashier is in the product finder (its field, or walking its results). */
  function focusScan(afterSale = false) {
    const d = dialog();
    if (d?.open) return;
    const b = barcode();
    const a = document.activeElement;
    const inFinder = a && (a.id === "search" || (!afterSale && a.closest?.("#search-results")));
    if (b && a !== b && !inFinder) b.focus();
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
    // a field that asks for a scan (a receipt, an item coming back, a store credit) keeps what is scanned into it
    if (target === barcode() || target?.hasAttribute?.("data-scan-here")) return false;
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

  const plain = (e) => !e.ctrlKey && !e.altKey && !e.metaKey;
  const receiptOpen = () => dialog()?.open && !!$("#dialog-body [data-testid=receipt-modal]");

  // A scan while the receipt is on screen is the next customer's first item: the receipt closes and the code goes to
  // the scan field, key by key, until its Enter submits it.
  let handoff = false;
  function receiptHandoff(e) {
    if (!handoff && !(receiptOpen() && !editable(e.target))) return false;
    if (/^\d$/.test(e.key) && plain(e)) {
      e.preventDefault();
      e.stopPropagation();
      if (!handoff) {
        handoff = true;
        barcode().value = "";
        closeDialog();
      }
      barcode().value += e.key;
      return true;
    }
    if (handoff && e.key === "Enter") {
      e.preventDefault();
      e.stopPropagation();
      handoff = false;
      barcode().form.requestSubmit();
      return true;
    }
    handoff = false;
    return false;
  }

  // The product finder: ↓ walks into the results, ↑ back out, Enter in the field adds the first result.
  let addFirstResult = false;
  const results = () => Array.from(document.querySelectorAll("#search-results button.result"));
  function finderKey(e) {
    const inSearch = e.target?.id === "search";
    const list = results();
    const at = list.indexOf(e.target);
    if (!inSearch && at < 0) return false;
    if (e.key === "ArrowDown" && list.length) {
      e.preventDefault();
      list[Math.min(list.length - 1, at + 1)].focus();
      return true;
    }
    if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      if (at === 0) $("#search").focus();
      else list[at - 1].focus();
      return true;
    }
    if (e.key === "Enter" && inSearch) {
      // ask once more for what is typed now (a result list may still be for fewer letters) and add its first result
      e.preventDefault();
      if (!e.target.value.trim()) return true;
      addFirstResult = true;
      htmx.trigger(e.target, "search");
      return true;
    }
    return false;
  }

  // F1–F12 are the register's, always: in a real Chromium window F3 opens find, F5 reloads, F6 jumps to the address
  // bar, F7 asks about caret browsing, F11 goes fullscreen and F12 opens DevTools unless the page takes the key — also
  // while a dialog is open (measured with real key presses; see the README on running a lane).
  const FUNCTION_KEY = /^F([1-9]|1[0-2])$/;

  function onKey(e) {
    if (FUNCTION_KEY.test(e.key)) e.preventDefault();
    if (receiptHandoff(e)) return;
    if (trackScanner(e)) return;
    const d = dialog();
    if (d?.open) return; // the dialog handles its own keys; Esc closes it natively
    if (finderKey(e)) return;
    const inScan = e.target === barcode();
    const scanEmpty = inScan && barcode().value === "";
    switch (e.key) {
      case "F2":
      case "F3":
      case "F5":
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
      case "Enter":
        // digits typed on the page went to the scan field: their Enter submits it, wherever the focus is
        if (!editable(e.target) && e.target.tagName !== "BUTTON" && barcode().value.trim()) {
          e.preventDefault();
          barcode().form.requestSubmit();
        }
        return;
      default:
        if (!editable(e.target) && /^\d$/.test(e.key) && plain(e)) {
          // digits typed (or scanned) anywhere on the page go to the barcode field, none lost on the way
          e.preventDefault();
          const b = barcode();
          b.focus();
          b.value += e.key;
        }
    }
  }

  // Connection: say so plainly, keep trying, and show the sale again when the server answers. Scans made meanwhile are
  // kept here in order (and in sessionStorage, should the tab reload) and sent when the server is back; one the server
  // refuses is named on screen, none is dropped. Each scan carries an id of its own, so one that did reach the server
  // (only its answer was lost) is not added twice; kept scans belong to the cashier and register that made them.
  const KEPT = "shopflow.keptScans";
  const owner = () => $(".till")?.dataset.owner ?? "";
  let kept = [];
  try {
    kept = JSON.parse(sessionStorage.getItem(KEPT) || "[]").filter((k) => k && typeof k.code === "string");
  } catch (_) {
    kept = [];
  }
  function saveKept() {
    try {
      sessionStorage.setItem(KEPT, JSON.stringify(kept));
    } catch (_) {
      /* private mode: kept in memory only */
    }
  }
  /** An id for one scan: random, and made without crypto.randomUUID, which plain http on the LAN does not offer. */
  function scanId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function keep(code, id) {
    kept.push({ code, id: id || scanId(), owner: owner() });
    saveKept();
    showKept();
  }
  function showKept() {
    const list = $("#kept-scans");
    if (!list) return;
    const codes = kept.map((k) => k.code);
    list.hidden = kept.length === 0;
    list.textContent = kept.length ? `Kept ${kept.length} scan${kept.length === 1 ? "" : "s"} to add when the server is back: ${codes.join(", ")}` : "";
  }
  function say(text, kind) {
    const msg = $("#message");
    if (!msg) return;
    msg.textContent = text;
    msg.className = `message ${kind}`;
  }

  const csrf = () => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers:inherited") || "{}")["X-CSRF-Token"] || "";
    } catch (_) {
      return "";
    }
  };

  /** Why a kept scan did not go onto the sale, in the words the register would have used. */
  function refusal(html, status, retargeted) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    if (retargeted && doc.querySelector("#weigh-kg")) return "sold by weight: weigh it and add it again";
    if (retargeted && doc.querySelector("[data-testid=past-receipt]")) return "a receipt, not an item: scan it again to open it";
    if (status >= 400) return doc.body.textContent.trim().replace(/\s+/g, " ");
    return null;
  }

  /**
   * Send the kept scans one by one, in the order they were made; stop (keeping the rest) if the server goes again. One
   * run at a time; scans another cashier kept on this browser are shown, never put on this cashier's sale.
   */
  let sending = null;
  function sendKept() {
    sending ??= sendEach().finally(() => {
      sending = null;
    });
    return sending;
  }
  async function sendEach() {
    const refused = [];
    const notes = [];
    const others = kept.filter((k) => k.owner !== owner());
    if (others.length) {
      kept = kept.filter((k) => k.owner === owner());
      saveKept();
      refused.push(`${others.map((k) => k.code).join(", ")}: scanned by another cashier or on another register, so not added here`);
    }
    while (kept.length) {
      const k = kept[0];
      let res;
      try {
        res = await fetch("/register/scan", {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true", "X-CSRF-Token": csrf(), "X-Scan-Id": k.id },
          body: new URLSearchParams({ code: k.code }),
        });
      } catch (_) {
        offline();
        return;
      }
      if (res.status >= 500) {
        offline();
        return;
      }
      kept.shift();
      saveKept();
      const html = await res.text();
      const why = refusal(html, res.status, res.headers.get("HX-Retarget"));
      if (why) refused.push(`${k.code}: ${why}`);
      const warning = res.status < 400 && new DOMParser().parseFromString(html, "text/html").querySelector("#message.warn");
      if (warning) notes.push(warning.textContent.trim());
    }
    showKept();
    await htmx.ajax("GET", "/register/sale", { target: "#lines", swap: "outerHTML" });
    if (refused.length) {
      beep();
      say(`Scanned while the server was away and not added — ${refused.join("; ")}`, "error");
    } else if (notes.length) say(notes.join(" "), "warn");
  }

  let retry = null;
  let checking = false;
  function offline() {
    const banner = $("#offline");
    const status = $("#connection");
    if (!banner || retry) return;
    banner.hidden = false;
    status.textContent = "Not connected";
    status.className = "connection offline";
    retry = setInterval(async () => {
      if (checking) return; // the last look has not come back yet
      checking = true;
      try {
        const res = await fetch("/healthz", { cache: "no-store" });
        if (!res.ok || !retry) return;
        clearInterval(retry);
        retry = null;
        banner.hidden = true;
        status.textContent = "Connected";
        status.className = "connection online";
        if (kept.length) await sendKept();
        else htmx.ajax("GET", "/register/sale", { target: "#lines", swap: "outerHTML" });
      } catch (_) {
        /* still away */
      } finally {
        checking = false;
      }
    }, 2000);
  }

  // A refusal of something asked in the dialog is said in the dialog, where the cashier is looking; when a manager's
  // approval is what is missing, the PIN field has the focus.
  function refusedInDialog(e) {
    const ctx = e.detail?.ctx;
    const d = dialog();
    const source = ctx?.sourceElement;
    if (!d?.open || !ctx?.response || ctx.response.status < 400 || !source || !d.contains(source)) return;
    const slot = d.querySelector("[data-testid=dialog-message]");
    if (!slot) return;
    e.preventDefault(); // no swap into the message line behind the dialog
    const sent = new DOMParser().parseFromString(ctx.text || "", "text/html").querySelector("#message");
    slot.textContent = sent ? sent.textContent.trim() : "That did not work. Try again.";
    slot.hidden = false;
    const form = source.closest("form") || d;
    const pin = form.querySelector("[data-testid=manager-pin]") || d.querySelector("[data-testid=manager-pin]");
    if (sent?.dataset.code === "approval_needed" && pin) {
      pin.value = "";
      pin.focus();
      return;
    }
    const field = form.querySelector("input:not([type=hidden]):not([type=radio]), select");
    if (field) {
      field.focus();
      if (field.select) field.select();
    }
  }

  /** The chosen category's tab is in sight, also when the tabs scroll. */
  function showActiveTab() {
    const tab = $(".quick-keys .tab.active");
    const bar = tab?.parentElement;
    if (!bar) return;
    const top = tab.offsetTop - bar.offsetTop;
    if (top < bar.scrollTop || top + tab.offsetHeight > bar.scrollTop + bar.clientHeight) bar.scrollTop = top;
  }

  function wire() {
    if (!dialog() || !barcode()) return; // back-office pages use the component for nothing yet
    document.addEventListener("keydown", onKey, true);

    document.body.addEventListener("htmx:config:request", (e) => {
      // the code is in the request now: clear the field at once so the next scan can follow without waiting
      if (e.target && e.target.id === "scan-form") {
        // an Enter with nothing typed (e.g. the one that closed the receipt) is not a scan
        const code = barcode().value.trim();
        if (!code) {
          e.preventDefault();
          return;
        }
        barcode().value = "";
        const id = scanId();
        e.detail.ctx.request.headers["X-Scan-Id"] = id;
        e.detail.ctx.scanId = id;
        if (retry || kept.length) {
          // the server is away (or its kept scans are still going in): this one waits its turn
          e.preventDefault();
          keep(code, id);
        }
      }
    });

    document.body.addEventListener("htmx:after:swap", (e) => {
      const ctx = e.detail?.ctx;
      const target = ctx?.target;
      const id = target?.id;
      // whatever put content in the dialog (its own target, an out-of-band swap, a retarget), the dialog opens
      const filled = $("#dialog-body")?.childElementCount > 0;
      if (filled && (id === "dialog-body" || !dialog().open)) openDialog();
      // a new line (scan, quick key, search) becomes the selected one; otherwise the selection stays where it was
      const count = rows().length;
      select(count > lineCount ? null : selected);
      lineCount = count;
      if (id === "quick-keys") showActiveTab();
      // a result added to the sale: the finder is empty again for the next product
      if (id === "lines" && ctx?.sourceElement?.closest?.("#search-results")) {
        $("#search").value = "";
        $("#search-results").innerHTML = "";
      }
      if (id === "search-results" && addFirstResult) {
        addFirstResult = false;
        const first = results()[0];
        if (first) first.click();
      }
      const last = document.querySelector("#lines tr.item.last");
      if (last && id === "lines") last.scrollIntoView({ block: "nearest" });
      focusScan(id === "lines");
    });

    document.body.addEventListener("till-error", beep);
    document.body.addEventListener("close-dialog", closeDialog);
    document.body.addEventListener("htmx:error", (e) => {
      const ctx = e.detail?.ctx;
      if (ctx?.response) return;
      // a scan that never reached the server is kept, not lost with the cleared field
      if (ctx?.sourceElement?.id === "scan-form") {
        const body = ctx.request?.body;
        const code = body && typeof body.get === "function" ? body.get("code") : null;
        if (code) keep(String(code), ctx.scanId);
      }
      offline();
    });
    document.body.addEventListener("htmx:after:request", refusedInDialog);

    // a tap on the bought-together suggestion adds it without taking the focus from the scan field
    document.addEventListener("mousedown", (e) => {
      if (e.target.closest?.("[data-keeps-scan-focus]")) e.preventDefault();
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
    showKept();
    if (kept.length) sendKept();
    lineCount = rows().length;
    select(null);
    showActiveTab();
    focusScan();
  }

  // Signing in: the name tapped, the PIN field is where the next keys go.
  function wireSignIn() {
    document.addEventListener("change", (e) => {
      if (e.target?.name !== "user_id") return;
      const pin = e.target.form?.querySelector("input[name=pin]");
      if (pin) pin.focus();
    });
  }

  document.addEventListener("alpine:init", () => {
    window.Alpine.data("till", () => ({
      init() {
        if (document.querySelector("input[name=user_id]")) wireSignIn();
        wire();
      },
    }));
  });
})();
