"""The Lisp of lisp.spy in python3: the same reader, the same objects (one class with a
tag), symbols with value cells, frames of bindings, and the same eval loop with tail
calls, for the timings in docs/writing-an-interpreter.md. Integers wrap to i32 as in
SPy. Usage: reference.py [--bench] FILE..."""

import sys
import time

NUM, SYM, PAIR, STR, BOOL, PRIM, CLOSURE = range(7)
FORMS = ["", "quote", "if", "define", "lambda", "let", "begin", "cond", "and", "or", "set!"]
(F_NONE, F_QUOTE, F_IF, F_DEFINE, F_LAMBDA, F_LET, F_BEGIN, F_COND, F_AND, F_OR,
 F_SET) = range(11)
PRIMS = ("+ - * quotient remainder = < > <= >= "
         "cons car cdr list null? pair? eq? not display newline").split(" ")
sys.setrecursionlimit(100000)


def wrap(n):
    return (n + 2**31) % 2**32 - 2**31


class Obj:
    __slots__ = ("tag", "num", "name", "car", "cdr", "env")

    def __init__(self, tag, num=0, name="", car=None, cdr=None):
        self.tag, self.num, self.name, self.car, self.cdr, self.env = tag, num, name, car, cdr, None


class Env:
    __slots__ = ("first", "parent")

    def __init__(self, parent):
        self.first, self.parent = None, parent


class Binding:
    __slots__ = ("sym", "value", "next")

    def __init__(self, sym, value, nxt):
        self.sym, self.value, self.next = sym, value, nxt


TRUE = Obj(BOOL, 1, "#t")
FALSE = Obj(BOOL, 0, "#f")


class Reader:
    def __init__(self, text):
        self.text, self.pos, self.symbols = text, 0, {}

    def intern(self, name):
        if name not in self.symbols:
            sym = Obj(SYM, FORMS.index(name) if name in FORMS[1:] else 0, name)
            self.symbols[name] = sym
        return self.symbols[name]

    def at_end(self):
        t = self.text
        while self.pos < len(t):
            if t[self.pos] == ";":
                while self.pos < len(t) and t[self.pos] != "\n":
                    self.pos += 1
            elif t[self.pos] in " \t\r\n":
                self.pos += 1
            else:
                return False
        return True

    def read(self):
        if self.at_end():
            raise ValueError("unexpected end of input")
        t = self.text
        c = t[self.pos]
        if c == "(":
            self.pos += 1
            items = []
            while True:
                if self.at_end():
                    raise ValueError("missing ')'")
                if t[self.pos] == ")":
                    self.pos += 1
                    head = None
                    for x in reversed(items):
                        head = Obj(PAIR, car=x, cdr=head)
                    return head
                items.append(self.read())
        if c == "'":
            self.pos += 1
            return Obj(PAIR, car=self.intern("quote"), cdr=Obj(PAIR, car=self.read()))
        if c == '"':
            end = t.find('"', self.pos + 1)
            s = Obj(STR, name=t[self.pos + 1:end])
            self.pos = end + 1
            return s
        start = self.pos
        while self.pos < len(t) and t[self.pos] not in " \t\r\n();\"":
            self.pos += 1
        tok = t[start:self.pos]
        if tok.lstrip("-").isdigit():
            return Obj(NUM, int(tok))
        if tok in ("#t", "#f"):
            return Obj(BOOL, int(tok == "#t"), tok)
        return self.intern(tok)


def show(x):
    if x is None:
        return "()"
    if x.tag == NUM:
        return str(x.num)
    if x.tag == PAIR:
        out = "(" + show(x.car)
        rest = x.cdr
        while rest is not None and rest.tag == PAIR:
            out += " " + show(rest.car)
            rest = rest.cdr
        if rest is not None:
            out += " . " + show(rest)
        return out + ")"
    if x.tag == PRIM:
        return "#<primitive " + x.name + ">"
    if x.tag == CLOSURE:
        return "#<closure>"
    return x.name


def is_true(x):
    return not (x is not None and x.tag == BOOL and x.num == 0)


def find(sym, env):
    while env is not None:
        b = env.first
        while b is not None:
            if b.sym is sym:
                return b
            b = b.next
        env = env.parent
    return None


def lookup(sym, env):
    b = find(sym, env)
    if b is not None:
        return b.value
    if sym.cdr is None:
        raise ValueError("unbound variable " + sym.name)
    return sym.cdr


def bind(frame, sym, value):
    frame.first = Binding(sym, value, frame.first)


def eval_body(body, env):
    while body.cdr is not None:
        eval_expr(body.car, env)
        body = body.cdr
    return body.car


def make_closure(params, body, env):
    c = Obj(CLOSURE, car=params, cdr=body)
    c.env = env
    return c


