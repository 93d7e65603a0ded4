"""The bytecode example in python3: the same lexer, single-pass Pratt compiler and
dispatch loop (preallocated stack and frames), the same output, for the timings in
docs/writing-an-interpreter.md. Integers wrap to i32 as in SPy.
Usage: reference.py [--dis] [--bench] FILE..."""

import sys
import time

NAMES = ("CONST LOAD STORE GLOAD GSTORE EQ NE LT LE GT GE ADD SUB MUL DIV MOD "
         "JMP JZ JNZ NEG NOT DUP POP CALL ENTER RET PRINT PRINT_STR PRINT_NL HALT").split()
for _k, _n in enumerate(NAMES):
    globals()["OP_" + _n] = _k
WIDTHS = [int(w) for w in "111110000000000011100002100100"]
BINARY = "or and == != < <= > >= + - * / %".split()
POWERS = [1, 2, 3, 3, 4, 4, 4, 4, 5, 5, 6, 6, 6]
NUM, NAME, STR, OP, EOF = range(5)
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"


def wrap(n):
    return (n + 2**31) % 2**32 - 2**31


def lex(src):
    toks, i, line = [], 0, 1
    while i < len(src):
        c, start = src[i], i
        if c == "\n":
            line += 1
            i += 1
            continue
        if c in " \t\r":
            i += 1
            continue
        if c == "#":
            while i < len(src) and src[i] != "\n":
                i += 1
            continue
        if c.isdigit():
            while i < len(src) and src[i].isdigit():
                i += 1
            toks.append((NUM, src[start:i], line))
        elif c in LETTERS:
            while i < len(src) and (src[i] in LETTERS or src[i].isdigit()):
                i += 1
            toks.append((NAME, src[start:i], line))
        elif c == '"':
            i = src.index('"', i + 1) + 1
            toks.append((STR, src[start + 1:i - 1], line))
        elif src[i:i + 2] in ("==", "!=", "<=", ">="):
            i += 2
            toks.append((OP, src[start:i], line))
        else:
            i += 1
            toks.append((OP, c, line))
    toks.append((EOF, "", line))
    return toks


