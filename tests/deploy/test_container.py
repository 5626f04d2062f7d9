"""The container's files say what the issue asks of them (the image itself is built and smoke-tested by
``deploy/container-check.sh`` where a Docker engine answers), and the smoke test they run works against a real
server: health, ready, a person signs in, a shortlist."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from api.platform.security.people import add_user
from api.platform.store.engine import make_engine
from tests.helpers.server import served

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions of its final stage, as (INSTRUCTION, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    last = max(number for number, line in enumerate(lines) if line.startswith("FROM "))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines[last:]]


def target(volume: str) -> str:
    """Where a compose volume (``source:target[:mode]``, the source perhaps ``${VAR:-default}``) is mounted."""
    parts = volume.rsplit(":", 2)
    return parts[1] if len(parts) == 3 and parts[2] in ("ro", "rw") else parts[-1]


def test_the_image_is_slim_non_root_with_a_healthcheck_and_the_assets_built_in():
    final = instructions()
    assert final[0][1].split()[0].endswith("-slim-bookworm")
    users = [arguments for kind, arguments in final if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(kind == "HEALTHCHECK" and "/v1/ready" in arguments for kind, arguments in final)
    copies = " ".join(arguments for kind, arguments in final if kind == "COPY")
    assert "api/web/node_modules" in copies and "api/web/build" in copies
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "npm ci" in dockerfile and "npm run" in dockerfile  # the pages' assets, as the Makefile builds them


def test_compose_runs_postgresql_two_server_processes_and_two_workers_read_only():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert "--workers" in services["server"]["command"]
    assert services["server"]["command"][services["server"]["command"].index("--workers") + 1] == "2"
    assert services["worker"]["command"] == ["worker"] and services["worker"]["deploy"]["replicas"] == 2
    for name in ("server", "worker"):
        service = services[name]
        assert service["read_only"] is True and "/tmp" in service["tmpfs"]
        assert "postgresql" in service["environment"]["PLACEWISE_DATABASE_URL"]
        mounts = [target(volume) for volume in service["volumes"]]
        assert "/srv/placewise/data" in mounts and "/srv/placewise/cache" in mounts
        assert service["cap_drop"] == ["ALL"]


def test_the_smoke_test_passes_against_a_real_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    add_user(make_engine(url), "smoke-cw", PASSWORD, "caseworker", ["E06900001"])
    with served({"PLACEWISE_DATABASE_URL": url, "PLACEWISE_CACHE": str(tmp_path / "cache")}) as base:
        right = subprocess.run([sys.executable, str(ROOT / "deploy" / "smoke.py"), base, "smoke-cw"],
                               input=PASSWORD + "\n", capture_output=True, text=True, timeout=300)
        wrong = subprocess.run([sys.executable, str(ROOT / "deploy" / "smoke.py"), base, "smoke-cw"],
                               input="not the password\n", capture_output=True, text=True, timeout=300)
    assert right.returncode == 0 and "passed" in right.stdout, right.stdout + right.stderr
    assert wrong.returncode == 1 and "sign-in (HTTP 401)" in wrong.stdout


def test_the_container_check_says_plainly_when_it_cannot_build():
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "info"], capture_output=True).returncode == 0:
        pytest.skip("a Docker engine answers here: `make container` (run by .ci/run) builds and smoke-tests the image")
    finished = subprocess.run(["bash", str(ROOT / "deploy" / "container-check.sh")], capture_output=True, text=True,
                              timeout=120)
    assert finished.returncode == 0
    assert "container check SKIPPED" in finished.stdout and "the image was not built" in finished.stdout
