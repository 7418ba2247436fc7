// The forms tab of the designer's workbench: the bundle's *.json files, a text editor for one
// form's JSON Schema that locates syntax errors as you type, and a live preview drawn by the
// server with the clerk's own renderer (routes/workbench.py), asked for once typing pauses.
// Files are read and written through window.motcuaWorkbench (modeler.js).
(function () {
  "use strict";
  const PAUSE_MS = 300; // quiet typing before the preview is asked for
  const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

  const fill = window.MotcuaWorkbenchList.fill;

  // Where the first JSON syntax error is (an index into the text), or null. Only asked after
  // JSON.parse refused the text: the browser's own messages give no position for some errors.
  function errorAt(s) {
    let i = 0;
    function fail() { throw i; }
    function space() { while (i < s.length && " \t\n\r".indexOf(s[i]) >= 0) { i++; } }
    function string() {
      i++;
      while (i < s.length) {
        const c = s[i];
        if (c === "\"") { i++; return; }
        if (c < " ") { fail(); }
        if (c === "\\") {
          i++;
          if (s[i] === "u") {
            if (!/^[0-9a-fA-F]{4}$/.test(s.substr(i + 1, 4))) { fail(); }
            i += 4;
          } else if (i >= s.length || "\"\\/bfnrt".indexOf(s[i]) < 0) {
            fail();
          }
        }
        i++;
      }
      fail();
    }
    function value() {
      space();
      const c = s[i];
      if (c === "{" || c === "[") {
        const close = c === "{" ? "}" : "]";
        i++;
        space();
        if (s[i] === close) { i++; return; }
        for (;;) {
          if (c === "{") {
            space();
            if (s[i] !== "\"") { fail(); }
            string();
            space();
            if (s[i] !== ":") { fail(); }
            i++;
          }
          value();
          space();
          if (s[i] === ",") { i++; continue; }
          if (s[i] === close) { i++; return; }
          fail();
        }
      }
      if (c === "\"") { string(); return; }
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(s);
      if (number) { i += number[0].length; return; }
      const word = ["true", "false", "null"].find(function (w) { return s.startsWith(w, i); });
      if (word) { i += word.length; return; }
      fail();
    }
    try {
      value();
      space();
      return i < s.length ? i : null;
    } catch (at) {
      return typeof at === "number" ? at : null; // too deeply nested for this scanner
    }
  }

  function located(source, error) {
    let at = errorAt(source);
    if (at === null) {
      const said = /position (\d+)/.exec(error.message);
      at = said ? Number(said[1]) : source.length;
    }
    const start = source.lastIndexOf("\n", at - 1) + 1;
    const end = source.indexOf("\n", at);
    return {
      line: source.slice(0, at).split("\n").length,
      column: at - start + 1,
      text: source.slice(start, end < 0 ? source.length : end),
    };
  }

  function start() {
    const workbench = window.motcuaWorkbench;
    const panel = document.getElementById("tab-forms");
    if (!workbench || !panel) { return; }
    const setup = JSON.parse(document.getElementById("workbench-files-setup").textContent);
    const text = setup.text;
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const list = document.getElementById("form-list");
    const empty = document.getElementById("form-list-empty");
    const nameInput = document.getElementById("form-name");
    const nameError = document.getElementById("form-name-error");
    const editor = document.getElementById("form-schema");
    const heading = document.getElementById("form-editing");
    const syntax = document.getElementById("form-syntax");
    const preview = document.getElementById("form-preview");
    const untitled = heading.textContent;
    let current = null;
    let timer = null;
    let asked = 0;

    const files = window.MotcuaWorkbenchList.FileList(workbench, ".json", {
      list: list, empty: empty, nameInput: nameInput, nameError: nameError }, text);
    const names = files.names;

    function renderList() { files.render(current, select); }

    function clear() {
      current = null;
      clearTimeout(timer);
      asked++;
      editor.value = text.choose_form;
      editor.disabled = true;
      editor.classList.remove("invalid");
      editor.removeAttribute("aria-invalid");
      heading.textContent = untitled;
      syntax.textContent = "";
      preview.textContent = "";
      renderList();
    }

    function select(name) {
      if (!(name in workbench.files)) { return; }
      current = name;
      editor.disabled = false;
      editor.value = workbench.files[name];
      nameInput.value = name;
      nameError.textContent = "";
      heading.textContent = fill(text.editing, { name: name });
      preview.textContent = "";
      renderList();
      check(0);
    }

    // Syntax first, in the browser; a well-formed text goes to the server, whose check is
    // the deploy's, after `delay` ms without another keystroke.
    function check(delay) {
      clearTimeout(timer);
      let parsed = true;
      try {
        JSON.parse(editor.value);
      } catch (error) {
        parsed = false;
        const where = located(editor.value, error);
        syntax.textContent = fill(text.json_error, where) + " " + text.preview_stale;
        const shown = document.createElement("pre");
        shown.className = "code";
        shown.textContent = where.text + "\n" + " ".repeat(Math.max(where.column - 1, 0)) + "^";
        syntax.appendChild(shown);
      }
      syntax.className = parsed ? "muted" : "error-text";
      editor.classList.toggle("invalid", !parsed);
      if (parsed) {
        syntax.textContent = text.json_ok;
        editor.removeAttribute("aria-invalid");
        timer = setTimeout(ask, delay);
      } else {
        asked++; // an answer still on its way is for an older text
        editor.setAttribute("aria-invalid", "true");
        preview.dataset.stale = "true";
      }
    }

    async function ask() {
      const mine = ++asked;
      const body = new URLSearchParams({ schema: editor.value, name: current, csrf: csrf });
      let answer = null;
      let html = "";
      try {
        answer = await fetch(setup.preview, { method: "POST", body: body,
          credentials: "same-origin", headers: { "X-CSRF-Token": csrf, "Accept": "text/html" } });
        html = await answer.text();
      } catch (e) {
        answer = null;
      }
      if (mine !== asked) { return; }
      delete preview.dataset.stale;
      if (answer && [200, 413, 422].indexOf(answer.status) >= 0) {
        preview.innerHTML = html; // our own server's template, escaped by Jinja
      } else {
        const failed = document.createElement("p");
        failed.className = "alert error";
        failed.textContent = fill(text.preview_failed, { status: answer ? answer.status : 0 });
        preview.replaceChildren(failed);
      }
    }

    document.getElementById("form-add").addEventListener("click", function () {
      const name = files.newName();
      if (!name) { return; }
      const starter = { type: "object", title: text.new_form_title, properties: {}, required: [] };
      workbench.setFile(name, JSON.stringify(starter, null, 2) + "\n");
      select(name);
    });

    document.getElementById("form-rename").addEventListener("click", function () {
      if (!current || nameInput.value.trim() === current) { return; }
      const name = files.newName();
      if (!name) { return; }
      const old = current;
      workbench.setFile(name, editor.value);
      workbench.removeFile(old);
      select(name);
    });

    document.getElementById("form-remove").addEventListener("click", function () {
      if (!current) { return; }
      const old = current;
      clear();
      workbench.removeFile(old);
    });

    editor.addEventListener("input", function () {
      if (!current) { return; }
      workbench.setFile(current, editor.value);
      check(PAUSE_MS);
    });

    // Another part of the page changed the bundle (a file opened from disk, a new template).
    workbench.onChange(function () {
      if (current && !(current in workbench.files)) {
        clear();
        return;
      }
      if (current && workbench.files[current] !== editor.value) {
        editor.value = workbench.files[current];
        check(0);
      }
      renderList();
    });

    window.motcuaFormEditor = { select: select };
    renderList();
    const first = names()[0];
    if (first) { select(first); }
  }

  // After every deferred script, modeler.js (which defines the workbench) included.
  document.addEventListener("DOMContentLoaded", start);
})();
