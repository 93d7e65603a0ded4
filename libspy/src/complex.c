/* complex.c: str -> complex128 (ops.rs parse_complex), apart from format.c because it
 * is the one user of libc's strtod: a program that never parses a complex does not link
 * strtod (on wasi, strtod.o also drags in stdio's stderr and its exit-time flushing). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------------ str -> complex128 */

/* ops.rs float_prefix: the longest prefix of s[0:n] that is a Python float, copied into
 * `text` without its `_` separators (at most SPY_FMT_BUF - 1 bytes kept; longer digit
 * runs make the literal "malformed" rather than silently rounded). Returns the length
 * consumed, 0 when there is no float; *ok is false when `text` overflowed. */
static size_t float_prefix(const uint8_t *s, size_t n, char *text, bool *ok) {
    size_t i = 0, t = 0;
    *ok = true;
#define PUT(c) (t + 1 < SPY_FMT_BUF ? (void)(text[t++] = (char)(c)) : (void)(*ok = false))
    if (n > 0 && (s[0] == '+' || s[0] == '-')) PUT(s[i++]);
    static const char *const words[] = {"infinity", "inf", "nan"};
    for (int w = 0; w < 3; w++) {
        size_t len = strlen(words[w]), k = 0;
        while (k < len && i + k < n && (s[i + k] | 0x20) == words[w][k]) k++;
        if (k == len) {
            for (k = 0; k < len; k++) PUT(words[w][k]);
            text[t] = 0;
            return i + len;
        }
    }
    size_t count = 0;
    /* digits with `_` only between two digits */
#define DIGITS(counter)                                                                       \
    while (i < n) {                                                                           \
        if (s[i] >= '0' && s[i] <= '9') {                                                     \
            PUT(s[i]);                                                                        \
            counter++;                                                                        \
        } else if (!(s[i] == '_' && counter > 0 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')) \
            break;                                                                            \
        i++;                                                                                  \
    }
    size_t before = 0;
    DIGITS(before)
    count += before;
    if (i < n && s[i] == '.') {
        PUT('.');
        i++;
        size_t after = 0;
        DIGITS(after)
        count += after;
    }
    if (count == 0) return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t save_i = i, save_t = t, exp_digits = 0;
        PUT('e');
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) PUT(s[i++]);
        DIGITS(exp_digits)
        if (exp_digits == 0) {
            i = save_i;
            t = save_t;
        }
    }
#undef DIGITS
#undef PUT
    text[t] = 0;
    return i;
}

static bool is_j(uint8_t c) { return c == 'j' || c == 'J'; }

/* ops.rs parse_complex: Python's complex(str) (docs/spec/LANGUAGE.md §3.12). */
spy_Complex128 spy_operator$str_to_complex128(spy_StrObject *str, const spy_Loc *loc) {
    const uint8_t *s = str->utf8;
    size_t n = (size_t)str->length;
    while (n > 0 && spy_is_space(s[0])) s++, n--;
    while (n > 0 && spy_is_space(s[n - 1])) n--;
    if (n > 0 && s[0] == '(') {
        if (n < 2 || s[n - 1] != ')') goto malformed;
        s++, n -= 2;
        while (n > 0 && spy_is_space(s[0])) s++, n--;
        while (n > 0 && spy_is_space(s[n - 1])) n--;
    }
    char text[SPY_FMT_BUF];
    bool ok;
    size_t used = float_prefix(s, n, text, &ok);
    if (used == 0) {
        if (n == 1 && is_j(s[0])) return (spy_Complex128){0.0, 1.0};
        if (n == 2 && s[0] == '+' && is_j(s[1])) return (spy_Complex128){0.0, 1.0};
        if (n == 2 && s[0] == '-' && is_j(s[1])) return (spy_Complex128){0.0, -1.0};
        goto malformed;
    }
    if (!ok) goto malformed;
    double first = strtod(text, NULL);
    const uint8_t *rest = s + used;
    size_t rn = n - used;
    if (rn == 0) return (spy_Complex128){first, 0.0};
    if (rn == 1 && is_j(rest[0])) return (spy_Complex128){0.0, first};
    if (rest[0] == '+' || rest[0] == '-') {
        double sign = rest[0] == '-' ? -1.0 : 1.0;
        size_t used2 = float_prefix(rest, rn, text, &ok);
        if (used2 > 0 && ok && used2 + 1 == rn && is_j(rest[used2])) return (spy_Complex128){first, strtod(text, NULL)};
        if (used2 == 0 && rn == 2 && is_j(rest[1])) return (spy_Complex128){first, sign};
    }
malformed:
    spy_panic("ValueError", "complex() arg is a malformed string", loc);
}
