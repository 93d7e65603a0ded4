/* format.c: numbers as text, byte for byte as the seed prints them
 * (ops.rs to_str / format_g / complex_str, repr.rs float_repr). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int spy_fmt_u64(uint64_t x, char *buf) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

int spy_fmt_i64(int64_t x, char *buf) {
    if (x < 0) {
        buf[0] = '-';
        return 1 + spy_fmt_u64((uint64_t)0 - (uint64_t)x, buf + 1);
    }
    return spy_fmt_u64((uint64_t)x, buf);
}

/* nan, inf, -inf; 0 when x is finite. */
static int fmt_special(double x, char *buf) {
    if (x != x) return (memcpy(buf, "nan", 3), 3);
    if (x == INFINITY) return (memcpy(buf, "inf", 3), 3);
    if (x == -INFINITY) return (memcpy(buf, "-inf", 4), 4);
    return 0;
}

/* `e-05`, `e+16`, `e+308`: the exponent has at least two digits. */
static int fmt_exponent(int32_t exp, char *buf) {
    int n = 0;
    buf[n++] = 'e';
    buf[n++] = exp < 0 ? '-' : '+';
    if (exp < 0) exp = -exp;
    if (exp < 10) buf[n++] = '0';
    return n + spy_fmt_i64(exp, buf + n);
}

/* repr.rs float_repr_with: the shortest round-trip digits, fixed notation for decimal
 * exponents in [-4, 16) (with `.0` on integral values when force_point), else
 * scientific. */
int spy_fmt_f64(double x, bool force_point, char *buf) {
    int n = fmt_special(x, buf);
    if (n) return n;
    char digits[32];
    int nd;
    int32_t exp;
    if (signbit(x)) buf[n++] = '-';
    if (x == 0) {
        digits[0] = '0', nd = 1, exp = 0;
    } else {
        int32_t k;
        nd = spy_dtoa_shortest(fabs(x), digits, &k);
        exp = k - 1;
    }
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            buf[n++] = '0', buf[n++] = '.';
            for (int i = 0; i < -exp - 1; i++) buf[n++] = '0';
            memcpy(buf + n, digits, (size_t)nd), n += nd;
        } else {
            int int_len = exp + 1;
            if (nd <= int_len) {
                memcpy(buf + n, digits, (size_t)nd), n += nd;
                for (int i = nd; i < int_len; i++) buf[n++] = '0';
                if (force_point) buf[n++] = '.', buf[n++] = '0';
            } else {
                memcpy(buf + n, digits, (size_t)int_len), n += int_len;
                buf[n++] = '.';
                memcpy(buf + n, digits + int_len, (size_t)(nd - int_len)), n += nd - int_len;
            }
        }
    } else {
        buf[n++] = digits[0];
        if (nd > 1) {
            buf[n++] = '.';
            memcpy(buf + n, digits + 1, (size_t)(nd - 1)), n += nd - 1;
        }
        n += fmt_exponent(exp, buf + n);
    }
    return n;
}

/* Removes trailing zeros, then a trailing point, from a number with a point. */
static int trim_fraction(const char *buf, int start, int n) {
    bool point = memchr(buf + start, '.', (size_t)(n - start)) != NULL;
    if (!point) return n;
    while (buf[n - 1] == '0') n--;
    if (buf[n - 1] == '.') n--;
    return n;
}

/* ops.rs format_g, C's `%.<digits>g`: `digits` significant digits rounded half to even
 * (Rust's exact formatting), trailing zeros removed, scientific when the exponent
 * after rounding is < -4 or >= digits. */
int spy_fmt_g(double x, int digits, char *buf) {
    int n = fmt_special(x, buf);
    if (n) return n;
    if (signbit(x)) buf[n++] = '-';
    if (x == 0) {
        buf[n++] = '0';
        return n;
    }
    char d[32];
    int32_t k;
    spy_dtoa_exact(fabs(x), digits, d, &k);
    int32_t exp = k - 1;
    int start = n;
    if (exp < -4 || exp >= digits) {
        buf[n++] = d[0];
        buf[n++] = '.';
        memcpy(buf + n, d + 1, (size_t)(digits - 1)), n += digits - 1;
        n = trim_fraction(buf, start, n);
        n += fmt_exponent(exp, buf + n);
    } else if (exp < 0) {
        /* `{:.decimals}` with decimals = digits - 1 - exp shows exactly these digits. */
        buf[n++] = '0', buf[n++] = '.';
        for (int i = 0; i < -exp - 1; i++) buf[n++] = '0';
        memcpy(buf + n, d, (size_t)digits), n += digits;
        n = trim_fraction(buf, start, n);
    } else {
        memcpy(buf + n, d, (size_t)(exp + 1)), n += exp + 1;
        buf[n++] = '.';
        memcpy(buf + n, d + exp + 1, (size_t)(digits - 1 - exp)), n += digits - 1 - exp;
        n = trim_fraction(buf, start, n);
    }
    return n;
}

/* float_repr without a final `.0` (complex parts). */
static int fmt_part(double x, char *buf) {
    int n = spy_fmt_f64(x, true, buf);
    if (n >= 2 && buf[n - 2] == '.' && buf[n - 1] == '0') n -= 2;
    return n;
}

