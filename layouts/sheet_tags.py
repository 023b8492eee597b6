"""Tagged per-patient sheets: a structure tree for exactly the pages of each written file.

A print run (layouts/stamp.py) lays the blank sheet out once and tags its pages once, with
layouts/tagging.py as a handout is tagged (`tag_page`, then `write` for the blank's tree,
whose content items are on the first sheet's pages). Every sheet's pages then repeat the
blank's tagged drawing operators, so its content items have the same MCIDs page for page;
the values are stamped in their own marked content (`AidValue`, one MCID per write-in line).
Here, after ReportLab has written the run:

- `finish` turns the blank's tree into the run's: the blank's elements copied once per
  sheet (any depth, any keys: only references are renumbered), each value a `Span` in the
  element of the label it follows, one `Document` holding every sheet's elements, a parent
  tree entry for every page (a duplex blank page's is empty);
- `join` (layouts/join.py, several print runs into one file) puts the parts' elements under
  one `Document` and their parent trees into one, each page keeping its own entry;
- `split` (layouts/join.py, a file per sheet) gives each file the elements that hold its
  pages' content, and only those.

Nothing here knows the shape of the tree beyond the PDF's own rules (a structure element's
`/K`, `/P`, `/Pg`; a parent tree's `/Nums`): whatever elements, attributes or role maps the
blank's tree has are copied through. A structure that cannot be built raises TagError,
never writes a half-tagged PDF.

The byte-level reading of ReportLab's output is layouts/engine.py's (`WrittenPdf`,
`references`, `copied_object`); the small object parser here reads the dictionaries the
structure is made of (never a stream).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from .engine import WrittenPdf, copied_object


class TagError(ValueError):
    """A structure tree that cannot be built for a sheet's pages (the PDF is not written)."""


# ── PDF objects: parsed from a dictionary's bytes, written back ──────────────────────


class Ref(int):
    """An indirect reference `n 0 R` (its object number)."""


DELIMITERS = b"()<>[]{}/%"
WHITE = b" \t\r\n\x0c\x00"
NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")
REF_AFTER = re.compile(rb"\s+(\d+)\s+R(?=[\s/\[\]<>()]|$)")
FLAT = re.compile(rb"\[((?:\s*(?:\d+\s+0\s+R|null|\d+)(?=[\s\]]))*)\s*\]")  # references, integers, nulls
FLAT_ITEM = re.compile(rb"(\d+)(\s+0\s+R)?|null")


def parse(data: bytes, at: int = 0):
    """The PDF object starting at `at` (white space skipped) and where it ends. Dictionaries
    become dicts keyed by name (bytes, with the slash), arrays lists, references Ref,
    integers int; every other leaf (names, strings, reals, booleans, null) stays its bytes."""
    at = _skip(data, at)
    head = data[at:at + 2]
    if head == b"<<":
        out, at = {}, at + 2
        while True:
            at = _skip(data, at)
            if data.startswith(b">>", at):
                return out, at + 2
            key, at = parse(data, at)
            if not (isinstance(key, bytes) and key.startswith(b"/")):
                raise TagError(f"a dictionary key is not a name at byte {at}")
            out[key], at = parse(data, at)
    if head[:1] == b"[":
        flat = FLAT.match(data, at)
        if flat:  # most arrays of a structure tree: read in one go
            return [b"null" if m.group(1) is None else Ref(int(m.group(1))) if m.group(2) else int(m.group(1))
                    for m in FLAT_ITEM.finditer(flat.group(1))], flat.end()
        items, at = [], at + 1
        while True:
            at = _skip(data, at)
            if data.startswith(b"]", at):
                return items, at + 1
            item, at = parse(data, at)
            items.append(item)
    if head[:1] == b"(":
        depth, i = 0, at
        while i < len(data):
            ch = data[i:i + 1]
            if ch == b"\\":
                i += 2
                continue
            depth += (ch == b"(") - (ch == b")")
            i += 1
            if depth == 0:
                return data[at:i], i
        raise TagError("a string runs off the end")
    if head[:1] == b"<":
        end = data.index(b">", at) + 1
        return data[at:end], end
    if head[:1] == b"/":
        i = at + 1
        while i < len(data) and data[i] not in WHITE and data[i] not in DELIMITERS:
            i += 1
        return data[at:i], i
    number = NUMBER.match(data, at)
    if number:
        token = number.group()
        if token.isdigit():
            ref = REF_AFTER.match(data, number.end())
            if ref and ref.group(1) == b"0":
                return Ref(int(token)), ref.end()
            return int(token), number.end()
        return token, number.end()
    i = at
    while i < len(data) and data[i] not in WHITE and data[i] not in DELIMITERS:
        i += 1
    if i == at:
        raise TagError(f"unreadable PDF object at byte {at}")
    return data[at:i], i


