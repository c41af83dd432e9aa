"""The root Mutation, assembled from one module per feature."""

from __future__ import annotations

import strawberry

from graph.mutations.library import LibraryMutations
from graph.mutations.review import ReviewMutations
from graph.mutations.studio import StudioMutations


@strawberry.type(
    description="Changes. Expected failures come back in each payload's `userErrors`; nothing is half done."
)
class Mutation(StudioMutations, ReviewMutations, LibraryMutations):
    pass
