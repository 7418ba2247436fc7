// A small properties panel for our vocabulary. It reads the name/value pairs of both
// <spiffworkflow:properties> and Camunda's <camunda:properties>, as the engine does (in
// document order, a later pair overriding an earlier one of the same name), and writes into
// the vocabulary the element, else the file, already uses (new files: spiffworkflow). Edits
// go through the modeler's moddle and modeling services, so each is one command (undo
// works) and the XML keeps every other extension element as it was.
(function () {
  "use strict";
  const KINDS = {
    spiff: { uri: "http://spiffworkflow.org/bpmn/schema/1.0/core", prefix: "spiffworkflow" },
    camunda: { uri: "http://camunda.org/schema/1.0/bpmn", prefix: "camunda" },
  };

  function isType(bo, type) {
    return bo && bo.$instanceOf && bo.$instanceOf(type);
  }

  // Which vocabulary an extension element belongs to, by its namespace (any prefix).
  function kindOf(value) {
    const ns = value && value.$descriptor && value.$descriptor.ns;
    const local = String((ns && ns.localName) || String((value && value.$type) || "").split(":").pop());
    if (local.toLowerCase() !== "properties") {
      return null;
    }
    const uri = ns && ns.uri;
    if (uri === KINDS.spiff.uri || /^spiffworkflow:/i.test(value.$type)) { return "spiff"; }
    if (uri === KINDS.camunda.uri || /^camunda:/i.test(value.$type)) { return "camunda"; }
    return null;
  }

  function containers(bo) {
    const ext = bo && bo.extensionElements;
    return ((ext && ext.values) || []).filter(function (v) { return kindOf(v) !== null; });
  }

  function read(bo) {
    const found = {};
    containers(bo).forEach(function (box) {
      (box.$children || []).forEach(function (p) {
        if (/property$/i.test(p.$type) && p.name) {
          found[p.name] = p.value === undefined ? "" : p.value;
        }
      });
    });
    return found;
  }

  // The vocabulary of a whole diagram: Camunda when it has Camunda properties and no
  // SpiffWorkflow ones, else SpiffWorkflow.
  function vocabularyOf(definitions) {
    const seen = { spiff: false, camunda: false };
    const visited = [];
    function visit(bo) {
      if (!bo || typeof bo !== "object" || visited.indexOf(bo) >= 0) { return; }
      visited.push(bo);
      containers(bo).forEach(function (box) { seen[kindOf(box)] = true; });
      ["rootElements", "flowElements", "laneSets", "lanes", "participants", "artifacts"].forEach(function (key) {
        (bo[key] || []).forEach(visit);
      });
      visit(bo.childLaneSet);
      visit(bo.processRef);
    }
    visit(definitions);
    return seen.camunda && !seen.spiff ? "camunda" : "spiff";
  }

  // The prefix the file declares for a namespace (bpmn-js keeps unknown ones as written).
  function prefixFor(definitions, kind) {
    const attrs = (definitions && definitions.$attrs) || {};
    const declared = Object.keys(attrs).find(function (a) {
      return a.indexOf("xmlns:") === 0 && attrs[a] === KINDS[kind].uri;
    });
    if (declared) { return declared.slice(6); }
    if (definitions) { definitions.$attrs["xmlns:" + KINDS[kind].prefix] = KINDS[kind].uri; }
    return KINDS[kind].prefix;
  }

  function write(modeler, element, bo, name, value, vocabulary) {
    const moddle = modeler.get("moddle");
    const modeling = modeler.get("modeling");
    const definitions = modeler.getDefinitions();
    let ext = bo.extensionElements;
    if (!ext) {
      ext = moddle.create("bpmn:ExtensionElements", { values: [] });
      modeling.updateModdleProperties(element, bo, { extensionElements: ext });
    }
    const boxes = containers(bo);
    const mine = boxes.filter(function (b) { return kindOf(b) === vocabulary; });
    let box = mine.length ? mine[mine.length - 1] : boxes[boxes.length - 1];
    if (!box) {
      const prefix = prefixFor(definitions, vocabulary);
      box = moddle.createAny(prefix + ":properties", KINDS[vocabulary].uri, { $children: [] });
      modeling.updateModdleProperties(element, ext, { values: (ext.values || []).concat([box]) });
    }
    // The pair lives in one container only, so what is written is what the engine reads.
    boxes.forEach(function (other) {
      if (other !== box && (other.$children || []).some(function (p) { return p.name === name; })) {
        modeling.updateModdleProperties(element, other, {
          $children: other.$children.filter(function (p) { return p.name !== name; }) });
      }
    });
    const kind = kindOf(box);
    const prefix = String(box.$type).split(":")[0] || KINDS[kind].prefix;
    const children = box.$children || [];
    const kept = children.find(function (p) { return p.name === name; });
    const created = value === "" ? null :
      moddle.createAny(prefix + ":property", KINDS[kind].uri, { name: name, value: value });
    let next = children.filter(function (p) { return p === kept || p.name !== name; })
      .map(function (p) { return p === kept ? created : p; })
      .filter(function (p) { return p !== null; });
    if (created && !kept) {
      next = next.concat([created]);
    }
    modeling.updateModdleProperties(element, box, { $children: next });
  }

  // What the panel shows for an element: [heading key, [[property, label key, kind, options]]]
  function fieldsFor(bo, setup, forms) {
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
        ["allowance", "prop_allowance", "text"], ["form", "prop_form", "select", forms],
        ["pauses_clock", "prop_pauses_clock", "checkbox"]]];
    }
    if (isType(bo, "bpmn:StartEvent")) {
      return ["props_start", [["form", "prop_form", "select", forms]]];
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
        // A department by its name, a level, unit or outcome by its label; the value stays.
        const label = setup.departments[o] || (setup.labels && setup.labels[o]);
        opt.textContent = label ? (setup.departments[o] ? label + " (" + o + ")" : label) : o;
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
    let vocabulary = "spiff";
    let current = null;

    // The form choices: the bundle's *.json files as the workbench holds them now.
    function forms() {
      const bench = window.motcuaWorkbench;
      return Object.keys((bench && bench.files) || {}).filter(function (n) {
        return /\.json$/i.test(n);
      }).sort();
    }

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
      current = element;
      const chosen = target(element);
      const spec = chosen.bo ? fieldsFor(chosen.bo, setup, forms()) : ["props_none", []];
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
          if ((read(chosen.bo)[f[0]] || "") !== value) {  // a change event on blur repeats it
            write(modeler, chosen.shape, chosen.bo, f[0], value, vocabulary);
          }
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
    modeler.on("import.done", function () {
      vocabulary = vocabularyOf(modeler.getDefinitions());
      body.dataset.vocabulary = vocabulary;
      render(null);
    });
    if (window.motcuaWorkbench) {
      window.motcuaWorkbench.onChange(function () { render(current); });
    }
    return { render: render, read: read, vocabulary: function () { return vocabulary; } };
  }

  window.MotcuaProperties = Panel;
})();