def _skip(data: bytes, at: int) -> int:
    while at < len(data):
        if data[at] in WHITE:
            at += 1
        elif data[at:at + 1] == b"%":
            while at < len(data) and data[at] not in b"\r\n":
                at += 1
        else:
            break
    return at


def dictionary(body: bytes) -> dict:
    """An object's dictionary (its stream, if any, left unread)."""
    value, _ = parse(body)
    if not isinstance(value, dict):
        raise TagError("expected a dictionary")
    return value


def write(value, renumber=None) -> bytes:
    """A parsed object as PDF bytes, each reference renumbered by `renumber(old) -> new`."""
    if isinstance(value, Ref):
        return b"%d 0 R" % (renumber(value) if renumber else value)
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, dict):
        return b"<< " + b" ".join(k + b" " + write(v, renumber) for k, v in value.items()) + b" >>"
    if isinstance(value, list):
        return b"[ " + b" ".join(write(v, renumber) for v in value) + b" ]"
    if isinstance(value, Value):
        raise TagError("a value's place left in a structure written as it is")
    return value


def refs_in(value) -> list[Ref]:
    """Every reference inside a parsed object, at any depth, in order."""
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, dict):
        return [r for v in value.values() for r in refs_in(v)]
    if isinstance(value, list):
        return [r for v in value for r in refs_in(v)]
    return []


# ── the tree of a written PDF ─────────────────────────────────────────────────────────


@dataclass
class Tree:
    """The structure tree of one PDF of WrittenPdf: its root, the document element(s) under
    it, the parent tree's entries (key → the array of elements by MCID, as written) and
    each page's key."""

    root: int  # the StructTreeRoot's object number
    root_dict: dict
    parent_tree: int
    tops: list  # the root's /K: the document element(s), as Refs
    entries: dict  # parent tree key → its value (an array, or a Ref to one)
    page_keys: dict  # page object number → its /StructParents

    @property
    def document(self) -> int:
        if len(self.tops) != 1:
            raise TagError(f"the structure tree root holds {len(self.tops)} elements, not one Document")
        return self.tops[0]


STRUCT_PARENTS = re.compile(rb"/StructParents (\d+)")


def tree_of(part: WrittenPdf) -> Tree | None:
    """The structure tree of a PDF ReportLab (or this module) wrote; None if it has none."""
    catalog = dictionary(part.objects[part.root])
    root = catalog.get(b"/StructTreeRoot")
    if root is None:
        return None
    if not isinstance(root, Ref):
        raise TagError("the structure tree root is not an indirect object")
    root_dict = dictionary(part.objects[root])
    parent_tree = root_dict.get(b"/ParentTree")
    if not isinstance(parent_tree, Ref):
        raise TagError("the structure tree has no parent tree")
    nums = dictionary(part.objects[parent_tree]).get(b"/Nums")
    if not isinstance(nums, list) or len(nums) % 2:
        raise TagError("the parent tree is not one flat /Nums array")
    entries = dict(zip(nums[::2], nums[1::2]))
    kids = root_dict.get(b"/K")
    tops = kids if isinstance(kids, list) else [kids]
    page_keys = {}
    for page in part.kids:
        key = STRUCT_PARENTS.search(part.objects[page][:part.objects[page].find(b"stream")])
        if key is None:
            raise TagError(f"page {part.kids.index(page) + 1} has no /StructParents")
        page_keys[page] = int(key.group(1))
    return Tree(root, root_dict, parent_tree, [Ref(t) for t in tops], entries, page_keys)


