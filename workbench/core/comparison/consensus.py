"""Settling where coders differ: each decision on a compared unit becomes the consensus coder's codings, undoably.

The consensus coder ("consensus") is an ordinary coder, so a table with `coder: consensus` counts the settled
result. A decision is also recorded in `consensus_decisions`, so a unit counts as settled even when the decision
leaves no coding (neither). Both are written through the action's change set: undo and redo restore them together.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, and_, select

from workbench.core import schema
from workbench.core.codebook import load_codebook
from workbench.core.codings import coder_id_for
from workbench.core.comparison.model import CONSENSUS, ComparedUnit
from workbench.core.history import Changes
from workbench.core.store import Store, timestamp
from workbench.errors import WorkbenchError

#: What identifies a unit across runs: document name, start and end offset (ComparedUnit.key).
UnitKey = tuple[str, int, int]
#: A span of a document coded with one code: (start, end, code id).
_Span = tuple[int, int, str]


class ConsensusError(WorkbenchError):
    """A decision cannot be made as asked: no such coder on the unit, no codes to recode with, a unit without a span."""

    title = "Consensus"


class Decision(StrEnum):
    """What the reviewer settles a unit with."""

    TAKE = "take"  # one coder's codes (whose: `coder=`), with that coder's boundaries
    BOTH = "both"  # the union of every coder's codes; the same code's overlapping spans become one
    NEITHER = "neither"  # no code: the unit is settled as uncoded
    RECODE = "recode"  # codes the reviewer names (`codes=`), on the unit's span


@dataclass(frozen=True)
class Settled:
    """A recorded decision: which unit, for which codes, settled how, by whom and when."""

    document: str
    start: int
    end: int
    scope: frozenset[str]
    decision: Decision
    coder: str | None  # whose codes were taken (take)
    codes: tuple[str, ...]  # the codes given (recode)
    actor: str
    at: str

    @property
    def key(self) -> UnitKey:
        """The settled unit's key, as ComparedUnit.key."""
        return (self.document, self.start, self.end)


def settle(
    store: Store,
    unit: ComparedUnit,
    decision: Decision | str,
    *,
    actor: str,
    coder: str | None = None,
    codes: Collection[str] = (),
    scope: Collection[str] | None = None,
) -> int:
    """Settle one unit as one undoable action whose codings the consensus coder gets; return the action id.

    `scope` is the code ids being compared (None: every code the unit's coders gave it, and any the consensus coder
    has on it); the consensus coder's codings of those codes that overlap the unit are replaced. Give progress and
    settled_keys the same scope: a unit is settled for the codes its decisions were about.
    """
    chosen = _decision(decision)
    with store.action("consensus", actor) as changes:
        _settle_in(changes, unit, chosen, scope, actor=actor, coder=coder, codes=tuple(codes))
        how = f"take {coder}" if chosen is Decision.TAKE else (f"recode {', '.join(codes)}" if chosen is Decision.RECODE else chosen.value)
        changes.summary = f"settled {unit.label or unit.document} ({unit.document} {unit.start}-{unit.end}): {how}"
    return _action_id(store, changes)


def copy_agreed(store: Store, units: Iterable[ComparedUnit], *, actor: str, scope: Collection[str] | None = None) -> int:
    """Give the consensus coder every code all coders gave a unit, as ONE action; return the units copied to.

    Per code, not per unit: where two coders agree on "team" but differ on "contact" in the same answer, "team" is
    copied and "contact" waits for the reviewer. Codes already settled on a unit (a reviewer's decision is never
    overwritten), units only one coder rated and units without a span are left alone; each copy is recorded as
    settled with "both" for the codes copied (the coders' spans of a code joined).
    """
    with store.action("consensus", actor) as changes:
        decided = _decided_scopes(changes.conn)
        copied = 0
        for unit in units:
            coders = _coder_codes(unit)
            if len(coders) < 2 or unit.start >= unit.end:
                continue
            shared = frozenset.intersection(*coders.values()) & _scope(unit, scope)
            todo = shared - decided.get(unit.key, frozenset())
            if not todo:
                continue
            settled = _settle_in(changes, unit, Decision.BOTH, todo, actor=actor, coder=None, codes=())
            decided[unit.key] = decided.get(unit.key, frozenset()) | settled
            copied += 1
        changes.summary = f"copied {copied} agreed units to {CONSENSUS}"
    return copied


