"""Randomly shaped aids for the page audit: every kind, 2–4 options, short and long cells,
cost figures no hyphenation breaks, many questions, branching charts, help texts,
intros, notes, section intros, plain points and sub-points. A fixed seed makes
the same aids on every run."""

from __future__ import annotations

import json
import random

WORDS = ("rest walk stretch water sleep heat ice pain ease move gently daily morning evening "
         "physiotherapy anti-inflammatory acupuncture osteopathy practitioner appointment "
         "recommended occasionally stiffness discomfort treatment session reassessment").split()


def words(rng: random.Random, lo: int, hi: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))
    return text[0].upper() + text[1:] + "."


def q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML scalar: no quoting surprises


def figure(rng: random.Random) -> str:
    """A cost range: a piece no hyphenation can break (four columns of them need landscape)."""
    low = rng.randint(10_000, 60_000)
    return f"£{low:,}–£{low + rng.randint(1_000, 9_000):,}."


def opening(rng: random.Random) -> list[str]:
    """Sometimes a subtitle and intro paragraphs, which push the content down page 1."""
    lines = []
    if rng.random() < 0.3:
        lines.append(f"subtitle: {q(words(rng, 3, 8)[:-1])}")
    if rng.random() < 0.4:
        lines += ["intro:"] + [f"  - {q(words(rng, 8, 50))}" for _ in range(rng.randint(1, 3))]
    return lines


def notes(rng: random.Random) -> list[str]:
    """Sometimes notes: closing matter that may take a page of its own."""
    if rng.random() < 0.25:
        return ["notes:"] + [f"  - {q(words(rng, 8, 60))}" for _ in range(rng.randint(1, 4))]
    return []


def comparison(rng: random.Random, n: int) -> str:
    options = [f"o{i}" for i in range(rng.randint(2, 4))]
    long_cells = rng.random() < 0.5
    figures = rng.random() < 0.25
    lines = ["kind: comparison", f"title: Random comparison {n}", *opening(rng), "aspect_label: What matters",
             "options:"]
    lines += [f"  {o}: {q(words(rng, 1, 2)[:-1])}" for o in options]
    lines.append("rows:")
    for r in range(rng.randint(2, 14)):
        lines += [f"  - aspect: {q(words(rng, 1, 3)[:-1])}", "    cells:"]
        lines += [f"      {o}: {q(figure(rng) if figures and r == 0 else words(rng, 3, 60 if long_cells else 12))}"
                  for o in options]
    return "\n".join(lines + notes(rng) + ["sources:", "  - Invented for the page audit."]) + "\n"


def quiz(rng: random.Random, n: int) -> str:
    options = [f"o{i}" for i in range(rng.randint(2, 4))]
    lines = ["kind: quiz", f"title: Random quiz {n}", *opening(rng), "options:"]
    lines += [f"  {o}: {q(words(rng, 1, 2)[:-1])}" for o in options]
    lines.append("questions:")
    for _ in range(rng.randint(2, 16)):
        lines += [f"  - question: {q(words(rng, 4, 20))}"]
        if rng.random() < 0.3:
            lines.append(f"    help: {q(words(rng, 4, 14))}")
        lines += ["    points:", f"      Yes: {{{rng.choice(options)}: {rng.randint(1, 3)}}}"]
    lines += ["scoring:", "  margin: 2", "  lean:"]
    lines += [f"    {o}: {q(words(rng, 4, 12))}" for o in options]
    lines.append(f"  otherwise: {q(words(rng, 4, 12))}")
    return "\n".join(lines + notes(rng) + ["sources:", "  - Invented for the page audit."]) + "\n"


def flowchart(rng: random.Random, n: int) -> str:
    steps = rng.randint(2, 9)
    lines = ["kind: flowchart", f"title: Random chart {n}", *opening(rng), "start: q0", "nodes:"]
    outcomes, crowded = [], set()  # crowded: drawn beside a three-way question
    for i in range(steps):
        helped = rng.random() < 0.3  # a question with help is kept shorter
        lines += [f"  q{i}:", f"    question: {q(words(rng, 3, 10 if helped else 18)[:-1] + '?')}"]
        if helped:
            lines.append(f"    help: {q(words(rng, 3, 8))}")
        lines.append("    branches:")
        later = [f"q{j}" for j in range(i + 1, steps)]
        labels = rng.choice([["Yes", "No"], ["Yes", "No", "Not sure"], ["Often", "Sometimes", "Never"]])
        for k, label in enumerate(labels):
            if k == 0 and later:
                target = later[0]
            elif later and rng.random() < 0.2:
                target = rng.choice(later)
            elif outcomes and rng.random() < 0.3:
                target = rng.choice(outcomes)
            else:
                target = f"end{len(outcomes)}"
                outcomes.append(target)
                if len(labels) == 3:
                    crowded.add(target)
            lines.append(f"      {q(label)}: {target}")
    # Outcomes (and help) stay short enough that a step with three of them fits a
    # large-print page (a step taller than a page is a located error: test_long_content
    # tests it): beside a three-way question, an outcome has no next step.
    for i, name in enumerate(outcomes):
        lines += [f"  {name}:", f"    outcome: {q(words(rng, 2, 6))}"]
        if rng.random() < 0.25:
            lines.append("    urgent: true")
        if rng.random() < 0.35 and name not in crowded:
            lines.append(f"    next_step: {q(words(rng, 3, 6))}")
    return "\n".join(lines + notes(rng) + ["sources:", "  - Invented for the page audit."]) + "\n"


def checklist(rng: random.Random, n: int) -> str:
    lines = ["kind: checklist", f"title: Random checklist {n}", *opening(rng), "sections:"]
    for s in range(rng.randint(1, 6)):
        lines += [f"  - heading: {q(words(rng, 1, 5)[:-1])}"]
        # A warning box never splits: it stays short enough for a large-print page (one
        # taller than a page is a located error: test_safety_first tests it).
        warning = rng.random() < 0.3
        if warning:
            lines.append("    warning: true")
        if rng.random() < 0.2:
            lines.append(f"    intro: {q(words(rng, 4, 12 if warning else 20))}")
        if rng.random() < 0.2:
            lines.append("    tick: false")
        lines.append("    items:")
        for _ in range(rng.randint(1, 4 if warning else 7)):
            if warning:
                lines.append(f"      - {q(words(rng, 3, 20))}")
            elif rng.random() < 0.2:  # an item with sub-points
                lines += [f"      - text: {q(words(rng, 3, 20))}", "        details:"]
                lines += [f"          - {q(words(rng, 2, 10))}" for _ in range(rng.randint(1, 3))]
            else:
                lines.append(f"      - {q(words(rng, 3, 40))}")
    return "\n".join(lines + notes(rng) + ["sources:", "  - Invented for the page audit."]) + "\n"


KINDS = (comparison, quiz, flowchart, checklist)


def random_aids(seed: int, count: int) -> list[tuple[str, str]]:
    """(name, YAML text) of `count` aids, kinds in turn, shapes from the seed."""
    rng = random.Random(seed)
    return [(f"random-{i}-{KINDS[i % 4].__name__}", KINDS[i % 4](rng, i)) for i in range(count)]
