"""One structure tree for a PDF joined from tagged parts (a pack: docs/accessibility.md).

Each part (a pack's front, each member, a blank back, the end) is rendered as a tagged
PDF of its own. pikepdf copies its pages into the joined file; the structure tree is not
copied with them (it hangs off the part's catalog), so it is built here, from the parts'
trees, without knowing what aidpress put in them:

- each part's `Document` element is dropped and its kids (elements of any depth, with
  every key they carry: /A, /C, /Alt, /ActualText, /Lang, /ID, …) go, in page order, under
  one new `Document`; a part's own language, when it is not the joined file's, moves to
  each of its kids that has none (the part's Document's other keys are not kept);
- every /Pg, in elements and in marked-content references, must point to one of that
  part's copied pages (pikepdf maps the references as it copies); /P is set from where
  each element now is in the tree;
- a part's MCIDs are kept as it numbers them (per page, from 0: an MCID is unique per
  page, and the page audit tells units apart by their elements, not their MCIDs);
  `join(separate_mcids=True)` shifts each part's past the parts' before it, in the content
  streams and the tree alike, for a reader that tells content apart by MCID alone;
- the /ParentTree is rebuilt from the merged tree (the parts' own are not read): each
  page gets /StructParents = its index, and an array indexed by the MCIDs of its content
  items; a page with none (only artifacts) gets an empty array. An annotation reached by
  an /OBJR gets a /StructParent key after the pages';
- /RoleMap and /ClassMap are merged (a name that two parts map differently is an error),
  /IDTree is rebuilt when elements carry /ID.

What cannot be merged raises StructureError naming the part: the caller reports it, and
no half-tagged PDF is written. When no part is tagged, nothing is done (an untagged
join); when only some are, that is an error too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

class StructureError(Exception):
    """A part's structure that cannot be merged: `part` is its index in the joined file."""

    def __init__(self, part: int, message: str):
        super().__init__(message)
        self.part, self.message = part, message


@dataclass
class Merged:
    """What the merge gathers, part by part."""

    kids: list = field(default_factory=list)  # the new Document's kids, in page order
    owners: dict = field(default_factory=dict)  # page index -> {MCID: element}
    annotations: list = field(default_factory=list)  # (annotation, element) reached by /OBJR
    role_map: dict = field(default_factory=dict)  # name -> (Name, part)
    class_map: dict = field(default_factory=dict)  # name -> (object, canonical form, part)
    ids: dict = field(default_factory=dict)  # /ID bytes -> element
    next_mcid: int = 0  # the first MCID the next part may use
    language: str = ""  # the joined file's (its Document's /Lang)
    separate: bool = True  # shift each part's MCIDs past the previous parts' (see join)
    tagged: list = field(default_factory=list)  # per part: whether it had a tree


def join(out: pikepdf.Pdf, sources: list[pikepdf.Pdf], *, language: str = "", separate_mcids: bool = False) -> Merged:
    """Copy each source's pages into `out` and gather its structure; return what was
    gathered (finish it with `write`). The sources must stay open until this returns.
    `language`: the joined file's (a part in another keeps its own on its elements).
    `separate_mcids`: shift each part's MCIDs past the parts' before it (for a reader that
    tells content apart by MCID across pages); False (as packs are joined) keeps them as
    the parts number them: an MCID is unique per page."""
    merged = Merged(language=language, separate=separate_mcids)
    for index, src in enumerate(sources):
        start = len(out.pages)
        out.pages.extend(src.pages)
        add_part(out, merged, index, src, range(start, len(out.pages)))
    return merged


