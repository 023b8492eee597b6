"""kind: flowchart — a decision chart drawn as boxes and labelled arrows.

The shape is a spine: questions run down the left in reading order (depth-first from
the start), each joined to the next by a labelled down arrow. A question's other
branches go right, to its outcomes or to a "Go to step N" connector when the target is
drawn elsewhere. An outcome reached from several questions is drawn once and numbered.

Each question with its side column is one row flowable, so a box is never split; when
a page break falls between two rows, the arrow ends in "continued on next page" and
resumes under "continued from page N".

In a tagged handout (layouts/tagging.py) the chart is read as a list of its steps, in
their printed order, whatever the drawing: `L`, one `LI` a step (the row's AidKeep unit),
holding its number (`Lbl` "Step N") and an `LBody` with the question, its help, then each
branch in the aid's order, read in full ("Yes: go to step 3, <its question>", "No: <the
outcome>") and followed by the outcome box it leads to when that is drawn here (a `Div`
of paragraphs). What a listener hears comes from the graph, not from where a label is
drawn: a side branch's label (and its "Go to step N" box) is a `P` whose /ActualText is
the whole branch; the arrow down to the next step has no words of its own in its row, so
it is a `Figure` (the line, "continued on next page" under it, and its label drawn at the
top of the next row when that is on the same page) with the branch as /Alt. A row resumed
on a new page begins with "continued from page N" and the arrow's label: a pagination
artifact (the Figure on the page before has read the branch). Each `Lbl` is the "Step N"
printed in its question box, nothing else. Boxes, fills, arrowheads and the other
connector lines are artifacts.
"""

from __future__ import annotations

import string
from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from aidpress.errors import UnfitContent
from aidpress.labels import clinic_words
from aidpress.model import Decision, Flowchart, Outcome

from . import engine
from .boxes import WriteInLine
from .common import Context, opening
from .scale import BOLD, INK, ITALIC, OUTCOME_EDGE, OUTCOME_TINT, REGULAR, WARNING, WARNING_TINT, Scale
from .text import para
from .units import Node, begin, end, new_ident

# ── the plan: which box goes where, decided from the graph alone ───────────────────


@dataclass
class Side:
    """A branch drawn to the side of a step: its label, and the box it leads to (here or elsewhere)."""

    label: str  # the branch label on the arrow
    target: str  # node id
    drawn_here: bool  # False: a connector pointing to where the target is drawn


@dataclass
class Step:
    """One question of the chart as drawn, numbered, with its down arrow and side branches."""

    node_id: str
    number: int
    down_label: str | None = None  # label of the arrow to the next step, if any
    sides: list[Side] = field(default_factory=list)


def plan(chart: Flowchart) -> tuple[list[Step], dict[str, str]]:
    """Steps in spine order, and a letter for every outcome reached more than once."""
    nodes = chart.nodes
    order: list[str] = []

    def visit(node_id: str) -> None:
        if node_id in order or not isinstance(nodes[node_id], Decision):
            return
        order.append(node_id)
        for target in nodes[node_id].branches.values():
            visit(target)

    visit(chart.start_id)
    numbers = {node_id: i for i, node_id in enumerate(order, 1)}
    references: dict[str, int] = {}
    for node_id in order:
        for target in nodes[node_id].branches.values():
            references[target] = references.get(target, 0) + 1
    shared = [t for t in references if references[t] > 1 and isinstance(nodes[t], Outcome)]
    letters = dict(zip(shared, string.ascii_uppercase * 4))

    steps, placed = [], set()
    for i, node_id in enumerate(order):
        step = Step(node_id, numbers[node_id])
        following = order[i + 1] if i + 1 < len(order) else None
        for label, target in nodes[node_id].branches.items():
            if target == following and step.down_label is None:
                step.down_label = label
                continue
            here = isinstance(nodes[target], Outcome) and target not in placed
            placed.add(target) if here else None
            step.sides.append(Side(label, target, here))
        steps.append(step)
    return steps, letters


# ── what each part is in a tagged handout's structure tree ─────────────────────────


