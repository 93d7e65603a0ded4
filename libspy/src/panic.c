/* panic.c: an uncaught run-time error (docs/spec/LANGUAGE.md §11.4 with spyboot's §17 #13):
 * flush stdout, write what seed/src/diag.rs::render_runtime_error writes to stderr,
 * exit with status 1 (never abort()). */
#include <string.h>

#include "internal.h"

/* Collects the message, then writes it with one call, so that it is not interleaved.
 * It starts in a static buffer, which holds any message of a few lines: the panic of an
 * exhausted heap (`spy_out_of_memory`) must not need the heap to be reported. */
typedef struct {
    char *p;
    size_t len, cap;
} Text;

static char first_buffer[1024];

static void put(Text *t, const void *p, size_t n) {
    if (t->len + n > t->cap) {
        size_t cap = (t->len + n) * 2 + 256;
        char *q = spy_target_raw_alloc(cap);
        if (!q) return; /* out of memory: the message is cut, the exit status is kept */
        if (t->len) memcpy(q, t->p, t->len);
        t->p = q, t->cap = cap;
    }
    memcpy(t->p + t->len, p, n);
    t->len += n;
}

static void puts_(Text *t, const char *s) { put(t, s, strlen(s)); }

const char *spy_program_root = "";

_Noreturn void spy_panic_bytes(const char *etype, const uint8_t *msg, size_t n, const spy_Loc *loc) {
    spy_flush();
    Text t = { first_buffer, 0, sizeof first_buffer };
    char num[SPY_FMT_BUF];
    /* `Kind: msg`, or `Kind` alone when the message is empty (as Python). */
    puts_(&t, etype);
    if (n) {
        puts_(&t, ": ");
        put(&t, msg, n);
    }
    puts_(&t, "\n");
    if (loc) {
        const char *text = loc->text ? loc->text : "";
        puts_(&t, "   --> ");
        puts_(&t, spy_program_root);
        puts_(&t, loc->file ? loc->file : "");
        int w = spy_fmt_i64(loc->line, num);
        puts_(&t, ":");
        put(&t, num, (size_t)w);
        puts_(&t, "\n");
        /* `{line:3} | {text}`: the number right-aligned on three columns. */
        for (int i = w; i < 3; i++) puts_(&t, " ");
        put(&t, num, (size_t)w);
        puts_(&t, " | ");
        puts_(&t, text);
        puts_(&t, "\n    | ");
        /* One `^` per byte of the line, at least one. */
        size_t carets = strlen(text);
        if (carets == 0) carets = 1;
        for (size_t i = 0; i < carets; i++) puts_(&t, "^");
        puts_(&t, "\n");
    }
    spy_target_write(2, t.p, t.len);
    spy_target_exit(1);
}

_Noreturn void spy_panic(const char *etype, const char *msg, const spy_Loc *loc) {
    spy_panic_bytes(etype, (const uint8_t *)msg, msg ? strlen(msg) : 0, loc);
}

_Noreturn void spy_panic_str(const char *etype, spy_StrObject *msg, const spy_Loc *loc) {
    spy_panic_bytes(etype, msg ? msg->utf8 : NULL, msg ? (size_t)msg->length : 0, loc);
}

_Noreturn void spy_out_of_memory(void) {
    spy_panic("PanicError", "out of memory", NULL);
}
