/* operator.c: the arithmetic that can fail or that C does not define (ops.rs int_arith,
 * float_arith, complex_arith). Integers wrap; `//` and `%` follow Python; shifts are
 * defined for every count (docs/spec/LANGUAGE.md §17 #2-#4). `unchecked_*` raise PanicError
 * where the checked operator raises ZeroDivisionError (ops.rs `Builtin::Unchecked`). */
#include <math.h>

#include "internal.h"

static const char ZDE[] = "ZeroDivisionError";
static const char PANIC[] = "PanicError";

/* ---------------------------------------------------------------- integers */

/* SIGNED is 1 for i8/i32/i64. Everything is computed in 64 bits, the shifts and the
 * power in uint64_t (truncation to the type's width commutes with + and *). */
#define INT_OPS(P, T, UT, BITS, SIGNED)                                                      \
    static double P##_div(T a, T b, const char *kind, const spy_Loc *loc) {                  \
        if (b == 0) spy_panic(kind, "division by zero", loc);                                 \
        return (double)a / (double)b;                                                        \
    }                                                                                        \
    static T P##_floordiv(T a, T b, const char *kind, const spy_Loc *loc) {                  \
        if (b == 0) spy_panic(kind, "integer division or modulo by zero", loc);               \
        if (SIGNED && b == (T)-1) return spy_operator$##P##_neg(a); /* MIN // -1 wraps */   \
        T q = (T)(a / b);                                                                    \
        if (SIGNED && a % b != 0 && ((a < (T)0) != (b < (T)0))) q = (T)(q - 1);              \
        return q;                                                                            \
    }                                                                                        \
    static T P##_mod(T a, T b, const char *kind, const spy_Loc *loc) {                       \
        if (b == 0) spy_panic(kind, "integer modulo by zero", loc);                           \
        if (SIGNED && b == (T)-1) return 0;                                                  \
        T r = (T)(a % b);                                                                    \
        if (SIGNED && r != 0 && ((r < (T)0) != (b < (T)0))) r = (T)(r + b);                  \
        return r;                                                                            \
    }                                                                                        \
    double spy_operator$##P##_div(T a, T b, const spy_Loc *loc) { return P##_div(a, b, ZDE, loc); } \
    T spy__##P##_floordiv(T a, T b, const spy_Loc *loc) { return P##_floordiv(a, b, ZDE, loc); } \
    T spy__##P##_mod(T a, T b, const spy_Loc *loc) { return P##_mod(a, b, ZDE, loc); }        \
    double spy_unsafe$##P##_unchecked_div(T a, T b, const spy_Loc *loc) {                    \
        return P##_div(a, b, PANIC, loc);                                                    \
    }                                                                                        \
    T spy_unsafe$##P##_unchecked_floordiv(T a, T b, const spy_Loc *loc) {                    \
        return P##_floordiv(a, b, PANIC, loc);                                               \
    }                                                                                        \
    T spy_unsafe$##P##_unchecked_mod(T a, T b, const spy_Loc *loc) {                         \
        return P##_mod(a, b, PANIC, loc);                                                    \
    }                                                                                        \
    T spy_operator$##P##_pow(T a, T b, const spy_Loc *loc) {                                 \
        if (SIGNED && b < (T)0) {                                                            \
            if (a == 0) spy_panic(ZDE, "0 cannot be raised to a negative power", loc);        \
            spy_panic("ValueError", "integer ** negative exponent", loc);                     \
        }                                                                                    \
        /* Repeated squaring, wrapping. */                                                   \
        uint64_t base = (uint64_t)(UT)a, exp = (uint64_t)(UT)b, acc = 1;                     \
        while (exp) {                                                                        \
            if (exp & 1) acc *= base;                                                        \
            base *= base;                                                                    \
            exp >>= 1;                                                                       \
        }                                                                                    \
        return (T)(UT)acc;                                                                   \
    }                                                                                        \
    T spy_operator$##P##_lshift(T a, T b, const spy_Loc *loc) {                              \
        if (SIGNED && b < (T)0) spy_panic("ValueError", "negative shift count", loc);         \
        if ((uint64_t)(UT)b >= BITS) return 0;                                               \
        return (T)(UT)((uint64_t)(UT)a << (uint64_t)(UT)b);                                  \
    }                                                                                        \
    T spy_operator$##P##_rshift(T a, T b, const spy_Loc *loc) {                              \
        if (SIGNED && b < (T)0) spy_panic("ValueError", "negative shift count", loc);         \
        bool neg = SIGNED && a < (T)0;                                                       \
        if ((uint64_t)(UT)b >= BITS) return neg ? (T)-1 : (T)0;                              \
        /* An arithmetic shift without relying on C's implementation-defined >> of a       \
         * negative number: shift the complement and complement back. */                   \
        uint64_t x = neg ? ~(uint64_t)(int64_t)a : (uint64_t)(UT)a;                          \
        x >>= (uint64_t)(UT)b;                                                               \
        return (T)(UT)(neg ? ~x : x);                                                        \
    }

