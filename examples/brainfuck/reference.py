"""The brainfuck interpreter of brainfuck.spy in python3: the same algorithm (folded
runs, precomputed brackets, a tape of 16 cells that doubles) and the same output, for
the timings in docs/writing-an-interpreter.md. Usage: reference.py [--bench] FILE..."""

import sys
import time

OP_ADD, OP_MOVE, OP_OUT, OP_IN, OP_OPEN, OP_CLOSE, OP_CLEAR = range(7)


def compile_source(src):
    ops, args, opens = [], [], []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c in "+-<>":
            count = 0
            while i < n and src[i] == c:
                count += 1
                i += 1
            ops.append(OP_ADD if c in "+-" else OP_MOVE)
            args.append(-count if c in "-<" else count)
            continue
        if c == "[" and src[i + 1:i + 3] == "-]":
            ops.append(OP_CLEAR)
            args.append(0)
            i += 3
            continue
        if c == ".":
            ops.append(OP_OUT)
            args.append(0)
        elif c == ",":
            ops.append(OP_IN)
            args.append(0)
        elif c == "[":
            opens.append(len(ops))
            ops.append(OP_OPEN)
            args.append(-1)
        elif c == "]":
            start = opens.pop()
            args[start] = len(ops)
            ops.append(OP_CLOSE)
            args.append(start)
        i += 1
    return ops, args


def run(ops, args, inp):
    tape = [0] * 16
    out = bytearray()
    ptr = pc = in_pos = steps = 0
    n = len(ops)
    while pc < n:
        op = ops[pc]
        steps += 1
        if op == OP_ADD:
            tape[ptr] = (tape[ptr] + args[pc]) & 255
        elif op == OP_MOVE:
            ptr += args[pc]
            if ptr < 0:
                raise IndexError("pointer moved left of cell 0")
            while ptr >= len(tape):
                tape.extend([0] * len(tape))
        elif op == OP_OPEN:
            if tape[ptr] == 0:
                pc = args[pc]
        elif op == OP_CLOSE:
            if tape[ptr] != 0:
                pc = args[pc]
        elif op == OP_CLEAR:
            tape[ptr] = 0
        elif op == OP_OUT:
            out.append(tape[ptr])
            if tape[ptr] == 10:
                sys.stdout.buffer.write(out)
                out = bytearray()
        elif op == OP_IN:
            if in_pos < len(inp):
                tape[ptr] = inp[in_pos]
                in_pos += 1
            else:
                tape[ptr] = 0
        pc += 1
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    return steps


def main(argv):
    bench = "--bench" in argv[1:]
    for path in [a for a in argv[1:] if a != "--bench"]:
        text = open(path, "rb").read().decode("latin-1")
        src, _, inp = text.partition("!")
        ops, args = compile_source(src)
        start = time.time()
        steps = run(ops, args, inp.encode("latin-1"))
        if bench:
            print("bench:", path, len(ops), "instructions,", steps, "steps,",
                  int((time.time() - start) * 1000), "ms", flush=True)


main(sys.argv)
