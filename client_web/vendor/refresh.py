"""Refresh or check the vendored browser libraries.

The packages, their versions and the files taken from each are listed in `packages.json`
beside this file; what was vendored (each file's sha256, the tarball's integrity, the
licence) is recorded in `manifest.json`. Nothing is fetched at run time: the browser loads
these files from the server, wired through the import map in `client_web/index.html`.

    python3 client_web/vendor/refresh.py           # fetch with `npm pack`, verify, write, record
    python3 client_web/vendor/refresh.py --check   # verify the files on disk against the manifest

A refresh verifies each tarball against the registry's integrity (sha512) before unpacking,
and fails when a vendored file changed while its version did not (the registry served
something else under the same version). To move to a new version, edit `packages.json`
and refresh.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACKAGES = HERE / "packages.json"
MANIFEST = HERE / "manifest.json"
INDEX = HERE.parent / "index.html"
IMPORTMAP = re.compile(r'(<script type="importmap">\n)(.*?)(\n</script>)', re.DOTALL)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder(spec: dict[str, Any]) -> str:
    """Where a package's files live: its name (without scope) and version."""
    name = str(spec["name"]).split("/")[-1]
    return f"{name}-{spec['version']}"


def _pack(name: str, version: str, into: Path) -> tuple[Path, str]:
    """Download a package's tarball with npm; return it and the registry's integrity string."""
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(out.stdout)[0]
    return into / info["filename"], str(info["integrity"])


def _verify_integrity(tarball: Path, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{tarball.name}: integrity mismatch ({algorithm})")


def refresh() -> None:
    packages = json.loads(PACKAGES.read_text())
    old = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {"packages": []}
    known = {(p["name"], p["version"]): p for p in old["packages"]}
    manifest: dict[str, Any] = {
        "about": "Written by refresh.py: what is vendored here, from the npm registry. Do not edit by hand.",
        "packages": [],
    }
    imports: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for spec in packages:
            tarball, integrity = _pack(spec["name"], spec["version"], Path(scratch))
            _verify_integrity(tarball, integrity)
            target = HERE / folder(spec)
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            files = []
            with tarfile.open(tarball) as archive:
                for source, name in {**spec["files"], spec["licence_file"]: "LICENSE"}.items():
                    member = archive.extractfile(f"package/{source}")
                    if member is None:
                        raise SystemExit(f"{spec['name']}: no file {source}")
                    (target / name).write_bytes(member.read())
                    files.append({"path": f"{folder(spec)}/{name}", "from": source, "sha256": sha256(target / name)})
            before = known.get((spec["name"], spec["version"]))
            if before and before["integrity"] != integrity:
                raise SystemExit(f"{spec['name']}@{spec['version']}: the registry now serves another tarball")
            manifest["packages"].append(
                {
                    "name": spec["name"],
                    "version": spec["version"],
                    "licence": spec["licence"],
                    "purpose": spec["purpose"],
                    "integrity": integrity,
                    "files": files,
                }
            )
            for specifier, name in spec.get("imports", {}).items():
                imports[specifier] = f"/vendor/{folder(spec)}/{name}"
        for stale in HERE.iterdir():
            if stale.is_dir() and stale.name not in {folder(s) for s in packages}:
                shutil.rmtree(stale)
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")
    _write_importmap(imports, {str(s["name"]).split("/")[-1]: folder(s) for s in packages})
    print(f"vendored {len(packages)} packages; run with --check to verify")


def _write_importmap(imports: dict[str, str], folders: dict[str, str]) -> None:
    """Point the page's import map (and stylesheet links) at the vendored files."""
    html = INDEX.read_text()
    for name, target in folders.items():
        html = re.sub(rf"/vendor/{re.escape(name)}-[^/\"]+/", f"/vendor/{target}/", html)
    found = IMPORTMAP.search(html)
    if found is None:
        raise SystemExit("index.html has no import map to update")
    current = json.loads(found.group(2))
    current["imports"].update(imports)
    block = json.dumps(current, indent=2)
    INDEX.write_text(html[: found.start(2)] + block + html[found.end(2) :])


def check() -> list[str]:
    """Every problem with the vendored files: missing, changed, or not in the manifest."""
    manifest = json.loads(MANIFEST.read_text())
    packages = json.loads(PACKAGES.read_text())
    problems = []
    listed = {(p["name"], p["version"]) for p in manifest["packages"]}
    for spec in packages:
        if (spec["name"], spec["version"]) not in listed:
            problems.append(f"{spec['name']}@{spec['version']} is in packages.json but not vendored")
    recorded = set()
    for package in manifest["packages"]:
        for entry in package["files"]:
            path = HERE / entry["path"]
            recorded.add(path)
            if not path.exists():
                problems.append(f"{entry['path']}: missing")
            elif sha256(path) != entry["sha256"]:
                problems.append(f"{entry['path']}: sha256 differs from the manifest")
    for path in HERE.rglob("*"):
        if path.is_file() and path.parent != HERE and path not in recorded:
            problems.append(f"{path.relative_to(HERE)}: not in the manifest")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify the vendored files; fetch nothing")
    args = parser.parse_args()
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            raise SystemExit(1)
        print("vendored files match the manifest")
        return
    refresh()


if __name__ == "__main__":
    main()
