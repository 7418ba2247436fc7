// A small properties panel for our vocabulary. It reads and writes the name/value pairs of
// <spiffworkflow:properties> through the modeler's moddle and modeling services, so every
// edit is one command (undo works) and the XML keeps every other extension element as it was.
(function () {
  "use strict";
  const SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core";

  function isType(bo, type) {
    return bo && bo.$instanceOf && bo.$instanceOf(type);
  }

  function container(bo) {
    const ext = bo && bo.extensionElements;
    if (!ext || !ext.values) {
      return null;
    }
    return ext.values.find(function (v) { return /^spiffworkflow:properties$/i.test(v.$type); }) || null;
  }

  function read(bo) {
    const found = {};
    const box = container(bo);
    ((box && box.$children) || []).forEach(function (p) {
      if (/property$/i.test(p.$type) && p.name) {
        found[p.name] = p.value === undefined ? "" : p.value;
      }
    });
    return found;
  }

  function write(modeler, element, bo, name, value) {
    const moddle = modeler.get("moddle");
    const modeling = modeler.get("modeling");
    let ext = bo.extensionElements;
    if (!ext) {
      ext = moddle.create("bpmn:ExtensionElements", { values: [] });
      modeling.updateModdleProperties(element, bo, { extensionElements: ext });
    }
    let box = container(bo);
    if (!box) {
      box = moddle.createAny("spiffworkflow:properties", SPIFF, { $children: [] });
      modeling.updateModdleProperties(element, ext, { values: (ext.values || []).concat([box]) });
    }
    const others = (box.$children || []).filter(function (p) { return p.name !== name; });
    const kept = (box.$children || []).find(function (p) { return p.name === name; });
    let next = others;
    if (value !== "") {
      const created = moddle.createAny("spiffworkflow:property", SPIFF, { name: name, value: value });
      next = (box.$children || []).map(function (p) { return p === kept ? created : p; });
      if (!kept) {
        next = next.concat([created]);
      }
    }
    modeling.updateModdleProperties(element, box, { $children: next });
  }

  // What the panel shows for an element: [heading key, [[property, label key, kind, options]]]
  function fieldsFor(bo, setup) {
    const deps = Object.keys(setup.departments);
    if (isType(bo, "bpmn:Process")) {
      return ["props_procedure", [
        ["procedure_code", "prop_procedure_code", "text"], ["field", "prop_field", "text"],
        ["level", "prop_level", "select", setup.levels], ["deadline", "prop_deadline", "number"],
        ["deadline_unit", "prop_deadline_unit", "select", setup.units],
        ["fee_variable", "prop_fee_variable", "text"]]];
    }
    if (isType(bo, "bpmn:Lane")) {
      return ["props_lane", [["department", "prop_department", "select", deps]]];
    }
    if (isType(bo, "bpmn:UserTask") || isType(bo, "bpmn:ManualTask")) {
      return ["props_task", [
        ["allowance", "prop_allowance", "text"], ["form", "prop_form", "select", setup.forms],
        ["pauses_clock", "prop_pauses_clock", "checkbox"]]];
    }
    if (isType(bo, "bpmn:StartEvent")) {
      return ["props_start", [["form", "prop_form", "select", setup.forms]]];
    }
    if (isType(bo, "bpmn:EndEvent")) {
      return ["props_end", [["outcome", "prop_outcome", "select", setup.outcomes]]];
    }
    return ["props_none", []];
  }

  function input(kind, id, value, options, text, setup) {
    let el;
    if (kind === "select") {
      el = document.createElement("select");
      const blank = document.createElement("option");
      blank.value = "";
      blank.textContent = text.choose;
      el.appendChild(blank);
      const all = options.slice();
      if (value && all.indexOf(value) < 0) {
        all.push(value);
      }
      all.forEach(function (o) {
        const opt = document.createElement("option");
        opt.value = o;
        opt.textContent = setup.departments[o] ? o + " – " + setup.departments[o] : o;
        el.appendChild(opt);
      });
      el.value = value || "";
    } else if (kind === "checkbox") {
      el = document.createElement("input");
      el.type = "checkbox";
      el.checked = String(value).toLowerCase() === "true";
    } else {
      el = document.createElement("input");
      el.type = kind === "number" ? "number" : "text";
      if (kind === "number") { el.step = "any"; el.min = "0"; }
      el.value = value || "";
    }
    el.id = id;
    return el;
  }

  function Panel(modeler, setup, body) {
    const text = setup.text;

    function target(element) {
      // Nothing selected, or a pool: the procedure's own properties live on its process.
      const canvas = modeler.get("canvas");
      const shape = element || canvas.getRootElement();
      let bo = shape && shape.businessObject;
      if (!bo || isType(bo, "bpmn:Collaboration")) {
        const pools = modeler.get("elementRegistry").filter(function (e) { return e.type === "bpmn:Participant"; });
        return pools.length ? { shape: pools[0], bo: pools[0].businessObject.processRef } : { shape: shape, bo: bo };
      }
      if (isType(bo, "bpmn:Participant")) {
        bo = bo.processRef;
      }
      return { shape: shape, bo: bo };
    }

    function render(element) {
      const chosen = target(element);
      const spec = chosen.bo ? fieldsFor(chosen.bo, setup) : ["props_none", []];
      const values = read(chosen.bo);
      body.textContent = "";
      const heading = document.createElement("p");
      heading.className = "props-kind";
      heading.textContent = text[spec[0]];
      body.appendChild(heading);
      const ident = document.createElement("p");
      ident.className = "muted props-id";
      ident.textContent = text.element_id + ": " + (chosen.bo && chosen.bo.id) +
        (chosen.bo && chosen.bo.name ? " – " + chosen.bo.name : "");
      body.appendChild(ident);
      spec[1].forEach(function (f) {
        const id = "prop-" + f[0];
        const row = document.createElement("div");
        row.className = "field";
        const label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = text[f[1]];
        const el = input(f[2], id, values[f[0]], f[3] || [], text, setup);
        el.dataset.property = f[0];
        el.addEventListener("change", function () {
          const value = f[2] === "checkbox" ? (el.checked ? "true" : "") : el.value.trim();
          write(modeler, chosen.shape, chosen.bo, f[0], value);
        });
        if (f[2] === "checkbox") {
          label.prepend(el);
          label.className = "choice";
          row.appendChild(label);
        } else {
          row.appendChild(label);
          row.appendChild(el);
        }
        if (f[0] === "allowance") {
          const hint = document.createElement("p");
          hint.className = "hint";
          hint.textContent = text.prop_allowance_hint;
          row.appendChild(hint);
        }
        body.appendChild(row);
      });
    }

    modeler.on("selection.changed", function (event) {
      render(event.newSelection.length === 1 ? event.newSelection[0] : null);
    });
    modeler.on("import.done", function () { render(null); });
    return { render: render, read: read };
  }

  window.MotcuaProperties = Panel;
})();
