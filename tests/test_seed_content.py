"""Issue 8's tests for the seed content: the handouts in aids/ and packs/, built and read back.

Expected values come from the YAML files, from clinic.yaml or from the seed documents in
/work/shared/seeds/ (the seed quotes below are checked against those files), never from what
the code under test prints. The checks are functions returning a list of problems, so that
the tests at the end can show that each of them fails on broken content (a harm removed, a
safety question moved after a preference question, author text put back).
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner

from aidpress.commands.check import prose
from aidpress.labels import LABELS
from aidpress.model import Flowchart, Outcome
from aidpress.readability import measure
from aidpress.scoring import score
from aidpress.validate import load_aid, load_clinic
from cli import main
from layouts import render

from .conftest import ROOT
from .readback import assert_in_order, body_text, norm, read, stroked_squares

SEEDS = Path("/work/shared/seeds")
AIDS = ROOT / "aids"
PACK = ROOT / "packs" / "waiting-room.yaml"
CLINIC_YAML = ROOT / "clinic.yaml"
CLINIC = load_clinic(CLINIC_YAML)
RAW_CLINIC = yaml.safe_load(CLINIC_YAML.read_text(encoding="utf-8"))  # no answers in it

CMP = "cupping-vs-dry-needling"  # the comparison of the three choices
DNA = "dry-needling-vs-acupuncture"  # the second comparison (dry needling's harms again)
QUIZ, FLOW, WORKSHEET = "decision-quiz", "decision-flowchart", "decision-worksheet"
AFTERCARE = ("aftercare-cupping", "aftercare-dry-needling")


def aid(stem: str):
    return load_aid(AIDS / f"{stem}.yaml")


class RawLoader(yaml.SafeLoader):
    """YAML as the project reads it (1.2 booleans): `Yes:` stays the answer "Yes", not True."""


RawLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
RawLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                list("tTfF"))


def load_raw(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=RawLoader)


def write_raw(data: dict, path: Path) -> Path:
    """A temp copy of an aid (safe_dump quotes "Yes", so the answers survive the round trip)."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    """Every seed aid and the waiting-room pack, built by `aidpress build` with clinic.yaml."""
    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(main, ["build", str(AIDS), str(PACK.parent), "--clinic", str(CLINIC_YAML),
                                       "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    pdfs = {p.stem: p.read_bytes() for p in out.glob("*.pdf")}
    assert set(pdfs) >= {p.stem for p in AIDS.glob("*.yaml")} | {PACK.stem}
    return pdfs


@pytest.fixture(scope="module")
def texts(built) -> dict[str, str]:
    """Body text of every built PDF, lower case (harm phrases are matched without case)."""
    return {stem: body_text(pdf).lower() for stem, pdf in built.items()}


# ── 1. every harm the seeds name, printed where harms are compared ──────────────────


@dataclass(frozen=True)
class Harm:
    seed: str  # the seed file (prefix) that names it
    quote: str  # the seed's own words, checked against the seed file
    printed: dict[str, str]  # where → the words the handout uses (lower case)
    # `where` is "<aid>:<option>" for a comparison: the words must be in that option's own
    # cells in the YAML (so a harm of needling is not ticked off by a cupping cell) and
    # that cell must be printed whole; or "<aid>" for any other handout: in its PDF text.


C, N = f"{CMP}:cupping", f"{CMP}:dry_needling"
DN = f"{DNA}:dry_needling"
AC, AN = AFTERCARE

# Decisions, per harm: every harm goes in the comparison, in the column of the treatment
# it belongs to (that is where harms are compared). Serious, rare needling harms also go
# in the dry needling vs acupuncture comparison. The aftercare sheet of a treatment
# carries its harms a patient may notice at home: the common ones as "What is normal", the
# ones to act on (blisters, burns, infection, collapsed lung) as "Call the clinic" or a
# thing to do. Nerve and blood vessel injury, skin damage, worse inflammation and allergy
# happen in the session, not at home: they stay in the comparisons (allergy also in
# "Before your first session", where the patient says what they are allergic to).
HARMS = [
    # cupping
    Harm("000", "Temporary skin marks or mild bruising", {C: "mild bruises", AC: "mild bruises"}),
    Harm("001", "light bruising, or redness", {C: "marks", AC: "marks"}),
    Harm("000", "Slight discomfort or soreness after treatment", {C: "soreness", AC: "soreness"}),
    Harm("000", "Mild soreness, fatigue, or visible marks (especially after cupping) are normal",
         {C: "tiredness", AC: "tiredness"}),
    Harm("000", "Rare blistering (if suction is excessive or prolonged)", {C: "blisters", AC: "blisters"}),
    Harm("000", "Burns: Especially from fire cupping if flames are mishandled.", {C: "burns", AC: "burn"}),
    Harm("000", "Severe Bruising or Skin Damage: Excessive suction or prolonged application.",
         {C: "bad bruises or skin damage"}),
    Harm("001", "more pronounced adverse reactions can occur if suction is too intense",
         {C: "if suction is too strong"}),
    Harm("000", "Risk of infection if hygiene is inadequate", {C: "infection", AC: "infection"}),
    Harm("000", "Worsened Inflammation: If applied to infected or inflamed skin.", {C: "worse inflammation"}),
    Harm("001", "Allergic reactions to cup materials are uncommon but possible",
         {C: "allergy", "before-treatment": "allergic"}),
    # dry needling
    Harm("000", "Temporary soreness or bruising at the insertion site",
         {N: "soreness", DN: "soreness", AN: "soreness"}),
    Harm("002", "minor bruising or soreness at the needle insertion sites",
         {N: "bruises", DN: "bruising", AN: "bruises"}),
    Harm("000", "Minor bleeding or redness", {N: "bleeding", DN: "bleeding", AN: "bleeding"}),
    Harm("000", "Tiny puncture points with occasional minor bruising or redness", {N: "redness"}),
    Harm("000", "Mild fatigue or a sense of relaxation after treatment", {N: "tiredness", AN: "tiredness"}),
    Harm("004", "Slight fatigue", {N: "tiredness"}),
    Harm("002", "temporary aggravation of symptoms", {N: "pain may flare", AN: "feeling worse for a while"}),
    Harm("000", "Pneumothorax (collapsed lung) when needling near the chest wall",
         {N: "collapsed lung", DN: "collapsed lung", AN: "collapsed lung"}),
    Harm("003", "nerve damage, risk of infection, and pneumothorax",
         {N: "nerve", DN: "nerve", AN: "collapsed lung"}),
    Harm("000", "Nerve injury", {N: "nerve", DN: "nerve"}),
    Harm("000", "Nerve or Vessel Injury: Incorrect depth or placement can damage nerves or puncture blood vessels.",
         {N: "blood vessel", DN: "blood vessel"}),
    Harm("000", "Infection (if aseptic technique is not followed)",
         {N: "infection", DN: "infection", AN: "infection"}),
    Harm("002", "increased risk of bleeding or hematoma formation", {N: "large bruise, if you take blood thinners"}),
    Harm("002", "such as needle materials or disinfectants", {N: "allergy", "before-treatment": "allergic"}),
    Harm("003", "mild pain during treatment", {N: "deep ache"}),
    Harm("003", "twitching sensation that, while normal, can be uncomfortable", {N: "twitch", DN: "twitch"}),
    Harm("002", "may experience significant distress during dry needling sessions",
         {N: "fear needles", QUIZ: "fear of needles", FLOW: "fear of needles", "before-treatment": "fear of needles"}),
]

# What the seeds say about the evidence, and that none of them says how often a harm happens.
EVIDENCE = [
    Harm("001", "Other studies have found mixed results", {C: "mixed results"}),
    Harm("001", "require more high-quality research", {C: "more good research is needed"}),
    Harm("003", "Limited Research on Effectiveness", {N: "proof of long-term benefit is lacking"}),
    Harm("003", "lack of scientific evidence to fully validate its long-term effectiveness",
         {N: "proof of long-term benefit is lacking"}),
    # seed 003's concrete finding, in both comparisons (issue 15)
    Harm("003", "a degree of pain relief lasting between 6 and 12 months",
         {N: "relief may last 6 to 12 months", DN: "relief may last 6 to 12 months"}),
    Harm("003", "these long-term effects are not statistically significant when compared to alternative treatments",
         {N: "not shown to beat other treatments", DN: "not shown to beat other treatments"}),
    Harm("003", "significantly reduces pain levels across various body regions during short-term evaluations",
         {N: "less pain in the short term", DN: "less pain in the short term"}),
    # the "strong research" claims, reported as claims that name no studies (research_problems below)
    Harm("002", "A wealth of evidence-based research strongly supports the effectiveness of dry needling",
         {N: "say the research is strong", DN: "says the research is strong"}),
    Harm("004", "it is a proven, evidence-based therapy", {N: "say the research is strong"}),
    Harm("000", "Rare but serious risks include", {C: "no source says how often", N: "no source says how often",
                                                   DN: "no source says how often"}),
    Harm("004", "Serious complications are extremely rare.", {N: "no source says how often"}),
]


def seed_text(prefix: str) -> str:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return norm(path.read_text(encoding="utf-8"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
@pytest.mark.parametrize("harm", HARMS + EVIDENCE, ids=lambda h: f"{h.seed}:{h.quote[:30]}")
def test_the_list_quotes_the_seeds_faithfully(harm):
    assert norm(harm.quote) in seed_text(harm.seed)


def says(text: str, words: str) -> bool:
    """The words appear as whole words ("redness" is not found in "tiredness"), compared as
    printed text is (norm: "long-term" reads back as "longterm")."""
    return re.search(rf"\b{re.escape(norm(words))}\b", text) is not None


def harm_problems(harms: list[Harm], aids: dict, texts: dict[str, str]) -> list[str]:
    """Each harm's words where the list says they are printed; `aids` maps a comparison's stem to
    its Aid, `texts` a handout's stem to its body text (lower case)."""
    problems = []
    for harm in harms:
        for where, words in harm.printed.items():
            stem, _, option = where.partition(":")
            if option:
                cells = [row.cells[option] for row in aids[stem].rows if row.cells[option]]
                found = [c for c in cells if says(norm(c).lower(), words)]
                if not found:
                    problems.append(f"{where}: no cell says {words!r} ({harm.seed}: {harm.quote!r})")
                elif norm(found[0]).lower() not in texts[stem]:
                    problems.append(f"{where}: the cell saying {words!r} is not printed whole")
            elif not says(texts[stem], words):
                problems.append(f"{stem}: {words!r} not printed ({harm.seed}: {harm.quote!r})")
    return problems


