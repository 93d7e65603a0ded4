/* panic.c: a program that prints, then panics with the real spy_panic, for
 * stage-tests/tests/libspy.rs: `panic KIND MESSAGE FILE LINE TEXT [str]`.
 * Expected: the output printed before is on stdout (flushed first), the error on
 * stderr in the seed's format, exit status 1. */
#include <stdlib.h>
#include <string.h>

#include "spy.h"

int main(int argc, char **argv) {
    spy_init(argc, argv);
    if (argc < 6) return 2;
    spy___spy__$_stdout_write(spy_str_from((const uint8_t *)"before the panic\n", 17));
    spy___spy__$_stdout_write(spy_builtins$i32$__str__(42));
    spy___spy__$_stdout_write(spy_str_from((const uint8_t *)" ", 1));
    spy___spy__$_stdout_write(spy_builtins$f64$__str__(0.5));
    spy___spy__$_stdout_write(spy_str_from((const uint8_t *)"\n", 1));
    spy_Loc loc = { argv[3], (int32_t)atoi(argv[4]), argv[5] };
    if (argc > 6 && strcmp(argv[6], "str") == 0) spy_panic_str(argv[1], spy_argv(2), &loc);
    spy_panic(argv[1], argv[2], &loc);
}
