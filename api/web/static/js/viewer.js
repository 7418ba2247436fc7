// Open a BPMN diagram read-only in a container: fetch the XML from the page's own route,
// import it into the bpmn-js navigated viewer and fit it to the box.
(function () {
  "use strict";

  async function open(container) {
    if (!window.BpmnJS) {
      container.textContent = container.dataset.missing || "BPMN viewer not loaded (make assets)";
      return null;
    }
    const viewer = new window.BpmnJS({ container: container });
    const answer = await fetch(container.dataset.xml, { credentials: "same-origin" });
    if (!answer.ok) {
      container.textContent = "HTTP " + answer.status;
      return null;
    }
    await viewer.importXML(await answer.text());
    viewer.get("canvas").zoom("fit-viewport");
    container.dataset.ready = "true";
    return viewer;
  }

  function mark(viewer, ids, css) {
    const registry = viewer.get("elementRegistry");
    const canvas = viewer.get("canvas");
    ids.forEach(function (id) {
      if (id && registry.get(id)) {
        canvas.addMarker(id, css);
      }
    });
  }

  window.MotcuaDiagram = { open: open, mark: mark };
})();