def comparisons() -> dict:
    return {CMP: aid(CMP), DNA: aid(DNA)}


def test_every_harm_the_seeds_name_is_printed_where_harms_are_compared(texts):
    assert harm_problems(HARMS, comparisons(), texts) == []


def test_the_seeds_words_on_the_evidence_are_printed(texts):
    assert harm_problems(EVIDENCE, comparisons(), texts) == []


def test_the_harm_check_fails_when_a_harm_is_removed(tmp_path, texts):
    data = load_raw(AIDS / f"{CMP}.yaml")
    serious = next(r for r in data["rows"] if "collapsed lung" in r["cells"]["dry_needling"].lower())
    serious["cells"]["dry_needling"] = re.sub(r"Collapsed lung[^.]*\. ", "", serious["cells"]["dry_needling"])
    broken = load_aid(write_raw(data, tmp_path / f"{CMP}.yaml"))
    text = body_text(render(broken, CLINIC).pdf).lower()
    problems = harm_problems(HARMS, {CMP: broken, DNA: aid(DNA)}, {**texts, CMP: text})
    assert problems == [
        f"{N}: no cell says 'collapsed lung' (000: 'Pneumothorax (collapsed lung) when needling near the chest wall')"]
    # and from the printed text alone: a harm missing from an aftercare sheet
    assert harm_problems(HARMS, comparisons(), {**texts, AC: texts[AC].replace("blisters", "")}) == [
        f"{AC}: 'blisters' not printed (000: 'Rare blistering (if suction is excessive or prolonged)')"]


# ── 2. the flowchart asks the safety questions first ────────────────────────────────

# Read from aids/decision-flowchart.yaml. The safety questions are the ones that can end at
# "get help now" or "talk to your practitioner" / "may not suit you" whatever the pain is
# like: red flags (000 §3 "Seek immediate medical evaluation"), blood thinners, bleeding
# problems, pregnancy, skin, serious illness (000 §3 and §7), and a strong fear of needles
# (003 "fear of needles should avoid"). The outcomes that point toward an option are the
# three "may suit" ends of the pain question: dry needling, cupping, and neither/wait and
# see (a choice the comparison weighs like the other two). "Dry needling may not suit you"
# and "Talk to your practitioner first" point away from an option, not toward one.
SAFETY_NODES = ["red_flags", "health", "needles"]
RECOMMENDING = ["needling_may_suit", "cupping_may_suit", "wait"]
URGENT_FROM = "red_flags"  # the red-flags question must have an urgent outcome


def paths(chart: Flowchart) -> list[list[str]]:
    """Every path from the start to an outcome, as node ids (a cycle ends a path)."""
    start = chart.start or next(iter(chart.nodes))
    out, stack = [], [[start]]
    while stack:
        path = stack.pop()
        node = chart.nodes[path[-1]]
        if isinstance(node, Outcome):
            out.append(path)
            continue
        for target in node.branches.values():
            if target not in path:
                stack.append(path + [target])
    return out


