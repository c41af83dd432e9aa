"""Connection fields answered from one projected page (domain.kernel.projection), without objects.

A Studio page (a session's 50 generations with their like counts and whether the viewer likes
them) goes through a domain object, a GraphQL object, a DataLoader and a planned list per
generation, and three statements (the page, its count, the like tallies). When the selection
under a connection asks only for what one statement can answer (the nodes' own columns by
field name, the extras its port computes beside them, `id`, cursors, `totalCount`, `pageInfo`
and `__typename`), the field is read as one projected page and its JSON built here from the
plain rows, a plan made once per selection saying where each response key's value comes from.

Whatever the plan does not cover (any other field, an argument on a node field, an argument of
the connection but `first` and `after`, a parent inside a list, whose pages graphql-core
batches) goes the usual way. An answer the plan cannot give exactly (a null in a non-null
place, a value that does not serialise, a bad argument or cursor, an error of the read) is
given up and the field executed by graphql-core, which reports it as it always does; the read
is read-only, so running the field again changes nothing.
"""

from graph.relay.projected_pages.answers import PagePlan
from graph.relay.projected_pages.lists import PROJECTED, ProjectedList, Relation, projected, projected_list
from graph.relay.projected_pages.planning import PagePlanner

__all__ = ["PROJECTED", "PagePlan", "PagePlanner", "ProjectedList", "Relation", "projected", "projected_list"]