def entry(part: WrittenPdf, tree: Tree, key: int) -> list:
    """A page's parent tree array (resolved if it is an indirect object)."""
    value = tree.entries.get(key)
    if value is None:
        raise TagError(f"no parent tree entry for key {key}")
    if isinstance(value, Ref):
        value = parse(part.objects[value])[0]
    if not isinstance(value, list):
        raise TagError(f"the parent tree entry for key {key} is not an array")
    return value


# ── a print run: the blank's tree copied for every sheet ─────────────────────────────


@dataclass(frozen=True)
class Value:
    """In a template element's /K: where a stamped value's Span goes (if the sheet has it)."""

    page: int  # the blank's page index
    slot: int  # the value's index among the run's write-in lines
    mcid: int


@dataclass
class PagePlan:
    """What the stamping changed in one blank page's tagged content: for each content item
    of the blank (MCID) that held write-in lines, the items that replace it, in drawing
    order: ("mcid", n) — the label's text, under the same element — or a Value."""

    replaced: dict = field(default_factory=dict)  # MCID → list of ("mcid", n) | Value


def finish(data: bytes, plans: list[PagePlan], per_sheet: int, present: list[set]) -> bytes:
    """The run ReportLab wrote (its tree the blank's, on the first sheet's pages), with the
    tree for every sheet. `plans`: one per blank page; `per_sheet`: pages a sheet takes (a
    duplex blank page last); `present`: per sheet, the slots it has a value for."""
    part = WrittenPdf(data)
    tree = tree_of(part)
    if tree is None:
        raise TagError("the blank sheet was not tagged")
    blank = len(plans)
    if len(part.kids) != per_sheet * len(present):
        raise TagError(f"{len(part.kids)} pages for {len(present)} sheets of {per_sheet} pages")
    template_pages = part.kids[:blank]
    document = tree.document
    elements = reach(part, refs_in(dictionary(part.objects[document]).get(b"/K", [])),
                     {document, part.pages, *part.kids})
    parsed = {m: dictionary(part.objects[m]) for m in elements}
    arrays = [entry(part, tree, tree.page_keys[p]) for p in template_pages]
    owners: dict[Value, int] = {}
    for page, plan in enumerate(plans):
        for mcid, items in plan.replaced.items():
            owner = arrays[page][mcid] if mcid < len(arrays[page]) else None
            if not isinstance(owner, Ref) or owner not in parsed:
                raise TagError(f"page {page + 1}: the content item {mcid} holding write-in lines has no element")
            _replace(parsed[owner], template_pages[page], mcid, items, parsed[owner].get(b"/Pg"))
            array = arrays[page]
            for item in items:
                number = item.mcid if isinstance(item, Value) else item[1]
                array += [b"null"] * (number + 1 - len(array))
                array[number] = _InArray(item) if isinstance(item, Value) else owner
                if isinstance(item, Value):
                    owners[item] = owner
    values = sorted(owners, key=lambda v: (v.page, v.slot))
    top_kids = dictionary(part.objects[document]).get(b"/K", [])
    templates = {m: _template(parsed[m]) for m in elements}
    kids_template = _template(top_kids if isinstance(top_kids, list) else [top_kids])
    array_templates = [_template(a) for a in arrays]
    arrays_dropped = [e for e in tree.entries.values() if isinstance(e, Ref)]
    dropped = {tree.root, tree.parent_tree, document, *elements, *arrays_dropped}
    keep = [n for n in sorted(part.objects) if n not in dropped]
    final = {old: i for i, old in enumerate(keep, start=1)}  # objects in number order, no gaps
    count = len(keep) + 1
    new_root, new_parents, new_document = count, count + 1, count + 2
    count += 3
    made: list[bytes] = []
    kids: list[bytes] = []
    nums: list[bytes] = []
    per_sheet_refs = {*elements, document, *template_pages}
    shared = {}  # references every sheet's copy keeps: to objects outside the tree
    for _, keys in [*templates.values(), kids_template, *array_templates]:
        for key in keys:
            if isinstance(key, Ref) and key not in per_sheet_refs:
                if key not in final:
                    raise TagError(f"a structure element refers to object {key}, which is not copied")
                shared[key] = b"%d 0 R" % final[key]
    # Every key the templates leave open gets a place in a list each sheet fills: a dict
    # keyed by Values (dataclasses, hashed in Python) cost a tenth of a 1,000-sheet run.
    slot_of: dict = {}

    def positions(template: tuple[bytes, tuple], head: bytes = b"", foot: bytes = b"") -> tuple[bytes, tuple]:
        fmt, keys = template
        return head + fmt + foot, tuple(slot_of.setdefault(key, len(slot_of)) for key in keys)

    # each element written whole, `n 0 obj … endobj`, its number first
    element_templates = [positions(templates[old], b"%d 0 obj\n", b"\nendobj\n") for old in elements]
    kids_positions = positions(kids_template)
    array_positions = [positions(a) for a in array_templates]
    blank_fill: list = [None] * len(slot_of)
    for key, ref in shared.items():
        blank_fill[slot_of[key]] = ref
    element_slots = [(i, slot_of[old]) for i, old in enumerate(elements) if old in slot_of]
    page_slots = [(i, slot_of[old]) for i, old in enumerate(template_pages) if old in slot_of]
    if document in slot_of:
        blank_fill[slot_of[document]] = b"%d 0 R" % new_document
    value_slots = [(value, slot_of.get(value), slot_of.get(_InArray(value))) for value in values]
    owner_index = {value: elements.index(owners[value]) for value in values}
    for sheet, has in enumerate(present):
        pages = [final[p] for p in part.kids[sheet * per_sheet:(sheet + 1) * per_sheet]]
        first = count
        count += len(elements)
        fill = blank_fill.copy()
        for i, slot in element_slots:
            fill[slot] = b"%d 0 R" % (first + i)
        for i, slot in page_slots:
            fill[slot] = b"%d 0 R" % pages[i]
        spans: list[tuple[Value, int]] = []
        for value, slot, in_array in value_slots:
            span = b""
            if value.slot in has:
                spans.append((value, count))
                span = b"%d 0 R" % count
                count += 1
            if slot is not None:
                fill[slot] = span
            if in_array is not None:
                fill[in_array] = span or b"null"
        made += [fmt % (first + i, *[fill[j] for j in slots]) for i, (fmt, slots) in enumerate(element_templates)]
        # (class Value: the page audit holds a patient's value to the body-size floor)
        made += [b"%d 0 obj\n<< /Type /StructElem /S /Span /C /Value /P %d 0 R /Pg %d 0 R /K %d >>\nendobj\n"
                 % (number, first + owner_index[value], pages[value.page], value.mcid) for value, number in spans]
        fmt, slots = kids_positions
        kids.append((fmt % tuple([fill[j] for j in slots]))[2:-2])
        for page in range(per_sheet):
            key = sheet * per_sheet + page
            if tree.page_keys.get(part.kids[key]) != key:
                raise TagError(f"page {key + 1}: /StructParents is not its page index")
            if page < blank:
                fmt, slots = array_positions[page]
                nums.append(b"%d %s" % (key, fmt % tuple([fill[j] for j in slots])))
            else:
                nums.append(b"%d [ ]" % key)

    def kept(old: int) -> int:
        if old not in final:
            raise TagError(f"object {old} is referred to but not copied")
        return final[old]

    catalog = {**dictionary(part.objects[part.root]), b"/StructTreeRoot": _Raw(b"%d 0 R" % new_root)}
    root_dict = {**tree.root_dict, b"/K": _Raw(b"%d 0 R" % new_document),
                 b"/ParentTree": _Raw(b"%d 0 R" % new_parents), b"/ParentTreeNextKey": len(part.kids)}
    document_dict = {**dictionary(part.objects[document]), b"/K": _Raw(b"[ " + b" ".join(kids) + b" ]"),
                     b"/P": _Raw(b"%d 0 R" % new_root)}
    objects = [copied_object(final[n], part.objects[n], kept) if n != part.root
               else b"%d 0 obj\n%s\nendobj\n" % (final[n], write(catalog, kept)) for n in keep]
    own = [write(root_dict, kept), b"<< /Nums [ " + b"\n".join(nums) + b" ] >>", write(document_dict, kept)]
    objects += [b"%d 0 obj\n%s\nendobj\n" % (n, body) for n, body in enumerate(own, start=len(keep) + 1)]
    objects += made  # (numbered on from these: written with their numbers)
    return assemble(objects, root=final[part.root], info=final[part.info])