def add_part(out: pikepdf.Pdf, merged: Merged, part: int, src: pikepdf.Pdf, pages: range) -> None:
    """Gather one part whose pages were copied into `out` at `pages`."""
    tree = src.Root.get("/StructTreeRoot")
    merged.tagged.append(tree is not None)
    if tree is None:
        return
    index_of = {out.pages[i].obj.objgen: i for i in pages}
    _check_pages(src, tree, part)
    shift = merged.next_mcid if merged.separate else 0
    used = _content_mcids(out, pages, part, shift)
    root = out.copy_foreign(tree)  # elements, attributes, role and class maps; /Pg mapped to the copies
    _merge_map(merged.role_map, root.get("/RoleMap"), part, "RoleMap", canonical=False)
    _merge_map(merged.class_map, root.get("/ClassMap"), part, "ClassMap", canonical=True)
    walker = _Walker(out, merged, part, index_of, shift, _role_map(root))
    tops = _as_list(root.get("/K"))
    if not tops:
        raise StructureError(part, "its structure tree is empty")
    for top in tops:
        if not isinstance(top, Dictionary) or "/S" not in top:
            raise StructureError(part, "its structure tree root holds something other than an element")
        if walker.role(top.S) == "/Document":
            lang = top.get("/Lang")
            lang = None if lang is None or str(lang) == merged.language else lang
            for kid in _as_list(top.get("/K")):
                merged.kids.append(walker.top_kid(kid, lang))
        else:
            merged.kids.append(walker.top_kid(top, None))
    walker.rename_headers()
    highest = max([*used, *walker.mcids], default=-1)
    merged.next_mcid = shift + highest + 1


def write(out: pikepdf.Pdf, merged: Merged) -> bool:
    """Write the structure tree root, parent tree and /MarkInfo into `out` from what
    `join` gathered; return whether the file is tagged."""
    if not any(merged.tagged):
        for page in out.pages:  # an untagged join: nothing may point into a tree
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
        return False
    if not all(merged.tagged):
        part = merged.tagged.index(False)
        raise StructureError(part, "it has no structure tree while the other parts have one")
    tree = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
    if merged.language:
        document.Lang = pikepdf.String(merged.language)
    for kid in merged.kids:
        kid.P = document
        document.K.append(kid)
    nums = Array()
    for i, page in enumerate(out.pages):
        owners = merged.owners.get(i, {})
        slots = [None] * (max(owners) + 1 if owners else 0)
        for mcid, element in owners.items():
            slots[mcid] = element
        page.obj.StructParents = i
        nums.extend([i, out.make_indirect(Array(slots))])
    reached = {annotation.objgen for annotation, _ in merged.annotations}
    for page in out.pages:  # an annotation no /OBJR reaches points into no tree
        for annotation in page.obj.get("/Annots", Array()):
            if isinstance(annotation, Dictionary) and "/StructParent" in annotation \
                    and annotation.objgen not in reached:
                del annotation["/StructParent"]
    key = len(out.pages)
    for annotation, element in merged.annotations:
        annotation.StructParent = key
        nums.extend([key, element])
        key += 1
    tree.K = document
    tree.ParentTree = out.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = key
    if merged.role_map:
        tree.RoleMap = Dictionary({name: value for name, (value, _) in sorted(merged.role_map.items())})
    if merged.class_map:
        tree.ClassMap = Dictionary({name: value for name, (value, _, _) in sorted(merged.class_map.items())})
    if merged.ids:
        names = Array()
        for ident in sorted(merged.ids):
            names.extend([pikepdf.String(ident), merged.ids[ident]])
        tree.IDTree = out.make_indirect(Dictionary(Names=names))
    out.Root.StructTreeRoot = tree
    out.Root.MarkInfo = Dictionary(Marked=True)
    return True


