# The same program as bench/bytecode_vm.spy, for python3 (the program is a list).
# Usage: bytecode_vm.py N. No value leaves the i32 range, so no wrapping is emulated;
# every % has non-negative operands, where Python's and C's % agree.

import sys

HALT = 0
PUSH = 1    # PUSH k: push k
LOAD = 2    # LOAD r: push reg[r]
STORE = 3   # STORE r: reg[r] = pop
ADD = 4
SUB = 5
MUL = 6
MOD = 7
DUP = 8
JNZ = 9     # JNZ t: if pop != 0, jump to t

def make_program(n: int) -> list[int]:
    p = []
    p.append(PUSH)
    p.append(n)
    p.append(STORE)
    p.append(0)          # i = n
    p.append(PUSH)
    p.append(0)
    p.append(STORE)
    p.append(1)          # acc = 0
    p.append(LOAD)       # 8: loop
    p.append(1)
    p.append(PUSH)
    p.append(31)
    p.append(MUL)
    p.append(LOAD)
    p.append(0)
    p.append(ADD)
    p.append(PUSH)
    p.append(1000003)
    p.append(MOD)
    p.append(STORE)
    p.append(1)          # acc = (acc * 31 + i) % 1000003
    p.append(LOAD)
    p.append(0)
    p.append(PUSH)
    p.append(1)
    p.append(SUB)
    p.append(DUP)
    p.append(STORE)
    p.append(0)          # i = i - 1
    p.append(JNZ)
    p.append(8)          # loop while i != 0
    p.append(LOAD)
    p.append(1)
    p.append(HALT)       # result: the top of the stack
    return p

def run(prog: list[int], stack: list[int], reg: list[int]) -> int:
    pc = 0
    sp = 0
    steps = 0
    while True:
        op = prog[pc]
        steps += 1
        if op == PUSH:
            stack[sp] = prog[pc + 1]
            sp += 1
            pc += 2
        elif op == LOAD:
            stack[sp] = reg[prog[pc + 1]]
            sp += 1
            pc += 2
        elif op == STORE:
            sp -= 1
            reg[prog[pc + 1]] = stack[sp]
            pc += 2
        elif op == ADD:
            sp -= 1
            stack[sp - 1] = stack[sp - 1] + stack[sp]
            pc += 1
        elif op == SUB:
            sp -= 1
            stack[sp - 1] = stack[sp - 1] - stack[sp]
            pc += 1
        elif op == MUL:
            sp -= 1
            stack[sp - 1] = stack[sp - 1] * stack[sp]
            pc += 1
        elif op == MOD:
            sp -= 1
            stack[sp - 1] = stack[sp - 1] % stack[sp]
            pc += 1
        elif op == DUP:
            stack[sp] = stack[sp - 1]
            sp += 1
            pc += 1
        elif op == JNZ:
            sp -= 1
            if stack[sp] != 0:
                pc = prog[pc + 1]
            else:
                pc += 2
        elif op == HALT:
            reg[2] = steps
            return stack[sp - 1]
        else:
            reg[2] = steps
            return -1

def main(argv: list[str]) -> None:
    n = int(argv[1])
    prog = make_program(n)
    stack = [0] * 16
    reg = [0] * 4
    print(run(prog, stack, reg))
    print(reg[2])

main(sys.argv)
