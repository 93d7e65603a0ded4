/* spy.h: the one header the C code emitted by spyboot includes (docs/spec/BACKEND.md §4-§9).
 *
 * The semantics of every function are those of the seed interpreter
 * (seed/src/vm/ops.rs): the interpreter and a compiled program print the same bytes
 * and raise the same errors. Requires C99 plus `$` in identifiers (gcc and clang
 * accept it in -std=c99 without -pedantic). Only fixed-width types cross this API,
 * so the same code builds for wasm32 and Cortex-M.
 *
 * Floating-point expressions here must not be contracted into FMAs (a*c - b*d in
 * complex multiplication): compile with -ffp-contract=off (gcc's default in -std=c99,
 * not clang's). Narrowing an unsigned value to a signed type relies on the modulo
 * conversion that gcc and clang define.
 */
#ifndef SPY_H
#define SPY_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Branch hints for the inline fast paths below: the failing case is out of line. */
#if defined(__GNUC__) || defined(__clang__)
#define SPY_LIKELY(x) __builtin_expect(!!(x), 1)
#define SPY_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SPY_LIKELY(x) (x)
#define SPY_UNLIKELY(x) (x)
#endif

/* ------------------------------------------------------------------ core types */

/* A str: `length` bytes at `utf8`, no NUL terminator; `hash` 0 = not computed.
 * Literals are static objects {len, 0, (const uint8_t *)"bytes"} (SPY_STR_LIT).
 * SYNC(str-layout): seed/src/cwrite/program.rs writes literals in this layout, and
 * stdlib/_str.spy's StrObject stands for this struct. */
typedef struct spy_StrObject {
    int32_t length;
    int32_t hash;
    const uint8_t *utf8;
} spy_StrObject;
typedef spy_StrObject spy_BytesObject; /* bytes: same layout */
typedef struct {
    double real, imag;
} spy_Complex128;
typedef FILE *spy_FILE; /* posix._FILE; NULL = _FILE_NULL */
/* Where a run-time error is reported: the .spy path relative to the program's root, the
 * 1-based line and the text of that line (compiled programs do not read sources). */
typedef struct {
    const char *file;
    int32_t line;
    const char *text;
} spy_Loc;
/* The folder of the program's main .spy file as given to the compiler: a run-time error
 * prints it before `spy_Loc.file`, so the path reads as in the interpreter. The C of a
 * program holds no path; the build passes this one (`-DSPY_PROGRAM_ROOT`) and `main`
 * sets it. Empty by default. */
extern const char *spy_program_root;

/* Initializer of a static str object from a C string literal. */
#define SPY_STR_LIT(s) { (int32_t)(sizeof(s) - 1), 0, (const uint8_t *)(s) }

/* ------------------------------------------------------------------ errors */

/* Flush stdout, write the error in the format of diag.rs::render_runtime_error to
 * stderr, exit(1). `loc` may be NULL (then only the first line is written). */
_Noreturn void spy_panic(const char *etype, const char *msg, const spy_Loc *loc);
_Noreturn void spy_panic_str(const char *etype, spy_StrObject *msg, const spy_Loc *loc);

/* ------------------------------------------------------------------ init, alloc */

void spy_init(int argc, char **argv);
int32_t spy_argc(void);
spy_StrObject *spy_argv(int32_t i); /* a fresh str copy of argv[i] */

void *spy_gc_alloc(size_t n);  /* zeroed, collected */
void *spy_raw_alloc(size_t n); /* zeroed, never freed (scanned by the GC) */
/* gc_alloc[T](n) / raw_alloc[T](n): `n` items of `elem_size` bytes, zeroed;
 * PanicError "negative allocation size" when n < 0, as the seed's Builtin::Alloc. */
void *spy_gc_alloc_items(int32_t n, size_t elem_size, const spy_Loc *loc);
void *spy_raw_alloc_items(int32_t n, size_t elem_size, const spy_Loc *loc);
spy_StrObject *spy_str_alloc(int32_t n); /* one allocation: header + n zeroed bytes */
spy_StrObject *spy_str_from(const uint8_t *p, int32_t n);

