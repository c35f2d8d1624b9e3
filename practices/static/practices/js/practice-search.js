// Enhancements for the practice library, which works without them: filters apply as soon
// as they change, empty fields stay out of the URL, and the search box suggests case
// studies as you type (an ARIA combobox: arrows to move, Enter to open, Escape to close).
document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-practice-search]");
    if (!form) return;
    const input = form.querySelector("[role=combobox]");
    const list = document.getElementById(input.getAttribute("aria-controls"));
    let active = -1;
    let pending;

    form.addEventListener("change", (event) => {
        if (event.target.matches("[data-autosubmit]")) form.requestSubmit();
    });
    form.addEventListener("submit", () => {
        for (const field of form.querySelectorAll("input[name=q], select")) {
            if (!field.value.trim()) field.disabled = true;
        }
    });

    const options = () => Array.from(list.querySelectorAll("[role=option]"));
    const close = () => {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
        active = -1;
    };
    const highlight = (index) => {
        const all = options();
        all.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
        active = index;
        if (all[index]) input.setAttribute("aria-activedescendant", all[index].id);
    };
    const show = (suggestions) => {
        list.replaceChildren(...suggestions.map((suggestion, i) => {
            const item = document.createElement("li");
            item.id = `practice-suggestion-${i}`;
            item.setAttribute("role", "option");
            item.setAttribute("aria-selected", "false");
            // An option is not a link (no interactive element inside another): it
            // navigates when chosen, by Enter on the input or by a click.
            item.dataset.url = suggestion.url;
            item.textContent = suggestion.title;
            item.addEventListener("click", () => window.location.assign(suggestion.url));
            return item;
        }));
        if (suggestions.length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
        } else {
            close();
        }
    };

    input.addEventListener("input", () => {
        clearTimeout(pending);
        const text = input.value.trim();
        if (text.length < 2) return close();
        pending = setTimeout(async () => {
            try {
                const url = `${form.dataset.suggestUrl}?${new URLSearchParams({q: text})}`;
                const response = await fetch(url, {headers: {Accept: "application/json"}});
                if (response.ok && input.value.trim() === text) show((await response.json()).suggestions);
            } catch {
                close();
            }
        }, 150);
    });
    input.addEventListener("keydown", (event) => {
        const all = options();
        if (list.hidden || !all.length) return;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            const step = event.key === "ArrowDown" ? 1 : -1;
            highlight((active + step + all.length) % all.length);
        } else if (event.key === "Enter" && active >= 0) {
            event.preventDefault();
            window.location.assign(all[active].dataset.url);
        } else if (event.key === "Escape") {
            close();
        }
    });
    input.addEventListener("blur", () => setTimeout(close, 200));
});
