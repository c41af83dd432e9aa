"""The demo organisation and the row builders it (and the tests) lay data down with."""
