"""Revisions, one file each, named ``NNNN_what.py``."""
