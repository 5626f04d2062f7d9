"""Smoke test of a running Placewise server (the container's, by ``deploy/container-check.sh``): health and ready,
a person signs in, and a shortlist comes back for the README's example child. Standard library only, so it runs
with any Python 3 beside Docker. Exit 0 when all pass; otherwise one line saying which step failed."""

import json
import sys
import urllib.error
import urllib.request

CHILD = {"child_id": "SMOKE-1", "home_council": "E06900001", "easting": 420000, "northing": 570000, "age": 9,
         "primary_need": "ASD"}


def call(base: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                     headers=headers, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def smoke(base: str, username: str, password: str) -> list[str]:
    """The steps that failed (none: the server works)."""
    failed = []
    if call(base, "/v1/health")[0] != 200:
        failed.append("health")
    if call(base, "/v1/ready")[0] != 200:
        failed.append("ready (the store or the register)")
    status, answer = call(base, "/v1/token", {"username": username, "password": password})
    if status != 200 or "access_token" not in answer:
        return [*failed, f"sign-in (HTTP {status})"]
    status, shortlist = call(base, "/v1/shortlists", {"child": CHILD, "k": 5, "purpose": "placement_search"},
                             answer["access_token"])
    if status != 200 or not shortlist.get("candidates"):
        failed.append(f"shortlist (HTTP {status})")
    return failed


if __name__ == "__main__":
    base_url, user, secret = sys.argv[1], sys.argv[2], sys.stdin.readline().rstrip("\n")
    problems = smoke(base_url.rstrip("/"), user, secret)
    print("smoke test: " + ("passed (health, ready, sign-in, a shortlist)" if not problems else
                            "FAILED: " + "; ".join(problems)))
    sys.exit(1 if problems else 0)
