/* internal.h: what the files of libspy share and the generated C does not see. */
#ifndef SPY_INTERNAL_H
#define SPY_INTERNAL_H

#include "spy.h"

/* ---- the target interface: everything host-specific, in src/target/<target>.c.
 * A new target (`<target>.c` beside native.c) implements exactly these and nothing else. */
void spy_target_init(void);                                 /* GC, signals... */
void spy_target_write(int32_t fd, const void *p, size_t n); /* fd 1 or 2; errors ignored */
_Noreturn void spy_target_exit(int32_t status);
void *spy_target_gc_alloc(size_t n);  /* zeroed, collected; NULL when out of memory */
void *spy_target_gc_alloc_atomic(size_t n); /* the same, for blocks holding no pointers */
void *spy_target_raw_alloc(size_t n); /* zeroed, never freed; NULL when out of memory */
double spy_target_time(void);         /* seconds since the epoch */
void spy_target_sleep(double seconds); /* seconds > 0 and finite */
bool spy_target_isatty(int32_t fd);
bool spy_target_isfile(const char *path);       /* a regular file (follows links) */
const char *spy_target_getenv(const char *name); /* NULL when unset or no environment */
bool spy_target_terminal_size(int32_t *cols, int32_t *rows); /* false: no terminal */

/* ---- errors (panic.c) */
_Noreturn void spy_panic_bytes(const char *etype, const uint8_t *msg, size_t n, const spy_Loc *loc);
_Noreturn void spy_out_of_memory(void);

/* ---- strings (str.c) */
/* Python's whitespace over bytes, for int() and split() (ops.rs is_space). */
static inline bool spy_is_space(uint8_t b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c || (b >= 0x1c && b <= 0x1f);
}
spy_StrObject *spy_str_new_cstr(const char *s); /* a fresh str of a C string */
/* str_repr(from_utf8_lossy(s)) of repr.rs, as a fresh str. */
spy_StrObject *spy_str_repr_bytes(const uint8_t *p, int32_t n);

/* ---- number formatting (format.c); each returns the length written, no NUL.
 * Buffers of SPY_FMT_BUF bytes are always enough. */
#define SPY_FMT_BUF 128
int spy_fmt_i64(int64_t x, char *buf);
int spy_fmt_u64(uint64_t x, char *buf);
int spy_fmt_f64(double x, bool force_point, char *buf); /* repr.rs float_repr_with */
int spy_fmt_g(double x, int digits, char *buf);         /* ops.rs format_g */
int spy_fmt_complex(spy_Complex128 x, char *buf);       /* ops.rs complex_str */

/* The numeric types and how each one is written into `buf` (`x` is the value): the one
 * table that str()/repr() (builtins.c) and print (print.c) both expand, so they agree. */
#define SPY_NUMERIC_FORMATS(X)                                                              \
    X(i8, int8_t, spy_fmt_i64(x, buf))                                                      \
    X(u8, uint8_t, spy_fmt_u64(x, buf))                                                     \
    X(i32, int32_t, spy_fmt_i64(x, buf))                                                    \
    X(u32, uint32_t, spy_fmt_u64(x, buf))                                                   \
    X(i64, int64_t, spy_fmt_i64(x, buf))                                                    \
    X(u64, uint64_t, spy_fmt_u64(x, buf))                                                   \
    X(f32, float, spy_fmt_g(x, 7, buf))                                                     \
    X(f64, double, spy_fmt_f64(x, true, buf))                                               \
    X(complex128, spy_Complex128, spy_fmt_complex(x, buf))

/* ---- exact decimal digits of doubles (dtoa.c, with its own small bignum). `v` > 0, finite.
 * Digits are ASCII; the value is 0.d1d2... * 10^(*k). */
int spy_dtoa_shortest(double v, char *digits, int32_t *k); /* Rust's flt2dec format_shortest */
void spy_dtoa_exact(double v, int n, char *digits, int32_t *k); /* n digits, round half even */

/* ---- stdout buffer (print.c) */
void spy_out_write(const void *p, size_t n);

#endif