/* ------------------------------------------------------------------ integers */

/* add sub mul neg and or xor: wrapping, computed in the unsigned type (no UB). */
#define SPY__INT_INLINE(P, T, UT)                                                              \
    static inline T spy_operator$##P##_add(T a, T b) { return (T)(UT)((UT)a + (UT)b); }         \
    static inline T spy_operator$##P##_sub(T a, T b) { return (T)(UT)((UT)a - (UT)b); }         \
    static inline T spy_operator$##P##_mul(T a, T b) { return (T)(UT)((UT)a * (UT)b); }         \
    static inline T spy_operator$##P##_neg(T a) { return (T)(UT)((UT)0 - (UT)a); }              \
    static inline T spy_operator$##P##_and(T a, T b) { return (T)(a & b); }                      \
    static inline T spy_operator$##P##_or(T a, T b) { return (T)(a | b); }                       \
    static inline T spy_operator$##P##_xor(T a, T b) { return (T)(a ^ b); }
SPY__INT_INLINE(i8, int8_t, uint8_t)
SPY__INT_INLINE(u8, uint8_t, uint8_t)
SPY__INT_INLINE(i32, int32_t, uint32_t)
SPY__INT_INLINE(u32, uint32_t, uint32_t)
SPY__INT_INLINE(i64, int64_t, uint64_t)
SPY__INT_INLINE(u64, uint64_t, uint64_t)

/* / (a double), // and % (Python's floor semantics), ** (wrapping), << >> (defined for
 * every count, docs/spec/LANGUAGE.md §17 #4); unchecked_*: PanicError for a zero divisor. */
#define SPY__INT_DECL(P, T)                                                                  \
    double spy_operator$##P##_div(T a, T b, const spy_Loc *loc);                             \
    T spy__##P##_floordiv(T a, T b, const spy_Loc *loc); /* every case; see below */         \
    T spy__##P##_mod(T a, T b, const spy_Loc *loc);                                          \
    T spy_operator$##P##_pow(T a, T b, const spy_Loc *loc);                                  \
    T spy_operator$##P##_lshift(T a, T b, const spy_Loc *loc);                               \
    T spy_operator$##P##_rshift(T a, T b, const spy_Loc *loc);                               \
    double spy_unsafe$##P##_unchecked_div(T a, T b, const spy_Loc *loc);                     \
    T spy_unsafe$##P##_unchecked_floordiv(T a, T b, const spy_Loc *loc);                     \
    T spy_unsafe$##P##_unchecked_mod(T a, T b, const spy_Loc *loc);                          \
    T spy_operator$str_to_##P(spy_StrObject *s, const spy_Loc *loc);                         \
    int32_t spy_builtins$hash_##P(T x);                                                      \
    spy_StrObject *spy_builtins$##P##$__str__(T x);                                          \
    spy_StrObject *spy_builtins$##P##$__repr__(T x);
SPY__INT_DECL(i8, int8_t)
SPY__INT_DECL(u8, uint8_t)
SPY__INT_DECL(i32, int32_t)
SPY__INT_DECL(u32, uint32_t)
SPY__INT_DECL(i64, int64_t)
SPY__INT_DECL(u64, uint64_t)

/* `//` and `%` inline where C's truncating division already gives Python's result (both
 * operands non-negative, divisor non-zero); every other case goes to spy__P_floordiv /
 * spy__P_mod. Compiled loops use them a lot. */
#define SPY__INT_FAST(P, T, EASY)                                                            \
    static inline T spy_operator$##P##_floordiv(T a, T b, const spy_Loc *loc) {              \
        if (SPY_LIKELY(EASY)) return (T)(a / b);                                             \
        return spy__##P##_floordiv(a, b, loc);                                               \
    }                                                                                        \
    static inline T spy_operator$##P##_mod(T a, T b, const spy_Loc *loc) {                   \
        if (SPY_LIKELY(EASY)) return (T)(a % b);                                             \
        return spy__##P##_mod(a, b, loc);                                                    \
    }
