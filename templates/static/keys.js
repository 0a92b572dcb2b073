/* Press "/" to search: the search page's box takes the focus; any other page opens the search page.
   Only an enhancement: every page works, and search is one link away, without it. */
(function () {
  "use strict";
  var link = document.getElementById("search-link");
  if (!link) { return; }
  var hint = document.querySelector(".shortcut-hint");
  if (hint) { hint.hidden = false; }

  function typing(target) {
    if (!target || !target.closest) { return false; }
    return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function searchBox() {
    return document.querySelector(".search-ui input[type='search']");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    if (typing(event.target)) { return; }
    event.preventDefault();
    var box = searchBox();
    if (box) {
      box.focus();
      box.select();
    } else {
      window.location.assign(link.href);
    }
  });
})();
