// Enhancement: apply a filter as soon as it changes, and keep empty fields out of the
// URL. Without JavaScript the "Apply filters" button does the same. After the reload the
// focus goes back to the control that changed, so a keyboard user carries on from there.
const FOCUS_KEY = "directory-filter-focus";

document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-directory-filters]");
    if (!form) return;
    const remembered = sessionStorage.getItem(FOCUS_KEY);
    if (remembered) {
        sessionStorage.removeItem(FOCUS_KEY);
        const [name, value] = JSON.parse(remembered);
        const control = Array.from(form.elements).find((el) => el.name === name && (el.type !== "checkbox" || el.value === value));
        if (control) control.focus();
    }
    form.addEventListener("change", (event) => {
        if (event.target.matches("input[type=checkbox], select")) {
            sessionStorage.setItem(FOCUS_KEY, JSON.stringify([event.target.name, event.target.value]));
            form.requestSubmit();
        }
    });
    form.addEventListener("submit", () => {
        for (const field of form.querySelectorAll("input[type=search]")) {
            if (!field.value.trim()) field.disabled = true;
        }
    });
});