SPY__INT_FAST(i8, int8_t, a >= 0 && b > 0)
SPY__INT_FAST(u8, uint8_t, b != 0)
SPY__INT_FAST(i32, int32_t, a >= 0 && b > 0)
SPY__INT_FAST(u32, uint32_t, b != 0)
SPY__INT_FAST(i64, int64_t, a >= 0 && b > 0)
SPY__INT_FAST(u64, uint64_t, b != 0)

/* ------------------------------------------------------------------ floats */

#define SPY__FLOAT_DECL(P, T)                                                                \
    static inline T spy_operator$##P##_add(T a, T b) { return a + b; }                       \
    static inline T spy_operator$##P##_sub(T a, T b) { return a - b; }                       \
    static inline T spy_operator$##P##_mul(T a, T b) { return a * b; }                       \
    static inline T spy_operator$##P##_neg(T a) { return -a; }                               \
    static inline T spy_unsafe$##P##_ieee754_div(T a, T b) { return a / b; }                 \
    T spy__##P##_div(T a, T b, const spy_Loc *loc); /* every case */                         \
    /* `/` inline unless the divisor is zero */                                              \
    static inline T spy_operator$##P##_div(T a, T b, const spy_Loc *loc) {                   \
        if (SPY_LIKELY(b != 0)) return a / b;                                                \
        return spy__##P##_div(a, b, loc);                                                    \
    }                                                                                        \
    T spy_operator$##P##_floordiv(T a, T b, const spy_Loc *loc);                             \
    T spy_operator$##P##_mod(T a, T b, const spy_Loc *loc);                                  \
    T spy_operator$##P##_pow(T a, T b, const spy_Loc *loc);                                  \
    T spy_unsafe$##P##_unchecked_div(T a, T b, const spy_Loc *loc);                          \
    T spy_unsafe$##P##_unchecked_floordiv(T a, T b, const spy_Loc *loc);                     \
    T spy_unsafe$##P##_unchecked_mod(T a, T b, const spy_Loc *loc);                          \
    spy_StrObject *spy_builtins$##P##$__str__(T x);                                          \
    spy_StrObject *spy_builtins$##P##$__repr__(T x);
SPY__FLOAT_DECL(f32, float)
SPY__FLOAT_DECL(f64, double)

/* ------------------------------------------------------------------ comparisons, min/max */

/* Every numeric type and bool; NaN compares false except `!=`, as Rust's partial_cmp. */
#define SPY__CMP(P, T)                                                                       \
    static inline bool spy_operator$##P##_eq(T a, T b) { return a == b; }                    \
    static inline bool spy_operator$##P##_ne(T a, T b) { return a != b; }                    \
    static inline bool spy_operator$##P##_lt(T a, T b) { return a < b; }                     \
    static inline bool spy_operator$##P##_le(T a, T b) { return a <= b; }                    \
    static inline bool spy_operator$##P##_gt(T a, T b) { return a > b; }                     \
    static inline bool spy_operator$##P##_ge(T a, T b) { return a >= b; }
#define SPY__NUMERIC(X) X(i8, int8_t) X(u8, uint8_t) X(i32, int32_t) X(u32, uint32_t) \
    X(i64, int64_t) X(u64, uint64_t) X(f32, float) X(f64, double)
SPY__NUMERIC(SPY__CMP)
SPY__CMP(bool, bool)

/* ------------------------------------------------------------------ bool */

static inline bool spy_operator$bool_and(bool a, bool b) { return a & b; }
static inline bool spy_operator$bool_or(bool a, bool b) { return a | b; }
static inline bool spy_operator$bool_xor(bool a, bool b) { return a ^ b; }
static inline bool spy_operator$bool_not(bool a) { return !a; }
int32_t spy_builtins$hash_bool(bool x);
spy_StrObject *spy_builtins$bool$__str__(bool x);
spy_StrObject *spy_builtins$bool$__repr__(bool x);

/* ------------------------------------------------------------------ complex128 */

