"""The editable competencies of an AKPK form, rendered once and filled per request.

What the form says (each competency's code, name, description, required level, level descriptions,
and the groups) is the same for everyone on one position standard, so templates/assessments/_items.html
(with _item.html, the one partial of an item) is rendered once per (that content, language) with slot
markers (portal/web/compiled.py) where the person's state goes: the URL, the chosen level, the note,
errors, the save status. A page request fills the slots from the person's answers with no template
work per item.

The cache key is the content itself, read by `services.assessments.load_form` on every request anyway:
an edit of a competency, its levels or a position's standard, from any write path (master data,
imports, the demo), makes a new key by construction; no revision to remember to bump. Unused forms age
out of the LRU.
"""

from __future__ import annotations

from datetime import date

from jinja2 import Environment
from markupsafe import Markup, escape

from portal.services.assessments import Group, Item, Level
from portal.web.compiled import SLOT, Cache, Slot, split


def _clean(text: str) -> str:
    return text.replace(SLOT, "\ufffd")  # as a browser shows a NUL; it would cut the compiled form


Content = tuple[tuple[int, str, str, str, str, int, tuple[tuple[int, str], ...]], ...]


def content(groups: list[Group]) -> Content:
    """Everything of the form the compiled HTML shows, in order: the cache key (with the language) and
    the only input of the compilation."""
    return tuple(
        (
            i.competency_id,
            i.group,
            _clean(i.code),
            _clean(i.name),
            _clean(i.description),
            i.required_level,
            tuple((lv.level, _clean(lv.description)) for lv in i.levels),
        )
        for g in groups
        for i in g.items
    )


class CompiledItems:
    """The rendered competencies of one form content in one language, split at the per-person slots."""

    def __init__(self, form: Content, env: Environment) -> None:
        groups: list[Group] = []
        for cid, group, code, name, description, required, levels in form:
            if not groups or groups[-1].key != group:
                groups.append(Group(group, []))
            item = Item(cid, code, name, group, description, required, [Level(n, text) for n, text in levels])
            groups[-1].items.append(item)
        slot = Slot()
        html = env.get_template("assessments/_items.html").render(groups=groups, slot=slot)
        self.literals, keys = split(html)
        # (kind, competency id, level of a "c" slot else 0), parsed once
        self.slots = [(kind, int(cid), int(rest[0]) if rest else 0) for kind, cid, *rest in keys]
        status = env.get_template("assessments/_save_status.html")
        cids = [i.competency_id for g in groups for i in g.items]
        self.idle = {cid: status.render(cid=cid, kind="idle", message="", saved_at=None, show_date=False) for cid in cids}
        # the saved status around its time: (before, after)
        self.saved: dict[int, tuple[str, str]] = {}
        for cid in cids:
            pieces, _slots = split(status.render(cid=cid, kind="saved", message="", saved_time=slot("time")))
            self.saved[cid] = (pieces[0], pieces[1])

    def fill(
        self, env: Environment, items: list[Item], base: str, today: date, errors: dict[int, str] | None = None
    ) -> Markup:
        """The form for one person. `env` is the request's environment (its zone formats the save times)."""
        errors = errors or {}
        by_id = {i.competency_id: i for i in items}
        base_html = str(escape(base))
        date_of, time_of, datetime_of = env.filters["date"], env.filters["time"], env.filters["datetime"]
        today_text = date_of(today)
        out: list[str] = []
        literals = self.literals
        for n, (kind, cid, level) in enumerate(self.slots):
            out.append(literals[n])
            if kind == "base":
                out.append(base_html)
            elif kind == "c":
                if by_id[cid].level == level:
                    out.append(" checked")
            elif kind == "note":
                note = by_id[cid].note
                if note:
                    out.append(str(escape(note)))
            elif kind == "open":
                if by_id[cid].note:
                    out.append(" open")
            elif kind == "st":
                saved_at = by_id[cid].updated_at
                if saved_at is None:
                    out.append(self.idle[cid])
                else:
                    before, after = self.saved[cid]
                    text = datetime_of(saved_at) if date_of(saved_at) != today_text else time_of(saved_at)
                    out.extend((before, str(escape(text)), after))
            elif errors.get(cid):  # cls, desc, err: only when the item has an error
                if kind == "cls":
                    out.append(" field-error")
                elif kind == "desc":
                    out.append(f" err-{cid}")
                elif kind == "err":
                    out.append(env.get_template("assessments/_item_error.html").render(cid=cid, err=errors[cid]))
        out.append(literals[-1])
        return Markup("".join(out))


# one entry (~70 KB) per distinct standard and language in use: the demo's 37 positions have 34 distinct
# standards; a miss costs a compilation (~1.3 x the full rendering it replaces)
_cache: Cache[CompiledItems] = Cache(256)


def compiled_items(env: Environment, groups: list[Group]) -> CompiledItems:
    """The compiled form for these groups in the environment's language (portal/web/templating.py makes
    one environment per language)."""
    form = content(groups)
    return _cache.get_or_build((env.globals["locale"], form), lambda: CompiledItems(form, env))


def items_html(env: Environment, groups: list[Group], base: str, today: date, errors: dict[int, str] | None = None) -> Markup:
    """The editable competencies of a form with the person's answers, as the page shows them."""
    return compiled_items(env, groups).fill(env, [i for g in groups for i in g.items], base, today, errors)


__all__ = ["CompiledItems", "compiled_items", "content", "items_html"]