@dataclass(eq=False)
class Mark:
    """A unit mark around part of a step (units.begin's arguments): one structure element.
    The tag is no audit kind: the step's row is the unit the audit keeps whole."""

    role: str
    parents: tuple = ()
    attrs: dict | None = None
    ident: list = field(default_factory=new_ident)


@contextmanager
def marked(canv, mark: Mark | None):
    if mark is None:
        yield
        return
    begin(canv, "AidPart", mark.ident, mark.role, mark.parents, mark.attrs)
    yield
    end(canv)


@dataclass(eq=False)
class StepTags:
    """A step's elements: its list item (the row's AidKeep unit) in the chart's list, its
    number, its body; the branch sentences and outcome boxes in the aid's branch order."""

    chart: Node  # the L, one for the whole chart
    number: Mark  # Lbl "Step N"
    body: Node = field(default_factory=lambda: Node("LBody"))
    item: list = field(default_factory=new_ident)  # the LI
    down: Mark | None = None  # the arrow to the next step: a Figure with the branch as /Alt
    sides: list = field(default_factory=list)  # per side branch: (its P, its outcome box's Div or None)
    reading: list = field(default_factory=list)  # those marks in the order they are read


def reserve(canv, marks: list[Mark]) -> None:
    """Make each element now, empty, so the tree reads them in this order whatever order
    they are drawn in (an element's place is where its unit is first seen)."""
    for mark in marks:
        with marked(canv, mark):
            pass


# ── drawing ─────────────────────────────────────────────────────────────────────────


class Box:
    """A box of paragraphs at a fixed width; knows its height before it is drawn."""

    def __init__(self, paragraphs: list[Paragraph], width: float, s: Scale, *, kind: str):
        self.paragraphs, self.width, self.s, self.kind = paragraphs, width, s, kind
        inner = width - 3 * s.pad
        # An urgent outcome's first line is reversed out of a dark band across the box's
        # top: it stands out in grayscale as the warning box's heading bar does.
        self.band = 0.0
        heights = [p.wrap(inner, 10_000)[1] for p in paragraphs]
        if kind == "urgent":
            self.band = 1.5 * s.pad + heights[0] + 0.5 * s.pad
        self.height = sum(heights) + 3 * s.pad + (s.pad if self.band else 0)

    def draw(self, canv, x: float, top: float, marks: list | None = None) -> None:
        """`marks`: what each paragraph is in the structure tree (a Mark, or None: part of
        the unit the box is drawn in); the box itself is an artifact."""
        s = self.s
        y = top - self.height
        canv.saveState()
        if self.kind == "question":
            canv.setFillColor("white")
            canv.setStrokeColor(s.accent)
            canv.setLineWidth(s.rule * 1.5)
            canv.rect(x, y, self.width, self.height, stroke=1, fill=1)
        elif self.kind == "connector":
            canv.setFillColor("white")
            canv.setStrokeColor(s.accent)
            canv.setLineWidth(s.rule * 1.2)
            canv.setDash(s.body * 0.3, s.body * 0.2)
            canv.roundRect(x, y, self.width, self.height, self.height / 2, stroke=1, fill=1)
        else:
            urgent = self.kind == "urgent"
            canv.setFillColor(WARNING_TINT if urgent else OUTCOME_TINT)
            canv.setStrokeColor(WARNING if urgent else OUTCOME_EDGE)
            canv.setLineWidth(s.rule * (3.5 if urgent else 1.5))
            canv.roundRect(x, y, self.width, self.height, s.pad * 2, stroke=1, fill=1)
            if self.band:
                outline = canv.beginPath()
                outline.roundRect(x, y, self.width, self.height, s.pad * 2)
                canv.clipPath(outline, stroke=0, fill=0)
                canv.setFillColor(WARNING)
                canv.rect(x, top - self.band, self.width, self.band, stroke=0, fill=1)
        canv.restoreState()
        cursor = top - 1.5 * s.pad
        for i, p in enumerate(self.paragraphs):
            cursor -= p.height
            with marked(canv, marks[i] if marks else None):
                p.drawOn(canv, x + 1.5 * s.pad, cursor)
            if i == 0 and self.band:
                cursor -= s.pad  # below the band