static inline spy_Complex128 spy_operator$complex128_add(spy_Complex128 a, spy_Complex128 b) {
    spy_Complex128 r = { a.real + b.real, a.imag + b.imag };
    return r;
}
static inline spy_Complex128 spy_operator$complex128_sub(spy_Complex128 a, spy_Complex128 b) {
    spy_Complex128 r = { a.real - b.real, a.imag - b.imag };
    return r;
}
static inline spy_Complex128 spy_operator$complex128_mul(spy_Complex128 a, spy_Complex128 b) {
    spy_Complex128 r = { a.real * b.real - a.imag * b.imag, a.real * b.imag + a.imag * b.real };
    return r;
}
static inline spy_Complex128 spy_operator$complex128_neg(spy_Complex128 a) {
    spy_Complex128 r = { -a.real, -a.imag };
    return r;
}
static inline bool spy_operator$complex128_eq(spy_Complex128 a, spy_Complex128 b) {
    return a.real == b.real && a.imag == b.imag;
}
static inline bool spy_operator$complex128_ne(spy_Complex128 a, spy_Complex128 b) {
    return !spy_operator$complex128_eq(a, b);
}
/* ZeroDivisionError "complex division by zero" when b == 0 (textbook formula, as ops.rs). */
spy_Complex128 spy_operator$complex128_div(spy_Complex128 a, spy_Complex128 b, const spy_Loc *loc);
spy_StrObject *spy_builtins$complex128$__str__(spy_Complex128 x);
spy_Complex128 spy_operator$str_to_complex128(spy_StrObject *s, const spy_Loc *loc);
spy_StrObject *spy_builtins$complex128$__repr__(spy_Complex128 x);

/* ------------------------------------------------------------------ conversions */

/* Float to integer truncates toward zero and saturates, NaN gives 0 (Rust's `as`). */
static inline int8_t spy__f2i8(double x) {
    return x != x ? 0 : x <= -128.0 ? INT8_MIN : x >= 127.0 ? INT8_MAX : (int8_t)x;
}
static inline uint8_t spy__f2u8(double x) {
    return !(x > 0.0) ? 0 : x >= 255.0 ? UINT8_MAX : (uint8_t)x;
}
static inline int32_t spy__f2i32(double x) {
    return x != x ? 0 : x <= -2147483648.0 ? INT32_MIN : x >= 2147483647.0 ? INT32_MAX : (int32_t)x;
}
static inline uint32_t spy__f2u32(double x) {
    return !(x > 0.0) ? 0 : x >= 4294967295.0 ? UINT32_MAX : (uint32_t)x;
}
static inline int64_t spy__f2i64(double x) {
    return x != x ? 0 : x <= -9223372036854775808.0 ? INT64_MIN : x >= 9223372036854775807.0 ? INT64_MAX : (int64_t)x;
}
static inline uint64_t spy__f2u64(double x) {
    return !(x > 0.0) ? 0 : x >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)x;
}

/* FROM_to_TO for every pair ops.rs `convert` handles. Integers wrap (two's complement
 * truncation); every number reaches f32 through f64, as the seed does (an i64 is
 * rounded twice); bool comes only from integers and bool. */
/* (The names are pasted here directly: a nested macro would expand `bool` to `_Bool`.) */
#define SPY__CONV_FROM_INT(F, FT)                                                            \
    static inline int8_t spy_operator$##F##_to_i8(FT x) { return (int8_t)(uint8_t)x; }       \
    static inline uint8_t spy_operator$##F##_to_u8(FT x) { return (uint8_t)x; }              \
    static inline int32_t spy_operator$##F##_to_i32(FT x) { return (int32_t)(uint32_t)x; }   \
    static inline uint32_t spy_operator$##F##_to_u32(FT x) { return (uint32_t)x; }           \
    static inline int64_t spy_operator$##F##_to_i64(FT x) { return (int64_t)(uint64_t)x; }   \
    static inline uint64_t spy_operator$##F##_to_u64(FT x) { return (uint64_t)x; }           \
    static inline double spy_operator$##F##_to_f64(FT x) { return (double)x; }               \
    static inline float spy_operator$##F##_to_f32(FT x) { return (float)(double)x; }         \
    static inline bool spy_operator$##F##_to_bool(FT x) { return x != 0; }                   \
    static inline spy_Complex128 spy_operator$##F##_to_complex128(FT x) {                    \
        spy_Complex128 r = { (double)x, 0.0 };                                               \
        return r;                                                                            \
    }
