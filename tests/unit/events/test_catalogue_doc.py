"""The README's event catalogue is the code's: a new event type or payload field changes both."""

from __future__ import annotations

from pathlib import Path

from graph.events.catalogue import catalogue_markdown

README = Path(__file__).parents[3] / "README.md"


def test_the_readme_lists_every_event_type_with_its_payload_as_the_code_records_it():
    text = README.read_text()
    begin, end = "<!-- event-catalogue -->\n", "<!-- /event-catalogue -->"
    documented = text[text.index(begin) + len(begin) : text.index(end)]
    assert documented == catalogue_markdown(), (
        "regenerate the table: python -c 'from graph.events.catalogue import catalogue_markdown; "
        'print(catalogue_markdown(), end="")\''
    )
