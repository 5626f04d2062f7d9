"""Save or check every answer of the shortlist bench, so that a change made for speed is shown to change none.

Run: .venv/bin/python bench/shortlist_answers.py --save answers.jsonl (before), then --check answers.jsonl (after)
[--data ../shared/data] [--children 1000] [--k 10]

Three runs, one JSON line per shortlist (ids, order, scores, every reason and explanation, travel minutes and
bands, costs, near misses, wishes and counts): the bench's own children under the default policy; a twin of each
with secondary needs, a need level, sex, residential need, a current setting, a cap of its own, a transport mode
and wishes (candidates, near misses, settings elsewhere and an id not in the register); and a third of the twins
with packages, under a stricter policy, judged against price bands with prices capped at the band.
"""

import hashlib
import json
from pathlib import Path

import numpy as np
from shortlist import bench_arguments, bench_children

from core.vocabulary import NEEDS, TRANSPORT_MODES
from matcher.child import Child
from matcher.policy import Policy
from matcher.shortlist import Shortlister, build_shortlister
from scenarios.inputs import load_inputs
from scenarios.packages_config import load_catalogue

NOT_IN_REGISTER = 999_999_999
STRICT = Policy(weights={"travel": 0.5, "suitability": 0.3, "value_for_money": 0.2}, keep_uncertain_travel=False,
                exclude_inadequate=True, include_unpublished_designations=False, nearest_exclusions=8)


def main() -> None:
    parser = bench_arguments(__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path)
    action.add_argument("--check", type=Path)
    arguments = parser.parse_args()

    inputs = load_inputs(arguments.data)
    plain = build_shortlister(inputs.providers, travel=inputs.travel, costs=inputs.costs)
    catalogue = load_catalogue()
    strict = build_shortlister(inputs.providers, policy=STRICT, travel=inputs.travel,
                               costs=inputs.costs.with_catalogue(catalogue, cap_at_band=True))
    children = bench_children(inputs, arguments.data, arguments.children, arguments.seed)
    rng = np.random.default_rng(arguments.seed + 1)
    packages = [package.id for package in catalogue.packages]
    lines = []
    for child in children:
        answer = plain.shortlist(child, arguments.k).to_dict()
        lines.append(json.dumps({"run": "bench", **answer}, ensure_ascii=False))
        twin = varied_twin(rng, child, answer, plain)
        lines.append(json.dumps({"run": "varied", **plain.shortlist(twin, arguments.k).to_dict()},
                                ensure_ascii=False))
        if rng.random() < 0.3:
            chosen = rng.choice(packages, rng.integers(1, 3), replace=False)
            packaged = twin.model_copy(update={"packages": tuple(str(package) for package in chosen)})
            lines.append(json.dumps({"run": "strict", **strict.shortlist(packaged, arguments.k).to_dict()},
                                    ensure_ascii=False))
    text = "\n".join(lines) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    if arguments.save:
        arguments.save.write_text(text, encoding="utf-8")
        print(f"saved {len(lines):,} shortlists to {arguments.save} (sha256 {digest})")
        return
    saved = arguments.check.read_text(encoding="utf-8").splitlines()
    differing = [json.loads(line)["child_id"] for line, before in zip(lines, saved, strict=False) if line != before]
    if len(saved) != len(lines) or differing:
        raise SystemExit(f"answers differ: {len(differing)} of {len(lines):,} shortlists (first: "
                         f"{differing[:5]}); {len(saved):,} saved")
    print(f"all {len(lines):,} shortlists identical to {arguments.check} (sha256 {digest})")


def varied_twin(rng: np.random.Generator, child: Child, answer: dict, shortlister: Shortlister) -> Child:
    """The child with the fields the bench leaves out drawn at random, wishing for settings of its own answer."""
    listed = [row["provider_id"] for row in answer["candidates"]]
    missed = [row["provider_id"] for row in answer["exclusions"]]
    anywhere = [int(provider_id) for provider_id in rng.choice(shortlister.index.provider_id, 2)]
    wishes = [*rng.choice(listed, min(len(listed), 2), replace=False), *missed[:1], *anywhere, NOT_IN_REGISTER]
    current = int(rng.choice([*listed, *missed, *anywhere])) if rng.random() < 0.3 else None
    return child.model_copy(update={
        "child_id": child.child_id + "V",
        "secondary_needs": tuple(str(need) for need in rng.choice(NEEDS, rng.integers(0, 4), replace=False)),
        "need_level": None if rng.random() < 0.3 else int(rng.integers(1, 5)),
        "sex": [None, "F", "M"][int(rng.integers(0, 3))],
        "requires_residential": bool(rng.random() < 0.1),
        "current_provider_id": current,
        "preferences": tuple(int(wish) for wish in rng.permutation(wishes)[:int(rng.integers(0, 5))]),
        "max_travel_minutes": float(rng.integers(15, 120)) if rng.random() < 0.25 else None,
        "transport_mode": [None, *TRANSPORT_MODES][int(rng.integers(0, len(TRANSPORT_MODES) + 1))],
    })


if __name__ == "__main__":
    main()
