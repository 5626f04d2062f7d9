// Suggestions for a field that chooses settings (input[data-pw-settings]): the WAI-ARIA 1.2 combobox with a listbox,
// over the field's last item (the field holds several settings, separated by commas). Picking one writes
// "Name (URN)". Without this script the server resolves what was typed all the same.
export function suggestSettings(field) {
  const list = document.createElement("ul");
  const status = document.createElement("div");
  list.id = `${field.id}-suggestions`;
  list.className = "pw-suggestions";
  list.hidden = true;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggested settings");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  field.after(list, status);
  const attributes = { role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": list.id };
  for (const [name, value] of Object.entries(attributes)) field.setAttribute(name, value);
  let found = [], active = -1, asked = 0, timer;
  const last = () => field.value.split(",").at(-1).trim();

  const show = (settings, say = "") => {
    found = settings;
    active = -1;
    list.replaceChildren(...settings.map((setting, index) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${index}`;
      option.className = "pw-suggestions__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = `${setting.name}, ${setting.place} (URN ${setting.urn})`;
      option.addEventListener("mousedown", (event) => { event.preventDefault(); pick(index); });
      return option;
    }));
    list.hidden = settings.length === 0;
    field.setAttribute("aria-expanded", String(settings.length > 0));
    field.removeAttribute("aria-activedescendant");
    status.textContent = say;
  };
  const move = (step) => {
    active = (active + step + found.length) % found.length;
    list.querySelectorAll("[role=option]").forEach((option, index) => {
      option.setAttribute("aria-selected", String(index === active));
    });
    field.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    document.getElementById(`${list.id}-${active}`).scrollIntoView({ block: "nearest" });
  };
  const pick = (index) => {
    const items = field.value.split(",").slice(0, -1).map((item) => item.trim()).filter(Boolean);
    field.value = [...items, `${found[index].name} (${found[index].urn})`].join(", ") + ", ";
    show([], `${found[index].name} added`);
    field.focus();
  };

  field.addEventListener("input", () => {
    clearTimeout(timer);
    const typed = last();
    if (typed.length < 2 || /^\d+$|\(\d+\)$/.test(typed)) return show([]);
    timer = setTimeout(async () => {
      const number = ++asked;
      const answer = await fetch(`${field.dataset.pwSettings}?q=${encodeURIComponent(typed)}`,
                                 { headers: { Accept: "application/json" } });
      if (!answer.ok || number !== asked) return;
      const settings = await answer.json();
      show(settings, settings.length ? `${settings.length} settings suggested; use the up and down arrows to choose`
                                     : "No setting suggested");
    }, 250);
  });
  field.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape") show([]);
  });
  field.addEventListener("blur", () => show([]));
}