SPY__CONV_FROM_INT(i8, int8_t)
SPY__CONV_FROM_INT(u8, uint8_t)
SPY__CONV_FROM_INT(i32, int32_t)
SPY__CONV_FROM_INT(u32, uint32_t)
SPY__CONV_FROM_INT(i64, int64_t)
SPY__CONV_FROM_INT(u64, uint64_t)
SPY__CONV_FROM_INT(bool, bool)
#define SPY__CONV_FROM_FLOAT(F, FT)                                                          \
    static inline int8_t spy_operator$##F##_to_i8(FT x) { return spy__f2i8((double)x); }     \
    static inline uint8_t spy_operator$##F##_to_u8(FT x) { return spy__f2u8((double)x); }    \
    static inline int32_t spy_operator$##F##_to_i32(FT x) { return spy__f2i32((double)x); }  \
    static inline uint32_t spy_operator$##F##_to_u32(FT x) { return spy__f2u32((double)x); } \
    static inline int64_t spy_operator$##F##_to_i64(FT x) { return spy__f2i64((double)x); }  \
    static inline uint64_t spy_operator$##F##_to_u64(FT x) { return spy__f2u64((double)x); } \
    static inline double spy_operator$##F##_to_f64(FT x) { return (double)x; }               \
    static inline float spy_operator$##F##_to_f32(FT x) { return (float)x; }                 \
    static inline spy_Complex128 spy_operator$##F##_to_complex128(FT x) {                    \
        spy_Complex128 r = { (double)x, 0.0 };                                               \
        return r;                                                                            \
    }
SPY__CONV_FROM_FLOAT(f32, float)
SPY__CONV_FROM_FLOAT(f64, double)

/* ------------------------------------------------------------------ str and bytes */

static inline int32_t spy_str_len(spy_StrObject *s) { return s->length; }
static inline int32_t spy_bytes_len(spy_BytesObject *b) { return b->length; }
bool spy_operator$str_eq(spy_StrObject *a, spy_StrObject *b);
bool spy_operator$str_ne(spy_StrObject *a, spy_StrObject *b);
bool spy_operator$bytes_eq(spy_BytesObject *a, spy_BytesObject *b);
bool spy_operator$bytes_ne(spy_BytesObject *a, spy_BytesObject *b);
int32_t spy_builtins$hash_str(spy_StrObject *s);
int32_t spy_builtins$hash_bytes(spy_BytesObject *b);
/* str(s) is s when it is valid UTF-8, else its lossy decoding (U+FFFD), as the seed. */
spy_StrObject *spy_builtins$str$__str__(spy_StrObject *s);
spy_StrObject *spy_builtins$str$__repr__(spy_StrObject *s);
spy_StrObject *spy_builtins$bytes$__str__(spy_BytesObject *b);
spy_StrObject *spy_builtins$bytes$__repr__(spy_BytesObject *b);

spy_StrObject *spy_str_add(spy_StrObject *a, spy_StrObject *b);
spy_StrObject *spy_str_mul(spy_StrObject *s, int32_t n);
spy_StrObject *spy_str_getitem(spy_StrObject *s, int32_t i, const spy_Loc *loc);
bool spy_str_contains(spy_StrObject *s, spy_StrObject *sub);
spy_StrObject *spy_str_slice(spy_StrObject *s, int32_t start, int32_t start_is_none, int32_t stop,
                             int32_t stop_is_none, int32_t step, int32_t step_is_none,
                             const spy_Loc *loc);
