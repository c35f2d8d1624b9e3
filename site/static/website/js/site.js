// Progressive enhancement only: every page works without this file (js-enabled.js has
// already marked the document, so the narrow-screen menu is collapsed from the first paint).

document.addEventListener("DOMContentLoaded", () => {
    const toggle = document.querySelector(".site-header__toggle");
    const nav = document.getElementById("primary-navigation");
    if (!toggle || !nav) return;

    const narrow = window.matchMedia("(max-width: 48rem)");
    const sync = () => {
        toggle.hidden = !narrow.matches;
        const collapsed = narrow.matches && toggle.getAttribute("aria-expanded") !== "true";
        nav.dataset.collapsed = String(collapsed);
    };
    toggle.addEventListener("click", () => {
        toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
        sync();
    });
    narrow.addEventListener("change", sync);
    sync();
});
