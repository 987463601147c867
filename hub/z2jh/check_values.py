"""Check hub/z2jh/values.yaml against the Zero to JupyterHub chart's schema.

    python hub/z2jh/check_values.py SCHEMA [CHART_VALUES]

SCHEMA: the chart's `values.schema.json` (inside the chart: `helm pull jupyterhub/jupyterhub
--untar`) or `jupyterhub/values.schema.yaml` of github.com/jupyterhub/zero-to-jupyterhub-k8s
(what helm's values.schema.json is generated from). Helm validates the chart's default values
merged with ours: give the chart's values.yaml as CHART_VALUES to do the same.
Without SCHEMA only the YAML is parsed.
"""
import sys
from pathlib import Path

import yaml

VALUES = Path(__file__).with_name("values.yaml")


def merged(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        return {k: merged(base.get(k), over[k]) if k in over else base[k] for k in {**base, **over}}
    return over


def main(argv: list[str]) -> int:
    values = yaml.safe_load(VALUES.read_text())
    print(f"{VALUES}: YAML parses ({len(values)} top-level keys)")
    if not argv:
        return 0
    if len(argv) > 1:
        values = merged(yaml.safe_load(Path(argv[1]).read_text()), values)
    import jsonschema
    schema = yaml.safe_load(Path(argv[0]).read_text())  # JSON is YAML
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(values), key=lambda e: list(e.path))
    for error in errors:
        print(f"  {'.'.join(map(str, error.path)) or '(top)'}: {error.message}")
    print(f"against {argv[0]}: {'OK' if not errors else f'{len(errors)} errors'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