def question_box(node: Decision, number: int, width: float, ctx: Context) -> Box:
    st = ctx.styles
    parts = [para(ctx.labels["step"].format(n=number), st.label), para(node.question, st.cell_bold)]
    if node.help:
        parts.append(para(node.help, st.cell))
    return Box(parts, width, ctx.scale, kind="question")


def outcome_box(node: Outcome, letter: str | None, width: float, ctx: Context) -> Box:
    st, labels = ctx.styles, ctx.labels
    parts = []
    if node.urgent:  # reversed out of a dark band, with the way to emergency care when the clinic gives it
        mark = labels["warning_mark"] + " " + labels["urgent"]
        if ctx.clinic.emergency:
            parts.append(para(clinic_words(ctx.clinic, ctx.clinic.emergency), st.cell_head,
                              bold_lead=mark + " · " + labels["emergency"] + ":"))
        else:
            parts.append(para(mark, st.cell_head))
    if letter:
        parts.append(para(labels["box"].format(n=letter), st.label))
    parts.append(para(node.outcome, st.cell_bold))
    if node.detail:
        parts.append(para(node.detail, st.cell))
    if node.next_step:
        parts.append(para(node.next_step, st.cell, bold_lead=labels["next_step"]))
    if node.urgent and not ctx.clinic.emergency:  # a line to write the route on: after the label, or under it
        s = ctx.scale
        label = labels["emergency"] + ":"
        if width - 3 * s.pad - stringWidth(label, REGULAR, s.body) - s.pad >= 4 * s.body:
            parts.append(WriteInLine(s, labels["emergency"]))
        else:
            parts += [para(label, st.cell), RuledLine(s)]
    return Box(parts, width, ctx.scale, kind="urgent" if node.urgent else "outcome")


class RuledLine(Flowable):
    """A line across the box to write on by pen."""

    def __init__(self, s: Scale):
        super().__init__()
        self.s = s

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.s.body * 1.8
        return self.width, self.height

    def draw(self):
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(self.s.rule)
        self.canv.line(0, self.s.body * 0.25, self.width, self.s.body * 0.25)


def connector_box(text: str, width: float, ctx: Context) -> Box:
    return Box([para(text, ctx.styles.box_bold)], width, ctx.scale, kind="connector")


def arrow(canv, points: list[tuple[float, float]], s: Scale) -> None:
    """A polyline ending in a filled arrowhead at its last point."""
    canv.saveState()
    canv.setStrokeColor(INK)
    canv.setFillColor(INK)
    canv.setLineWidth(s.rule * 1.5)
    path = canv.beginPath()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    canv.drawPath(path, stroke=1, fill=0)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    size = s.body * 0.55
    dx, dy = (x1 - x0), (y1 - y0)
    length = (dx * dx + dy * dy) ** 0.5 or 1
    ux, uy = dx / length, dy / length
    head = canv.beginPath()
    head.moveTo(x1, y1)
    head.lineTo(x1 - ux * size - uy * size * 0.5, y1 - uy * size + ux * size * 0.5)
    head.lineTo(x1 - ux * size + uy * size * 0.5, y1 - uy * size - ux * size * 0.5)
    head.close()
    canv.drawPath(head, stroke=0, fill=1)
    canv.restoreState()


