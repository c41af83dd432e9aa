"""SwarmUI: `sui_image_params` JSON."""

from __future__ import annotations

import json

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import read_metadata
from tests.unit.image_metadata.builders import read_png, reopen, user_comment_exif, with_exif


class TestSwarmUI:
    SWARM = {
        "sui_image_params": {
            "prompt": "a snow leopard",
            "negativeprompt": "blur",
            "model": "OfficialStableDiffusion/sd_xl_base_1.0",
            "seed": 1708241467,
            "steps": 20,
        },
        "sui_extra_data": {"date": "2024-01-01"},
    }

    def test_json_in_parameters_gives_the_sui_image_params(self):
        found = read_png(text={"parameters": json.dumps(self.SWARM)})
        assert found == EmbeddedMetadata(
            tool="swarmui",
            prompt="a snow leopard",
            negative_prompt="blur",
            seed=1708241467,
            model="OfficialStableDiffusion/sd_xl_base_1.0",
        )

    def test_json_in_a_jpeg_user_comment_is_read(self):
        comment = b"UNICODE\x00" + json.dumps(self.SWARM).encode("utf-16-le")
        found = read_metadata(reopen(with_exif("JPEG", user_comment_exif(comment, endian="<"))))
        assert (found.tool, found.prompt) == ("swarmui", "a snow leopard")