class _Walker:
    """Walks one part's copied tree: checks and re-points it, and records who owns what."""

    def __init__(self, out, merged: Merged, part: int, index_of: dict, shift: int, role_map: dict):
        self.out, self.merged, self.part = out, merged, part
        self.index_of, self.shift, self.role_map = index_of, shift, role_map
        self.seen: set = set()
        self.mcids: list[int] = []  # the part's own MCIDs met in its tree
        self.elements: list = []  # the part's elements, as met
        self.renamed: dict[bytes, bytes] = {}  # an /ID another part used first -> the one it now has

    def fail(self, message: str):
        raise StructureError(self.part, message)

    def role(self, name) -> str:
        """A structure type through the part's role map, to a standard type (at most a few steps)."""
        name, steps = str(name), 0
        while name in self.role_map and steps < 10:
            name, steps = self.role_map[name], steps + 1
        return name

    def top_kid(self, kid, lang):
        """A kid of the part's Document, as a kid of the joined Document."""
        if not isinstance(kid, Dictionary) or "/S" not in kid:
            self.fail("its Document holds marked content or an object directly, not elements")
        kid = self._indirect(kid)
        if lang is not None and "/Lang" not in kid:
            kid.Lang = lang
        self.element(kid, None)
        return kid

    def _indirect(self, element):
        return element if element.is_indirect else self.out.make_indirect(element)

    def page_of(self, ref, what: str) -> int:
        if not isinstance(ref, Dictionary) or ref.objgen not in self.index_of:
            self.fail(f"{what} points to a page that is not one of its own")
        return self.index_of[ref.objgen]

    def element(self, element, parent) -> None:
        if element.objgen != (0, 0):
            if element.objgen in self.seen:
                self.fail(f"a {_kind(element)} element appears twice in its tree")
            self.seen.add(element.objgen)
        if parent is not None:
            element.P = parent
        page = self.page_of(element.Pg, f"a {_kind(element)} element's /Pg") if "/Pg" in element else None
        self.elements.append(element)
        if "/ID" in element:
            # Each part numbers its own elements: an ID another part used first is made
            # the part's own (and so are the /Headers that cite it, see rename_headers).
            ident = bytes(element.ID)
            if ident in self.merged.ids:
                new = b"p%d-%s" % (self.part, ident)
                if new in self.merged.ids:
                    self.fail(f"element ID {ident!r} is used by another part too")
                self.renamed[ident], ident = new, new
                element.ID = pikepdf.String(ident)
            self.merged.ids[ident] = element
        kids = element.get("/K")
        if kids is None:
            return
        if isinstance(kids, Array):
            for i, kid in enumerate(list(kids)):
                new = self.kid(kid, element, page)
                if new is not None:
                    kids[i] = new
        else:
            new = self.kid(kids, element, page)
            if new is not None:
                element.K = new

    def rename_headers(self) -> None:
        """A table cell's /Headers cite the part's renamed IDs."""
        if not self.renamed:
            return
        for element in self.elements:
            for owned in _as_list(element.get("/A")):
                if isinstance(owned, Dictionary) and "/Headers" in owned:
                    owned.Headers = Array([pikepdf.String(self.renamed.get(bytes(h), bytes(h)))
                                           for h in owned.Headers])

    def kid(self, kid, element, page):
        """One item of an element's /K; returns what replaces it (None: unchanged in place)."""
        if isinstance(kid, int) and not isinstance(kid, bool):
            if page is None:
                self.fail(f"a {_kind(element)} element holds MCID {kid} but names no page (/Pg)")
            return self.own(page, kid, element)
        if not isinstance(kid, Dictionary):
            self.fail(f"a {_kind(element)} element holds {type(kid).__name__} in /K")
        kind = kid.get("/Type")
        if kind == Name.MCR or ("/MCID" in kid and "/S" not in kid):
            if "/Stm" in kid:
                self.fail("marked content in a form XObject (/Stm) cannot be merged yet")
            where = self.page_of(kid.Pg, "a marked-content reference's /Pg") if "/Pg" in kid else page
            if where is None:
                self.fail(f"a marked-content reference under a {_kind(element)} element names no page")
            kid.MCID = self.own(where, int(kid.MCID), element)
            return None
        if kind == Name.OBJR:
            if "/Pg" in kid:
                self.page_of(kid.Pg, "an object reference's /Pg")
            target = kid.get("/Obj")
            if not isinstance(target, Dictionary):
                self.fail("an object reference (/OBJR) points to nothing")
            self.merged.annotations.append((target, element))
            return None
        if "/S" in kid:
            new = self._indirect(kid)
            self.element(new, element)
            return new if not kid.is_indirect else None
        self.fail(f"a {_kind(element)} element holds a dictionary that is no element or reference")

    def own(self, page: int, mcid: int, element) -> int:
        """Record that `element` owns content item `mcid` (the part's number) on `page`;
        return its number in the joined file."""
        if mcid < 0:
            self.fail(f"negative MCID {mcid}")
        self.mcids.append(mcid)
        new = mcid + self.shift
        owners = self.merged.owners.setdefault(page, {})
        if new in owners and owners[new].objgen != element.objgen:
            self.fail(f"MCID {mcid} on page {page + 1} belongs to two elements")
        owners[new] = element
        return new


