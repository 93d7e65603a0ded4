/* The same program as bench/long_comp.spy, in C99. Usage: long_comp NUM REPS.
   i32 arithmetic wraps like SPy's: it is done in uint32_t and converted back. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int32_t add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

static int32_t short_comp(int32_t n) {
    int32_t result = 0;
    int32_t stop = add(n, 1);
    for (int32_t i = 1; i < stop; i++)
        result = add(result, i);
    return result;
}

static int32_t long_comp(int32_t num) {
    int32_t result = short_comp(0);
    for (int32_t i = 0; i < num; i++)
        result = add(result, sub(short_comp(add(i, 1)), short_comp(i)));
    result = sub(result, short_comp(num));
    return result;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s NUM REPS\n", argv[0]);
        return 2;
    }
    int32_t num = (int32_t)strtol(argv[1], NULL, 10);
    int32_t reps = (int32_t)strtol(argv[2], NULL, 10);
    int32_t total = 0;
    for (int32_t r = 0; r < reps; r++)
        total = add(total, long_comp(num));
    printf("%d\n", total);
    printf("%d\n", short_comp(num));
    return 0;
}