class StepRow(Flowable):
    """One question, its side branches, and the arrow stubs joining it to its neighbours."""

    def __init__(self, ctx: Context, question: Box, sides: list[tuple[Paragraph, Box]],
                 incoming: Paragraph | None, outgoing: bool, continued_from: bool = False,
                 number: int = 0, ids: tuple = (), *, tags: StepTags, before: StepTags | None = None):
        super().__init__()
        s, w = ctx.scale, ctx.frame_width
        self.ctx, self.s = ctx, s
        self.number, self.ids = number, ids  # the step's number; node ids of the boxes drawn here
        # What its parts are in the structure tree; `before`: the step whose arrow comes in
        self.tags, self.before = tags, before
        self.question, self.sides = question, sides
        self.incoming, self.outgoing, self.continued_from = incoming, outgoing, continued_from
        self.q_width = question.width
        self.side_x = w - (sides[0][1].width if sides else 0)
        # Room for the arrow and its label, however many lines the label wraps to: 2.6 ×
        # body as designed, less as the spacing closes up (2 × body at the tightest).
        self.top_zone = max(s.body * 1.6 + s.gap * 4 / 3, incoming.height + 2 * s.pad) if incoming is not None else 0
        if continued_from:  # "continued from page N, Step M" gets a line of its own above the label
            self.top_zone += s.small * 1.5
        self.stub = s.body * 1.2 if outgoing else 0  # (room below for "continued on next page")
        self.slots = [max(box.height, 2 * label.height + s.pad) for label, box in sides]
        side_height = sum(self.slots) + s.gap * max(0, len(sides) - 1)
        self.content = max(question.height, side_height)
        self.width, self.height = w, self.top_zone + self.content + self.stub

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def split(self, avail_width, avail_height):
        # Moving to a new page: end the incoming arrow here with a marker, resume it there.
        if self.incoming is None or self.continued_from:
            return []
        return [ContinuedMarker(self.ctx, self.number, self.q_width, self.before), StepRow(
            self.ctx, self.question, self.sides, self.incoming, self.outgoing, continued_from=True,
            number=self.number, ids=self.ids, tags=self.tags, before=self.before)]

    def draw(self):
        page = printed_page(self.canv)
        for node_id in self.ids:
            self.ctx.drawn_pages[node_id] = page
        tags = self.tags
        if self.incoming is not None:
            self._draw_incoming()
        begin(self.canv, "AidKeep", tags.item, "LI", (tags.chart,))
        self._draw()
        end(self.canv)

    def _draw_incoming(self):
        """The previous step's arrow down into this one, and its label. The arrow's Figure
        (in the step it leaves) reads the whole branch as its /Alt: on the same page, the
        label is drawn in that Figure; resumed on a new page (the step it leaves is on the
        page before, and a step is never split), the label and "continued from page N" are
        a pagination artifact, as a table's repeated header row is."""
        c, s = self.canv, self.s
        mid = self.q_width / 2
        content_top = self.height - self.top_zone
        label_zone = self.top_zone
        if self.continued_from or self.before is None:
            part, before = Mark("Artifact"), None
        else:
            part, before = self.before.down, self.before
        if before is not None:
            begin(c, "AidKeep", before.item, "LI", (before.chart,))
        with marked(c, part):
            if self.continued_from:
                # Where the arrow comes from, counted as printed (a pack numbers its pages
                # from the cover), on a line of its own: never over the branch label.
                labels = self.ctx.labels
                text = (labels["continued_from"].format(n=printed_page(c) - 1) + ", "
                        + labels["step"].format(n=self.number - 1))
                c.setFont(ITALIC, s.small)
                c.setFillColor(INK)
                c.drawString(mid + s.pad, self.height - s.small, text)
                label_zone -= s.small * 1.5
            self.incoming.drawOn(c, mid + s.pad, content_top + (label_zone - self.incoming.height) / 2)
        if before is not None:
            end(c)
        arrow(c, [(mid, self.height), (mid, content_top)], s)

    def _draw(self):
        c, s, tags = self.canv, self.s, self.tags
        mid = self.q_width / 2
        content_top = self.height - self.top_zone
        question = [tags.number, Mark("P", (tags.body,)), Mark("P", (tags.body,))]
        self.question.draw(c, 0, content_top, question[:len(self.question.paragraphs)])
        reserve(c, tags.reading)
        if self.outgoing:
            q_bottom = content_top - self.question.height
            line_bottom = 0
            with marked(c, tags.down):
                c.setStrokeColor(INK)
                c.setLineWidth(s.rule * 1.5)
                c.line(mid, q_bottom, mid, line_bottom)
        self._draw_sides(content_top)

    def _draw_sides(self, content_top: float) -> None:
        if not self.sides:
            return
        c, s = self.canv, self.s
        q_mid_y = content_top - min(self.question.height / 2, self.s.body * 2)
        bus_x = self.q_width + (self.side_x - self.q_width) * 0.25
        top, centres = content_top, []
        for (label, box), slot, (branch, outcome) in zip(self.sides, self.slots, self.tags.sides):
            centre = top - slot / 2
            if outcome is not None:  # the box the branch leads to: a Div of its paragraphs
                with marked(c, outcome):
                    box.draw(c, self.side_x, centre + box.height / 2, [Mark("P") for _ in box.paragraphs])
            else:  # "Go to step N": read as the branch
                box.draw(c, self.side_x, centre + box.height / 2, [branch])
            centres.append(centre)
            with marked(c, branch):
                label.drawOn(c, bus_x + s.pad, centre + s.pad * 0.5)
            top -= slot + s.gap
        c.setStrokeColor(INK)
        c.setLineWidth(s.rule * 1.5)
        c.line(self.q_width, q_mid_y, bus_x, q_mid_y)
        ys = centres + [q_mid_y]
        c.line(bus_x, min(ys), bus_x, max(ys))
        for y in centres:
            arrow(c, [(bus_x, y), (self.side_x, y)], s)