def settled_keys(store: Store, scope: Collection[str] | None = None) -> set[UnitKey]:
    """The units settled for every code in `scope` (None: settled for any code): what progress counts."""
    with store.reading() as conn:
        decided = _decided_scopes(conn)
    if scope is None:
        return set(decided)
    return {key for key, covered in decided.items() if _is_settled(covered, frozenset(scope))}


def progress(store: Store, units: Sequence[ComparedUnit], scope: Collection[str] | None = None) -> tuple[int, int]:
    """(settled, total) of these units, for "17 of 42 settled"; with scope None each unit needs the codes its coders gave it."""
    with store.reading() as conn:
        decided = _decided_scopes(conn)
    settled = sum(1 for unit in units if _is_settled(decided.get(unit.key), _scope(unit, scope)))
    return settled, len(units)


def decisions(store: Store) -> dict[UnitKey, list[Settled]]:
    """Every recorded decision by unit, oldest first: what the review screen shows beside a settled unit."""
    cd, d, k = schema.consensus_decisions, schema.documents, schema.coders
    query = (
        select(cd, d.c.name.label("document"), k.c.name.label("coder"))
        .join(d, d.c.id == cd.c.document_id)
        .outerjoin(k, k.c.id == cd.c.coder_id)
        .order_by(cd.c.id)
    )
    found: dict[UnitKey, list[Settled]] = {}
    with store.reading() as conn:
        for row in conn.execute(query).mappings():
            settled = Settled(
                document=row["document"], start=row["start_offset"], end=row["end_offset"], scope=frozenset(json.loads(row["scope"])),
                decision=Decision(row["decision"]), coder=row["coder"], codes=tuple(json.loads(row["codes"])), actor=row["actor"],
                at=row["at"],
            )
            found.setdefault(settled.key, []).append(settled)
    return found


# -- inside an action ----------------------------------------------------------------------------------


def _settle_in(
    changes: Changes,
    unit: ComparedUnit,
    decision: Decision,
    scope: Collection[str] | None,
    *,
    actor: str,
    coder: str | None,
    codes: tuple[str, ...],
) -> frozenset[str]:
    """Replace the consensus codings of the compared codes on the unit with the decision's, record it; return the codes settled."""
    conn = changes.conn
    coders = _coder_codes(unit)
    if unit.start >= unit.end:
        raise ConsensusError(f"{unit.label or unit.document}: a unit without a span (a respondent) cannot be settled; settle its answers")
    if (coder is not None) != (decision is Decision.TAKE):
        raise ConsensusError(f"{unit.label}: name a coder with take, and only with take")
    if coder is not None and coder not in coders:
        raise ConsensusError(f"{unit.label}: {coder!r} is not one of the unit's coders ({', '.join(sorted(coders)) or 'none'})")
    if bool(codes) != (decision is Decision.RECODE):
        raise ConsensusError(f"{unit.label}: give codes with recode, and only with recode")
    book = load_codebook(conn)
    for code_id in codes:
        book.get(code_id)  # an unknown code is refused before anything is written
    document_id = _document_id(conn, unit.document)
    consensus_id = coder_id_for(changes, CONSENSUS)
    c = schema.codings
    on_unit = and_(c.c.document_id == document_id, c.c.start_offset < unit.end, c.c.end_offset > unit.start)
    compared = _scope(unit, scope)
    if scope is None:
        # What the consensus coder already has on the unit is in play too: "take A" must leave exactly A's codes.
        compared |= frozenset(code_id for (code_id,) in conn.execute(select(c.c.code_id).where(on_unit, c.c.coder_id == consensus_id)))
    replaced = compared | frozenset(codes)
    for (coding_id,) in conn.execute(
        select(c.c.id).where(on_unit, c.c.coder_id == consensus_id, c.c.code_id.in_(sorted(replaced))).order_by(c.c.id)
    ):
        changes.delete(c, coding_id)

    spans: list[_Span] = []
    if decision is Decision.RECODE:
        spans = [(unit.start, unit.end, code_id) for code_id in dict.fromkeys(codes)]
    elif decision in (Decision.TAKE, Decision.BOTH):
        k = schema.coders
        whose = [coder] if coder is not None else sorted(coders)
        rows = conn.execute(
            select(c.c.start_offset, c.c.end_offset, c.c.code_id)
            .join(k, k.c.id == c.c.coder_id)
            .where(on_unit, k.c.name.in_(whose), c.c.code_id.in_(sorted(compared)))
        ).all()
        found = [(r.start_offset, r.end_offset, r.code_id) for r in rows]
        spans = sorted(found) if decision is Decision.TAKE else _joined(found)
    created = timestamp()
    for start, end, code_id in spans:
        changes.insert(
            c,
            {
                "document_id": document_id, "start_offset": start, "end_offset": end, "code_id": code_id, "coder_id": consensus_id,
                "memo": "", "created": created,
            },
        )

    cd = schema.consensus_decisions
    # A new decision on the unit supersedes the earlier ones it covers; one on other codes stays.
    for row in conn.execute(
        select(cd.c.id, cd.c.scope).where(
            cd.c.document_id == document_id, cd.c.start_offset == unit.start, cd.c.end_offset == unit.end
        ).order_by(cd.c.id)
    ):
        if frozenset(json.loads(row.scope)) <= replaced:
            changes.delete(cd, row.id)
    changes.insert(
        cd,
        {
            "document_id": document_id, "start_offset": unit.start, "end_offset": unit.end, "scope": json.dumps(sorted(replaced)),
            "decision": decision.value, "coder_id": None if coder is None else coder_id_for(changes, coder),
            "codes": json.dumps(list(dict.fromkeys(codes))), "actor": actor, "at": created,
        },
    )
    return replaced