def flowchart_problems(chart: Flowchart) -> list[str]:
    problems = []
    for node_id in SAFETY_NODES + RECOMMENDING:
        if node_id not in chart.nodes:
            problems.append(f"no node {node_id!r}")
    if problems:
        return problems
    all_paths = paths(chart)
    for end in RECOMMENDING:
        reaching = [p for p in all_paths if p[-1] == end]
        if not reaching:
            problems.append(f"{end} cannot be reached")
        for path in reaching:
            skipped = [s for s in SAFETY_NODES if s not in path]
            if skipped:
                problems.append(f"{' → '.join(path)} skips {skipped}")
            elif [n for n in path if n in SAFETY_NODES] != path[:len(SAFETY_NODES)]:
                problems.append(f"{' → '.join(path)} asks something else before the safety questions")
    red = chart.nodes[URGENT_FROM]
    if not any(isinstance(chart.nodes[t], Outcome) and chart.nodes[t].urgent for t in red.branches.values()):
        problems.append(f"{URGENT_FROM} has no urgent outcome")
    return problems


def test_every_path_to_a_recommendation_passes_every_safety_question_first():
    chart = aid(FLOW)
    assert flowchart_problems(chart) == []
    # Seed 000's red flags are the ones asked about, and the seed's safety items are in step 2.
    red = chart.nodes[URGENT_FROM]
    for flag in ("fever", "bleeding", "swelling", "numbness"):  # 000 §3 ("progressive neurological loss")
        assert flag in (red.question + " " + red.help).lower()
    health = chart.nodes["health"].help.lower()
    for item in ("blood thinners", "bleeding", "pregnancy", "skin", "serious illness"):
        assert item in health
    assert "needles" in chart.nodes["needles"].question


def rewired(tmp_path: Path, branches: dict[str, dict[str, str]]) -> Flowchart:
    """A temp copy of the seed flowchart with some branches pointing elsewhere."""
    data = load_raw(AIDS / f"{FLOW}.yaml")
    for node, changes in branches.items():
        data["nodes"][node]["branches"].update(changes)
    return load_aid(write_raw(data, tmp_path / "rewired.yaml"))


def test_the_flowchart_check_fails_when_a_preference_comes_first(tmp_path):
    # the fear-of-needles question moved after the pain question, on the way to dry needling only
    moved = rewired(tmp_path, {"health": {"No": "one_spot"}, "one_spot": {"Spot": "needles"},
                               "needles": {"No": "needling_may_suit"}})
    assert flowchart_problems(moved) == [
        "red_flags → health → one_spot → needles → needling_may_suit asks something else before the safety questions",
        "red_flags → health → one_spot → cupping_may_suit skips ['needles']",
        "red_flags → health → one_spot → wait skips ['needles']"]
    # The seed's own order: the pain question right after the red flags, and the bleeding
    # question only on the way to dry needling (000 §3 asked it at step 4).
    seed_order = rewired(tmp_path, {"red_flags": {"No": "one_spot"}, "one_spot": {"Spot": "health"},
                                    "needles": {"No": "needling_may_suit"}})
    assert flowchart_problems(seed_order) == [
        "red_flags → one_spot → health → needles → needling_may_suit asks something else before the safety questions",
        "red_flags → one_spot → cupping_may_suit skips ['health', 'needles']",
        "red_flags → one_spot → wait skips ['health', 'needles']"]
    # and without its urgent outcome
    data = load_raw(AIDS / f"{FLOW}.yaml")
    del data["nodes"]["get_help"]["urgent"]
    assert flowchart_problems(load_aid(write_raw(data, tmp_path / "calm.yaml"))) == ["red_flags has no urgent outcome"]


def test_the_safety_questions_are_printed_before_any_recommendation(built):
    chart = aid(FLOW)
    text = norm(body_text(built[FLOW]))
    safety_at = [text.index(norm(chart.nodes[n].question)) for n in SAFETY_NODES]
    recommend_at = [text.index(norm(chart.nodes[n].outcome)) for n in RECOMMENDING]
    assert safety_at == sorted(safety_at) and max(safety_at) < min(recommend_at)
    # and by step number: the safety questions are steps 1 to 3
    for n, node in enumerate(SAFETY_NODES, 1):
        assert_in_order(text, [LABELS["step"].format(n=n), chart.nodes[node].question])
    urgent = chart.nodes[chart.nodes[URGENT_FROM].branches["Yes"]]
    # (the urgent band carries the clinic's emergency route, when it has one, before the outcome)
    assert_in_order(text, [chart.nodes[URGENT_FROM].question, f"⚠ {LABELS['urgent']}", urgent.outcome])


# ── 3. the quiz: safety questions first, and a rule-out overrides the totals ────────


def raw_quiz() -> dict:
    return load_raw(AIDS / f"{QUIZ}.yaml")


def quiz_order_problems(questions: list[dict]) -> list[str]:
    """Every question that rules an option out comes before any that gives points."""
    first_points = next((i for i, q in enumerate(questions) if q.get("points")), len(questions))
    return [f"question {i + 1} rules an option out after question {first_points + 1} gave points"
            for i, q in enumerate(questions) if q.get("rules_out") and i > first_points]


def test_the_quiz_asks_the_safety_questions_first():
    questions = raw_quiz()["questions"]
    assert quiz_order_problems(questions) == []
    safety = " ".join(q["question"] + " " + q.get("help", "") for q in questions if q.get("rules_out")).lower()
    for item in ("blood thinners", "bleeding", "pregnancy", "skin", "serious illness", "fear of needles"):
        assert item in safety
    assert all(not q.get("points") for q in questions if q.get("rules_out"))  # they give no points
    # the check fails when the fear-of-needles question is moved to the end
    moved = questions[:1] + questions[2:] + questions[1:2]
    assert quiz_order_problems(moved) == [f"question {len(moved)} rules an option out after question 2 gave points"]


def hand_totals(questions: list[dict], answers: list[str]) -> dict[str, int]:
    """The totals a patient with a pen would write down, from the YAML's own numbers."""
    totals = {option: 0 for option in raw_quiz()["options"]}
    for q, answer in zip(questions, answers):
        for option, points in (q.get("points") or {}).get(answer, {}).items():
            totals[option] += points
    return totals


