/* The same program as bench/bytecode_vm.spy, in C99 (the program is an int32_t array
   and the dispatch the same if/else chain, in the same order). Usage: bytecode_vm N.
   i32 arithmetic wraps like SPy's (uint32_t, converted back); no value leaves the i32
   range for this program, and every % has non-negative operands. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { HALT, PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, DUP, JNZ };

static int32_t add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static int32_t mul(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }

/* Python's % (the sign of the divisor), as SPy's. */
static int32_t mod(int32_t a, int32_t b) {
    int32_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

static int32_t make_program(int32_t n, int32_t *p) {
    int32_t len = 0;
    p[len++] = PUSH;
    p[len++] = n;
    p[len++] = STORE;
    p[len++] = 0;          /* i = n */
    p[len++] = PUSH;
    p[len++] = 0;
    p[len++] = STORE;
    p[len++] = 1;          /* acc = 0 */
    p[len++] = LOAD;       /* 8: loop */
    p[len++] = 1;
    p[len++] = PUSH;
    p[len++] = 31;
    p[len++] = MUL;
    p[len++] = LOAD;
    p[len++] = 0;
    p[len++] = ADD;
    p[len++] = PUSH;
    p[len++] = 1000003;
    p[len++] = MOD;
    p[len++] = STORE;
    p[len++] = 1;          /* acc = (acc * 31 + i) % 1000003 */
    p[len++] = LOAD;
    p[len++] = 0;
    p[len++] = PUSH;
    p[len++] = 1;
    p[len++] = SUB;
    p[len++] = DUP;
    p[len++] = STORE;
    p[len++] = 0;          /* i = i - 1 */
    p[len++] = JNZ;
    p[len++] = 8;          /* loop while i != 0 */
    p[len++] = LOAD;
    p[len++] = 1;
    p[len++] = HALT;       /* result: the top of the stack */
    return len;
}

static int32_t run(const int32_t *prog, int32_t *stack, int32_t *reg) {
    int32_t pc = 0;
    int32_t sp = 0;
    int32_t steps = 0;
    for (;;) {
        int32_t op = prog[pc];
        steps = add(steps, 1);
        if (op == PUSH) {
            stack[sp] = prog[pc + 1];
            sp += 1;
            pc += 2;
        } else if (op == LOAD) {
            stack[sp] = reg[prog[pc + 1]];
            sp += 1;
            pc += 2;
        } else if (op == STORE) {
            sp -= 1;
            reg[prog[pc + 1]] = stack[sp];
            pc += 2;
        } else if (op == ADD) {
            sp -= 1;
            stack[sp - 1] = add(stack[sp - 1], stack[sp]);
            pc += 1;
        } else if (op == SUB) {
            sp -= 1;
            stack[sp - 1] = sub(stack[sp - 1], stack[sp]);
            pc += 1;
        } else if (op == MUL) {
            sp -= 1;
            stack[sp - 1] = mul(stack[sp - 1], stack[sp]);
            pc += 1;
        } else if (op == MOD) {
            sp -= 1;
            stack[sp - 1] = mod(stack[sp - 1], stack[sp]);
            pc += 1;
        } else if (op == DUP) {
            stack[sp] = stack[sp - 1];
            sp += 1;
            pc += 1;
        } else if (op == JNZ) {
            sp -= 1;
            if (stack[sp] != 0)
                pc = prog[pc + 1];
            else
                pc += 2;
        } else if (op == HALT) {
            reg[2] = steps;
            return stack[sp - 1];
        } else {
            reg[2] = steps;
            return -1;
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    int32_t n = (int32_t)strtol(argv[1], NULL, 10);
    int32_t prog[64];
    make_program(n, prog);
    int32_t stack[16] = {0};
    int32_t reg[4] = {0};
    printf("%d\n", run(prog, stack, reg));
    printf("%d\n", reg[2]);
    return 0;
}
