// The scoring sheet's running totals: points per part and in all, criteria left. The server renders the same
// figures, so without this script the page still says them (as of the last save).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const sheet of document.querySelectorAll("[data-sheet]")) {
    const form = sheet.closest("form");
    const count = (element, value) => {
      if (!element) return;
      element.querySelector("[data-count]").textContent = value;
      element.dataset.left = value;
    };
    const update = () => {
      let total = 0;
      let left = 0;
      for (const part of sheet.querySelectorAll("[data-part]")) {
        let points = 0;
        let open = 0;
        for (const criterion of part.querySelectorAll("[data-criterion]")) {
          const ticked = criterion.querySelector("input[type=radio]:checked");
          criterion.toggleAttribute("data-answered", ticked !== null);
          if (ticked) points += Number(ticked.dataset.points); else open += 1;
        }
        part.querySelector("[data-part-total]").textContent = points;
        count(part.querySelector("[data-part-left]"), open);
        total += points;
        left += open;
      }
      const scope = form || document;
      const shown = scope.querySelector("[data-sheet-total]");
      if (shown) shown.textContent = total;
      count(scope.querySelector("[data-sheet-left]"), left);
    };
    sheet.addEventListener("change", update);
    update();
  }
});
