"""Text a database cannot store, found before it reaches one.

PostgreSQL refuses a NUL byte in text ("A string literal cannot contain NUL"), and neither
engine can encode an unpaired UTF-16 surrogate (U+D800–U+DFFF) as UTF-8. Both arrive easily:
`%00` in a form or a query string, `\\u0000` or `\\ud800` escaped in a JSON body. Found here
they are a clear refusal of the field that holds them, instead of a 500 from the driver (or,
on SQLite, a NUL stored where no one can see it).
"""

NUL = "nul"
SURROGATE = "surrogate"


def unstorable(text: str) -> str | None:
    """NUL or SURROGATE for the first character of `text` no database can store, else None."""
    if "\x00" in text:
        return NUL
    if text.isascii():
        return None
    if any("\ud800" <= char <= "\udfff" for char in text):
        return SURROGATE
    return None


def first_unstorable(value, path: tuple = ()) -> tuple[tuple, str] | None:
    """(path, reason) of the first string in a parsed JSON value (keys included) that
    `unstorable` refuses: the path is the keys and list indexes that lead to it."""
    if isinstance(value, str):
        reason = unstorable(value)
        return (path, reason) if reason else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = first_unstorable(key, path + (key,)) or first_unstorable(item, path + (key,))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = first_unstorable(item, path + (index,))
            if found:
                return found
    return None
