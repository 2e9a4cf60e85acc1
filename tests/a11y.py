"""A small accessibility audit of rendered HTML, for the classes of error axe-core found.

No browser and no npm here: the page's HTML is parsed into a tree and checked for
- landmarks with the same role and name (axe ``landmark-unique``), two unnamed ones of a role,
  one unnamed beside others of its role;
- ARIA roles an element may not take (``aria-allowed-role``), e.g. ``<ul role="region">``;
- list structure: list items outside a list, lists whose children are not items
  (``list``, ``listitem``), a list turned into something else by its role;
- ``<html lang>`` that is not the language of the page's content (its ``<h1>``);
- images without ``alt``, form fields without a label, ids used twice;
- one ``<h1>`` per page.
It reads markup only: contrast and focus order stay with the browser tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
# Roles an element may take besides its own (ARIA in HTML); those not listed take any role.
ALLOWED_ROLES: dict[str, set[str]] = {
    "ul": {"list", "directory", "group", "listbox", "menu", "menubar", "none", "presentation",
           "radiogroup", "tablist", "toolbar", "tree"},
    "ol": {"list", "directory", "group", "listbox", "menu", "menubar", "none", "presentation",
           "radiogroup", "tablist", "toolbar", "tree"},
    "li": {"listitem", "menuitem", "menuitemcheckbox", "menuitemradio", "option", "none",
           "presentation", "radio", "separator", "tab", "treeitem"},
    "table": {"table", "grid", "treegrid", "none", "presentation"},
    "thead": {"rowgroup"}, "tbody": {"rowgroup"}, "tfoot": {"rowgroup"},
    "tr": {"row"}, "th": {"columnheader", "rowheader", "cell"}, "td": {"cell", "gridcell"},
    "main": {"main"}, "nav": {"navigation"}, "aside": {"complementary", "note", "region",
           "search", "feed", "none", "presentation"},
    "h1": {"heading", "none", "presentation", "tab"}, "h2": {"heading", "none", "presentation",
           "tab"}, "h3": {"heading", "none", "presentation", "tab"},
    "button": {"button", "checkbox", "combobox", "link", "menuitem", "menuitemcheckbox",
               "menuitemradio", "option", "radio", "switch", "tab"},
    "label": set(), "select": {"combobox", "listbox", "menu"}, "textarea": {"textbox"},
    "form": {"form", "search", "none", "presentation"},
    "section": {"region", "alert", "alertdialog", "application", "banner", "complementary",
                "contentinfo", "dialog", "document", "feed", "group", "log", "main", "marquee",
                "navigation", "none", "note", "presentation", "search", "status", "tabpanel"},
}  # fmt: skip
LANDMARK_ROLES = {"banner", "navigation", "main", "complementary", "contentinfo", "region",
                  "search", "form"}  # fmt: skip
UNLABELLED_INPUTS = {"hidden", "submit", "button", "image", "reset"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def ancestors(self) -> list[Node]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def walk(self) -> list[Node]:
        nodes = [self]
        for child in self.children:
            nodes += child.walk()
        return nodes

    def all_text(self) -> str:
        parts = list(self.text)
        for child in self.children:
            parts.append(child.all_text())
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.text.append(data)


def _role(node: Node) -> str:
    explicit = node.attrs.get("role", "").split()
    if explicit:
        return explicit[0]
    named = "aria-label" in node.attrs or "aria-labelledby" in node.attrs
    inside_sectioning = any(a.tag in {"article", "aside", "main", "nav", "section"}
                            for a in node.ancestors())  # fmt: skip
    return {
        "main": "main",
        "nav": "navigation",
        "aside": "complementary",
        "header": "" if inside_sectioning else "banner",
        "footer": "" if inside_sectioning else "contentinfo",
        "section": "region" if named else "",
        "form": "form" if named else "",
    }.get(node.tag, "")


def audit(html: str) -> list[str]:
    """Return the accessibility problems found in ``html`` (empty when there are none)."""
    builder = _TreeBuilder()
    builder.feed(html)
    nodes = builder.root.walk()[1:]
    by_id: dict[str, Node] = {}
    problems: list[str] = []
    for node in nodes:
        if "id" in node.attrs:
            if node.attrs["id"] in by_id:
                problems.append(f"id {node.attrs['id']!r} is used twice")
            by_id.setdefault(node.attrs["id"], node)

    def name(node: Node) -> str:
        if node.attrs.get("aria-labelledby"):
            ids = node.attrs["aria-labelledby"].split()
            return " ".join(by_id[i].all_text() for i in ids if i in by_id)
        return node.attrs.get("aria-label", "").strip()

    label_targets = {n.attrs["for"] for n in nodes if n.tag == "label" and n.attrs.get("for")}
    landmarks: dict[tuple[str, str], int] = {}
    for node in nodes:
        role = _role(node)
        if role in LANDMARK_ROLES:
            key = (role, name(node))
            landmarks[key] = landmarks.get(key, 0) + 1
    for (role, label), count in landmarks.items():
        if count > 1:
            problems.append(f"{count} {role} landmarks named {label!r}" if label
                            else f"{count} {role} landmarks without a name")  # fmt: skip
        # One of several landmarks of a role, unnamed, cannot be told from the others.
        elif not label and sum(n for (r, _), n in landmarks.items() if r == role) > 1:
            problems.append(f"a {role} landmark without a name beside named ones")

    for node in nodes:
        role = node.attrs.get("role", "").split()
        allowed = ALLOWED_ROLES.get(node.tag)
        if role and allowed is not None and role[0] not in allowed:
            problems.append(f'<{node.tag} role="{role[0]}"> is not allowed')
        if node.tag in {"ul", "ol"} and (not role or role[0] == "list"):
            for child in node.children:
                if child.tag not in {"li", "script", "template"}:
                    problems.append(f"<{node.tag}> holds a <{child.tag}>, not only list items")
        if node.tag == "li" and not node.attrs.get("role"):
            parent = node.parent
            parent_role = parent.attrs.get("role", "") if parent else ""
            is_list = parent is not None and (
                (parent.tag in {"ul", "ol", "menu"} and parent_role in {"", "list"})
                or parent_role == "list"
            )
            if not is_list:
                where = f'<{parent.tag} role="{parent_role}">' if parent else "nothing"
                problems.append(f"a list item sits in {where}, not in a list")
        if node.tag == "img" and "alt" not in node.attrs:
            problems.append(f"<img src={node.attrs.get('src', '')!r}> has no alt")
        if node.tag in {"input", "select", "textarea"}:
            if node.attrs.get("type", "text") in UNLABELLED_INPUTS:
                continue
            labelled = (
                name(node)
                or node.attrs.get("title")
                or any(a.tag == "label" for a in node.ancestors())
                or node.attrs.get("id", "") in label_targets
            )
            if not labelled:
                problems.append(f"<{node.tag} name={node.attrs.get('name')!r}> has no label")

    headings = [n for n in nodes if n.tag == "h1"]
    if len(headings) != 1:
        problems.append(f"{len(headings)} <h1> elements instead of one")
    html_node = next((n for n in nodes if n.tag == "html"), None)
    page_lang = (html_node.attrs.get("lang", "") if html_node else "").split("-")[0]
    if not page_lang:
        problems.append("<html> has no lang")
    for heading in headings:
        lang = next((a.attrs["lang"] for a in heading.ancestors() if "lang" in a.attrs), "")
        lang = heading.attrs.get("lang", lang).split("-")[0]
        if lang and lang != page_lang:
            problems.append(f'the page is in "{lang}" but <html lang="{page_lang}">')
    return problems
