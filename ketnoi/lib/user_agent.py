"""A browser's User-Agent header in the words a person recognises ("Chrome on Windows"), for
the new-sign-in e-mail. Approximate on purpose: browsers lie in this header, and the e-mail
only has to let a person say "that was not me".

Pure: no Django.
"""

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", Android says "Linux".
_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("CocCoc", "Cốc Cốc"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]
MAX_SHOWN = 120


def describe(user_agent: str) -> tuple[str, str]:
    """(browser, system), each "" when not recognised."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    return browser, system


def shown(user_agent: str) -> str:
    """What the e-mail prints when the header is not recognised: its start, printable only."""
    text = "".join(char for char in (user_agent or "") if char.isprintable())
    return text[:MAX_SHOWN] + ("…" if len(text) > MAX_SHOWN else "")
