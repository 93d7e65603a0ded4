# The same program as bench/strbuild.spy, for python3. Usage: strbuild.py PATH N.
# The pieces go into a list that ''.join turns into the output. The input is ASCII, so
# str lengths and indexes are byte counts and offsets, as in SPy and C.

import sys


def emit_token(out: list[str], num: str, start: int, end: int, kind: str, tok: str) -> None:
    out.append("        ")
    out.append(num)
    out.append(":")
    out.append(str(start))
    out.append("-")
    out.append(str(end))
    out.append(kind)
    out.append("'")
    out.append(tok)
    out.append("'")


def build(text: str) -> str:
    out: list[str] = []
    n = len(text)
    start = 0
    lineno = 0
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        line = text[start:end]
        start = end + 1
        lineno += 1
        num = str(lineno)
        out.append(num)
        out.append(": ")
        out.append(line)
        out.append("\n    | ")
        out.append(line.upper())
        out.append("\n")
        m = len(line)
        i = 0
        while i < m:
            c = line[i]
            if c == " ":
                i += 1
            elif c.isalpha() or c == "_":
                j = i + 1
                while j < m and (line[j].isalnum() or line[j] == "_"):
                    j += 1
                tok = line[i:j]
                emit_token(out, num, i, j, " NAME ", tok)
                out.append(" ")
                out.append(tok.upper())
                out.append("\n")
                i = j
            elif c.isdigit():
                j = i + 1
                while j < m and line[j].isdigit():
                    j += 1
                emit_token(out, num, i, j, " NUMBER ", line[i:j])
                out.append("\n")
                i = j
            else:
                emit_token(out, num, i, i + 1, " OP ", c)
                out.append("\n")
                i += 1
    return "".join(out)


def main(argv: list[str]) -> None:
    with open(argv[1]) as f:
        text = f.read()
    rounds = int(argv[2])
    out = ""
    for _ in range(rounds):
        out = build(text)
    data = out.encode()
    print(len(data), sum(data[::7]))


main(sys.argv)