class ContinuedMarker(Flowable):
    """Takes no space: writes "continued on next page" beside the arrow stub above it."""

    def __init__(self, ctx: Context, number: int, q_width: float, before: StepTags | None = None):
        super().__init__()
        self.s, self.q_width = ctx.scale, q_width
        self.text = "▼ " + ctx.labels["continued_next"] + ", " + ctx.labels["step"].format(n=number)
        self.width = self.height = 0
        self.before = before  # the step above, whose arrow this continues (on its page)

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        s, c = self.s, self.canv
        if self.before is not None:  # part of the arrow's Figure, in the step it leaves
            begin(c, "AidKeep", self.before.item, "LI", (self.before.chart,))
        with marked(c, self.before.down if self.before is not None else None):
            c.setFont(ITALIC, s.small)
            c.setFillColor(INK)
            c.drawString(self.q_width / 2 + s.pad, s.small * 0.4, self.text)
        if self.before is not None:
            end(c)


def printed_page(canv) -> int:
    """The page number as printed in the footer (in a pack, counted from the cover)."""
    return getattr(canv, "_first_page", 1) + engine.document_page(canv) - 1


QUESTION_SHARE = 0.46  # of the frame width; the rest is arrows (~0.16) and the side column
ARROW_SHARE = 0.16


