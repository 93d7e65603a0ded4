/* builtins.c: str(), repr() and hash() of the primitive types (ops.rs to_str, repr,
 * hash), range's helpers, __spy__.is_compiled, and the time module. */
#include <math.h>

#include "internal.h"

static spy_StrObject *from_buf(const char *buf, int n) { return spy_str_from((const uint8_t *)buf, n); }

/* Integers, floats, complex and bool: repr is str. */
#define STR_WITH(P, T, FMT)                                                                  \
    spy_StrObject *spy_builtins$##P##$__str__(T x) {                                         \
        char buf[SPY_FMT_BUF];                                                               \
        return from_buf(buf, FMT);                                                           \
    }                                                                                        \
    spy_StrObject *spy_builtins$##P##$__repr__(T x) { return spy_builtins$##P##$__str__(x); }
SPY_NUMERIC_FORMATS(STR_WITH)

static spy_StrObject true_str = SPY_STR_LIT("True"), false_str = SPY_STR_LIT("False");
spy_StrObject *spy_builtins$bool$__str__(bool x) { return x ? &true_str : &false_str; }
spy_StrObject *spy_builtins$bool$__repr__(bool x) { return spy_builtins$bool$__str__(x); }

/* Integers truncated to 32 bits; for the signed types -1 becomes 2 (ops.rs hash). */
int32_t spy_builtins$hash_i8(int8_t x) { return x == -1 ? 2 : x; }
int32_t spy_builtins$hash_i32(int32_t x) { return x == -1 ? 2 : x; }
int32_t spy_builtins$hash_i64(int64_t x) {
    int32_t h = (int32_t)(uint32_t)(uint64_t)x;
    return h == -1 ? 2 : h;
}
int32_t spy_builtins$hash_u8(uint8_t x) { return x; }
int32_t spy_builtins$hash_u32(uint32_t x) { return (int32_t)x; }
int32_t spy_builtins$hash_u64(uint64_t x) { return (int32_t)(uint32_t)x; }
int32_t spy_builtins$hash_bool(bool x) { return x; }

bool spy___spy__$is_compiled(void) { return true; }

double spy_time$time(void) { return spy_target_time(); }

void spy_time$sleep(double seconds) {
    if (seconds > 0.0 && isfinite(seconds)) spy_target_sleep(seconds);
}

bool spy_posix$isatty(int32_t fd) { return spy_target_isatty(fd); }

/* The size of the terminal on stdout; 80x24 without one (the seed always says 80x24). */
void spy_posix$get_terminal_size(int32_t *cols, int32_t *rows) {
    int32_t c = 0, r = 0;
    if (!spy_target_terminal_size(&c, &r)) c = 0, r = 0;
    *cols = c > 0 ? c : 80;
    *rows = r > 0 ? r : 24;
}
