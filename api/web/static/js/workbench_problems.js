// Problems that validate or deploy found in a form or a fee table rather than on a diagram
// element: a click (or Enter) on one opens its tab and selects its file. The list is the
// modeler's (#problems); each item begins with its file name ("file:line – element: …") or
// carries it as data-file.
(function () {
  "use strict";
  const EDITORS = [[".json", "forms", "motcuaFormEditor"], [".dmn", "dmn", "motcuaFeeTables"]];

  function start() {
    const workbench = window.motcuaWorkbench;
    const list = document.getElementById("problems");
    if (!workbench || !list) { return; }
    const text = JSON.parse(document.getElementById("workbench-files-setup").textContent).text;

    function fileOf(item) {
      if (item.dataset.file) { return item.dataset.file; }
      const said = item.textContent;
      const named = Object.keys(workbench.files).filter(function (name) {
        return said.startsWith(name + ":") || said.startsWith(name + " ");
      });
      named.sort(function (a, b) { return b.length - a.length; });
      return named[0] || null;
    }

    function link(item) {
      if (item.dataset.element || item.dataset.workbenchFile) { return; }
      const name = fileOf(item);
      const kind = name && EDITORS.find(function (e) { return name.toLowerCase().endsWith(e[0]); });
      if (!kind) { return; }
      item.dataset.workbenchFile = name;
      item.tabIndex = 0;
      item.classList.add("linked");
      item.title = text.problem_in_file.replace("%(name)s", name);
      const open = function () {
        const tab = document.querySelector('[data-tab="' + kind[1] + '"]');
        if (tab) { tab.click(); }
        if (window[kind[2]]) { window[kind[2]].select(name); }
      };
      item.addEventListener("click", open);
      item.addEventListener("keydown", function (e) { if (e.key === "Enter") { open(); } });
    }

    function linkAll() { list.querySelectorAll("li").forEach(link); }
    new MutationObserver(linkAll).observe(list, { childList: true });
    linkAll();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