def test_a_rule_out_answer_overrides_totals_that_favour_that_option():
    raw, quiz = raw_quiz(), aid(QUIZ)
    questions, margin = raw["questions"], raw["scoring"]["margin"]
    # No to the health question, Yes to the fear of needles, Yes to every question that gives
    # dry needling points and No to the others: by points alone, dry needling wins.
    fear = next(i for i, q in enumerate(questions) if "needles" in q["question"] and q.get("rules_out"))
    answers = []
    for i, q in enumerate(questions):
        gives_needling = any("dry_needling" in awards for awards in (q.get("points") or {}).values())
        answers.append("Yes" if i == fear or gives_needling else "No")
    totals = hand_totals(questions, answers)
    assert totals == {"cupping": 0, "dry_needling": 4}  # 2 + 2, from the knot and fast-relief questions
    assert totals["dry_needling"] - totals["cupping"] >= margin  # so the totals alone lean to needling
    result = score(quiz, answers)
    assert result.totals == totals
    assert result.favoured == "dry_needling" and result.ruled_out == ("dry_needling",)
    assert result.overridden
    assert result.text == LABELS["rule_out_key"] != raw["scoring"]["lean"]["dry_needling"]
    # Without the rule-out answer the same totals give the quiz's own lean text.
    answers[fear] = "No"
    assert score(quiz, answers).text == raw["scoring"]["lean"]["dry_needling"]


def test_the_health_question_rules_out_both_whatever_the_totals():
    raw, quiz = raw_quiz(), aid(QUIZ)
    questions = raw["questions"]
    health = next(i for i, q in enumerate(questions) if "blood thinners" in q.get("help", "").lower())
    answers = []
    for i, q in enumerate(questions):
        gives_cupping = any("cupping" in awards for awards in (q.get("points") or {}).values())
        answers.append("Yes" if i == health or gives_cupping else "No")
    totals = hand_totals(questions, answers)
    assert totals == {"cupping": 4, "dry_needling": 0}
    result = score(quiz, answers)
    assert (result.totals, result.favoured, result.ruled_out) == (totals, "cupping", ("cupping", "dry_needling"))
    assert result.text == LABELS["rule_out_key"]


def test_the_rule_outs_are_printed_on_page_one_with_their_mark(built):
    quiz = aid(QUIZ)
    first = read(built[QUIZ])[0].body
    names = quiz.options
    notes = []
    for q in quiz.questions:
        for answer, ruled in q.rules_out.items():
            listed = [names[o] for o in ruled]
            options = listed[0] if len(listed) == 1 else \
                f"{', '.join(listed[:-1])} {LABELS['or']} {listed[-1]}"
            notes.append([q.question, "⚠ " + LABELS["rule_out_note"].format(answer=answer, options=options),
                          f"{answer} ⚠"])
    assert len(notes) == 2
    first_points = next(q for q in quiz.questions if q.points)
    assert_in_order(first, [t for note in notes for t in note] + [first_points.question, LABELS["how_to_read"],
                                                                   "⚠ " + LABELS["rule_out_key"]])


# ── 4. no author-facing text, and the scoring rule printed once ─────────────────────

AUTHOR_PHRASES = ["Quick interactive quiz logic", "for a web page or printable decision aid",
                  "If implementing as a quiz", "text version you can follow now", "Expert Tip"]


def author_problems(texts: dict[str, str], quiz) -> list[str]:
    problems = [f"{stem}: {phrase!r}" for stem, text in texts.items() for phrase in AUTHOR_PHRASES
                if phrase.lower() in text]
    rule = [*quiz.scoring.lean.values(), quiz.scoring.otherwise, LABELS["rule_out_key"]]
    for stem in (QUIZ, PACK.stem):
        for sentence in rule:
            if (n := texts[stem].count(norm(sentence).lower())) != 1:
                problems.append(f"{stem}: {sentence!r} printed {n} times")
    return problems


def test_no_author_facing_text_and_the_scoring_rule_printed_once(texts):
    assert author_problems(texts, aid(QUIZ)) == []


def test_the_author_text_check_fails_on_author_text_or_a_repeated_rule(tmp_path, texts):
    data = raw_quiz()
    data["notes"] = ["If implementing as a quiz, assign 1–2 points.", data["scoring"]["otherwise"]]
    broken = load_aid(write_raw(data, tmp_path / "quiz.yaml"))
    text = body_text(render(broken, CLINIC).pdf).lower()
    assert author_problems({**texts, QUIZ: text}, broken) == [
        f"{QUIZ}: 'If implementing as a quiz'", f"{QUIZ}: {data['scoring']['otherwise']!r} printed 2 times"]


# ── 5. reading grade ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", sorted(AIDS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_seed_aid_reads_at_grade_8_or_below(path):
    target = RAW_CLINIC.get("reading_grade", CLINIC.reading_grade)  # the profile's, or the default
    assert target <= 8  # the issue asks for grade 8 or below whatever the profile says
    reading = measure(prose(load_aid(path)))
    assert reading is not None and reading.grade <= target, (reading.grade, reading.hardest)


def test_the_grade_check_fails_on_clinical_prose(tmp_path):
    data = load_raw(AIDS / f"{QUIZ}.yaml")  # prose like the seeds' (000 "Individuals with immune suppression")
    data["notes"] = ["Individuals with immunosuppression may experience complications necessitating "
                     "additional precautions and comprehensive medical evaluation."]
    reading = measure(prose(load_aid(write_raw(data, tmp_path / "quiz.yaml"))))
    assert reading.grade > 8


# ── 6. About this leaflet, and the compact line on instruction sheets ───────────────

DECISION_AIDS = sorted(p.stem for p in AIDS.glob("*.yaml") if load_aid(p).kind != "checklist")
SHEETS = sorted(p.stem for p in AIDS.glob("*.yaml") if load_aid(p).kind == "checklist")


def test_every_kind_of_decision_aid_is_among_the_seeds():
    assert {aid(s).kind for s in DECISION_AIDS} == {"quiz", "flowchart", "comparison", "worksheet"}


def spelled(value) -> str:
    """A YAML date as handouts print it: 2026-11-26 → '26 Nov 2026' (issue 18 point 7)."""
    d = datetime.date.fromisoformat(str(value))
    return f"{d.day} {('Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec').split()[d.month - 1]} {d.year}"


@pytest.mark.parametrize("stem", DECISION_AIDS)
def test_about_this_leaflet_prints_every_field_on_each_decision_aid(stem, built):
    a, raw = aid(stem), load_raw(AIDS / f"{stem}.yaml")
    about = raw["about"]
    assert set(about) == {"written_by", "update_policy", "funding", "conflicts"} and raw["sources"]
    text = norm(body_text(built[stem]))
    assert text.count(LABELS["about_heading"]) == 1
    assert_in_order(text, [
        LABELS["about_heading"], LABELS["written_by"], about["written_by"], LABELS["sources"],
        *[f"{n}. {s}" for n, s in enumerate(raw["sources"], 1)],
        LABELS["produced"], spelled(raw["updated"]), LABELS["review_by"], spelled(raw["review_by"]),
        about["update_policy"], LABELS["funding"], about["funding"],
        LABELS["conflicts"], about["conflicts"], RAW_CLINIC["interests"]["text"], raw["disclaimer"]])
    assert a.about.written_by == about["written_by"]


