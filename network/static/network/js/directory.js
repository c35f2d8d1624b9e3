// Enhancement: apply a filter as soon as it changes, and keep empty fields out of the
// URL. Without JavaScript the "Apply filters" button does the same.
document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-directory-filters]");
    if (!form) return;
    form.addEventListener("change", (event) => {
        if (event.target.matches("input[type=checkbox], select")) form.requestSubmit();
    });
    form.addEventListener("submit", () => {
        for (const field of form.querySelectorAll("input[type=search]")) {
            if (!field.value.trim()) field.disabled = true;
        }
    });
});