class Compiler:
    def __init__(self, src):
        self.toks, self.pos, self.ops, self.strings = lex(src), 0, [], []
        self.global_names, self.global_slots = [], {}
        self.func_names, self.func_addr, self.funcs = [], [], {}
        self.in_function, self.locals = False, []

    def text(self):
        return self.toks[self.pos][1]

    def accept(self, t):
        if self.toks[self.pos][1] == t and self.toks[self.pos][0] != STR:
            self.pos += 1
            return True
        return False

    def expect(self, t):
        if not self.accept(t):
            raise SyntaxError("line %d: expected %r" % (self.toks[self.pos][2], t))

    def name(self):
        self.pos += 1
        return self.toks[self.pos - 1][1]

    def emit(self, *words):
        self.ops.extend(words)
        return len(self.ops) - 1

    def patch(self, at):
        self.ops[at] = len(self.ops)

    def global_slot(self, var):
        if var not in self.global_slots:
            self.global_slots[var] = len(self.global_names)
            self.global_names.append(var)
        return self.global_slots[var]

    def func_number(self, fname):
        if fname not in self.funcs:
            self.funcs[fname] = len(self.func_names)
            self.func_names.append(fname)
            self.func_addr.append(-1)
        return self.funcs[fname]

    def local_slot(self, var):
        return self.locals.index(var) if self.in_function and var in self.locals else -1

    def store(self, var):
        slot = self.local_slot(var)
        if slot >= 0:
            self.emit(OP_STORE, slot)
        else:
            self.emit(OP_GSTORE, self.global_slot(var))

    def binding_power(self):
        kind, t, _ = self.toks[self.pos]
        if kind in (STR, NUM) or t not in BINARY:
            return 0
        return POWERS[BINARY.index(t)]

    def prefix(self):
        kind = self.toks[self.pos][0]
        if kind == NUM:
            self.emit(OP_CONST, int(self.text()))
            self.pos += 1
        elif self.accept("("):
            self.expression(0)
            self.expect(")")
        elif self.accept("-"):
            self.expression(6)
            self.emit(OP_NEG)
        elif self.accept("not"):
            self.expression(2)
            self.emit(OP_NOT)
        else:
            var = self.name()
            if self.accept("("):
                n_args = 0
                while not self.accept(")"):
                    if n_args > 0:
                        self.expect(",")
                    self.expression(0)
                    n_args += 1
                self.emit(OP_CALL, self.func_number(var), n_args)
            elif self.local_slot(var) >= 0:
                self.emit(OP_LOAD, self.local_slot(var))
            else:
                self.emit(OP_GLOAD, self.global_slot(var))

    def expression(self, rbp):
        self.prefix()
        while self.binding_power() > rbp:
            op, power = self.text(), self.binding_power()
            self.pos += 1
            if op in ("and", "or"):
                self.emit(OP_DUP)
                jump = self.emit(OP_JZ if op == "and" else OP_JNZ, -1)
                self.emit(OP_POP)
                self.expression(power)
                self.patch(jump)
            else:
                self.expression(power)
                self.emit(OP_EQ + BINARY.index(op) - 2)

    def block(self):
        self.expect("{")
        while not self.accept("}"):
            self.statement()

    def statement(self):
        if self.accept("let"):
            var = self.name()
            if self.in_function and var not in self.locals:
                self.locals.append(var)
            self.expect("=")
            self.expression(0)
            self.store(var)
            self.expect(";")
        elif self.accept("print"):
            while True:
                if self.toks[self.pos][0] == STR:
                    self.strings.append(self.text())
                    self.emit(OP_PRINT_STR, len(self.strings) - 1)
                    self.pos += 1
                else:
                    self.expression(0)
                    self.emit(OP_PRINT)
                if not self.accept(","):
                    break
            self.emit(OP_PRINT_NL)
            self.expect(";")
        elif self.accept("if"):
            self.expression(0)
            skip_then = self.emit(OP_JZ, -1)
            self.block()
            if self.accept("else"):
                skip_else = self.emit(OP_JMP, -1)
                self.patch(skip_then)
                if self.text() == "if":
                    self.statement()
                else:
                    self.block()
                self.patch(skip_else)
            else:
                self.patch(skip_then)
        elif self.accept("while"):
            top = len(self.ops)
            self.expression(0)
            exit_jump = self.emit(OP_JZ, -1)
            self.block()
            self.emit(OP_JMP, top)
            self.patch(exit_jump)
        elif self.accept("fn"):
            f = self.func_number(self.name())
            skip = self.emit(OP_JMP, -1)
            self.func_addr[f] = len(self.ops)
            self.in_function, self.locals = True, []
            self.expect("(")
            while not self.accept(")"):
                if self.locals:
                    self.expect(",")
                self.locals.append(self.name())
            arity = len(self.locals)
            n_locals = self.emit(OP_ENTER, -1)
            self.block()
            self.ops[n_locals] = len(self.locals) - arity
            self.emit(OP_CONST, 0)
            self.emit(OP_RET)
            self.in_function = False
            self.patch(skip)
        elif self.accept("return"):
            self.expression(0)
            self.emit(OP_RET)
            self.expect(";")
        elif self.toks[self.pos][0] == NAME and self.toks[self.pos + 1][1] == "=":
            var = self.name()
            self.expect("=")
            self.expression(0)
            self.store(var)
            self.expect(";")
        else:
            self.expression(0)
            self.emit(OP_POP)
            self.expect(";")


def disassemble(c):
    pc = 0
    while pc < len(c.ops):
        op = c.ops[pc]
        line = (str(pc) + ":").rjust(6) + " " + NAMES[op]
        if op == OP_CALL:
            line += " " + c.func_names[c.ops[pc + 1]] + " " + str(c.ops[pc + 2])
        elif op in (OP_GLOAD, OP_GSTORE):
            line += " " + c.global_names[c.ops[pc + 1]]
        elif op == OP_PRINT_STR:
            line += " " + repr(c.strings[c.ops[pc + 1]])
        elif WIDTHS[op] > 0:
            line += " " + str(c.ops[pc + 1])
        print(line)
        pc += 1 + WIDTHS[op]