def render(aid: Flowchart, ctx: Context) -> list[Flowable]:
    """One row per step. A step too tall for a page beside a wide question box tries a
    narrower one for the whole chart (the arrows stay in line): outcome boxes get wider,
    and shorter."""
    steps, letters = plan(aid)

    def referenced(rows: list) -> list:
        ctx.referenced.update(side.target for step in steps for side in step.sides if not side.drawn_here)
        return rows
    # The first step shares page 1 with the title and intro when some width lets it:
    # a title alone on a page heads nothing.
    above = sum(f.wrap(ctx.frame_width, ctx.frame_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                for f in opening(aid, ctx))
    fallback = None
    for share in QUESTION_SHARES:
        rows, incoming_label, chart = [], None, Node("L")
        for step in steps:
            rows.append(step_row(aid, ctx, step, steps, letters, incoming_label, share, chart,
                                 rows[-1].tags if rows else None))
            incoming_label = step.down_label
        # (a row resumed on a new page gains a line for "continued from page N")
        too_tall = [(step, row) for step, row in zip(steps, rows)
                    if row.height + ctx.scale.small * 1.5 > ctx.frame_height]
        if not too_tall and above + rows[0].height <= ctx.frame_height:
            return referenced(rows)
        fallback = fallback or (None if too_tall else rows)
    if fallback:
        return referenced(fallback)
    node_id = too_tall[0][0].node_id
    raise UnfitContent(aid.nodes[node_id].where.file, ("nodes", node_id),
                       "this step and its outcomes are taller than a page",
                       "shorten their text or split the question")


QUESTION_SHARES = (QUESTION_SHARE, 0.38, 0.3)


def step_row(aid: Flowchart, ctx: Context, step: Step, steps: list[Step], letters: dict,
             incoming_label: str | None, share: float, chart: Node | None = None,
             before: StepTags | None = None) -> StepRow:
    st, s, w = ctx.styles, ctx.scale, ctx.frame_width
    numbers = {other.node_id: other.number for other in steps}
    q_width = w * share
    # The arrows' column is wide enough for the longest word of any branch label.
    labels = [word for node in aid.nodes.values() for label in getattr(node, "branches", {}) for word in label.split()]
    longest = max(stringWidth(word, BOLD, st.label.fontSize) for word in labels)
    arrows = max(w * ARROW_SHARE, (longest + 2 * s.pad) / 0.75)
    side_width = w - q_width - arrows
    label_width = arrows * 0.75 - s.pad
    node = aid.nodes[step.node_id]
    tags = step_tags(aid, ctx, step, numbers, letters, chart or Node("L"))
    sides, ids = [], [step.node_id]
    for side in step.sides:
        target = aid.nodes[side.target]
        if side.drawn_here:
            box = outcome_box(target, letters.get(side.target), side_width, ctx)
            ids.append(side.target)
        else:
            if isinstance(target, Outcome):
                text = ctx.labels["go_to_outcome"].format(n=letters[side.target])
            else:
                text = ctx.labels["go_to"].format(n=numbers[side.target])
            if side.target in ctx.known_pages:  # "Go to box A (page 2)": a reference names its page
                text += " " + ctx.labels["on_page"].format(n=ctx.known_pages[side.target])
            box = connector_box(text, side_width, ctx)
        label = para(side.label, st.label)
        label.wrap(label_width, 10_000)
        sides.append((label, box))
    incoming = None
    if incoming_label is not None:
        incoming = para(incoming_label, st.label)
        incoming.wrap(q_width / 2 - s.pad, 10_000)
    return StepRow(ctx, question_box(node, step.number, q_width, ctx), sides, incoming,
                   outgoing=step.down_label is not None, number=step.number, ids=tuple(ids), tags=tags,
                   before=before)


def step_tags(aid: Flowchart, ctx: Context, step: Step, numbers: dict, letters: dict, chart: Node) -> StepTags:
    """A step's elements, each branch read in full from the graph (the clinic's wording,
    aidpress/labels.py), in the aid's order of branches."""
    labels = ctx.labels
    tags = StepTags(chart, Mark("Lbl"))
    sides = iter(step.sides)
    for answer, target_id in aid.nodes[step.node_id].branches.items():
        down = answer == step.down_label
        side = None if down else next(sides)
        target = aid.nodes[target_id]
        if isinstance(target, Decision):  # (the arrow down always leads to one)
            sentence = labels["branch_step"].format(answer=answer, n=numbers[target_id],
                                                    question=plain(target.question))
        elif side.drawn_here or target_id not in letters:
            sentence = labels["branch_outcome"].format(answer=answer, outcome=plain(target.outcome))
        else:  # "Go to box A", drawn with another step
            sentence = labels["branch_box"].format(answer=answer, n=letters[target_id], outcome=plain(target.outcome))
        if down:
            tags.down = Mark("Figure", (tags.body,), {"Alt": sentence})
            tags.reading.append(tags.down)
            continue
        branch = Mark("P", (tags.body,), {"ActualText": sentence})
        outcome = Mark("Div", (tags.body,)) if side.drawn_here else None
        tags.sides.append((branch, outcome))
        tags.reading += [branch] + ([outcome] if outcome else [])
    return tags


def plain(text: str) -> str:
    """Text as read: one line, single spaces."""
    return " ".join(text.split())
