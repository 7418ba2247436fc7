"""Copy the browser libraries the pages load from node_modules (installed by ``npm ci`` from
package-lock.json) into static/vendor. Run by ``make assets``; no bundler is involved."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
VENDOR = HERE / "static" / "vendor"
# source under node_modules -> destination under static/vendor
FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "bpmn-js/dist/bpmn-navigated-viewer.production.min.js":
        "bpmn-navigated-viewer.production.min.js",
    "bpmn-js/dist/bpmn-modeler.production.min.js": "bpmn-modeler.production.min.js",
    "bpmn-js/dist/assets/bpmn-js.css": "bpmn-js/bpmn-js.css",
    "bpmn-js/dist/assets/diagram-js.css": "bpmn-js/diagram-js.css",
    "bpmn-js/dist/assets/bpmn-font": "bpmn-js/bpmn-font",
    "dmn-js/dist/dmn-modeler.production.min.js": "dmn-modeler.production.min.js",
    "dmn-js/dist/assets": "dmn-js",  # the stylesheets of each view, and dmn-font
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    # /docs (api.docs_page): Swagger UI from this site, not from a CDN
    "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui.css": "swagger-ui/swagger-ui.css",
    "swagger-ui-dist/favicon-32x32.png": "swagger-ui/favicon-32x32.png",
    "swagger-ui-dist/LICENSE": "swagger-ui/LICENSE",
}


def main() -> int:
    missing = [src for src in FILES if not (MODULES / src).exists()]
    if missing:
        print(f"missing in {MODULES}: {', '.join(missing)}; run `npm ci` in {HERE}",
              file=sys.stderr)
        return 1
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for src, dest in FILES.items():
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if (MODULES / src).is_dir():
            shutil.copytree(MODULES / src, target)
        else:
            shutil.copy2(MODULES / src, target)
    print(f"copied {len(FILES)} assets into {VENDOR.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