@pytest.mark.parametrize("stem", SHEETS)
def test_instruction_sheets_print_the_compact_line(stem, built):
    raw = load_raw(AIDS / f"{stem}.yaml")
    text = norm(body_text(built[stem]))
    sources = " ".join(f"{n}. {s}" for n, s in enumerate(raw["sources"], 1))
    assert (f"{LABELS['sources']}: {sources} · {LABELS['produced']} {spelled(raw['updated'])} · "
            f"{LABELS['review_by']} {spelled(raw['review_by'])}") in text
    assert LABELS["about_heading"] not in text


# ── 7. the waiting-room pack starts with "before your first session" ────────────────


def test_the_pack_includes_before_your_first_session(built):
    raw = load_raw(PACK)
    members = [load_aid((PACK.parent / p).resolve()) for p in raw["aids"]]
    before = aid("before-treatment")
    assert before.title.lower() == "before your first session"
    assert members[0].title == before.title  # it opens the pack, as its intro says
    assert before.title in " ".join(raw["intro"])
    pages = read(built[PACK.stem])
    assert LABELS["contents"] in pages[0].body  # the contents share the cover page
    contents = pages[0].body.split(LABELS["contents"], 1)[1]
    assert_in_order(contents, [f"{m.title} " for m in members])
    start = int(contents.split(f"{before.title} ", 1)[1].split()[0])
    assert pages[start - 1].body.startswith(before.title)


# ── 8. "Neither, or wait and see" wherever options are compared ─────────────────────


def test_neither_or_wait_and_see_is_an_option_wherever_options_are_compared(built):
    neither = aid(CMP).options["wait"]
    assert "neither" in neither.lower() and "wait" in neither.lower()
    for stem in (CMP, DNA, WORKSHEET):
        assert neither in aid(stem).options.values(), stem
        assert neither in norm(body_text(built[stem])), stem
    chart = aid(FLOW)
    ends = [n.outcome for n in chart.nodes.values() if isinstance(n, Outcome) and n.outcome.startswith(neither)]
    assert len(ends) == 1 and norm(ends[0]) in norm(body_text(built[FLOW]))
    quiz = aid(QUIZ)  # a quiz's options are what it scores; it names neither in its key and notes
    assert "neither" in quiz.scoring.otherwise.lower() and "waiting and seeing" in " ".join(quiz.notes).lower()


# ── 9. aftercare sheets: who to call on page 1, tick boxes only for things to do ────


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("stem", AFTERCARE)
def test_aftercare_warnings_phone_and_emergency_route_are_on_page_one(stem, paper):
    sheet = aid(stem)
    pages = read(render(sheet, CLINIC, paper=paper).pdf)
    assert len(pages) == 1  # the whole sheet fits one page
    [warning] = [s for s in sheet.sections if s.warning]
    assert_in_order(pages[0].body, [warning.heading, *[i.text for i in warning.items],
                                    f"{LABELS['call_clinic']}: {RAW_CLINIC['phone']}",
                                    f"{LABELS['emergency']}: {RAW_CLINIC['emergency']}"])
    assert sheet.sections[0] is warning  # the warning comes first, before what to do


def boxes_beside(pdf: bytes, items: list[str]) -> list[int]:
    """How many pen boxes sit on each item's first line (pdfplumber geometry)."""
    squares = stroked_squares(pdf, min_mm=2)
    counts = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for text in items:
            start = " ".join(text.split()[:4])
            hits = [(n, hit) for n, page in enumerate(doc.pages) for hit in page.search(start, regex=False)]
            assert len(hits) == 1, (text, hits)
            n, hit = hits[0]
            counts.append(sum(1 for box in squares[n] if abs(box["top"] - hit["top"]) < 8
                              and box["x1"] <= hit["x0"] + 1))
    return counts


@pytest.mark.parametrize("stem", AFTERCARE)
def test_things_to_know_have_no_tick_boxes_and_things_to_do_have_one(stem, built):
    raw = load_raw(AIDS / f"{stem}.yaml")
    plain = [i for s in raw["sections"] if s.get("tick") is False for i in s["items"]]
    to_do = [i for s in raw["sections"] if s.get("tick", True) for i in s["items"]]
    assert plain and to_do
    assert boxes_beside(built[stem], plain) == [0] * len(plain)
    assert boxes_beside(built[stem], to_do) == [1] * len(to_do)
    assert sum(len(page) for page in stroked_squares(built[stem], min_mm=2)) == len(to_do)


def test_the_tick_box_check_sees_boxes_on_things_to_know_once_they_are_ticked(tmp_path):
    data = load_raw(AIDS / f"{AC}.yaml")
    normal = next(s for s in data["sections"] if s.get("tick") is False and not s.get("warning"))
    normal["tick"] = True
    pdf = render(load_aid(write_raw(data, tmp_path / "ticked.yaml")), CLINIC).pdf
    assert boxes_beside(pdf, normal["items"]) == [1] * len(normal["items"])


# ── page budgets (issue 9): declared in the aids, met on A4 and Letter ─────────────

# From the issue, by hand: aid → most pages in regular print.
BUDGETS = {"aftercare-cupping": 1, "aftercare-dry-needling": 1, "decision-quiz": 2, "decision-flowchart": 2,
           "key-factors": 1, "cupping-vs-dry-needling": 3, "decision-worksheet": 2}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("name", BUDGETS)
def test_seed_aids_declare_their_budget_and_meet_it(name, paper):
    from aidpress.model import Decision, Flowchart, Quiz
    from aidpress.validate import load_aid
    from layouts import render

    from .conftest import CLINIC

    aid = load_aid(ROOT / "aids" / f"{name}.yaml")
    assert aid.page_budget(large_print=False) == BUDGETS[name]
    pages = read(render(aid, CLINIC, paper=paper).pdf)
    assert len(pages) <= BUDGETS[name]
    first = pages[0].body
    if isinstance(aid, Flowchart):  # the whole diagram on page 1: seeing it whole is its point
        for node in aid.nodes.values():
            assert norm(node.question if isinstance(node, Decision) else node.outcome) in first
    if isinstance(aid, Quiz):  # every question, its boxes and the score key on page 1
        for question in aid.questions:
            assert norm(question.question) in first
        assert norm(aid.scoring.otherwise) in first


# ── issue 15: what keeps a patient safe, complete and in plain words ────────────────
#
# Each check is a function returning a list of problems, run on the built PDFs (text read
# back page by page) and shown to fail on the wording the handouts had before issue 15.

