#!/usr/bin/env python3
"""Validates rendered manifests offline, the way the API server would see them.

Built-in kinds are checked against the Kubernetes schemas of one pinned version (kubernetes-validate's
strict schemas: unknown fields are errors, as with `kubectl apply --validate=strict`). Custom
resources are checked against the openAPIV3Schema of their CRD, converted to JSON Schema with one
addition the API server makes implicitly: an object with declared properties rejects others
(the server would prune them silently, so a misspelt field would simply vanish).

    validate_manifests.py --kube-version 1.34.0 --crds DIR [--crds DIR ...] RENDERED.yaml ...

Prints one line per kind and file, every problem with its path, and the CRD kinds that could not be
validated because no CRD for them was given. Exits 1 on any problem, 0 otherwise.
"""
import argparse
import copy
import functools
import importlib.resources
import json
import pathlib
import re
import sys

import jsonschema
import referencing
import yaml

# What a CRD schema says that JSON Schema has no word for: list/map semantics for server-side
# apply, and CEL rules (x-kubernetes-validations), which only an API server can evaluate.
IGNORED_EXTENSIONS = {
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
    "x-kubernetes-embedded-resource", "x-kubernetes-validations",
}
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def crd_to_json_schema(node):
    """openAPIV3Schema (structural) -> JSON Schema draft 4, recursively."""
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in IGNORED_EXTENSIONS or key in ("x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "nullable"):
            continue
        if key == "properties":
            out[key] = {name: crd_to_json_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = crd_to_json_schema(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [crd_to_json_schema(sub) for sub in value]
        else:
            out[key] = value
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if (out.get("type") == "object" and "properties" in out and "additionalProperties" not in out
            and not node.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def count_cel_rules(node):
    if isinstance(node, dict):
        return len(node.get("x-kubernetes-validations", [])) + sum(count_cel_rules(v) for v in node.values())
    if isinstance(node, list):
        return sum(count_cel_rules(v) for v in node)
    return 0


class CrdSchemas:
    """The served versions of every CRD found in the given folders, by (apiVersion, kind)."""

    def __init__(self, folders):
        self.validators = {}
        self.cel_rules = {}
        self.sources = {}
        for folder in folders:
            for path in sorted(pathlib.Path(folder).glob("*.yaml")):
                for crd in yaml.safe_load_all(path.read_text()):
                    if not crd or crd.get("kind") != "CustomResourceDefinition":
                        continue
                    group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
                    for version in crd["spec"]["versions"]:
                        if not version.get("served", True):
                            continue
                        schema = version["schema"]["openAPIV3Schema"]
                        key = (f"{group}/{version['name']}", kind)
                        converted = crd_to_json_schema(copy.deepcopy(schema))
                        self.validators[key] = jsonschema.Draft4Validator(converted)
                        self.cel_rules[key] = count_cel_rules(schema)
                        self.sources[key] = f"{path.parent.name}/{path.name}"

    def groups(self):
        return {api_version.split("/")[0] for api_version, _ in self.validators}


class KubernetesSchemas:
    """kubernetes-validate's strict schemas of one Kubernetes version, validators cached per kind."""

    def __init__(self, version):
        root = importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema"
        self.folder = pathlib.Path(str(root)) / f"v{version}-local-strict"
        if not self.folder.is_dir():
            available = sorted(p.name for p in pathlib.Path(str(root)).iterdir() if p.name.endswith("-local-strict"))
            sys.exit(f"kubernetes-validate has no schemas for Kubernetes {version}; it has {', '.join(available)}")
        definitions = json.loads((self.folder / "_definitions.json").read_text())
        # The kind schemas refer to https://kubernetes.io/api/_definitions.json, the $id of this file.
        self.registry = referencing.Resource.from_contents(definitions) @ referencing.Registry()

    @functools.lru_cache(maxsize=None)
    def validator(self, api_version, kind):
        # rbac.authorization.k8s.io/v1 -> rbac-v1, apps/v1 -> apps-v1, v1 -> v1
        prefix = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
        path = self.folder / f"{kind.lower()}-{prefix}.json"
        if not path.exists():
            return None
        schema = json.loads(path.read_text())
        return jsonschema.Draft202012Validator(schema, registry=self.registry)


def where(error):
    return "/".join(str(p) for p in error.absolute_path) or "(top)"


def summary(file, counts):
    """One line per rendering: how many objects were checked against what."""
    builtin = sum(n for (_, _, against), n in counts.items() if against.startswith("Kubernetes"))
    by_crd = {}
    for (api_version, kind, against), n in counts.items():
        if against.startswith("CRD"):
            by_crd.setdefault(api_version, []).append(f"{kind} {n}")
    skipped = sum(n for (_, _, against), n in counts.items() if against.startswith("NOT"))
    parts = [f"{builtin} against Kubernetes schemas"]
    parts += [f"{', '.join(sorted(kinds))} against the {api_version} CRD" for api_version, kinds in sorted(by_crd.items())]
    if skipped:
        parts.append(f"{skipped} NOT validated")
    return f"{file}: {sum(counts.values())} objects: " + "; ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kube-version", required=True)
    parser.add_argument("--crds", action="append", default=[], help="a folder of CRD YAML files")
    parser.add_argument("--expect-crd-group", action="append", default=[],
                        help="a custom-resource API group whose kinds were meant to be validated")
    parser.add_argument("--verbose", action="store_true", help="one line per kind instead of per file")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    kubernetes = KubernetesSchemas(args.kube_version)
    crds = CrdSchemas(args.crds)
    problems, not_validated, cel_skipped = [], {}, {}

    for file in args.files:
        counts = {}
        try:
            docs = list(yaml.safe_load_all(pathlib.Path(file).read_text()))
        except yaml.YAMLError as e:
            problems.append(f"{pathlib.Path(file).name}: not valid YAML: {e}")
            continue
        for doc in docs:
            if not doc:
                continue
            api_version, kind = doc.get("apiVersion", "?"), doc.get("kind", "?")
            name = doc.get("metadata", {}).get("name", "?")
            label = f"{pathlib.Path(file).name}: {kind} {name}"
            group = api_version.split("/")[0] if "/" in api_version else ""
            if (api_version, kind) in crds.validators:
                validator, against = crds.validators[(api_version, kind)], f"CRD {crds.sources[(api_version, kind)]}"
                if not DNS_SUBDOMAIN.match(name) or len(name) > 253:
                    problems.append(f"{label}: metadata/name is not a DNS subdomain name")
            elif "." in group and not group.endswith(".k8s.io"):
                # A custom resource whose CRD we do not have: say so, do not pretend.
                not_validated.setdefault(f"{kind} ({api_version})", set()).add(pathlib.Path(file).name)
                counts[(api_version, kind, "NOT VALIDATED: no CRD schema")] = counts.get((api_version, kind, "NOT VALIDATED: no CRD schema"), 0) + 1
                continue
            else:
                validator = kubernetes.validator(api_version, kind)
                against = f"Kubernetes {args.kube_version} (strict)"
                if validator is None:
                    problems.append(f"{label}: Kubernetes {args.kube_version} has no {kind} in {api_version}")
                    continue
            for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
                problems.append(f"{label}: {where(error)}: {error.message[:300]}")
            counts[(api_version, kind, against)] = counts.get((api_version, kind, against), 0) + 1

        if args.verbose:
            for (api_version, kind, against), n in sorted(counts.items(), key=lambda kv: (kv[0][2], kv[0][1])):
                cel = crds.cel_rules.get((api_version, kind), 0)
                note = f"; {cel} CEL rules not evaluated" if cel else ""
                print(f"  {pathlib.Path(file).name:<24} {kind:<24} x{n:<3} {api_version:<30} {against}{note}")
        else:
            print(summary(pathlib.Path(file).name, counts))
        for (api_version, kind, _), _n in counts.items():
            if crds.cel_rules.get((api_version, kind)):
                cel_skipped[f"{kind} ({api_version})"] = crds.cel_rules[(api_version, kind)]

    for kind, files in sorted(not_validated.items()):
        print(f"NOT VALIDATED {kind} in {', '.join(sorted(files))}: no CRD schema for it was available")
    missing_groups = [g for g in args.expect_crd_group if g not in crds.groups()]
    for group in missing_groups:
        print(f"NOT VALIDATED: no CRD of the group {group} could be loaded")
    if cel_skipped:
        print("CEL rules (x-kubernetes-validations) are not evaluated offline: "
              + ", ".join(f"{kind} {n}" for kind, n in sorted(cel_skipped.items())))
    for problem in problems:
        print(f"INVALID {problem}")
    print(f"{len(problems)} invalid, {len(not_validated)} kinds not validated")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
