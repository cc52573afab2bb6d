// The live channel in the browser (/events, kept open by the #live element through htmx's SSE extension). The server
// names each message for what it is (low-stock, low-stock-count, printer-status); htmx swaps only unnamed messages and
// turns named ones into DOM events, so ours are handed to its swap here: their HTML is out-of-band pieces (the toast,
// the badge, the printer's pill). While the channel is down the register asks for its printer's status every 5 s, as
// it did before there was one. Toasts can be dismissed; only the last few stay.
(() => {
  const OURS = new Set(["low-stock", "low-stock-count", "printer-status"]);
  const KEEP_TOASTS = 5;
  const FALLBACK_EVERY_MS = 5000;
  let fallback = null;

  // the extension reads the message again after this event: an empty name makes it swap the HTML
  document.addEventListener("htmx:sse:before:message", (e) => {
    const m = e.detail?.message;
    if (m && OURS.has(m.event)) m.event = "";
  });

  document.addEventListener("htmx:sse:after:connection", (e) => {
    if (e.target?.id !== "live") return;
    e.target.dataset.live = "up";
    if (fallback) clearInterval(fallback);
    fallback = null;
  });

  function down(e) {
    if (e.target?.id !== "live") return;
    e.target.dataset.live = "down";
    if (fallback || !document.getElementById("printer-status")) return;
    fallback = setInterval(() => {
      if (!document.getElementById("printer-status")) return;
      htmx.ajax("GET", "/register/printer-status", { target: "#printer-status", swap: "outerHTML" }).catch(() => undefined);
    }, FALLBACK_EVERY_MS);
  }
  document.addEventListener("htmx:sse:error", down);
  document.addEventListener("htmx:sse:close", down);

  document.addEventListener("htmx:after:swap", () => {
    const toasts = document.querySelectorAll("#live-toasts .toast");
    for (let i = 0; i < toasts.length - KEEP_TOASTS; i++) toasts[i].remove();
  });

  document.addEventListener("click", (e) => {
    const dismiss = e.target.closest?.("[data-dismiss-toast]");
    if (dismiss) dismiss.closest(".toast")?.remove();
  });
})();