def run(c):
    ops, addrs, strings = c.ops, c.func_addr, c.strings
    stack = [0] * 10000
    glob = [0] * len(c.global_names)
    frames = [0] * 2000
    line = ""
    sp = base = fp = pc = steps = 0
    while True:
        op = ops[pc]
        steps += 1
        if op == OP_CONST:
            stack[sp] = ops[pc + 1]
            sp += 1
            pc += 2
        elif op == OP_LOAD:
            stack[sp] = stack[base + ops[pc + 1]]
            sp += 1
            pc += 2
        elif op == OP_STORE:
            sp -= 1
            stack[base + ops[pc + 1]] = stack[sp]
            pc += 2
        elif op == OP_GLOAD:
            stack[sp] = glob[ops[pc + 1]]
            sp += 1
            pc += 2
        elif op == OP_GSTORE:
            sp -= 1
            glob[ops[pc + 1]] = stack[sp]
            pc += 2
        elif op <= OP_MOD:
            sp -= 1
            b = stack[sp]
            a = stack[sp - 1]
            if op == OP_ADD:
                a = wrap(a + b)
            elif op == OP_SUB:
                a = wrap(a - b)
            elif op == OP_MUL:
                a = wrap(a * b)
            elif op == OP_DIV:
                a = a // b
            elif op == OP_MOD:
                a = a % b
            elif op == OP_EQ:
                a = int(a == b)
            elif op == OP_NE:
                a = int(a != b)
            elif op == OP_LT:
                a = int(a < b)
            elif op == OP_LE:
                a = int(a <= b)
            elif op == OP_GT:
                a = int(a > b)
            else:
                a = int(a >= b)
            stack[sp - 1] = a
            pc += 1
        elif op == OP_JMP:
            pc = ops[pc + 1]
        elif op == OP_JZ:
            sp -= 1
            pc = ops[pc + 1] if stack[sp] == 0 else pc + 2
        elif op == OP_JNZ:
            sp -= 1
            pc = ops[pc + 1] if stack[sp] != 0 else pc + 2
        elif op == OP_NEG:
            stack[sp - 1] = wrap(-stack[sp - 1])
            pc += 1
        elif op == OP_NOT:
            stack[sp - 1] = int(stack[sp - 1] == 0)
            pc += 1
        elif op == OP_DUP:
            stack[sp] = stack[sp - 1]
            sp += 1
            pc += 1
        elif op == OP_POP:
            sp -= 1
            pc += 1
        elif op == OP_CALL:
            frames[fp] = pc + 3
            frames[fp + 1] = base
            fp += 2
            base = sp - ops[pc + 2]
            pc = addrs[ops[pc + 1]]
        elif op == OP_ENTER:
            for _ in range(ops[pc + 1]):
                stack[sp] = 0
                sp += 1
            pc += 2
        elif op == OP_RET:
            result = stack[sp - 1]
            sp = base
            stack[sp] = result
            sp += 1
            fp -= 2
            pc = frames[fp]
            base = frames[fp + 1]
        elif op == OP_PRINT:
            sp -= 1
            line += " " + str(stack[sp])
            pc += 1
        elif op == OP_PRINT_STR:
            line += " " + strings[ops[pc + 1]]
            pc += 2
        elif op == OP_PRINT_NL:
            print(line[1:])
            line = ""
            pc += 1
        else:
            return steps


def main(argv):
    dis = bench = False
    for arg in argv[1:]:
        if arg == "--dis":
            dis = True
        elif arg == "--bench":
            bench = True
        else:
            c = Compiler(open(arg).read())
            while c.toks[c.pos][0] != EOF:
                c.statement()
            c.emit(OP_HALT)
            if dis:
                disassemble(c)
            start = time.time()
            steps = run(c)
            if bench:
                print("bench:", arg, steps, "steps,", int((time.time() - start) * 1000), "ms")


main(sys.argv)
