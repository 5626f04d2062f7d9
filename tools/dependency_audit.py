"""The dependency vulnerability scan of ``make test``: pip-audit over the project's environment (or a requirements
file), failing on any known vulnerability that has a fixed version to move to.

pip-audit asks PyPI's JSON API for each installed version's known vulnerabilities (the OSV data PyPI publishes).
Where that service cannot be reached (a network that reaches only the package index, not its JSON API, answers
"not found" for every package and pip-audit then reports "no known vulnerabilities"), this says so plainly, names it
SKIPPED, and exits 0 rather than either failing the build or claiming a clean result. A vulnerability with no fix
yet is listed as a warning; one with a fix fails (exit 1). Run: ``python tools/dependency_audit.py [-r FILE]``.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

UNREACHABLE = ("not found on PyPI", "Connection", "connection", "timed out", "Max retries")


def run_pip_audit(requirements: Path | None) -> tuple[dict | None, str]:
    """pip-audit's JSON report (None where it wrote none) and what it said on stderr."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "--format", "json", "--output", str(report),
                   "--progress-spinner", "off", "--vulnerability-service", "pypi"]
        command += ["-r", str(requirements), "--no-deps", "--disable-pip"] if requirements else ["--skip-editable"]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=900)
        found = json.loads(report.read_text(encoding="utf-8")) if report.exists() else None
    return found, finished.stderr


def verdict(report: dict | None, stderr: str) -> tuple[int, list[str]]:
    """The exit code and the lines to print, from pip-audit's report (see the module)."""
    if report is None:
        if any(sign in stderr for sign in UNREACHABLE):
            return 0, ["dependency audit SKIPPED: pip-audit could not reach its vulnerability service (PyPI's JSON "
                       "API); no package was checked. Run `make audit` where it is reachable."]
        return 1, ["dependency audit FAILED to run: " + (stderr.strip().splitlines() or ["no report"])[-1]]
    packages = report.get("dependencies", [])
    skipped = [item for item in packages if item.get("skip_reason")]
    audited = [item for item in packages if not item.get("skip_reason")]
    if packages and not audited:
        reasons = {item["skip_reason"].split(":")[0] for item in skipped}
        return 0, [f"dependency audit SKIPPED: pip-audit could not reach its vulnerability service (PyPI's JSON "
                   f"API): all {len(packages)} packages were skipped ({'; '.join(sorted(reasons))}), so none was "
                   "checked. Run `make audit` where it is reachable."]
    fixable, unfixed = [], []
    for item in audited:
        for vulnerability in item.get("vulns", []):
            line = f"{item['name']} {item['version']}: {vulnerability['id']}"
            if vulnerability.get("fix_versions"):
                fixable.append(f"{line} (fixed in {', '.join(vulnerability['fix_versions'])})")
            else:
                unfixed.append(f"{line} (no fixed version yet)")
    lines = [f"dependency audit: {len(audited)} packages checked, {len(skipped)} not found on PyPI "
             f"({', '.join(item['name'] for item in skipped) or 'none'})"]
    lines += [f"  warning: {line}" for line in unfixed]
    lines += [f"  FIX: {line}" for line in fixable]
    lines.append("dependency audit FAILED: upgrade the packages marked FIX" if fixable else
                 "dependency audit passed: no known vulnerability with a fix")
    return (1 if fixable else 0), lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--requirements", type=Path, help="audit these pinned requirements instead")
    parser.add_argument("--report", type=Path, help="decide from a pip-audit JSON report already made")
    options = parser.parse_args()
    if options.report:
        report, stderr = json.loads(options.report.read_text(encoding="utf-8")), ""
    else:
        report, stderr = run_pip_audit(options.requirements)
    code, lines = verdict(report, stderr)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
