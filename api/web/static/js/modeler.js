// The designer's page: the bpmn-js modeler, our properties panel, and validate / deploy /
// download. Problems come back with the id of the element they are about; each one gets a
// marker and an overlay on its element, and the list below links to them.
(function () {
  "use strict";
  const setup = JSON.parse(document.getElementById("modeler-setup").textContent);
  const text = setup.text;
  const status = document.getElementById("status");
  const list = document.getElementById("problems");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const modeler = new window.BpmnJS({ container: "#canvas" });
  const panel = window.MotcuaProperties(modeler, setup, document.getElementById("props-body"));
  let marked = [];

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

  async function post(url) {
    const saved = await modeler.saveXML({ format: true });
    const body = new URLSearchParams({ xml: saved.xml, csrf: csrf });
    const answer = await fetch(url, { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } });
    let data = null;
    try { data = await answer.json(); } catch (e) { data = null; }
    return { ok: answer.ok, status: answer.status, data: data };
  }

  function report(result) {
    if (!result.data) {
      status.textContent = text.request_failed + " (HTTP " + result.status + ")";
      status.className = "alert error";
      return false;
    }
    if (result.data.valid) {
      clearProblems();
      return true;
    }
    showProblems(result.data.problems || []);
    status.textContent = text.problems_found + ": " + (result.data.problems || []).length;
    status.className = "alert error";
    return false;
  }

  document.getElementById("validate").addEventListener("click", async function () {
    status.textContent = text.validating;
    status.className = "muted";
    const result = await post(setup.validate);
    if (report(result)) {
      status.textContent = text.valid;
      status.className = "alert ok";
    }
  });

  document.getElementById("deploy").addEventListener("click", async function () {
    status.textContent = text.deploying;
    status.className = "muted";
    const result = await post(setup.deploy);
    if (report(result)) {
      status.textContent = (result.data.created ? text.deployed : text.unchanged) + " v" + result.data.version;
      status.className = "alert ok";
      if (result.data.created) {
        window.location.assign(result.data.compare);
      }
    }
  });

  document.getElementById("download").addEventListener("click", async function () {
    const saved = await modeler.saveXML({ format: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([saved.xml], { type: "application/xml" }));
    link.download = setup.xml.split("/").slice(-2).join("-");
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  });

  fetch(setup.xml, { credentials: "same-origin" })
    .then(function (r) { return r.text(); })
    .then(function (xml) { return modeler.importXML(xml); })
    .then(function () {
      modeler.get("canvas").zoom("fit-viewport");
      document.getElementById("canvas").dataset.ready = "true";
      panel.render(null);
    });
  window.motcuaModeler = modeler;
})();
