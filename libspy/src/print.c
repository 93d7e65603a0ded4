/* print.c: buffered stdout, as the seed's 64 KiB BufWriter: output reaches the OS when
 * the buffer is full, at spy_flush (the generated main calls it at exit) and before a
 * panic's message goes to stderr. */
#include <string.h>

#include "internal.h"

#ifndef SPY_STDOUT_BUFSIZE
#define SPY_STDOUT_BUFSIZE 65536
#endif

static uint8_t out_buf[SPY_STDOUT_BUFSIZE];
static size_t out_len;

void spy_flush(void) {
    if (out_len) spy_target_write(1, out_buf, out_len);
    out_len = 0;
}

void spy_out_write(const void *p, size_t n) {
    if (out_len + n > sizeof out_buf) {
        spy_flush();
        if (n >= sizeof out_buf) {
            spy_target_write(1, p, n);
            return;
        }
    }
    memcpy(out_buf + out_len, p, n);
    out_len += n;
}

void spy___spy__$_stdout_write(spy_StrObject *s) { spy_out_write(s->utf8, (size_t)s->length); }

/* stdout first, so that the two streams interleave in the order the program wrote. */
void spy___spy__$_stderr_write(spy_StrObject *s) {
    spy_flush();
    spy_target_write(2, s->utf8, (size_t)s->length);
}

_Noreturn void spy_posix$_exit(int32_t status) {
    spy_flush();
    spy_target_exit(status);
}
