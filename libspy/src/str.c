/* str.c: str and bytes (docs/spec/LANGUAGE.md §13.1-13.2), as ops.rs and repr.rs do them.
 * Strings are immutable byte sequences; results are fresh objects except where the
 * result equals an argument, which is then returned itself. */
#include <string.h>

#include "internal.h"

static uint8_t *bytes_of(spy_StrObject *s) { return (uint8_t *)(s + 1); } /* of a fresh str */

/* ---------------------------------------------------------------- equality, hash */

static bool same_bytes(spy_StrObject *a, spy_StrObject *b) {
    return a->length == b->length && (a->length == 0 || memcmp(a->utf8, b->utf8, (size_t)a->length) == 0);
}

bool spy_operator$str_eq(spy_StrObject *a, spy_StrObject *b) { return same_bytes(a, b); }
bool spy_operator$str_ne(spy_StrObject *a, spy_StrObject *b) { return !same_bytes(a, b); }
bool spy_operator$bytes_eq(spy_BytesObject *a, spy_BytesObject *b) { return same_bytes(a, b); }
bool spy_operator$bytes_ne(spy_BytesObject *a, spy_BytesObject *b) { return !same_bytes(a, b); }

/* FNV-1a with -1 -> -2 and 0 -> 1 (ops.rs fnv1a). Not cached in the object: literals
 * may live in read-only memory. */
static int32_t fnv1a(spy_StrObject *s) {
    uint32_t h = 2166136261u;
    for (int32_t i = 0; i < s->length; i++) {
        h ^= s->utf8[i];
        h *= 16777619u;
    }
    int32_t x = (int32_t)h;
    return x == -1 ? -2 : x == 0 ? 1 : x;
}

int32_t spy_builtins$hash_str(spy_StrObject *s) { return s->hash ? s->hash : fnv1a(s); }
int32_t spy_builtins$hash_bytes(spy_BytesObject *b) { return b->hash ? b->hash : fnv1a(b); }

/* ---------------------------------------------------------------- UTF-8, repr */

/* Length of the valid UTF-8 sequence at p[0..n), or 0 when invalid; *bad is then the
 * number of bytes Rust's from_utf8_lossy replaces with one U+FFFD (the maximal prefix
 * of a valid sequence, at least one byte). */
static int utf8_seq(const uint8_t *p, int32_t n, int *bad) {
    uint8_t b = p[0];
    int width;
    uint8_t lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
    if (b < 0x80) return 1;
    if (b >= 0xc2 && b <= 0xdf) {
        width = 2;
    } else if (b >= 0xe0 && b <= 0xef) {
        width = 3;
        if (b == 0xe0) lo = 0xa0;
        if (b == 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        width = 4;
        if (b == 0xf0) lo = 0x90;
        if (b == 0xf4) hi = 0x8f;
    } else {
        *bad = 1;
        return 0;
    }
    for (int i = 1; i < width; i++) {
        bool ok = i < n && (i == 1 ? p[i] >= lo && p[i] <= hi : p[i] >= 0x80 && p[i] <= 0xbf);
        if (!ok) {
            *bad = i;
            return 0;
        }
    }
    return width;
}

static bool valid_utf8(const uint8_t *p, int32_t n) {
    for (int32_t i = 0; i < n;) {
        int bad, w = utf8_seq(p + i, n - i, &bad);
        if (!w) return false;
        i += w;
    }
    return true;
}

/* String::from_utf8_lossy into out (when non-NULL); returns the length. */
static int32_t utf8_lossy(const uint8_t *p, int32_t n, uint8_t *out) {
    int32_t len = 0;
    for (int32_t i = 0; i < n;) {
        int bad, w = utf8_seq(p + i, n - i, &bad);
        if (w) {
            if (out) memcpy(out + len, p + i, (size_t)w);
            len += w, i += w;
        } else {
            if (out) memcpy(out + len, "\xef\xbf\xbd", 3);
            len += 3, i += bad;
        }
    }
    return len;
}

static spy_StrObject *lossy(spy_StrObject *s) {
    if (valid_utf8(s->utf8, s->length)) return s;
    spy_StrObject *r = spy_str_alloc(utf8_lossy(s->utf8, s->length, NULL));
    utf8_lossy(s->utf8, s->length, bytes_of(r));
    return r;
}

spy_StrObject *spy_builtins$str$__str__(spy_StrObject *s) { return lossy(s); }

/* repr.rs str_repr: quoted with ', or " when the text has a ' and no "; backslash, the
 * quote, \n \r \t escaped; other bytes below 0x20 as \xNN; the rest copied. */
static int32_t str_repr_into(const uint8_t *p, int32_t n, uint8_t *out) {
    bool single = memchr(p, '\'', (size_t)n) != NULL, dbl = memchr(p, '"', (size_t)n) != NULL;
    uint8_t quote = single && !dbl ? '"' : '\'';
    static const char hex[] = "0123456789abcdef";
    int32_t len = 0;
#define PUT(c) (out ? (void)(out[len] = (uint8_t)(c)) : (void)0, len++)
    PUT(quote);
    for (int32_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '\\') PUT('\\'), PUT('\\');
        else if (c == '\n') PUT('\\'), PUT('n');
        else if (c == '\r') PUT('\\'), PUT('r');
        else if (c == '\t') PUT('\\'), PUT('t');
        else if (c == quote) PUT('\\'), PUT(c);
        else if (c < 0x20) PUT('\\'), PUT('x'), PUT(hex[c >> 4]), PUT(hex[c & 15]);
        else PUT(c);
    }
    PUT(quote);
#undef PUT
    return len;
}

