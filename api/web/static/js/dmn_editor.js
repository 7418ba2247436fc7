// The fee-table tab of the designer's workbench: the bundle's *.dmn files, one open in dmn-js
// (bpmn.io's DMN modeler) at its decision table, written back into window.motcuaWorkbench
// (modeler.js) after every change, and new tables made from a minimal template.
(function () {
  "use strict";
  const fill = window.MotcuaWorkbenchList.fill;

  function escaped(value) {
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  // One decision table: the filing channel in, `fee` out, one rule that charges nothing.
  // The decision's id comes from the file name, so two tables of a bundle do not clash.
  function starter(name, text) {
    const id = name.slice(0, -4).replace(/[^A-Za-z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
    const decision = escaped(text.new_fee_decision);
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"' +
        ' xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/"' +
        ' xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/"' +
        ' id="Definitions_' + id + '" name="' + decision + '" namespace="urn:motcua:fees">',
      '  <decision id="' + id + '" name="' + decision + '">',
      '    <decisionTable id="DecisionTable_' + id + '" hitPolicy="UNIQUE">',
      '      <input id="Input_channel" label="' + escaped(text.new_fee_input) + '">',
      '        <inputExpression id="InputExpression_channel" typeRef="string">',
      '          <text>channel</text>',
      '        </inputExpression>',
      '      </input>',
      '      <output id="Output_fee" label="' + escaped(text.new_fee_output) + '" name="fee"' +
        ' typeRef="integer" />',
      '      <rule id="Rule_1">',
      '        <inputEntry id="InputEntry_1"><text>-</text></inputEntry>',
      '        <outputEntry id="OutputEntry_1"><text>0</text></outputEntry>',
      '      </rule>',
      '    </decisionTable>',
      '  </decision>',
      '  <dmndi:DMNDI>',
      '    <dmndi:DMNDiagram id="DMNDiagram_' + id + '">',
      '      <dmndi:DMNShape id="DMNShape_' + id + '" dmnElementRef="' + id + '">',
      '        <dc:Bounds height="80" width="180" x="160" y="100" />',
      '      </dmndi:DMNShape>',
      '    </dmndi:DMNDiagram>',
      '  </dmndi:DMNDI>',
      '</definitions>',
      ''].join("\n");
  }

  function start() {
    const workbench = window.motcuaWorkbench;
    const panel = document.getElementById("tab-dmn");
    if (!workbench || !panel || !window.DmnJS) { return; }
    const text = JSON.parse(document.getElementById("workbench-files-setup").textContent).text;
    const list = document.getElementById("dmn-list");
    const empty = document.getElementById("dmn-list-empty");
    const nameInput = document.getElementById("dmn-name");
    const nameError = document.getElementById("dmn-name-error");
    const heading = document.getElementById("dmn-editing");
    const status = document.getElementById("dmn-status");
    const canvas = document.getElementById("dmn-canvas");
    const untitled = heading.textContent;
    let modeler = null;
    let current = null; // the file open in dmn-js
    let wanted = null; // the file to open once the tab is shown
    let loaded = ""; // the text last read from or written to the workbench for `current`
    let importing = false;
    let saves = 0;

    const files = window.MotcuaWorkbenchList.FileList(workbench, ".dmn", {
      list: list, empty: empty, nameInput: nameInput, nameError: nameError }, text);
    const names = files.names;

    function shown() { return !panel.hidden && panel.offsetParent !== null; }

    function renderList() { files.render(wanted || current, select); }

    async function save() {
      const name = current;
      const mine = ++saves;
      const saved = await modeler.saveXML({ format: true });
      if (mine !== saves || name !== current || !(name in workbench.files)) { return; }
      loaded = saved.xml;
      workbench.setFile(name, saved.xml);
    }

    function editor() {
      if (!modeler) {
        modeler = new window.DmnJS({ container: canvas });
        // Each view (decision table, DRD, literal expression) has a viewer of its own, made
        // when first opened; an import clears its command stack, which is not an edit.
        modeler.on("viewer.created", function (event) {
          event.viewer.on("commandStack.changed", function (change) {
            if (!importing && change.trigger !== "clear") { save(); }
          });
        });
      }
      return modeler;
    }

    async function open(name) {
      wanted = null;
      current = name;
      loaded = workbench.files[name];
      nameInput.value = name;
      nameError.textContent = "";
      heading.textContent = fill(text.editing, { name: name });
      status.textContent = "";
      status.className = "";
      delete canvas.dataset.ready;
      renderList();
      importing = true;
      try {
        const dmn = editor();
        await dmn.importXML(loaded, { open: false });
        const views = dmn.getViews();
        const view = views.find(function (v) { return v.type === "decisionTable"; }) || views[0];
        if (view) { await dmn.open(view); }
      } catch (error) {
        status.textContent = fill(text.dmn_open_failed, { name: name, message: error.message });
        status.className = "alert error";
      } finally {
        importing = false;
      }
      if (current === name) {
        canvas.dataset.file = name;
        canvas.dataset.ready = "true";
      }
    }

    // dmn-js measures its container: open a table only while the tab is on screen.
    function select(name) {
      if (!(name in workbench.files)) { return; }
      if (shown()) {
        open(name);
      } else {
        wanted = name;
        renderList();
      }
    }

    function clear() {
      current = null;
      wanted = null;
      loaded = "";
      if (modeler) {
        modeler.destroy();
        modeler = null;
      }
      delete canvas.dataset.ready;
      heading.textContent = untitled;
      status.textContent = "";
      renderList();
    }

    document.getElementById("dmn-add").addEventListener("click", function () {
      const name = files.newName();
      if (!name) { return; }
      workbench.setFile(name, starter(name, text));
      select(name);
    });

    document.getElementById("dmn-remove").addEventListener("click", function () {
      const name = current || wanted;
      if (!name) { return; }
      clear();
      workbench.removeFile(name);
    });

    workbench.onChange(function () {
      const name = current || wanted;
      if (name && !(name in workbench.files)) {
        clear();
        return;
      }
      if (current && workbench.files[current] !== loaded) { open(current); }
      renderList();
    });

    function onShow() {
      if (!shown()) { return; }
      const name = wanted || (current ? null : names()[0]);
      if (name) { open(name); }
    }
    new MutationObserver(onShow).observe(panel, { attributes: true });
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest('[data-tab="dmn"]')) {
        setTimeout(onShow, 0);
      }
    });

    window.motcuaFeeTables = { select: select };
    wanted = names()[0] || null;
    renderList();
    if (wanted && shown()) { open(wanted); }
  }

  // After every deferred script, modeler.js (which defines the workbench) included.
  document.addEventListener("DOMContentLoaded", start);
})();
