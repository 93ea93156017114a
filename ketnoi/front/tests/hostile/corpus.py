"""The hostile inputs every form and API endpoint that writes or searches must survive.

Each entry is (name, value). `value` is what a client sends in a field: a str for forms and
JSON, bytes where the point is an invalid encoding (sent percent-encoded in a form post, where
Django decodes it; a JSON body cannot carry invalid UTF-8 inside a string), or a JSON value of
another type (API only). What the platform must do with each: refuse it with a clear 4xx and
change nothing, or accept it and show it back escaped, with no NUL byte in the database.
"""

# --- XSS written the way it would reach a Vietnamese form ----------------------------------
XSS = [
    ("script", "<script>alert('Hải quan')</script>"),
    ("attribute-breakout", '"><img src=x onerror=alert("thuế")>'),
    ("javascript-url", "javascript:alert('Doanh nghiệp')"),
    ("svg-onload", "<svg/onload=alert(1)>Tờ khai số 10123456789"),
    ("template-syntax", "{{ request.user.password }}{% debug %}"),
]

# --- search strings that look like SQL or like each engine's full-text syntax ---------------
SQL_AND_FTS = [
    ("sql-or", "' OR 1=1 --"),
    ("sql-drop", 'hoàn thuế"; DROP TABLE cases_case; --'),
    ("sql-union", "x' UNION SELECT password FROM accounts_user --"),
    ("fts5-near", "NEAR(hoàn thuế"),
    ("fts5-quote", '"'),
    ("fts5-star", "*"),
    ("fts5-caret", "^thuế"),
    ("fts5-operators-alone", "AND OR NOT"),
    ("fts5-column", "question:thuế"),
    ("tsquery-operators", "&|!:*<->()"),
    ("like-wildcards", "%_\\"),
]

# --- sizes -----------------------------------------------------------------------------------
HUGE = [
    ("one-megabyte", "Vướng mắc hoàn thuế nhập khẩu. " * 34_000),  # ~1 MB of text
    ("ten-thousand-lines", "Dòng thủ tục hải quan\n" * 10_000),
    ("long-name", "Công ty TNHH Xuất nhập khẩu Phương Nam " * 8),  # ~300 characters
]

# --- values of the wrong shape -------------------------------------------------------------
MALFORMED = [
    ("date-31-february", "31/02/2026"),
    ("date-iso-impossible", "2026-02-31"),
    ("negative-number", "-1"),
    ("number-with-letters", "12a3"),
    ("overflowing-float", "1e309"),
    ("huge-integer", "99999999999999999999999"),
    ("tax-code-short", "031440905"),
    ("tax-code-bad-checksum", "0314409059"),
    ("email-with-spaces", "lan nguyen@anh duong.vn"),
    ("unknown-choice", "khong-ton-tai"),
    ("wrong-id", "987654321"),
    ("id-of-another-kind", "VM-2026-000001"),
]

# --- Unicode that breaks naive code ----------------------------------------------------------
BAD_UNICODE = [
    ("invalid-utf8", b"Thu\xed\xa0\x80\xff\xfe"),  # a UTF-8-encoded lone surrogate, then bytes of no character
    ("nul-byte", "Hoàn thuế\x00nhập khẩu"),
    ("rtl-override", "Tờ khai \u202efdp.exe"),
    ("zero-width", "Hải\u200d\u200bquan\ufeff"),
    ("combining-stack", "a" + "\u0301" * 50),
    ("nfd-vietnamese", "Ho\u0300an thue\u0302\u0301 nha\u0323\u0302p kha\u0302\u0309u"),
]

# --- nothing at all ------------------------------------------------------------------------
EMPTY = [
    ("empty", ""),
    ("whitespace-only", " \t\u00a0\u3000 \n "),
]

CORPUS = XSS + SQL_AND_FTS + HUGE + MALFORMED + BAD_UNICODE + EMPTY

# JSON values of types no field should take as text (API only). A lone surrogate can be
# written inside a JSON string as an escape, which a JSON parser turns into a str Python
# cannot encode: the API must refuse it rather than fail at the database.
JSON_ONLY = [
    ("lone-surrogate-escape", "\ud800 Hải quan"),
    ("nested-object", {"$ne": None}),
    ("list-of-strings", ["hoàn thuế", "<script>"]),
    ("boolean", True),
    ("null", None),
    ("infinite-float", float("inf")),
]


# What every field receives; each other value goes to one field of the form, in turn, so a
# form of n fields costs len(CORE) * n + the rest requests instead of len(CORPUS) * n.
CORE = {"script", "attribute-breakout", "sql-drop", "ten-thousand-lines", "invalid-utf8", "nul-byte",
        "lone-surrogate-escape", "whitespace-only"}


def spread(fields: list, values: list):
    """(field, name, value) to send: the CORE values in every field, the others each in one
    field, taken in turn."""
    others = [entry for entry in values if entry[0] not in CORE]
    for index, where in enumerate(fields):
        for name, value in values:
            if name in CORE:
                yield where, name, value
        for name, value in others[index::len(fields)]:
            yield where, name, value
