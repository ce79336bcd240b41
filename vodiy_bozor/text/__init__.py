"""Pure text: no I/O."""