/* Python's str(complex): `3j`, `(1+2j)`, `(-0-1j)`. */
int spy_fmt_complex(spy_Complex128 c, char *buf) {
    int n = 0;
    if (c.real == 0 && !signbit(c.real)) {
        n = fmt_part(c.imag, buf);
        buf[n++] = 'j';
        return n;
    }
    buf[n++] = '(';
    n += fmt_part(c.real, buf + n);
    bool neg = c.imag < 0 || (c.imag == 0 && signbit(c.imag)) || (c.imag != c.imag && signbit(c.imag));
    buf[n++] = neg ? '-' : '+';
    n += fmt_part(fabs(c.imag), buf + n);
    buf[n++] = 'j';
    buf[n++] = ')';
    return n;
}

/* ---------------------------------------------------------------- parsing */

/* The magnitude of a decimal literal, `huge` when it exceeds u64. */
typedef struct {
    bool neg, huge;
    uint64_t mag;
    int32_t start, end; /* the text without the surrounding whitespace */
} Decimal;

static _Noreturn void invalid_literal(spy_StrObject *text, const spy_Loc *loc) {
    static const char prefix[] = "invalid literal for int() with base 10: ";
    spy_StrObject *shown = spy_str_repr_bytes(text->utf8, text->length);
    size_t n = sizeof prefix - 1;
    spy_StrObject *msg = spy_str_alloc((int32_t)(n + (size_t)shown->length));
    memcpy((uint8_t *)(msg + 1), prefix, n);
    memcpy((uint8_t *)(msg + 1) + n, shown->utf8, (size_t)shown->length);
    spy_panic_str("ValueError", msg, loc);
}

/* ops.rs parse_int's grammar (Python's int()): surrounding whitespace, one sign, digits
 * with single `_` between them. */
static Decimal parse_decimal(spy_StrObject *text, const spy_Loc *loc) {
    const uint8_t *t = text->utf8;
    int32_t start = 0, end = text->length;
    while (start < end && spy_is_space(t[start])) start++;
    while (end > start && spy_is_space(t[end - 1])) end--;
    Decimal d = { false, false, 0, start, end };
    int32_t i = start;
    if (i < end && (t[i] == '-' || t[i] == '+')) d.neg = t[i++] == '-';
    if (i == end || t[i] == '_' || t[end - 1] == '_') invalid_literal(text, loc);
    bool prev_underscore = false;
    for (; i < end; i++) {
        uint8_t c = t[i];
        if (c >= '0' && c <= '9') {
            unsigned digit = (unsigned)(c - '0');
            if (d.mag > (UINT64_MAX - digit) / 10) d.huge = true;
            else d.mag = d.mag * 10 + digit;
            prev_underscore = false;
        } else if (c == '_' && !prev_underscore) {
            prev_underscore = true;
        } else {
            invalid_literal(text, loc);
        }
    }
    return d;
}

/* OverflowError "<type> value <value> out of range [<min>, <max>]"; a value beyond u64
 * is shown as written (without a leading +), the others normalised. */
static _Noreturn void out_of_range(const char *name, spy_StrObject *text, Decimal d, const char *min,
                                   const char *max, const spy_Loc *loc) {
    const uint8_t *shown;
    size_t shown_len;
    char num[SPY_FMT_BUF];
    if (d.huge) {
        shown = text->utf8 + d.start, shown_len = (size_t)(d.end - d.start);
        while (shown_len && *shown == '+') shown++, shown_len--;
    } else {
        int m = 0;
        if (d.neg && d.mag) num[m++] = '-';
        m += spy_fmt_u64(d.mag, num + m);
        shown = (const uint8_t *)num, shown_len = (size_t)m;
    }
    const char *parts[] = { name, " value ", NULL, " out of range [", min, ", ", max, "]" };
    size_t len = 0;
    for (int i = 0; i < 8; i++) len += parts[i] ? strlen(parts[i]) : shown_len;
    spy_StrObject *msg = spy_str_alloc((int32_t)len);
    uint8_t *out = (uint8_t *)(msg + 1);
    for (int i = 0; i < 8; i++) {
        size_t k = parts[i] ? strlen(parts[i]) : shown_len;
        memcpy(out, parts[i] ? (const uint8_t *)parts[i] : shown, k);
        out += k;
    }
    spy_panic_str("OverflowError", msg, loc);
}

/* str_to_<int>: the value, or the errors of ops.rs parse_int. */
#define PARSE_INT(P, T, UT, MIN, MAX, MIN_TEXT, MAX_TEXT)                                    \
    T spy_operator$str_to_##P(spy_StrObject *s, const spy_Loc *loc) {                       \
        Decimal d = parse_decimal(s, loc);                                                   \
        /* the magnitudes the type holds: MAX, and -MIN for negatives */                    \
        uint64_t limit = d.neg ? (uint64_t)0 - (uint64_t)(int64_t)(MIN) : (uint64_t)(MAX);   \
        if (d.huge || d.mag > limit) out_of_range(#P, s, d, MIN_TEXT, MAX_TEXT, loc);        \
        return (T)(UT)(d.neg ? (uint64_t)0 - d.mag : d.mag);                                 \
    }
PARSE_INT(i8, int8_t, uint8_t, INT8_MIN, INT8_MAX, "-128", "127")
PARSE_INT(u8, uint8_t, uint8_t, 0, UINT8_MAX, "0", "255")
PARSE_INT(i32, int32_t, uint32_t, INT32_MIN, INT32_MAX, "-2147483648", "2147483647")
PARSE_INT(u32, uint32_t, uint32_t, 0, UINT32_MAX, "0", "4294967295")
PARSE_INT(i64, int64_t, uint64_t, INT64_MIN, INT64_MAX, "-9223372036854775808", "9223372036854775807")
PARSE_INT(u64, uint64_t, uint64_t, 0, UINT64_MAX, "0", "18446744073709551615")
