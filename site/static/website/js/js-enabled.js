// Loaded without `defer`, before the body is painted: styles for script-enhanced widgets
// (the collapsed menu) apply from the first frame instead of moving the page later.
document.documentElement.classList.add("js");
