"""Privacy: how long records about people are kept (retention.py) and a business's download of
all its own data (export.py, views.py)."""
