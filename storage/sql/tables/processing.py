"""Processing: one job per subject (an asset or a generation), its facts and renditions."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.perceptual_hash import bands
from storage.sql.tables.columns import Id, UtcDateTime, created_column, id_column, metadata, org_column

# processing: one job per subject (an asset or a generation), its outcome beside it
_DUE = sa.text("due_at IS NOT NULL")

jobs = sa.Table(
    "jobs",
    metadata,
    id_column(),
    org_column(),
    sa.Column("kind", sa.String(16), nullable=False, server_default="image"),
    sa.Column("subject_type", sa.String(16), nullable=False),  # asset | generation
    sa.Column("subject_id", Id, nullable=False),
    sa.Column("source_key", sa.String(64), nullable=False),  # the original's blob (sha256)
    sa.Column("state", sa.String(16), nullable=False),  # queued | running | done | failed
    sa.Column("attempts", sa.SmallInteger, nullable=False, server_default="0"),
    # when the job may next be claimed: the retry time while queued, the lease's end while
    # running, NULL once done or failed; the claim reads only this column's index
    sa.Column("due_at", UtcDateTime, nullable=True),
    sa.Column("claimed_by", sa.String(64), nullable=True),
    sa.Column("last_error", sa.String(32), nullable=True),  # a ProcessingError code, never a message
    created_column(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "subject_type", "subject_id", "kind", name="uq_jobs_org_subject"),
    sa.Index("ix_jobs_due_at", "due_at", sqlite_where=_DUE, postgresql_where=_DUE),
)

image_facts = sa.Table(
    "image_facts",
    metadata,
    org_column(primary_key=True),
    sa.Column("subject_type", sa.String(16), primary_key=True),
    sa.Column("subject_id", Id, primary_key=True),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("colour_mode", sa.String(16), nullable=False),
    sa.Column("dominant_colours", sa.JSON, nullable=False),  # ["#rrggbb", ...], most common first
    sa.Column("perceptual_hash", sa.BigInteger, nullable=False),  # 64-bit dHash, signed
    sa.Column("processed_at", UtcDateTime, nullable=False),
    # the hash's four 16-bit bands (domain.kernel.perceptual_hash.bands), written with it: any
    # asset within d bits of another shares a band within d // 4 bits, found by these indexes
    *(sa.Column(f"phash_band_{i}", sa.Integer, nullable=False) for i in range(4)),
    *(
        # subject_id and the hash too, so a band lookup reads the index alone
        sa.Index(
            f"ix_image_facts_org_band_{i}",
            "org_id",
            "subject_type",
            f"phash_band_{i}",
            "subject_id",
            "perceptual_hash",
        )
        for i in range(4)
    ),
)


def perceptual_hash_columns(perceptual_hash: int) -> dict[str, int]:
    """An `image_facts` row's hash and its bands, as every writer of the row must set them together."""
    return {
        "perceptual_hash": perceptual_hash,
        **{f"phash_band_{i}": band for i, band in enumerate(bands(perceptual_hash))},
    }


renditions = sa.Table(
    "renditions",
    metadata,
    org_column(primary_key=True),
    sa.Column("subject_type", sa.String(16), primary_key=True),
    sa.Column("subject_id", Id, primary_key=True),
    sa.Column("size", sa.SmallInteger, primary_key=True),  # the long edge asked for: 256, 1024
    sa.Column("blob_key", sa.String(64), nullable=False),  # in the `renditions` blob area
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("byte_size", sa.BigInteger, nullable=False),
    sa.Index("ix_renditions_blob_key", "blob_key"),  # is a rendition blob still used? (an orphan sweep)
)
