// Runs first, in <head>: marks that scripts run, so the CSS can show the menu without them.
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");