spy_StrObject *spy_str_repr_bytes(const uint8_t *p, int32_t n) {
    spy_StrObject tmp = { n, 0, p };
    spy_StrObject *text = lossy(&tmp);
    spy_StrObject *r = spy_str_alloc(str_repr_into(text->utf8, text->length, NULL));
    str_repr_into(text->utf8, text->length, bytes_of(r));
    return r;
}

spy_StrObject *spy_builtins$str$__repr__(spy_StrObject *s) { return spy_str_repr_bytes(s->utf8, s->length); }

/* repr.rs bytes_repr: b'...', backslash, ', \n \r \t escaped, bytes outside 0x20-0x7e
 * as \xNN. str() of bytes is the same. */
static int32_t bytes_repr_into(const uint8_t *p, int32_t n, uint8_t *out) {
    static const char hex[] = "0123456789abcdef";
    int32_t len = 0;
#define PUT(c) (out ? (void)(out[len] = (uint8_t)(c)) : (void)0, len++)
    PUT('b'), PUT('\'');
    for (int32_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '\\') PUT('\\'), PUT('\\');
        else if (c == '\'') PUT('\\'), PUT('\'');
        else if (c == '\n') PUT('\\'), PUT('n');
        else if (c == '\r') PUT('\\'), PUT('r');
        else if (c == '\t') PUT('\\'), PUT('t');
        else if (c >= 0x20 && c <= 0x7e) PUT(c);
        else PUT('\\'), PUT('x'), PUT(hex[c >> 4]), PUT(hex[c & 15]);
    }
    PUT('\'');
#undef PUT
    return len;
}

spy_StrObject *spy_builtins$bytes$__repr__(spy_BytesObject *b) {
    spy_StrObject *r = spy_str_alloc(bytes_repr_into(b->utf8, b->length, NULL));
    bytes_repr_into(b->utf8, b->length, bytes_of(r));
    return r;
}

spy_StrObject *spy_builtins$bytes$__str__(spy_BytesObject *b) { return spy_builtins$bytes$__repr__(b); }

/* ---------------------------------------------------------------- operators */

static spy_StrObject *concat(spy_StrObject *a, spy_StrObject *b) {
    if (b->length == 0) return a;
    if (a->length == 0) return b;
    if (a->length > INT32_MAX - b->length) spy_out_of_memory();
    spy_StrObject *r = spy_str_alloc(a->length + b->length);
    memcpy(bytes_of(r), a->utf8, (size_t)a->length);
    memcpy(bytes_of(r) + a->length, b->utf8, (size_t)b->length);
    return r;
}

static spy_StrObject *repeat(spy_StrObject *s, int32_t n) {
    if (n == 1) return s;
    if (n <= 0 || s->length == 0) return spy_str_alloc(0);
    if (s->length > INT32_MAX / n) spy_out_of_memory();
    spy_StrObject *r = spy_str_alloc(s->length * n);
    for (int32_t i = 0; i < n; i++) memcpy(bytes_of(r) + (size_t)i * (size_t)s->length, s->utf8, (size_t)s->length);
    return r;
}

spy_StrObject *spy_str_add(spy_StrObject *a, spy_StrObject *b) { return concat(a, b); }
spy_StrObject *spy_str_mul(spy_StrObject *s, int32_t n) { return repeat(s, n); }
spy_BytesObject *spy_bytes_add(spy_BytesObject *a, spy_BytesObject *b) { return concat(a, b); }
spy_BytesObject *spy_bytes_mul(spy_BytesObject *b, int32_t n) { return repeat(b, n); }

