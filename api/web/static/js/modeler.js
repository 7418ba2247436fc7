// The designer's workbench: the bpmn-js modeler, our properties panel, the bundle's other
// files (window.motcuaWorkbench, which the form and fee-table editors change), a file opened
// from disk, the tabs, and validate / deploy / download. Problems come back with the id of
// the element they are about; each one gets a marker and an overlay on its element, and
// the list below links to them.
(function () {
  "use strict";
  const setup = JSON.parse(document.getElementById("modeler-setup").textContent);

  // Defined first: the editors loaded after this script read and change the bundle here.
  const listeners = [];
  function changed() {
    listeners.forEach(function (callback) { callback(bench.files); });
  }
  const bench = {
    main: setup.main || "",
    files: Object.assign({}, setup.files || {}),
    setFile: function (name, text) { bench.files[name] = String(text); changed(); },
    removeFile: function (name) { delete bench.files[name]; changed(); },
    onChange: function (callback) { listeners.push(callback); },
  };
  window.motcuaWorkbench = bench;

  const text = setup.text;
  const status = document.getElementById("status");
  const list = document.getElementById("problems");
  const canvasBox = document.getElementById("canvas");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const modeler = new window.BpmnJS({ container: "#canvas" });
  const panel = window.MotcuaProperties(modeler, setup, document.getElementById("props-body"));
  let marked = [];

  function say(message, kind) {
    status.textContent = message;
    status.className = kind;
  }

  function clearProblems() {
    const canvas = modeler.get("canvas");
    marked.forEach(function (id) { canvas.removeMarker(id, "has-problem"); });
    marked = [];
    modeler.get("overlays").remove({ type: "problem" });
    list.textContent = "";
  }

  function showProblems(problems) {
    clearProblems();
    const registry = modeler.get("elementRegistry");
    const canvas = modeler.get("canvas");
    problems.forEach(function (p) {
      const item = document.createElement("li");
      const where = (p.file || "") + (p.line ? ":" + p.line : "") + " – " + p.element;
      item.textContent = where + ": " + p.message;
      if (p.element_id && registry.get(p.element_id)) {
        item.dataset.element = p.element_id;
        item.tabIndex = 0;
        item.className = "linked";
        const select = function () {
          modeler.get("selection").select(registry.get(p.element_id));
          canvas.scrollToElement(registry.get(p.element_id));
        };
        item.addEventListener("click", select);
        item.addEventListener("keydown", function (e) { if (e.key === "Enter") { select(); } });
        if (marked.indexOf(p.element_id) < 0) {
          canvas.addMarker(p.element_id, "has-problem");
          marked.push(p.element_id);
          const badge = document.createElement("div");
          badge.className = "problem-badge";
          badge.textContent = "!";
          badge.title = p.message;
          modeler.get("overlays").add(p.element_id, "problem", { position: { top: -10, right: 10 }, html: badge });
        }
      }
      list.appendChild(item);
    });
  }

  async function post(url, confirmed) {
    const saved = await modeler.saveXML({ format: true });
    const body = new URLSearchParams({ xml: saved.xml, files: JSON.stringify(bench.files),
      main: bench.main, csrf: csrf });
    if (confirmed) { body.set("new_version_of", confirmed); }
    const day = document.getElementById("effective-from");
    if (day && day.value.trim()) { body.set("effective_from", day.value.trim()); }
    const answer = await fetch(url, { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } });
    let data = null;
    try { data = await answer.json(); } catch (e) { data = null; }
    return { ok: answer.ok, status: answer.status, data: data };
  }

  function report(result) {
    if (!result.data) {
      say(text.request_failed + " (HTTP " + result.status + ")", "alert error");
      return false;
    }
    if (result.data.valid) {
      clearProblems();
      return true;
    }
    showProblems(result.data.problems || []);
    say(text.problems_found + ": " + (result.data.problems || []).length, "alert error");
    return false;
  }

  document.getElementById("validate").addEventListener("click", async function () {
    say(text.validating, "muted");
    const result = await post(setup.validate);
    if (report(result)) {
      say(text.valid, "alert ok");
    }
  });

  document.getElementById("deploy").addEventListener("click", async function () {
    say(text.deploying, "muted");
    let result = await post(setup.deploy);
    // The files would turn a deployed procedure into another one: deploy only if the
    // designer confirms they really are its next version.
    const replaced = result.data && result.data.confirm ? result.data.confirm[0] : null;
    if (replaced) {
      report(result);  // the problem stays listed while the question is asked
      if (window.confirm(text.confirm_new_version.split("%(key)s").join(replaced))) {
        say(text.deploying, "muted");
        result = await post(setup.deploy, replaced);
      }
    }
    if (report(result)) {
      say((result.data.created ? text.deployed : text.unchanged) + " v" + result.data.version, "alert ok");
      // A new bundle goes on in its version's modeler; an edited version to the comparison.
      if (result.data.next) {
        window.location.assign(result.data.next);
      } else if (result.data.created) {
        window.location.assign(result.data.compare);
      }
    }
  });

  document.getElementById("download").addEventListener("click", async function () {
    const saved = await modeler.saveXML({ format: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([saved.xml], { type: "application/xml" }));
    link.download = bench.main || "quy_trinh.bpmn";
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  });

  function shown(promise) {
    canvasBox.dataset.ready = "false";
    return promise.then(function () {
      modeler.get("canvas").zoom("fit-viewport");
      canvasBox.dataset.ready = "true";
      panel.render(null);
    });
  }

  // A file from disk replaces the diagram in the browser; nothing is stored until deploy.
  const picker = document.getElementById("open-file");
  document.getElementById("open").addEventListener("click", function () { picker.click(); });
  picker.addEventListener("change", async function () {
    const file = picker.files && picker.files[0];
    if (!file) { return; }
    const xml = await file.text();
    try {
      await shown(modeler.importXML(xml));
    } catch (e) {
      say(text.file_unreadable + " " + file.name + ": " + e.message, "alert error");
      picker.value = "";
      return;
    }
    if (!setup.xml) {  // a new bundle is named after the file it came from
      bench.main = file.name.replace(/(\.bpmn20\.xml|\.bpmn|\.xml)$/i, "") + ".bpmn";
    }
    clearProblems();
    say(text.file_opened + " " + file.name, "muted");
    picker.value = "";
  });

  // The tabs above the canvas: diagram, forms, fee tables.
  const tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab][data-tab]"));
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      tabs.forEach(function (other) {
        const on = other === tab;
        other.setAttribute("aria-selected", on ? "true" : "false");
        const box = document.getElementById("tab-" + other.dataset.tab);
        if (box) { box.hidden = !on; }
      });
    });
  });

  if (setup.diagram) {
    shown(modeler.importXML(setup.diagram));
  } else if (setup.xml) {
    shown(fetch(setup.xml, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (xml) { return modeler.importXML(xml); }));
  } else {
    shown(modeler.createDiagram());
  }
  window.motcuaModeler = modeler;
})();
