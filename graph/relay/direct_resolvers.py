"""Resolvers the executor calls without strawberry's wrapper around each call.

strawberry wraps every resolver call: a strawberry `Info`, the arguments converted, the
extension chain, and two coroutines around an async resolver. A page calls such resolvers a
few hundred times (the folder, tags and projects of 50 assets, their cursors), and most of
them take no arguments and read nothing of `info` but `info.context`: a DataLoader's `load`.
Such a resolver is called here with its source and a stand-in holding only the context;
graphql-core still builds the resolve info, completes the value and reports errors, so the
answer is the same (the differential test of graph/relay/executor.py compares them).

Whether a resolver reads only `info.context` is read from its source once, when the field is
first executed: every use of the `info` parameter must be `info.context`. One that passes
`info` on (`cursors_of(info)`, `signed_link(info, ...)`) keeps strawberry's wrapper.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

from graphql import GraphQLField

STRAWBERRY_DEFINITION = "strawberry-definition"
"""Where a graphql-core field of strawberry's schema keeps its strawberry field (`field.extensions`)."""

DirectCall = Callable[[Any, Any], Any]
"""(source, a stand-in whose `context` is the request's) -> what the resolver returns."""


class ContextOnly:
    """What a direct resolver gets for `info`: the context, and nothing else to read."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


def direct_call(field: GraphQLField) -> DirectCall | None:
    """How to call this field's resolver directly, or None when it needs strawberry's wrapper."""
    definition: Any = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    resolver = getattr(definition, "base_resolver", None)
    if resolver is None or definition.extensions or definition.arguments:
        return None
    self_p, root_p, parent_p, info_p = (
        resolver.self_parameter,
        resolver.root_parameter,
        resolver.parent_parameter,
        resolver.info_parameter,
    )
    reserved = {p.name for p in (self_p, root_p, parent_p, info_p) if p is not None}
    if any(name not in reserved for name in resolver.signature.parameters):
        return None
    func = resolver.wrapped_func
    if info_p is not None and not reads_only_context(func, info_p.name):
        return None
    if parent_p is not None or (self_p is not None and root_p is not None):
        return None  # unusual shapes keep strawberry's own call
    if self_p is not None:
        if info_p is None:
            return lambda s, c: func(s)
        if info_p.name == "info":
            return lambda s, c: func(s, info=c)
        info = info_p.name
        return lambda s, c: func(s, **{info: c})
    if root_p is not None:
        root = root_p.name
        if info_p is not None:
            info = info_p.name
            return lambda s, c: func(**{root: s, info: c})
        return lambda s, c: func(**{root: s})
    return None  # a resolver of no source: root fields, which graphql-core calls once anyway


def reads_only_context(func: Callable[..., Any], info: str) -> bool:
    """Whether every use of the parameter `info` in `func`'s body is `info.context`."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return False
    function = tree.body[0] if tree.body else None
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    context_reads = {
        id(node.value)
        for node in ast.walk(function)
        if isinstance(node, ast.Attribute)
        and node.attr == "context"
        and isinstance(node.value, ast.Name)
        and node.value.id == info
    }
    for statement in function.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id == info and id(node) not in context_reads:
                return False
            if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
                return False  # a nested scope could rebind the name: keep it simple
    return True