/* -Wtype-limits would flag `b < 0` on the unsigned types; the SIGNED guards make those
 * comparisons dead code there. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wsign-compare"
#endif
INT_OPS(i8, int8_t, uint8_t, 8, 1)
INT_OPS(u8, uint8_t, uint8_t, 8, 0)
INT_OPS(i32, int32_t, uint32_t, 32, 1)
INT_OPS(u32, uint32_t, uint32_t, 32, 0)
INT_OPS(i64, int64_t, uint64_t, 64, 1)
INT_OPS(u64, uint64_t, uint64_t, 64, 0)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* ---------------------------------------------------------------- floats */

/* CPython's float_divmod: (floor quotient, modulo with the divisor's sign). */
static void float_divmod(double x, double y, double *floordiv, double *mod) {
    double m = fmod(x, y);
    double div = (x - m) / y;
    if (m != 0.0) {
        if ((y < 0.0) != (m < 0.0)) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = copysign(0.0, y);
    }
    double f;
    if (div != 0.0) {
        f = floor(div);
        if (div - f > 0.5) f += 1.0;
    } else {
        f = copysign(0.0, x / y);
    }
    *floordiv = f;
    *mod = m;
}

static double f64_div(double x, double y, const char *kind, const spy_Loc *loc) {
    if (y == 0.0) spy_panic(kind, "float division by zero", loc);
    return x / y;
}

static double f64_floordiv(double x, double y, const char *kind, const spy_Loc *loc) {
    if (y == 0.0) spy_panic(kind, "float floor division by zero", loc);
    double q, m;
    float_divmod(x, y, &q, &m);
    return q;
}

static double f64_mod(double x, double y, const char *kind, const spy_Loc *loc) {
    if (y == 0.0) spy_panic(kind, "float modulo by zero", loc);
    double q, m;
    float_divmod(x, y, &q, &m);
    return m;
}

double spy__f64_div(double a, double b, const spy_Loc *loc) { return f64_div(a, b, ZDE, loc); }
double spy_operator$f64_floordiv(double a, double b, const spy_Loc *loc) { return f64_floordiv(a, b, ZDE, loc); }
double spy_operator$f64_mod(double a, double b, const spy_Loc *loc) { return f64_mod(a, b, ZDE, loc); }
double spy_unsafe$f64_unchecked_div(double a, double b, const spy_Loc *loc) { return f64_div(a, b, PANIC, loc); }
double spy_unsafe$f64_unchecked_floordiv(double a, double b, const spy_Loc *loc) {
    return f64_floordiv(a, b, PANIC, loc);
}
double spy_unsafe$f64_unchecked_mod(double a, double b, const spy_Loc *loc) { return f64_mod(a, b, PANIC, loc); }

double spy_operator$f64_pow(double x, double y, const spy_Loc *loc) {
    if (x == 0.0 && y < 0.0) spy_panic(ZDE, "0.0 cannot be raised to a negative power", loc);
    if (x < 0.0 && isfinite(y) && y != trunc(y)) spy_panic("ValueError", "math domain error", loc);
    return pow(x, y);
}

/* f32: `/` in f32; `//`, `%` and `**` in f64, rounded back to f32 (as ops.rs). */
float spy__f32_div(float a, float b, const spy_Loc *loc) {
    if (b == 0.0f) spy_panic(ZDE, "float division by zero", loc);
    return a / b;
}
float spy_unsafe$f32_unchecked_div(float a, float b, const spy_Loc *loc) {
    if (b == 0.0f) spy_panic(PANIC, "float division by zero", loc);
    return a / b;
}
float spy_operator$f32_floordiv(float a, float b, const spy_Loc *loc) { return (float)f64_floordiv(a, b, ZDE, loc); }
float spy_operator$f32_mod(float a, float b, const spy_Loc *loc) { return (float)f64_mod(a, b, ZDE, loc); }
float spy_unsafe$f32_unchecked_floordiv(float a, float b, const spy_Loc *loc) {
    return (float)f64_floordiv(a, b, PANIC, loc);
}
float spy_unsafe$f32_unchecked_mod(float a, float b, const spy_Loc *loc) { return (float)f64_mod(a, b, PANIC, loc); }
float spy_operator$f32_pow(float a, float b, const spy_Loc *loc) { return (float)spy_operator$f64_pow(a, b, loc); }

/* ---------------------------------------------------------------- complex */

spy_Complex128 spy_operator$complex128_div(spy_Complex128 x, spy_Complex128 y, const spy_Loc *loc) {
    double a = x.real, b = x.imag, c = y.real, d = y.imag;
    if (c == 0.0 && d == 0.0) spy_panic(ZDE, "complex division by zero", loc);
    double den = c * c + d * d;
    spy_Complex128 r = { (a * c + b * d) / den, (b * c - a * d) / den };
    return r;
}
