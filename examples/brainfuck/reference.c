/* The brainfuck interpreter of brainfuck.spy in C99: the same algorithm (folded runs,
 * precomputed brackets, a tape of 16 cells that doubles) and the same output, for the
 * timings in docs/writing-an-interpreter.md.
 * Build: cc -O2 -o /tmp/bf reference.c; usage: /tmp/bf [--bench] FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OP_ADD, OP_MOVE, OP_OUT, OP_IN, OP_OPEN, OP_CLOSE, OP_CLEAR };

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *read_file(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc(*len + 1);
    if (fread(text, 1, *len, f) != (size_t)*len) { perror(path); exit(1); }
    text[*len] = 0;
    fclose(f);
    return text;
}

int main(int argc, char **argv) {
    int bench = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--bench") == 0) { bench = 1; continue; }
        long n;
        char *src = read_file(argv[a], &n);
        char *bang = strchr(src, '!');
        const char *input = "";
        if (bang) { *bang = 0; input = bang + 1; n = bang - src; }
        int *ops = malloc(sizeof(int) * (n + 1)), *args = malloc(sizeof(int) * (n + 1));
        int *opens = malloc(sizeof(int) * (n + 1));
        int n_ops = 0, n_open = 0;
        for (long i = 0; i < n;) {
            char c = src[i];
            if (c == '+' || c == '-' || c == '<' || c == '>') {
                int count = 0;
                while (i < n && src[i] == c) { count++; i++; }
                ops[n_ops] = (c == '+' || c == '-') ? OP_ADD : OP_MOVE;
                args[n_ops++] = (c == '-' || c == '<') ? -count : count;
                continue;
            }
            if (c == '[' && i + 2 < n && src[i + 1] == '-' && src[i + 2] == ']') {
                ops[n_ops] = OP_CLEAR; args[n_ops++] = 0; i += 3;
                continue;
            }
            if (c == '.') { ops[n_ops] = OP_OUT; args[n_ops++] = 0; }
            else if (c == ',') { ops[n_ops] = OP_IN; args[n_ops++] = 0; }
            else if (c == '[') { opens[n_open++] = n_ops; ops[n_ops] = OP_OPEN; args[n_ops++] = -1; }
            else if (c == ']') {
                int start = opens[--n_open];
                args[start] = n_ops;
                ops[n_ops] = OP_CLOSE; args[n_ops++] = start;
            }
            i++;
        }
        double t0 = now();
        int size = 16, *tape = calloc(size, sizeof(int));
        long ptr = 0, steps = 0;
        size_t in_pos = 0;
        for (int pc = 0; pc < n_ops; pc++) {
            steps++;
            switch (ops[pc]) {
            case OP_ADD: tape[ptr] = (tape[ptr] + args[pc]) & 255; break;
            case OP_MOVE:
                ptr += args[pc];
                if (ptr < 0) { fprintf(stderr, "pointer moved left of cell 0\n"); return 1; }
                while (ptr >= size) {
                    tape = realloc(tape, sizeof(int) * size * 2);
                    memset(tape + size, 0, sizeof(int) * size);
                    size *= 2;
                }
                break;
            case OP_OPEN: if (tape[ptr] == 0) pc = args[pc]; break;
            case OP_CLOSE: if (tape[ptr] != 0) pc = args[pc]; break;
            case OP_CLEAR: tape[ptr] = 0; break;
            case OP_OUT: putchar(tape[ptr]); break;
            case OP_IN: tape[ptr] = input[in_pos] ? (unsigned char)input[in_pos++] : 0; break;
            }
        }
        fflush(stdout);
        if (bench)
            printf("bench: %s %d instructions, %ld steps, %d ms\n", argv[a], n_ops, steps,
                   (int)((now() - t0) * 1000));
    }
    return 0;
}