/* Python indexing: a negative index counts from the end; -1 when out of range. */
static int32_t index_of(int32_t len, int32_t i) {
    int64_t j = i < 0 ? (int64_t)i + len : i;
    return j >= 0 && j < len ? (int32_t)j : -1;
}

/* The one-byte strings s[i] returns: static, built on first use. */
static spy_StrObject one_byte[256];
static uint8_t one_byte_data[256];
static bool one_byte_ready;

static spy_StrObject *byte_str(uint8_t b) {
    if (!one_byte_ready) {
        for (int i = 0; i < 256; i++) {
            one_byte_data[i] = (uint8_t)i;
            one_byte[i].length = 1;
            one_byte[i].hash = 0;
            one_byte[i].utf8 = &one_byte_data[i];
        }
        one_byte_ready = true;
    }
    return &one_byte[b];
}

spy_StrObject *spy_str_getitem(spy_StrObject *s, int32_t i, const spy_Loc *loc) {
    int32_t j = index_of(s->length, i);
    if (j < 0) spy_panic("IndexError", "string index out of bound", loc);
    return byte_str(s->utf8[j]);
}

uint8_t spy_bytes_getitem(spy_BytesObject *b, int32_t i, const spy_Loc *loc) {
    int32_t j = index_of(b->length, i);
    if (j < 0) spy_panic("PanicError", "ptr_getitem out of bounds", loc);
    return b->utf8[j];
}

int32_t spy_builtins$_ord_str(spy_StrObject *s, const spy_Loc *loc) {
    if (s->length == 0) spy_panic("TypeError", "ord() expected a character, but string of length 0 found", loc);
    return s->utf8[0];
}

/* First index >= from where sub occurs in s[0..end), or -1. */
static int32_t find_from(const uint8_t *s, int32_t end, const uint8_t *sub, int32_t m, int32_t from) {
    if (m == 0) return from <= end ? from : -1;
    for (int32_t i = from; i + m <= end; i++) {
        if (s[i] == sub[0] && memcmp(s + i, sub, (size_t)m) == 0) return i;
    }
    return -1;
}

bool spy_str_contains(spy_StrObject *s, spy_StrObject *sub) {
    return find_from(s->utf8, s->length, sub->utf8, sub->length, 0) >= 0;
}

/* CPython's slice.indices (ops.rs slice_indices), then every step-th byte. */
spy_StrObject *spy_str_slice(spy_StrObject *s, int32_t start, int32_t start_is_none, int32_t stop,
                             int32_t stop_is_none, int32_t step, int32_t step_is_none,
                             const spy_Loc *loc) {
    int64_t len = s->length;
    int64_t st = step_is_none ? 1 : step;
    if (st == 0) spy_panic("ValueError", "slice step cannot be zero", loc);
    int64_t lower = st < 0 ? -1 : 0, upper = st < 0 ? len - 1 : len;
#define CLAMP(i) ((i) < 0 ? ((i) + len > lower ? (i) + len : lower) : ((i) < upper ? (i) : upper))
    int64_t a = start_is_none ? (st < 0 ? upper : lower) : CLAMP((int64_t)start);
    int64_t b = stop_is_none ? (st < 0 ? lower : upper) : CLAMP((int64_t)stop);
#undef CLAMP
    int64_t n = 0;
    if (st > 0 && a < b) n = (b - a + st - 1) / st;
    if (st < 0 && a > b) n = (a - b + (-st) - 1) / (-st);
    if (st == 1 && n == len) return s;
    spy_StrObject *r = spy_str_alloc((int32_t)n);
    uint8_t *out = bytes_of(r);
    for (int64_t i = 0, j = a; i < n; i++, j += st) out[i] = s->utf8[j];
    return r;
}

spy_StrObject *spy_str_upper(spy_StrObject *s) {
    spy_StrObject *r = spy_str_alloc(s->length);
    uint8_t *out = bytes_of(r);
    for (int32_t i = 0; i < s->length; i++) {
        uint8_t c = s->utf8[i];
        out[i] = c >= 'a' && c <= 'z' ? (uint8_t)(c - 32) : c; /* ASCII only, as the seed */
    }
    return r;
}

bool spy_str_isascii(spy_StrObject *s) {
    for (int32_t i = 0; i < s->length; i++) {
        if (s->utf8[i] >= 0x80) return false;
    }
    return true;
}

bool spy_str_isspace(spy_StrObject *s) {
    if (s->length == 0) return false;
    for (int32_t i = 0; i < s->length; i++) {
        if (!spy_is_space(s->utf8[i])) return false;
    }
    return true;
}

/* Every non-overlapping occurrence, left to right; an empty `old` inserts `new` around
 * every byte (ops.rs replace). Two passes: measure, then fill. */