def reach(part: WrittenPdf, starts: list[int], stop: set) -> list[int]:
    """Every object reachable from `starts` by references, not through `stop`, first reached first."""
    order, seen, todo = [], set(stop), deque(starts)
    while todo:
        number = todo.popleft()
        if number in seen:
            continue
        seen.add(number)
        order.append(number)
        todo += part.references(number)
    return order


@dataclass(frozen=True)
class _InArray:
    """A value's place in a page's parent tree array."""

    value: Value


class _Raw(bytes):
    """Bytes already written (kept as they are by `write`)."""


def _is_array(body: bytes) -> bool:
    return body.lstrip().startswith(b"[")


def _replace(element: dict, page: int, mcid: int, items: list, element_page) -> None:
    """In a template element's /K, the content item (page, mcid) replaced by `items`."""
    kids = element.get(b"/K")
    listed = kids if isinstance(kids, list) else [kids]
    for i, kid in enumerate(listed):
        on_page = kid.get(b"/Pg", element_page) if isinstance(kid, dict) else element_page
        number = kid.get(b"/MCID") if isinstance(kid, dict) and kid.get(b"/Type", b"/MCR") == b"/MCR" else kid
        if type(number) is int and number == mcid and on_page == page:
            new = []
            for item in items:
                if isinstance(item, Value):
                    new.append(item)
                elif isinstance(kid, dict):
                    new.append({**kid, b"/MCID": item[1]})
                else:
                    new.append({b"/Type": b"/MCR", b"/Pg": Ref(page), b"/MCID": item[1]})
            element[b"/K"] = listed[:i] + new + listed[i + 1:]
            return
    raise TagError(f"no element holds the content item {mcid} of its page")


