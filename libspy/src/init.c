/* init.c: what the generated main calls first, and the program's arguments. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int32_t saved_argc;
static char **saved_argv;

void spy_init(int argc, char **argv) {
    spy_target_init(); /* native also flushes stdout at exit(), for an exit() from elsewhere */
    saved_argc = argc;
    saved_argv = argv;
}

int32_t spy_argc(void) { return saved_argc; }

/* A fresh str of argv[i]: its bytes as they are (no UTF-8 check, docs/spec/BACKEND.md §7). */
spy_StrObject *spy_argv(int32_t i) {
    if (i < 0 || i >= saved_argc || !saved_argv || !saved_argv[i]) return spy_str_alloc(0);
    return spy_str_new_cstr(saved_argv[i]);
}
