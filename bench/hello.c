/* The same program as bench/hello.spy, in C99 (its binary size is the baseline). */

#include <stdio.h>

int main(void) {
    printf("hello, world\n");
    return 0;
}