def _template(value) -> tuple[bytes, tuple]:
    """A parsed object as its bytes with the references (and values' places) left open, as a
    %-format and the keys that fill it: written once, filled in for each sheet (`finish`)."""
    parts: list = []

    def add(v):
        if isinstance(v, (Ref, Value, _InArray)):
            parts.append(v)
        elif isinstance(v, dict):
            parts.append(b"<< ")
            for k, item in v.items():
                parts.append(k + b" ")
                add(item)
                parts.append(b" ")
            parts.append(b">>")
        elif isinstance(v, list):
            parts.append(b"[ ")
            for item in v:
                add(item)
                parts.append(b" ")
            parts.append(b"]")
        else:
            parts.append(write(v))

    add(value)
    return (b"".join(p.replace(b"%", b"%%") if isinstance(p, bytes) else b"%s" for p in parts),
            tuple(p for p in parts if not isinstance(p, bytes)))


# ── a blank page's tagged drawing, with the places values go ─────────────────────────

SLOT = "%aidpress-slot "  # a PDF comment: where a write-in line's value goes (never written out)
MARK = re.compile(r"^/(\w+)(?: <<(.*)>>)? (BDC|BMC)$")
MCID = re.compile(r"/MCID (\d+)")
TEXT = re.compile(r"\bT[jJ]\b")
PAINT = re.compile(r"(?:^|\s)(?:S|s|f\*?|F|B\*?|b\*?|sh|Do)(?:\s|$)")


