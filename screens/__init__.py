"""Textual screens, one module per screen (with its .tcss); shared widgets in widgets/."""