spy_StrObject *spy_str_upper(spy_StrObject *s);
bool spy_str_isascii(spy_StrObject *s);
bool spy_str_isspace(spy_StrObject *s);
spy_StrObject *spy_str_replace(spy_StrObject *s, spy_StrObject *old, spy_StrObject *new_);
int32_t spy_str_find(spy_StrObject *s, spy_StrObject *sub, int32_t start, int32_t end, bool has_end);
int32_t spy_str_count(spy_StrObject *s, spy_StrObject *sub, int32_t start, int32_t end, bool has_end);
spy_BytesObject *spy_str_encode(spy_StrObject *s, spy_StrObject *encoding, const spy_Loc *loc);
spy_StrObject *spy_bytes_decode(spy_BytesObject *b, spy_StrObject *encoding, const spy_Loc *loc);
/* s.split() (sep NULL) / s.split(sep): *pos starts at 0; each call returning true sets
 * *out to the next part; false when done. split("") raises ValueError on the first call. */
bool spy_str_split_next(spy_StrObject *s, spy_StrObject *sep, int32_t *pos, spy_StrObject **out,
                        const spy_Loc *loc);
spy_BytesObject *spy_bytes_add(spy_BytesObject *a, spy_BytesObject *b);
spy_BytesObject *spy_bytes_mul(spy_BytesObject *b, int32_t n);
uint8_t spy_bytes_getitem(spy_BytesObject *b, int32_t i, const spy_Loc *loc);
int32_t spy_builtins$_ord_str(spy_StrObject *s, const spy_Loc *loc);

/* ------------------------------------------------------------------ print */

/* Buffered stdout (stdlib/_print.spy writes str(x) with _stdout_write; a str goes out as
 * its raw bytes). spy_flush is called by the generated main at exit. */
void spy_flush(void);
void spy___spy__$_stdout_write(spy_StrObject *s);
void spy___spy__$_stderr_write(spy_StrObject *s); /* flushes stdout first */
_Noreturn void spy_posix$_exit(int32_t status);     /* flushes stdout, then exit(status) */

/* ------------------------------------------------------------------ range */


/* ------------------------------------------------------------------ math, time */

double spy__math_sqrt(double x, const spy_Loc *loc); /* every case */
/* sqrt inline for finite non-negative x, where it cannot fail */
static inline double spy_math$sqrt(double x, const spy_Loc *loc) {
    if (SPY_LIKELY(x >= 0.0 && x <= 1.7976931348623157e308)) return sqrt(x);
    return spy__math_sqrt(x, loc);
}
double spy_math$cos(double x, const spy_Loc *loc);
double spy_math$sin(double x, const spy_Loc *loc);
double spy_math$tan(double x, const spy_Loc *loc);
double spy_math$log(double x, const spy_Loc *loc);
double spy_math$log10(double x, const spy_Loc *loc);
double spy_math$exp(double x, const spy_Loc *loc);
double spy_math$acos(double x, const spy_Loc *loc);
double spy_math$asin(double x, const spy_Loc *loc);
double spy_math$atan(double x, const spy_Loc *loc);
double spy_math$ceil(double x, const spy_Loc *loc);
double spy_math$floor(double x, const spy_Loc *loc);
double spy_math$fabs(double x, const spy_Loc *loc);
double spy_math$atan2(double y, double x, const spy_Loc *loc);
double spy_math$pow(double x, double y, const spy_Loc *loc);

double spy_time$time(void);
void spy_time$sleep(double seconds);

/* ------------------------------------------------------------------ posix */

spy_FILE spy_posix$_fopen(spy_StrObject *path, spy_StrObject *mode, const spy_Loc *loc);
spy_StrObject *spy_posix$_fread(spy_FILE f, int32_t n, const spy_Loc *loc);
spy_StrObject *spy_posix$_freadline(spy_FILE f, const spy_Loc *loc);
spy_StrObject *spy_posix$_freadall(spy_FILE f, const spy_Loc *loc);
void spy_posix$_fwrite(spy_FILE f, spy_StrObject *s, const spy_Loc *loc);
void spy_posix$_fclose(spy_FILE f, const spy_Loc *loc);
int32_t spy_posix$_ftell(spy_FILE f, const spy_Loc *loc);
void spy_posix$_fseek(spy_FILE f, int32_t offset, int32_t whence, const spy_Loc *loc);
void spy_posix$_fflush(spy_FILE f, const spy_Loc *loc);
int32_t spy_posix$_fileno(spy_FILE f);
bool spy_posix$isatty(int32_t fd);
bool spy_posix$_isfile(spy_StrObject *path);
spy_StrObject *spy_posix$_getenv(spy_StrObject *name, spy_StrObject *default_);
void spy_posix$get_terminal_size(int32_t *cols, int32_t *rows);

