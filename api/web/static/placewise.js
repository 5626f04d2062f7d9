// Placewise's own script: GOV.UK Frontend's components, started once the page has loaded (no inline script).
import { initAll } from "/assets/govuk/govuk-frontend.min.js";
import { suggestSettings } from "/assets/site/setting-suggestions.js";
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
for (const button of document.querySelectorAll("[data-pw-print]")) {
  button.addEventListener("click", () => window.print());
}
for (const field of document.querySelectorAll("input[data-pw-settings]")) suggestSettings(field);
