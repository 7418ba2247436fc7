// What the forms and fee-table tabs of the workbench share: the list of the bundle's files of
// one kind, the check of a new file's name, and message templates with %(placeholders)s (the catalogs' python-format).
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  // files: window.motcuaWorkbench; suffix: ".json" or ".dmn"; list/empty: the <ul> and the
  // "none yet" note; nameInput/nameError: the name field and its message; text: the labels.
  function FileList(files, suffix, parts, text) {
    const pattern = new RegExp("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,95}\\" + suffix + "$");

    function names() {
      return Object.keys(files.files)
        .filter(function (n) { return n.toLowerCase().endsWith(suffix); }).sort();
    }

    function render(currentName, onSelect) {
      parts.list.textContent = "";
      const found = names();
      parts.empty.hidden = found.length > 0;
      found.forEach(function (name) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = name;
        button.dataset.file = name;
        if (name === currentName) { button.setAttribute("aria-current", "true"); }
        button.addEventListener("click", function () { onSelect(name); });
        item.appendChild(button);
        parts.list.appendChild(item);
      });
    }

    // The name typed for a new (or renamed) file, or null with the reason shown.
    function newName() {
      const name = parts.nameInput.value.trim();
      if (!pattern.test(name)) {
        parts.nameError.textContent = fill(text.name_invalid, { suffix: suffix });
        return null;
      }
      if (name in files.files || name === files.main) {
        parts.nameError.textContent = fill(text.name_taken, { name: name });
        return null;
      }
      parts.nameError.textContent = "";
      return name;
    }

    return { names: names, render: render, newName: newName };
  }

  window.MotcuaWorkbenchList = { FileList: FileList, fill: fill };
})();
