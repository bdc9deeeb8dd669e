"""cleanup: turn the raw OCR text of a scanned book into clean, faithful text,
with a log of every change (where, before, after, which rule, how sure)."""
from .document import Decisions, Document, Edit, Proposal, render
from .pipeline import clean, clean_file

__version__ = "0.1.0"
__all__ = ["Decisions", "Document", "Edit", "Proposal", "clean", "clean_file", "render"]
