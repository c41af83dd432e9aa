"""Bounds on a document's shape, checked in one pass before graphql-core validates it.

graphql-core's OverlappingFieldsCanBeMergedRule compares every pair of selections
that share a response name in a merged selection set (fragments expanded), and every
pair of fragments spread in one selection set, without memoising field pairs: 1,200
repeated `viewer { role }` fit in the token cap and take over a second. The walk
below merges selections the way execution does and counts exactly those pairs, so a
document is refused while the count is still small enough to validate in
milliseconds. The validation cache does not help here: every hostile document differs.

A spread of a fragment the document does not define is refused here too, with
graphql-core's own message: strawberry's depth rule runs before KnownFragmentNamesRule
and looks every spread up without checking, so it would fail with a KeyError.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graphql.error import GraphQLError
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import ValidationCache

MAX_FIELDS = 500
"""Field selections, each fragment counted every time it is spread."""
MAX_MERGE_PAIRS = 200
"""Pairs of selections with one response name in one merged selection set."""
MAX_FRAGMENT_SPREADS = 40
"""Fragment spreads and inline fragments written in the document."""


@dataclass(frozen=True, slots=True)
class DocumentShape:
    """What the walk counted; it stops counting once a bound is passed."""

    fields: int
    merge_pairs: int
    fragment_spreads: int
    unknown_fragment: FragmentSpreadNode | None = None

    def refusal(self) -> str | None:
        """Why the document is refused, or None."""
        if self.unknown_fragment is not None:
            return f"Unknown fragment '{self.unknown_fragment.name.value}'."
        if self.fragment_spreads > MAX_FRAGMENT_SPREADS:
            return f"the document has more than {MAX_FRAGMENT_SPREADS} fragment spreads and inline fragments"
        if self.fields > MAX_FIELDS:
            return (
                f"the document selects more than {MAX_FIELDS} fields "
                "(a fragment counts each time it is spread)"
            )
        if self.merge_pairs > MAX_MERGE_PAIRS:
            return (
                f"the document repeats fields too often: more than {MAX_MERGE_PAIRS} pairs of "
                "selections with the same response name in one selection set"
            )
        return None


_Item = tuple[SelectionSetNode, frozenset[str]]
"""A selection set to merge, with the fragments expanded on the way to it (to stop at cycles)."""


def measure(document: DocumentNode) -> DocumentShape:
    """Count fields, merge pairs and fragment spreads; linear in what it counts, capped by the bounds."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    spreads = 0
    for node in _fragment_nodes(document):
        spreads += 1
        if isinstance(node, FragmentSpreadNode) and node.name.value not in fragments:
            return DocumentShape(0, 0, spreads, node)
        if spreads > MAX_FRAGMENT_SPREADS:
            return DocumentShape(0, 0, spreads)
    fields = pairs = 0
    # every operation and every fragment definition is validated, so each is a root;
    # breadth first, because 5,000 tokens nest deeper than Python's recursion limit
    pending: list[list[_Item]] = [
        [(d.selection_set, frozenset())]
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        groups: dict[str, int] = {}
        children: dict[str, list[_Item]] = {}
        for level_fields, seen in _expanded(pending.pop(), fragments):
            for field in level_fields:
                fields += 1
                key = field.alias.value if field.alias else field.name.value
                pairs += groups.get(key, 0)  # checked against each earlier selection of that name
                groups[key] = groups.get(key, 0) + 1
                if field.selection_set is not None:
                    children.setdefault(key, []).append((field.selection_set, seen))
            if fields > MAX_FIELDS or pairs > MAX_MERGE_PAIRS:
                return DocumentShape(fields, pairs, spreads)
        pending.extend(children.values())
    return DocumentShape(fields, pairs, spreads)


def _expanded(
    items: list[_Item], fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[tuple[list[FieldNode], frozenset[str]]]:
    """The fields of merged selection sets, inline fragments and fragment spreads flattened in."""
    stack = list(items)
    while stack:
        selection_set, seen = stack.pop()
        fields = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:  # cycles are NoFragmentCyclesRule's
                    stack.append((fragment.selection_set, seen | {name}))
        yield fields, seen


def _fragment_nodes(document: DocumentNode) -> Iterator[FragmentSpreadNode | InlineFragmentNode]:
    stack = [d.selection_set for d in document.definitions if hasattr(d, "selection_set")]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield selection
                stack.append(selection.selection_set)
            elif isinstance(selection, FieldNode) and selection.selection_set is not None:
                stack.append(selection.selection_set)


class BoundedValidationCache(ValidationCache):
    """ValidationCache that first refuses documents too big to validate cheaply."""

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        shape = None if document is None else measure(document)
        refusal = None if shape is None else shape.refusal()
        if shape is not None and refusal is not None:
            # errors set here make strawberry skip validation; no extensions.code, so it is
            # classified GRAPHQL_VALIDATION_FAILED like the depth and alias limits
            self.execution_context.pre_execution_errors = [GraphQLError(refusal, shape.unknown_fragment)]
            yield
            return
        yield from super().on_validate()
