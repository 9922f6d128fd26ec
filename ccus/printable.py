"""Text taken from a delivery (a file name, an inbox path) made safe to print: every character
that is not printable is written as Python's repr writes it (\\x1b, \\n, \\u202e), and so is the
backslash, so a name can neither drive the operator's terminal (escape sequences) nor pass for
another name. Japanese and other printable text is kept as it is."""


def printable(text: str) -> str:
    return "".join(ch if ch.isprintable() and ch != "\\" else repr(ch)[1:-1] for ch in str(text))