VARIANTS = {"a4": [], "letter": ["--paper", "letter"], "large": ["--large-print"],
            "letter-large": ["--paper", "letter", "--large-print"]}
DN_AFTERCARE = "aftercare-dry-needling"
# every decision aid, and the "before you choose" sheet
RED_FLAG_AIDS = (FLOW, CMP, DNA, WORKSHEET, "key-factors", "decision-quiz")


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """The aids issue 15 changes, built by `aidpress build` in each paper and print size."""
    out = {}
    for name, options in VARIANTS.items():
        folder = tmp_path_factory.mktemp(name)
        paths = [str(AIDS / f"{stem}.yaml") for stem in (DN_AFTERCARE, *RED_FLAG_AIDS)]
        result = CliRunner().invoke(main, ["build", *paths, "--clinic", str(CLINIC_YAML), "--out", str(folder),
                                           "--force", *options])
        assert result.exit_code == 0, result.output
        # the file name carries the variant ("-letter", "-large-print"); key by the aid's own name
        out[name] = {stem: next(folder.glob(f"{stem}*.pdf")).read_bytes() for stem in (DN_AFTERCARE, *RED_FLAG_AIDS)}
    return out


# Point 3: red flags for any pain. Seed 000 §3: "Is your pain acute and accompanied by red
# flags? (fever, progressive neurological loss, uncontrolled bleeding, severe swelling)". The
# handouts ask about them whether the pain is new or not (issue 15), in the seed's words made plain.
RED_FLAGS = ("fever", "bleeding that won't stop", "severe swelling", "growing numbness or weakness")
ANY_PAIN = re.compile(r"\bnew or (?:not|old)\b")
NEW_PAIN_ONLY = re.compile(r"\b(?:if your pain is new|is your pain new|pain is new and)\b")


def red_flag_texts(stem: str, raw: dict) -> list[str]:
    """The YAML texts that carry an aid's red flags, in print order."""
    if raw["kind"] == "flowchart":
        node = raw["nodes"][raw["start"]]
        return [node["question"], node["help"]]
    if raw["kind"] == "quiz":  # its red-flag question, asked before any scored one
        return [raw["red_flag"]["question"]] if "red_flag" in raw else []
    return [t for t in raw.get("intro", []) if "fever" in t.lower()]


def red_flag_problems(stem: str, raw: dict, first_page: str) -> list[str]:
    texts = red_flag_texts(stem, raw)
    if not texts:
        return [f"{stem}: no red flags"]
    problems = []
    joined = norm(" ".join(texts)).lower()
    problems += [f"{stem}: red flag {flag!r} missing" for flag in RED_FLAGS if not says(joined, flag)]
    if not ANY_PAIN.search(joined):
        problems.append(f"{stem}: does not say the signs count whether the pain is new or not")
    if NEW_PAIN_ONLY.search(joined):
        problems.append(f"{stem}: asks about the signs only for new pain")
    try:
        assert_in_order(first_page, texts)
    except AssertionError:
        problems.append(f"{stem}: the red flags are not printed whole on page 1")
    return problems


@pytest.mark.parametrize("variant", VARIANTS)
def test_red_flags_are_asked_for_any_pain_on_page_one_of_every_decision_aid(variant, variants):
    for stem in RED_FLAG_AIDS:
        first = read(variants[variant][stem])[0].body
        assert red_flag_problems(stem, load_raw(AIDS / f"{stem}.yaml"), first) == []
    # the seed's own red flags, which RED_FLAGS puts in plain words
    assert "(fever, progressive neurological loss, uncontrolled bleeding, severe swelling)" in seed_text("000")


def test_the_red_flag_check_fails_on_new_pain_only(built):
    old_flowchart = {"kind": "flowchart", "start": "red_flags", "nodes": {"red_flags": {
        "question": "Is your pain new, with any of these signs?",
        "help": "Fever, bleeding that won't stop, severe swelling, or growing numbness or weakness."}}}
    page = "Is your pain new, with any of these signs? Fever, bleeding that won't stop, severe swelling, " \
           "or growing numbness or weakness."
    assert red_flag_problems(FLOW, old_flowchart, page) == [
        f"{FLOW}: does not say the signs count whether the pain is new or not", f"{FLOW}: asks about the signs only for new pain"]
    old_intro = ("Safety first: if your pain is new and you have a fever, bleeding that won't stop, severe swelling, "
                 "or growing numbness or weakness, get medical help now. Do not start cupping or dry needling.")
    assert red_flag_problems(CMP, {"kind": "comparison", "intro": [old_intro]}, old_intro) == [
        f"{CMP}: does not say the signs count whether the pain is new or not", f"{CMP}: asks about the signs only for new pain"]
    # and red flags that exist in the YAML but are not on page 1
    raw = load_raw(AIDS / f"{CMP}.yaml")
    assert red_flag_problems(CMP, raw, read(built[CMP])[1].body) == [f"{CMP}: the red flags are not printed whole on page 1"]


# Point 4: the dry needling aftercare names the signs that need help now. The seeds name the
# harms (000 "Pneumothorax (collapsed lung) when needling near the chest wall", "near the
# chest or upper back", "Nerve injury") but not their signs: the signs below are general
# clinical advice (issue 15), so the aid carries a review note for a clinician.
SIGNS = {"collapsed lung": ("sudden chest pain", "hard to breathe", "chest or upper back", "collapsed lung",
                            "emergency help now"),
         "nerve injury": ("new numbness or weakness that does not fade", "nerve injury", "help now")}


def sign_problems(raw: dict, first_page: str) -> list[str]:
    [warning] = [s for s in raw["sections"] if s.get("warning")]
    items = [norm(i if isinstance(i, str) else i["text"]) for i in warning["items"]]
    problems = []
    for harm, words in SIGNS.items():
        if not any(all(says(item.lower(), w) for w in words) for item in items):
            problems.append(f"no warning item names the signs of a {harm} with {words}")
    try:
        assert_in_order(first_page, [warning["heading"], *items])
    except AssertionError:
        problems.append("the warning box's heading and items are not printed whole on page 1")
    return problems


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_dry_needling_aftercare_names_the_signs_that_need_help_now_on_page_one(variant, variants):
    first = read(variants[variant][DN_AFTERCARE])[0].body
    assert sign_problems(load_raw(AIDS / f"{DN_AFTERCARE}.yaml"), first) == []


