// Head office's page helpers: a confirmation before forms that throw things away, and effective times typed in the
// browser's own time zone (sent as an exact instant; without this script the time is read as UTC).
(() => {
  document.addEventListener(
    "submit",
    (e) => {
      const form = e.target;
      if (!(form instanceof HTMLFormElement)) return;
      const ask = form.getAttribute("data-confirm");
      if (ask && !window.confirm(ask)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        return;
      }
      if (form.hasAttribute("data-local-time")) {
        const local = form.querySelector('input[name="effective_at"]');
        const exact = form.querySelector('input[name="effective_at_iso"]');
        if (local && exact) {
          // a datetime-local value without an offset is read as the browser's local time
          const at = local.value ? new Date(local.value) : null;
          exact.value = at && !Number.isNaN(at.getTime()) ? at.toISOString() : "";
        }
      }
    },
    true,
  );

  function localLabels() {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "your time zone";
    for (const span of document.querySelectorAll('form[data-local-time] label[for="f-effective_at"] > span')) {
      span.textContent = `Effective from (${zone} time; empty for now)`;
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", localLabels);
  else localLabels();
})();