# -- helpers -------------------------------------------------------------------------------------------


def _decision(value: Decision | str) -> Decision:
    try:
        return Decision(value)
    except ValueError:
        choices = ", ".join(d.value for d in Decision)
        raise ConsensusError(f"unknown decision {value!r} (choose {choices})") from None


def _coder_codes(unit: ComparedUnit) -> Mapping[str, frozenset[str]]:
    """The compared coders' codes on the unit; the consensus coder, if the comparison listed it, is not one of them."""
    return {name: given for name, given in unit.codes.items() if name != CONSENSUS}


def _scope(unit: ComparedUnit, scope: Collection[str] | None) -> frozenset[str]:
    """The code ids a decision on the unit is about: the given ones, else every code the unit's coders gave it."""
    if scope is not None:
        return frozenset(scope)
    return frozenset().union(*_coder_codes(unit).values())


def _is_settled(covered: frozenset[str] | None, needed: frozenset[str]) -> bool:
    """Whether the decisions on a unit (the union of their scopes; None: no decision) cover every needed code."""
    return covered is not None and needed <= covered


def _decided_scopes(conn: Connection) -> dict[UnitKey, frozenset[str]]:
    """Every unit with a recorded decision, and the codes its decisions together cover."""
    cd, d = schema.consensus_decisions, schema.documents
    covered: dict[UnitKey, frozenset[str]] = {}
    for row in conn.execute(select(d.c.name, cd.c.start_offset, cd.c.end_offset, cd.c.scope).join(d, d.c.id == cd.c.document_id)):
        key = (row.name, row.start_offset, row.end_offset)
        covered[key] = covered.get(key, frozenset()) | frozenset(json.loads(row.scope))
    return covered


def _joined(spans: Iterable[_Span]) -> list[_Span]:
    """Overlapping spans of the same code joined into one (two coders' boundaries a few words apart give one coding)."""
    joined: list[_Span] = []
    for start, end, code_id in sorted(spans, key=lambda s: (s[2], s[0], s[1])):
        if joined and joined[-1][2] == code_id and start < joined[-1][1]:
            last = joined[-1]
            joined[-1] = (last[0], max(last[1], end), code_id)
        else:
            joined.append((start, end, code_id))
    return sorted(joined)


def _document_id(conn: Connection, name: str) -> int:
    d = schema.documents
    found = conn.execute(select(d.c.id).where(d.c.name == name)).scalar()
    if found is None:
        raise ConsensusError(f"no document named {name!r} in the project")
    return int(found)


def _action_id(store: Store, changes: Changes) -> int:
    """The id of the action just committed with these changes; its change set names fresh row ids, so it is unique."""
    a = schema.actions
    with store.reading() as conn:
        found = conn.execute(select(a.c.id).where(a.c.changes == changes.to_json()).order_by(a.c.id.desc()).limit(1)).scalar()
    if found is None:
        raise ConsensusError(f"{store.project_dir}: the decision was saved but its action is not in the log")
    return int(found)