def test_the_signs_check_fails_on_ask_what_signs_to_watch_for(built):
    raw = load_raw(AIDS / f"{DN_AFTERCARE}.yaml")
    [warning] = [s for s in raw["sections"] if s.get("warning")]
    warning["items"] = ["You have more redness or swelling, or a fever (signs of infection), or another problem "
                        "that worries you.", "Get help now for bleeding that won't stop, bad swelling, or growing numbness."]
    assert sign_problems(raw, read(built[DN_AFTERCARE])[0].body) == [
        f"no warning item names the signs of a {harm} with {words}" for harm, words in SIGNS.items()] + [
        "the warning box's heading and items are not printed whole on page 1"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
def test_the_signs_are_not_in_the_seeds_so_the_aid_asks_a_clinician_to_check_them():
    seeds = " ".join(seed_text(p) for p in ("000", "001", "002", "003", "004")).lower()
    for sign in ("chest pain", "hard to breathe", "breathless", "short of breath", "numbness"):
        assert sign not in seeds
    for harm in ("pneumothorax (collapsed lung)", "nerve injury", "upper back"):
        assert harm in seeds
    source = (AIDS / f"{DN_AFTERCARE}.yaml").read_text(encoding="utf-8")
    note = " ".join(line.lstrip("# ").strip() for line in source.splitlines() if line.startswith("#"))
    assert "REVIEW NOTE, for a clinician to check before clinical use" in note
    assert "general clinical advice, not taken from the sources" in note


# Point 4: the flowchart's bleeding-risk and needle-fear outcomes follow seed 000 §3.
SEED_BLEEDING = ("Cupping may still be possible but discuss risks with clinician; dry needling often carries more "
                 "bleeding risk—seek medical clearance.")
OUTCOME_WORDS = {"health": ("ask your doctor first", "only cupping may still be possible",
                            "dry needling has more bleeding risk"),
                 "needles": ("cupping may suit you", "try cupping first")}


def outcome_problems(raw: dict, text: str) -> list[str]:
    problems = []
    for node_id, words in OUTCOME_WORDS.items():
        node = raw["nodes"][node_id]
        end = raw["nodes"][node["branches"]["Yes"]]
        printed = [t for t in (end["outcome"], end.get("detail"), end.get("next_step")) if t]
        said = norm(" ".join(printed)).lower()
        problems += [f"{node_id}: the outcome does not say {w!r}" for w in words if not says(said, w)]
        try:
            assert_in_order(text, [node["question"], *printed])
        except AssertionError:
            problems.append(f"{node_id}: the outcome is not printed whole after its question")
    return problems


@pytest.mark.parametrize("variant", ["a4", "letter"])
def test_the_bleeding_risk_and_needle_fear_outcomes_follow_seed_000(variant, variants):
    assert norm(SEED_BLEEDING) in seed_text("000") and "Try cupping first." in seed_text("000")
    first = read(variants[variant][FLOW])[0].body  # the whole diagram is on page 1
    assert outcome_problems(load_raw(AIDS / f"{FLOW}.yaml"), first) == []


def test_the_outcome_check_fails_on_either_may_still_be_possible(built):
    raw = load_raw(AIDS / f"{FLOW}.yaml")
    raw["nodes"]["talk_first"] = {"outcome": "Talk to your practitioner first.", "detail": "Either may still be possible.",
                                  "next_step": "You may need your doctor's OK."}
    raw["nodes"]["no_needles"] = {"outcome": "Dry needling may not suit you.",
                                  "next_step": "Tell your practitioner about your fear."}
    assert outcome_problems(raw, read(built[FLOW])[0].body) == [
        *[f"health: the outcome does not say {w!r}" for w in OUTCOME_WORDS["health"]],
        "health: the outcome is not printed whole after its question",
        *[f"needles: the outcome does not say {w!r}" for w in OUTCOME_WORDS["needles"]],
        "needles: the outcome is not printed whole after its question"]


# Point 5: the research row weighs the sources. A source that sells the treatment is marked
# "(sells …)" in the aid's own source list; the row must name those sources by number, and
# report seed 003's finding (EVIDENCE above: 6 to 12 months, not shown to beat other treatments).
def sellers(raw: dict) -> list[int]:
    return [n for n, s in enumerate(raw["sources"], 1) if "(sells" in s]


def source_numbers(text: str) -> set[int]:
    """Every source number a text cites: "(1, 3, 4)", "Source 2", "Sources 4 and 5"."""
    found = set()
    for group in re.findall(r"\((\d+(?:, \d+)*)\)", text):
        found |= {int(n) for n in group.split(", ")}
    for first, second in re.findall(r"\bSources? (\d+)(?: and (\d+))?", text):
        found |= {int(n) for n in (first, second) if n}
    return found


def research_problems(raw: dict, option: str) -> list[str]:
    [row] = [r for r in raw["rows"] if r["aspect"] == "The research"]
    cell = row["cells"][option]
    problems = []
    selling = sellers(raw)
    if not selling:
        problems.append("the source list marks no source that sells the treatment")
    if not re.search(r"\bsells? (?:it|dry needling)\b", cell) or not set(selling) <= source_numbers(cell):
        problems.append(f"the research cell does not say that sources {selling} sell the treatment")
    if re.search(r"research (?:is )?strong", cell) and not re.search(r"names? no studies", cell):
        problems.append("the research cell reports 'strong research' as if it were shown")
    return problems


@pytest.mark.parametrize("stem", [CMP, DNA])
def test_the_research_row_says_which_sources_sell_the_treatment(stem, texts):
    raw = load_raw(AIDS / f"{stem}.yaml")
    assert research_problems(raw, "dry_needling") == []
    [row] = [r for r in raw["rows"] if r["aspect"] == "The research"]
    assert norm(row["cells"]["dry_needling"]).lower() in texts[stem]  # printed whole


def test_the_research_check_fails_on_equal_weight():
    raw = load_raw(AIDS / f"{CMP}.yaml")
    [row] = [r for r in raw["rows"] if r["aspect"] == "The research"]
    row["cells"]["dry_needling"] = ("Studies found less pain in the short term. Sources differ on the long term. "
                                    "One calls the research strong (3), one says proof is lacking (4).")
    assert research_problems(raw, "dry_needling") == [
        "the research cell does not say that sources [4, 5] sell the treatment",
        "the research cell reports 'strong research' as if it were shown"]


# Point 5: what the sources do not say is not "no harm". Acupuncture's harms and waiting.
NOT_DESCRIBED = "the sources do not describe them. this does not mean it has none."
WAITING = ("your pain may go on", "the sources do not study waiting")


def silence_problems(raw: dict) -> list[str]:
    problems = []
    cells = [(r["aspect"], option, text) for r in raw["rows"] for option, text in r["cells"].items() if text]
    problems += [f"{aspect} / {option}: {text!r}" for aspect, option, text in cells
                 if "none from treatment" in text.lower()]
    wait = " ".join(text for _, option, text in cells if option == "wait").lower()
    problems += [f"waiting: does not say {w!r}" for w in WAITING if w not in wait]
    if "acupuncture" in raw["options"]:
        [harms] = [r["cells"]["acupuncture"] for r in raw["rows"] if r["aspect"] == "Harms"]
        if NOT_DESCRIBED not in norm(harms).lower():
            problems.append(f"acupuncture harms: {harms!r}")
    return problems


@pytest.mark.parametrize("stem", [CMP, DNA])
def test_silence_in_the_sources_is_not_printed_as_no_harm(stem, texts):
    raw = load_raw(AIDS / f"{stem}.yaml")
    assert silence_problems(raw) == []
    for row in raw["rows"]:
        for option, text in row["cells"].items():
            if option in row.get("cost", ()) and option in RAW_CLINIC.get("fees", {}):
                # the cost row prints the clinic's own fee instead (tests/test_clinic_fees.py)
                text = LABELS["our_price"].format(fee=f"{RAW_CLINIC['currency']}{RAW_CLINIC['fees'][option]}")
            assert norm(text).lower() in texts[stem]  # every cell printed whole


def test_the_silence_check_fails_on_none_from_treatment():
    raw = load_raw(AIDS / f"{DNA}.yaml")
    [harms] = [r for r in raw["rows"] if r["aspect"] == "Harms"]
    harms["cells"].update(acupuncture="The sources do not describe its harms. Ask your practitioner.",
                          wait="None from treatment.")
    [research] = [r for r in raw["rows"] if r["aspect"] == "The research"]
    research["cells"]["wait"] = "The sources do not look at waiting."
    assert silence_problems(raw) == [
        "Harms / wait: 'None from treatment.'", "waiting: does not say 'your pain may go on'",
        "waiting: does not say 'the sources do not study waiting'",
        "acupuncture harms: 'The sources do not describe its harms. Ask your practitioner.'"]


# Point 5: disagreements between sources read as sentences; numbers only cite the source list.
GARBLED = [re.compile(r"\bdiffer\)"), re.compile(r"\(sources? [^)]*\)", re.I), re.compile(r", or a few\b"),
           re.compile(r"\bhours to 7 days\b")]


def yaml_texts(raw) -> list[str]:
    """Every string in an aid's YAML, but its source list (citations are not prose)."""
    if isinstance(raw, dict):
        return [t for k, v in raw.items() if k != "sources" for t in yaml_texts(v)]
    if isinstance(raw, list):
        return [t for v in raw for t in yaml_texts(v)]
    return [raw] if isinstance(raw, str) else []


def citation_problems(stem: str, raw: dict, text: str) -> list[str]:
    problems = [f"{stem}: {m.group(0)!r} printed" for rx in GARBLED for m in rx.finditer(text)]
    count = len(raw.get("sources", []))
    for t in yaml_texts(raw):
        wrong = sorted(n for n in source_numbers(t) if not 1 <= n <= count)
        if wrong:
            problems.append(f"{stem}: {t!r} cites {wrong}, the source list has {count}")
        if re.search(r"\b(?:guides|sources) differ\b", t, re.I) and not source_numbers(t):
            problems.append(f"{stem}: {t!r} says sources differ without citing them")
    return problems


# The cost row is rewritten from the clinic's own fees by issue 15 point 6, a separate change;
# until that lands its cell ("About $30 to $120 (sources 1, 5 differ)") is left out here.
# Once it has, empty this set: the cost row must then pass like every other row.
LEFT_TO_POINT_6 = {"Cost of a session"}


@pytest.mark.parametrize("stem", sorted(p.stem for p in AIDS.glob("*.yaml")))
def test_disagreements_are_plain_sentences_and_every_citation_is_in_the_source_list(stem, built):
    raw = load_raw(AIDS / f"{stem}.yaml")
    text = norm(body_text(built[stem]))
    for row in [r for r in raw.get("rows", []) if r["aspect"] in LEFT_TO_POINT_6]:
        raw["rows"].remove(row)
        for cell in row["cells"].values():
            text = text.replace(norm(cell), "")
    assert citation_problems(stem, raw, text) == []
    for t in yaml_texts(raw):  # each disagreement printed whole, in its own words
        if re.search(r"\b(?:guides|sources) differ\b", t, re.I):
            assert_in_order(text, [t])


def test_the_citation_check_fails_on_the_old_wording():
    raw = {"sources": ["a", "b"], "x": ["Soreness for 1 to 2 days, or a few (sources 1, 3 differ).",
                                        "Sources differ on who may do it.", "Guides differ: one says ice (4)."]}
    printed = "Soreness for 1 to 2 days, or a few (sources 1, 3 differ)."
    assert citation_problems("x", raw, printed) == [
        "x: 'differ)' printed", "x: '(sources 1, 3 differ)' printed", "x: ', or a few' printed",
        "x: 'Sources differ on who may do it.' says sources differ without citing them",
        "x: 'Guides differ: one says ice (4).' cites [4], the source list has 2"]


# Point 5: the SURE test keeps its four items, named so a patient understands them. The
# names keep the letters S, U, R, E (O'Connor & Légaré's mnemonic) and drop the jargon of
# three original names ("Risk–benefit ratio", "Understand information", "Encouragement");
# "Sure of myself" is plain already and stays.
SURE_KEYS = ("s", "u", "r", "e")
JARGON = ("ratio", "information", "encouragement")


def sure_problems(labels: dict) -> list[str]:
    problems = []
    for key in SURE_KEYS:
        name = labels[f"sure_{key}"]
        if not name.lower().startswith(key):
            problems.append(f"sure_{key}: {name!r} does not keep its letter {key.upper()}")
        problems += [f"sure_{key}: {name!r} uses {w!r}" for w in JARGON if w in name.lower()]
        if not labels[f"sure_{key}_question"].endswith("?"):
            problems.append(f"sure_{key}_question is not a question")
    return problems


def test_the_sure_test_keeps_four_items_a_patient_understands(built):
    assert sure_problems(LABELS) == []
    text = norm(body_text(built[WORKSHEET]))
    assert_in_order(text, [LABELS["sure_heading"], *[t for k in SURE_KEYS for t in (
        LABELS[f"sure_{k}"], LABELS[f"sure_{k}_question"], LABELS["yes"], LABELS["no"])],
        LABELS["sure_rule"], LABELS["sure_credit"]])
    assert text.count(LABELS["sure_rule"]) == 1
    old = {**LABELS, "sure_u": "Understand information", "sure_r": "Risk–benefit ratio", "sure_e": "Encouragement"}
    assert sure_problems(old) == ["sure_u: 'Understand information' uses 'information'",
                                  "sure_r: 'Risk–benefit ratio' uses 'ratio'", "sure_e: 'Encouragement' uses 'encouragement'"]
    assert sure_problems({**LABELS, "sure_r": "Weighing risks and benefits"}) == [
        "sure_r: 'Weighing risks and benefits' does not keep its letter R"]
