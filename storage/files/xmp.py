"""A small XMP packet writer on the standard library's ElementTree: the IPTC provenance of an AI image.

Every value goes through ElementTree's escaping (`<`, `&`, `>`; `]]>` is then harmless),
after characters XML 1.0 cannot hold at all (C0 controls but tab and newline, lone
surrogates, U+FFFE/U+FFFF) are dropped: escaping them would still be invalid XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from domain.files.model import XmpProvenance

X = "adobe:ns:meta/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
_PREFIXES = {"x": X, "rdf": RDF, "Iptc4xmpExt": IPTC_EXT}

_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_ELLIPSIS = "\u2026"

_HEAD = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_TAIL = b'\n<?xpacket end="r"?>'


def xml_text(value: str) -> str:
    """The value with what XML cannot carry removed; CR and CRLF become LF (a parser would do it anyway)."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def xmp_packet(provenance: XmpProvenance, *, max_bytes: int | None = None) -> bytes:
    """The UTF-8 packet; when `max_bytes` is given, the prompt is cut (with an ellipsis) until it fits."""
    prompt = xml_text(provenance.prompt)
    packet = _packet(provenance, prompt)
    while max_bytes is not None and len(packet) > max_bytes and prompt:
        # each character is at most 4 bytes of UTF-8, and escaping can make one 5 (`&amp;`)
        excess_chars = max(1, (len(packet) - max_bytes + 4) // 5)
        prompt = prompt.rstrip(_ELLIPSIS)[:-excess_chars].rstrip() + _ELLIPSIS if len(prompt) > 1 else ""
        packet = _packet(provenance, prompt)
    if max_bytes is not None and len(packet) > max_bytes:
        raise ValueError("the XMP packet does not fit even without its prompt")
    return packet


def _packet(provenance: XmpProvenance, prompt: str) -> bytes:
    meta = ET.Element(f"{{{X}}}xmpmeta")
    rdf = ET.SubElement(meta, f"{{{RDF}}}RDF")
    description = ET.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
    fields = (
        ("DigitalSourceType", provenance.source_type),
        ("AISystemUsed", provenance.system),
        ("AISystemVersionUsed", provenance.system_version),
        ("AIPromptInformation", prompt),
        ("AIPromptWriterName", provenance.prompt_writer),
    )
    for name, value in fields:
        text = xml_text(value)
        if text:
            ET.SubElement(description, f"{{{IPTC_EXT}}}{name}").text = text
    for prefix, uri in _PREFIXES.items():
        ET.register_namespace(prefix, uri)
    body = ET.tostring(meta, encoding="unicode").encode()
    return _HEAD + body + _TAIL