def _check_pages(src: pikepdf.Pdf, tree, part: int) -> None:
    """Every /Pg in the part's tree names one of its pages. (Checked before the copy: a
    reference to a page that is not copied becomes null, and would go unseen.)"""
    own = {page.obj.objgen for page in src.pages}
    todo, seen = _as_list(tree.get("/K")), set()
    while todo:
        node = todo.pop()
        if not isinstance(node, Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        page = node.get("/Pg")
        if page is not None and (not isinstance(page, Dictionary) or page.objgen not in own):
            what = f"a {_kind(node)} element's" if "/S" in node else "a content reference's"
            raise StructureError(part, f"{what} /Pg points to a page that is not one of its own")
        if "/S" in node:
            todo.extend(_as_list(node.get("/K")))


def _kind(element) -> str:
    return str(element.get("/S", "/?")).lstrip("/")


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _role_map(root) -> dict:
    found = root.get("/RoleMap")
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, Dictionary) else {}


def _canonical(value, depth: int = 0):
    """A comparable form of a PDF value, indirect objects read through."""
    if depth > 20:
        return "…"
    if isinstance(value, pikepdf.Stream):
        return ("stream", _canonical(Dictionary(value.stream_dict), depth + 1), bytes(value.read_bytes()))
    if isinstance(value, Dictionary):
        return ("dict", tuple(sorted((str(k), _canonical(v, depth + 1)) for k, v in value.items())))
    if isinstance(value, Array):
        return ("array", tuple(_canonical(v, depth + 1) for v in value))
    if isinstance(value, pikepdf.Object):
        return (type(value).__name__, value.unparse())
    return (type(value).__name__, str(value))


def _merge_map(into: dict, found, part: int, what: str, canonical: bool) -> None:
    if found is None:
        return
    if not isinstance(found, Dictionary):
        raise StructureError(part, f"its /{what} is not a dictionary")
    for key, value in found.items():
        name = str(key)
        form = _canonical(value) if canonical else str(value)
        if name in into:
            known = into[name][1] if canonical else str(into[name][0])
            if known != form:
                raise StructureError(part, f"its /{what} maps {name} otherwise than an earlier part")
            continue
        into[name] = (value, form, part) if canonical else (value, part)


def _marked(instruction):
    """The property list of a BDC operator, or None."""
    if str(instruction.operator) != "BDC" or len(instruction.operands) < 2:
        return None
    return instruction.operands[1]


def _content_mcids(out: pikepdf.Pdf, pages: range, part: int, shift: int) -> list[int]:
    """The MCIDs the part's page content streams use, each shifted by `shift` in place
    when it is not 0 (a repeated header row's mark is in no element, but it keeps its
    number: it is shifted with the rest)."""
    found = []
    for i in pages:
        page = out.pages[i]
        instructions = pikepdf.parse_content_stream(page)
        changed = False
        for n, instruction in enumerate(instructions):
            props = _marked(instruction)
            if isinstance(props, Name):
                resources = page.obj.get("/Resources", Dictionary())
                named = resources.get("/Properties", Dictionary()).get(str(props))
                if isinstance(named, Dictionary) and "/MCID" in named:
                    raise StructureError(part, "an MCID in a page's /Properties resources cannot be merged yet")
            elif isinstance(props, Dictionary) and "/MCID" in props:
                mcid = int(props.MCID)
                found.append(mcid)
                if shift:
                    props = Dictionary({k: v for k, v in props.items()})
                    props.MCID = mcid + shift
                    operands = list(instruction.operands)
                    operands[1] = props
                    instructions[n] = pikepdf.ContentStreamInstruction(operands, instruction.operator)
                    changed = True
        if changed:
            page.obj.Contents = out.make_stream(pikepdf.unparse_content_stream(instructions))
    return found
