"""The Studio's enums as GraphQL enums (values are the members' names)."""

from __future__ import annotations

import strawberry

from domain.studio import model as studio

strawberry.enum(studio.Platform, name="Platform", description="Where an image is meant to be published.")
strawberry.enum(
    studio.AspectRatio,
    name="AspectRatio",
    description=(
        "An image's shape: SQUARE 1:1, PORTRAIT 4:5, LANDSCAPE 16:9, STORY 9:16, CLASSIC 4:3, PHOTO 3:2."
    ),
)
strawberry.enum(
    studio.SessionState,
    name="SessionState",
    description="OPEN sessions take new generations; CLOSED ones do not.",
)
strawberry.enum(
    studio.ReviewState,
    name="ReviewState",
    description="Where a generation stands in review: PENDING, APPROVED, or REJECTED (final).",
)
strawberry.enum(
    studio.Concern,
    name="Concern",
    description="What is uncertain about an escalated generation: rights, product accuracy, brand, claims.",
)

# strawberry.enum registers the domain's enums in place; these aliases are what the types annotate with
Platform = studio.Platform
AspectRatio = studio.AspectRatio
SessionState = studio.SessionState
ReviewState = studio.ReviewState
Concern = studio.Concern
