#!/usr/bin/env python3
"""Checks that a rendering of the packaged chart carries the repository's workflows unchanged.

    packaged_workflows.py RENDERED.yaml WORKFLOWS_FOLDER

files/workflows in the chart is a symbolic link to the repository's workflows/ folder; `helm
package` stores what it points to. Prints one line and exits 1 when the ConfigMap differs.
"""
import pathlib
import sys

import yaml

rendered, folder = sys.argv[1], pathlib.Path(sys.argv[2])
shipped = {p.name: p.read_text() for p in folder.glob("*.yaml")}
configmap = next((d for d in yaml.safe_load_all(open(rendered))
                  if d and d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-workflows")), None)
if configmap is None:
    sys.exit("no workflows ConfigMap in the packaged chart's rendering")
data = configmap.get("data") or {}
if set(data) != set(shipped) or any(data[k].rstrip("\n") != shipped[k].rstrip("\n") for k in shipped):
    sys.exit(f"the packaged workflows ConfigMap {sorted(data)} differs from workflows/ {sorted(shipped)}")
print(f"{len(shipped)} files in the package's ConfigMap, identical to workflows/*.yaml")