def slot_marker(index: int) -> str:
    return f"{SLOT}{index}"


def stamped_page(ops: list[str], page: int, tagged: bool) -> tuple[list, PagePlan]:
    """A blank page's operators (tagged by tagging.tag_page when `tagged`, with a
    `slot_marker` where each value goes) as steps for every sheet: lists of operators, and
    ("value", slot index, MCID) where a value is stamped, in its own marked content.

    Where a content item holds write-in lines, its drawing is marked again, operator by
    operator: each label's text stays in the item's element (under a new MCID after the
    first), the ruled lines become artifacts, and each value comes right after its label:
    marked content never nests in another, and no MCID repeats on the page."""
    taken = [int(n) for op in ops if op.endswith("BDC") for n in MCID.findall(op)]
    fresh = iter(range(max(taken, default=-1) + 1, 1 << 30))
    plan = PagePlan()
    steps: list = []
    current: list[str] = []
    regions = _regions(ops) if tagged else []
    at = 0
    for start, end in regions + [(len(ops), len(ops))]:
        for op in ops[at:start]:
            if op.startswith(SLOT):
                if tagged:
                    raise TagError(f"page {page + 1}: a write-in line drawn outside any content item")
                steps += [current, ("value", int(op[len(SLOT):]), next(fresh))]
                current = []
            else:
                current.append(op)
        if start < len(ops):
            # (a label drawn as an element of its own before its line: the value joins it)
            before = next((int(n) for op in reversed(ops[:start]) if op.endswith("BDC")
                           for n in MCID.findall(op)), None)
            for item in _remarked(ops[start:end + 1], page, plan, fresh, before):
                if isinstance(item, tuple):
                    steps += [current, item]
                    current = []
                else:
                    current.append(item)
        at = end + 1
    steps.append(current)
    return [s for s in steps if s], plan


def _regions(ops: list[str]) -> list[tuple[int, int]]:
    """The outermost marked-content sequences (first and last operator) that hold a slot."""
    regions, depth, start, holds = [], 0, 0, False
    for i, op in enumerate(ops):
        if op.endswith(("BDC", "BMC")) and MARK.match(op.strip()):
            if depth == 0:
                start, holds = i, False
            depth += 1
        elif op.strip() == "EMC" and depth:
            depth -= 1
            if depth == 0 and holds:
                regions.append((start, i))
        elif op.startswith(SLOT) and depth:
            holds = True
    return regions


def _remarked(ops: list[str], page: int, plan: PagePlan, fresh, before: int | None = None) -> list:
    """`before`: the MCID of the last content item drawn before `ops` (a label that is an
    element of its own, its line drawn after it as an artifact)."""
    out: list = []
    stack: list[tuple[str, int | None]] = []  # open marks: tag, MCID
    run = None  # what the open sequence is: an MCID of the blank, or "artifact"
    last = None  # the MCID of the last label text drawn
    for op in ops:
        text = op.strip()
        mark = MARK.match(text) if text.endswith(("BDC", "BMC")) else None
        if mark:
            mcid = MCID.search(mark.group(2) or "")
            stack.append((mark.group(1), int(mcid.group(1)) if mcid else None))
            if mcid:
                plan.replaced.setdefault(int(mcid.group(1)), [])
            continue
        if text == "EMC":
            stack.pop()
            continue
        if op.startswith(SLOT):
            owner = last if last is not None else next((m for _, m in reversed(stack) if m is not None), None)
            if owner is None and before is not None:
                owner = before  # the label's own element: its text stays, the value follows it
                plan.replaced.setdefault(owner, [("mcid", owner)])
            if owner is None:
                raise TagError(f"page {page + 1}: a write-in line with no label's element")
            if run is not None:
                out.append("EMC")
                run = None
            value = Value(page, int(op[len(SLOT):]), next(fresh))
            plan.replaced[owner].append(value)
            out.append(("value", value.slot, value.mcid))
            continue
        if text.startswith("BT") and TEXT.search(text):
            owner = stack[-1][1] if stack and stack[-1][1] is not None else "artifact"
        elif PAINT.search(text):
            owner = "artifact"  # a write-in line, a box: drawn, not read
        else:
            if text in ("q", "Q") and run is not None:
                out.append("EMC")
                run = None
            out.append(op)  # the graphics state: nothing to read or see
            continue
        if run != owner:
            if run is not None:
                out.append("EMC")
            if owner == "artifact":
                out.append("/Artifact BMC")
            else:
                items = plan.replaced[owner]
                number = owner if not any(isinstance(i, tuple) for i in items) else next(fresh)
                items.append(("mcid", number))
                tag = next(t for t, m in reversed(stack) if m == owner)
                out.append(f"/{tag} <</MCID {number}>> BDC")
                last = owner
            run = owner
        out.append(op)
    if run is not None:
        out.append("EMC")
    return out


