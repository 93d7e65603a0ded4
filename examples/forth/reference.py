"""The Forth of forth.spy in python3: the same outer interpreter, threaded code in one
list, data and return stacks, the same output, for the timings in
docs/writing-an-interpreter.md. Integers wrap to i32 as in SPy.
Usage: reference.py [--bench] FILE..."""

import sys
import time

PRIMS = ("+ - * / MOD NEGATE ABS MIN MAX = < > 0= AND OR "
         "DUP DROP SWAP OVER ROT . EMIT CR >R R> R@ I J @ ! +! 1+ 1-").split()
N_PRIMS = len(PRIMS)
LIT, CALL, EXIT, BRANCH, ZBRANCH, DO, LOOP, DOTQ, CONST_VALUE = range(34, 43)


def wrap(n):
    return (n + 2**31) % 2**32 - 2**31


def flag(b):
    return -1 if b else 0


class Forth:
    def __init__(self, text):
        self.text, self.pos, self.code, self.strings = text, 0, [], []
        self.words, self.prims = {}, {name: k for k, name in enumerate(PRIMS)}
        self.stack, self.rstack, self.memory, self.out = [], [], [], ""
        self.compiling, self.latest, self.pending = False, 0, []

    def next_word(self):
        t, n = self.text, len(self.text)
        while self.pos < n and t[self.pos] in " \t\r\n":
            self.pos += 1
        start = self.pos
        while self.pos < n and t[self.pos] not in " \t\r\n":
            self.pos += 1
        return t[start:self.pos]

    def read_until(self, delim):
        start = self.pos + 1
        end = self.text.index(delim, start)
        self.pos = end + 1
        return self.text[start:end]

    def prim(self, p):
        s = self.stack
        if p <= 14:
            b = s.pop()
            if p == 5:
                s.append(wrap(-b))
            elif p == 6:
                s.append(wrap(abs(b)))
            elif p == 12:
                s.append(flag(b == 0))
            else:
                a = s.pop()
                if p == 0:
                    s.append(wrap(a + b))
                elif p == 1:
                    s.append(wrap(a - b))
                elif p == 2:
                    s.append(wrap(a * b))
                elif p == 3:
                    s.append(a // b)
                elif p == 4:
                    s.append(a % b)
                elif p == 7:
                    s.append(min(a, b))
                elif p == 8:
                    s.append(max(a, b))
                elif p == 9:
                    s.append(flag(a == b))
                elif p == 10:
                    s.append(flag(a < b))
                elif p == 11:
                    s.append(flag(a > b))
                elif p == 13:
                    s.append(a & b)
                else:
                    s.append(a | b)
        elif p == 15:
            s.append(s[-1])
        elif p == 16:
            s.pop()
        elif p == 17:
            b = s.pop()
            a = s.pop()
            s.append(b)
            s.append(a)
        elif p == 18:
            s.append(s[-2])
        elif p == 19:
            c = s.pop()
            b = s.pop()
            a = s.pop()
            s.append(b)
            s.append(c)
            s.append(a)
        elif p == 20:
            self.out += str(s.pop()) + " "
        elif p == 21:
            c = s.pop()
            if c == 10:
                self.prim(22)
            else:
                self.out += chr(c) if 32 <= c < 127 else "?"
        elif p == 22:
            print(self.out)
            self.out = ""
        elif p == 23:
            self.rstack.append(s.pop())
        elif p == 24:
            s.append(self.rstack.pop())
        elif p in (25, 26):
            s.append(self.rstack[-1])
        elif p == 27:
            s.append(self.rstack[-3])
        elif p == 28:
            s.append(self.memory[s.pop()])
        elif p == 29:
            addr = s.pop()
            self.memory[addr] = s.pop()
        elif p == 30:
            addr = s.pop()
            self.memory[addr] = wrap(self.memory[addr] + s.pop())
        elif p == 31:
            s.append(wrap(s.pop() + 1))
        else:
            s.append(wrap(s.pop() - 1))

    def execute(self, addr):
        code, rs, stack = self.code, self.rstack, self.stack
        rs.append(-1)
        pc = addr
        while pc >= 0:
            cell = code[pc]
            if cell < N_PRIMS:
                self.prim(cell)
                pc += 1
            elif cell == LIT:
                stack.append(code[pc + 1])
                pc += 2
            elif cell == CALL:
                rs.append(pc + 2)
                pc = code[pc + 1]
            elif cell == EXIT:
                pc = rs.pop()
            elif cell == BRANCH:
                pc = code[pc + 1]
            elif cell == ZBRANCH:
                pc = code[pc + 1] if stack.pop() == 0 else pc + 2
            elif cell == DO:
                start = stack.pop()
                rs.append(stack.pop())
                rs.append(start)
                pc += 1
            elif cell == LOOP:
                index = rs.pop() + 1
                if index < rs[-1]:
                    rs.append(index)
                    pc = code[pc + 1]
                else:
                    rs.pop()
                    pc += 2
            elif cell == DOTQ:
                self.out += self.strings[code[pc + 1]]
                pc += 2
            elif cell == CONST_VALUE:
                stack.append(code[pc + 1])
                pc += 2

    def compile_control(self, word):
        code = self.code
        if word == "IF" or word == "WHILE":
            code.append(ZBRANCH)
            self.pending.append(len(code))
            code.append(-1)
        elif word == "ELSE":
            code.extend([BRANCH, -1])
            code[self.pending.pop()] = len(code)
            self.pending.append(len(code) - 1)
        elif word == "THEN":
            code[self.pending.pop()] = len(code)
        elif word in ("BEGIN", "DO"):
            if word == "DO":
                code.append(DO)
            self.pending.append(len(code))
        elif word in ("UNTIL", "LOOP"):
            code.extend([ZBRANCH if word == "UNTIL" else LOOP, self.pending.pop()])
        elif word == "REPEAT":
            exit_at = self.pending.pop()
            code.extend([BRANCH, self.pending.pop()])
            code[exit_at] = len(code)
        elif word == "RECURSE":
            code.extend([CALL, self.latest])
        elif word == "EXIT":
            code.append(EXIT)
        else:
            return False
        return True

    def interpret(self):
        while True:
            raw = self.next_word()
            if raw == "":
                return
            word = raw.upper()
            if word == "(":
                self.read_until(")")
            elif word == "\\":
                self.read_until("\n")
            elif word == ":":
                self.compiling = True
                self.latest = len(self.code)
                self.words[self.next_word().upper()] = self.latest
            elif word == ";":
                self.code.append(EXIT)
                self.compiling = False
            elif word in ("VARIABLE", "CONSTANT"):
                value = len(self.memory)
                if word == "VARIABLE":
                    self.memory.append(0)
                else:
                    value = self.stack.pop()
                self.words[self.next_word().upper()] = len(self.code)
                self.code.extend([CONST_VALUE, value, EXIT])
            elif word == '."':
                text = self.read_until('"')
                if self.compiling:
                    self.strings.append(text)
                    self.code.extend([DOTQ, len(self.strings) - 1])
                else:
                    self.out += text
            elif self.compiling and self.compile_control(word):
                pass
            elif word in self.prims:
                if self.compiling:
                    self.code.append(self.prims[word])
                else:
                    self.prim(self.prims[word])
            elif word in self.words:
                if self.compiling:
                    self.code.extend([CALL, self.words[word]])
                else:
                    self.execute(self.words[word])
            else:
                if self.compiling:
                    self.code.extend([LIT, int(word)])
                else:
                    self.stack.append(int(word))


def main(argv):
    bench = "--bench" in argv[1:]
    for path in [a for a in argv[1:] if a != "--bench"]:
        fs = Forth(open(path).read())
        start = time.time()
        fs.interpret()
        if fs.out != "":
            print(fs.out)
        if bench:
            print("bench:", path, int((time.time() - start) * 1000), "ms")


main(sys.argv)