def eval_expr(x, env):
    while True:
        if x.tag == SYM:
            return lookup(x, env)
        if x.tag != PAIR:
            return x
        head = x.car
        form = head.num if head is not None and head.tag == SYM else F_NONE
        if form == F_QUOTE:
            return x.cdr.car
        elif form == F_IF:
            if is_true(eval_expr(x.cdr.car, env)):
                x = x.cdr.cdr.car
            elif x.cdr.cdr.cdr is not None:
                x = x.cdr.cdr.cdr.car
            else:
                return FALSE
        elif form == F_DEFINE:
            target = x.cdr.car
            if target.tag == PAIR:
                value, target = make_closure(target.cdr, x.cdr.cdr, env), target.car
            else:
                value = eval_expr(x.cdr.cdr.car, env)
            if env is not None:
                bind(env, target, value)
            else:
                target.cdr = value
            return target
        elif form == F_LAMBDA:
            return make_closure(x.cdr.car, x.cdr.cdr, env)
        elif form == F_SET:
            value = eval_expr(x.cdr.cdr.car, env)
            b = find(x.cdr.car, env)
            if b is not None:
                b.value = value
            else:
                x.cdr.car.cdr = value
            return x.cdr.car
        elif form == F_BEGIN:
            x = eval_body(x.cdr, env)
        elif form == F_LET:
            frame = Env(env)
            binding = x.cdr.car
            while binding is not None:
                bind(frame, binding.car.car, eval_expr(binding.car.cdr.car, env))
                binding = binding.cdr
            env = frame
            x = eval_body(x.cdr.cdr, env)
        elif form == F_COND:
            clause = x.cdr
            while clause is not None:
                test = clause.car.car
                if (test.tag == SYM and test.name == "else") or is_true(eval_expr(test, env)):
                    break
                clause = clause.cdr
            if clause is None:
                return FALSE
            x = eval_body(clause.car.cdr, env)
        elif form == F_AND or form == F_OR:
            if x.cdr is None:
                return TRUE if form == F_AND else FALSE
            p = x.cdr
            while p.cdr is not None:
                v = eval_expr(p.car, env)
                if is_true(v) != (form == F_AND):
                    return v
                p = p.cdr
            x = p.car
        else:
            f = eval_expr(head, env)
            args = []
            p = x.cdr
            while p is not None:
                args.append(eval_expr(p.car, env))
                p = p.cdr
            if f.tag == PRIM:
                return apply_prim(f, args)
            frame = Env(f.env)
            p = f.car
            for a in args:
                bind(frame, p.car, a)
                p = p.cdr
            env = frame
            x = eval_body(f.cdr, env)


def to_list(items):
    head = None
    for x in reversed(items):
        head = Obj(PAIR, car=x, cdr=head)
    return head


def apply_prim(f, args):
    op = f.num
    if op <= 4:
        acc = args[0].num
        if op == 1 and len(args) == 1:
            return Obj(NUM, wrap(-acc))
        for a in args[1:]:
            n = a.num
            if op == 0:
                acc = wrap(acc + n)
            elif op == 1:
                acc = wrap(acc - n)
            elif op == 2:
                acc = wrap(acc * n)
            elif op == 3:
                acc = acc // n
            else:
                acc = acc % n
        return Obj(NUM, acc)
    if op <= 9:
        a, b = args[0].num, args[1].num
        r = [a == b, a < b, a > b, a <= b, a >= b][op - 5]
        return TRUE if r else FALSE
    if op == 10:
        return Obj(PAIR, car=args[0], cdr=args[1])
    if op == 11:
        return args[0].car
    if op == 12:
        return args[0].cdr
    if op == 13:
        return to_list(args)
    if op == 14:
        return TRUE if args[0] is None else FALSE
    if op == 15:
        return TRUE if args[0] is not None and args[0].tag == PAIR else FALSE
    if op == 16:
        a, b = args
        if a is not None and b is not None and a.tag == b.tag and a.tag in (NUM, BOOL):
            return TRUE if a.num == b.num else FALSE
        return TRUE if a is b else FALSE
    if op == 17:
        return FALSE if is_true(args[0]) else TRUE
    if op == 18:
        sys.stdout.write(show(args[0]))
        return None
    sys.stdout.write("\n")
    return None


def run_file(path):
    rd = Reader(open(path).read())
    for k, name in enumerate(PRIMS):
        rd.intern(name).cdr = Obj(PRIM, k, name)
    while not rd.at_end():
        eval_expr(rd.read(), None)


def main(argv):
    bench = "--bench" in argv[1:]
    for path in [a for a in argv[1:] if a != "--bench"]:
        start = time.time()
        run_file(path)
        if bench:
            print("bench:", path, int((time.time() - start) * 1000), "ms")
        sys.stdout.flush()


main(sys.argv)