SHARED_LEAST = 240  # bytes of drawing worth a form of their own (a Do and a resource entry cost ~50)


def mark_depth(ops: list[str], depth: int) -> int:
    """How many marked-content sequences are open after `ops` (`depth` open before)."""
    for op in ops:
        text = op.strip()
        if text.endswith(("BDC", "BMC")) and MARK.match(text):
            depth += 1
        elif text == "EMC":
            depth -= 1
    return depth


def shareable(ops: list[str], depth: int) -> list:
    """`ops` cut into lists copied into each page and slices that can be a form shared by
    every sheet: whole q … Q groups holding no mark (so no MCID inside a form, and nothing
    drawn after them depends on a state they set), inside a marked-content sequence open on
    the page (`depth` open before `ops`), worth a form (SHARED_LEAST bytes)."""
    out, start, i = [], 0, 0
    while i < len(ops):
        text = ops[i].strip()
        if text.endswith(("BDC", "BMC")) and MARK.match(text) or text == "EMC":
            depth += 1 if text != "EMC" else -1
            i += 1
            continue
        if text != "q" or depth == 0:
            i += 1
            continue
        j, level = i, 0  # the run of whole groups from here
        end = i
        while j < len(ops):
            t = ops[j].strip()
            if t.endswith(("BDC", "BMC", "EMC")) or ops[j].startswith(SLOT):
                break
            level += (t == "q") - (t == "Q")
            if level < 0:
                break
            j += 1
            if level == 0:
                end = j
                if j < len(ops) and ops[j].strip() != "q":
                    break
        if end > i and sum(len(op) + 1 for op in ops[i:end]) >= SHARED_LEAST:
            if i > start:
                out.append(ops[start:i])
            out.append(slice(i, end))
            start = end
        i = max(end, i + 1)
    if start < len(ops):
        out.append(ops[start:])
    return out


# ── writing a PDF of objects ─────────────────────────────────────────────────────────

HEADER = b"%PDF-1.4\n%\x93\x8c\x8b\x9e aidpress\n"


def assemble(objects: list[bytes], *, root: int, info: int) -> bytes:
    """A whole PDF from its objects (`n 0 obj … endobj`, numbered 1, 2, … in this order),
    with an xref and trailer, its /ID from its content: the same objects, the same bytes."""
    import hashlib

    chunks, offsets, position = [HEADER], [], len(HEADER)
    for chunk in objects:
        offsets.append(position)
        chunks.append(chunk)
        position += len(chunk)
    body = b"".join(chunks)
    identifier = hashlib.md5(body).hexdigest().encode()
    lines = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)]
    lines += [b"%010d 00000 n \n" % offset for offset in offsets]
    lines.append(b"trailer\n<<\n/ID [<%s><%s>] /Info %d 0 R /Root %d 0 R /Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
                 % (identifier, identifier, info, root, len(offsets) + 1, position))
    return body + b"".join(lines)
