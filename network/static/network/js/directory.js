// Enhancement: apply a filter as soon as it changes. Without JavaScript the
// "Apply filters" button does the same.
document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-directory-filters]");
    if (!form) return;
    form.addEventListener("change", (event) => {
        if (event.target.matches("input[type=checkbox], select")) form.requestSubmit();
    });
});