bool spy___spy__$is_compiled(void);

/* ------------------------------------------------------------------ unsafe memory */

/* The checks of ops.rs `item()`: NULL, then index in [0, length). `what` is
 * "ptr_getitem", "ptr_store", "ptr_getfield" or "ptr_setfield". */
_Noreturn void spy_ptr_fail(const void *p, int32_t length, int32_t i, const char *what, const spy_Loc *loc);

/* Inline, because compiled code checks every pointer access: the test is two compares
 * and the failure is out of line. */
static inline void spy_ptr_check(const void *p, int32_t length, int32_t i, const char *what, const spy_Loc *loc) {
    if (SPY_UNLIKELY(p == NULL || i < 0 || i >= length)) spy_ptr_fail(p, length, i, what, loc);
}

/* spyboot's string building (ops.rs): copy a str's bytes into gc_ptr[u8] (p, length) at
 * `at`; a new str of the first n bytes of (p, length). PanicError when out of bounds. */
void spy_unsafe$_str_copy_into(uint8_t *p, int32_t length, int32_t at, spy_StrObject *s, const spy_Loc *loc);
spy_StrObject *spy_unsafe$_str_from_bytes(const uint8_t *p, int32_t length, int32_t n, const spy_Loc *loc);

/* The bulk helpers of `unsafe` (ir.rs MemOp), counts in items of `elem_size` bytes; each
 * pointer is (base, length in items). Checks and messages of the VM's vm/memory.rs run_mem_op. */
void spy_unsafe$ptr_copy(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                         size_t elem_size, const spy_Loc *loc);
void spy_unsafe$ptr_copy_slice(void *dst, int32_t dst_len, int32_t dst_start, int32_t dst_end,
                               const void *src, int32_t src_len, int32_t src_start, int32_t src_end,
                               size_t elem_size, const spy_Loc *loc);
void spy_unsafe$ptr_move(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                         size_t elem_size, const spy_Loc *loc);
void spy_unsafe$ptr_move_slice(void *dst, int32_t dst_len, int32_t dst_start, int32_t dst_end,
                               const void *src, int32_t src_len, int32_t src_start, int32_t src_end,
                               size_t elem_size, const spy_Loc *loc);
void spy_unsafe$ptr_setbytes(void *p, int32_t len, uint8_t byte, int32_t n, size_t elem_size,
                             const spy_Loc *loc);
void spy_unsafe$ptr_setbytes_slice(void *p, int32_t len, int32_t start, int32_t end, uint8_t byte,
                                   size_t elem_size, const spy_Loc *loc);
int32_t spy_unsafe$ptr_cmp(const void *a, int32_t a_len, const void *b, int32_t b_len, int32_t n,
                           size_t elem_size, const spy_Loc *loc);
int32_t spy_unsafe$ptr_cmp_slice(const void *a, int32_t a_len, int32_t a_start, int32_t a_end,
                                 const void *b, int32_t b_len, int32_t b_start, int32_t b_end,
                                 size_t elem_size, const spy_Loc *loc);
void spy_unsafe$memcpy(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                       size_t elem_size, const spy_Loc *loc);
void spy_unsafe$memmove(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                        size_t elem_size, const spy_Loc *loc);
void spy_unsafe$memset(void *p, int32_t len, uint8_t byte, int32_t n, size_t elem_size,
                       const spy_Loc *loc);
int32_t spy_unsafe$memcmp(const void *a, int32_t a_len, const void *b, int32_t b_len, int32_t n,
                          size_t elem_size, const spy_Loc *loc);

#endif /* SPY_H */