static int64_t replace_into(spy_StrObject *s, spy_StrObject *old, spy_StrObject *new_, uint8_t *out) {
    int64_t len = 0;
    int32_t n = s->length, m = old->length, k = new_->length;
#define EMIT(p, c) (out ? (void)memcpy(out + len, (p), (size_t)(c)) : (void)0, len += (c))
    if (m == 0) {
        for (int32_t i = 0; i < n; i++) {
            EMIT(new_->utf8, k);
            EMIT(s->utf8 + i, 1);
        }
        EMIT(new_->utf8, k);
        return len;
    }
    int32_t i = 0;
    while (i < n) {
        int32_t j = find_from(s->utf8, n, old->utf8, m, i);
        if (j < 0) j = n;
        EMIT(s->utf8 + i, j - i);
        if (j == n) break;
        EMIT(new_->utf8, k);
        i = j + m;
    }
#undef EMIT
    return len;
}

spy_StrObject *spy_str_replace(spy_StrObject *s, spy_StrObject *old, spy_StrObject *new_) {
    int64_t len = replace_into(s, old, new_, NULL);
    if (len > INT32_MAX) spy_out_of_memory();
    spy_StrObject *r = spy_str_alloc((int32_t)len);
    replace_into(s, old, new_, bytes_of(r));
    return r;
}

/* str.find/count bounds: negative counts from the end, clamped to [0, len]. */
static int64_t adjust(int64_t i, int64_t len) {
    if (i < 0) return i + len > 0 ? i + len : 0;
    return i < len ? i : len;
}

int32_t spy_str_find(spy_StrObject *s, spy_StrObject *sub, int32_t start, int32_t end, bool has_end) {
    int64_t len = s->length;
    int64_t a = adjust(start, len), b = has_end ? adjust(end, len) : len;
    /* Python: find("") at start returns start, unless start is past the end. */
    if ((int64_t)start > len || a > b) return -1;
    return find_from(s->utf8, (int32_t)b, sub->utf8, sub->length, (int32_t)a);
}

int32_t spy_str_count(spy_StrObject *s, spy_StrObject *sub, int32_t start, int32_t end, bool has_end) {
    int64_t len = s->length;
    int64_t a = adjust(start, len), b = has_end ? adjust(end, len) : len;
    if (a > b) return 0;
    if (sub->length == 0) return (int32_t)(b - a + 1);
    int32_t n = 0;
    for (int32_t i = (int32_t)a; (i = find_from(s->utf8, (int32_t)b, sub->utf8, sub->length, i)) >= 0;) {
        n++;
        i += sub->length;
    }
    return n;
}

static void check_encoding(spy_StrObject *enc, const spy_Loc *loc) {
    if (!(enc->length == 5 && memcmp(enc->utf8, "utf-8", 5) == 0))
        spy_panic("ValueError", "only 'utf-8' encoding is supported", loc);
}

/* Same bytes, other type: str and bytes share their layout and are immutable. */
spy_BytesObject *spy_str_encode(spy_StrObject *s, spy_StrObject *encoding, const spy_Loc *loc) {
    check_encoding(encoding, loc);
    return s;
}

spy_StrObject *spy_bytes_decode(spy_BytesObject *b, spy_StrObject *encoding, const spy_Loc *loc) {
    check_encoding(encoding, loc);
    return b;
}

/* ---------------------------------------------------------------- split */

static spy_StrObject *substr(spy_StrObject *s, int32_t a, int32_t b) {
    if (a == 0 && b == s->length) return s;
    return spy_str_from(s->utf8 + a, b - a);
}

/* split(): runs of whitespace separate, no part is empty (ops.rs split_whitespace).
 * split(sep): Python's (ops.rs split_on); *pos -1 once the last part is out. */
bool spy_str_split_next(spy_StrObject *s, spy_StrObject *sep, int32_t *pos, spy_StrObject **out,
                        const spy_Loc *loc) {
    int32_t i = *pos, n = s->length;
    if (sep == NULL) {
        if (i < 0) return false;
        while (i < n && spy_is_space(s->utf8[i])) i++;
        if (i >= n) {
            *pos = -1;
            return false;
        }
        int32_t j = i;
        while (j < n && !spy_is_space(s->utf8[j])) j++;
        *out = substr(s, i, j);
        *pos = j;
        return true;
    }
    if (sep->length == 0) spy_panic("ValueError", "empty separator", loc);
    if (i < 0) return false;
    int32_t j = find_from(s->utf8, n, sep->utf8, sep->length, i);
    if (j < 0) {
        *out = substr(s, i, n);
        *pos = -1;
    } else {
        *out = substr(s, i, j);
        *pos = j + sep->length;
    }
    return true;
}
