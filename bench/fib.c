/* The same program as bench/fib.spy, in C99. Usage: fib N.
   i32 arithmetic wraps like SPy's: it is done in uint32_t and converted back. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int32_t add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

static int32_t fib(int32_t n) {
    if (n < 2)
        return n;
    return add(fib(sub(n, 1)), fib(sub(n, 2)));
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    int32_t n = (int32_t)strtol(argv[1], NULL, 10);
    printf("%d\n", fib(n));
    return 0;
}
