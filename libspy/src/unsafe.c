/* unsafe.c: the checks of pointer access and the bulk memory helpers of `unsafe`
 * (docs/spec/LANGUAGE.md §10.2-10.3), with the errors of the seed (ops.rs `item`, vm/memory.rs
 * `run_mem_op`). cwrite passes each pointer as (base, length in items). */
#include <string.h>

#include "internal.h"

/* The failure of spy_ptr_check (spy.h): NULL first, then out of bounds. */
void spy_ptr_fail(const void *p, int32_t length, int32_t i, const char *what, const spy_Loc *loc) {
    (void)length;
    (void)i;
    if (!p) spy_panic("PanicError", "cannot dereference NULL pointer", loc);
    char msg[96];
    size_t n = strlen(what);
    if (n > 64) n = 64;
    memcpy(msg, what, n);
    memcpy(msg + n, " out of bounds", 14);
    spy_panic_bytes("PanicError", (const uint8_t *)msg, n + 14, loc);
}

/* One operand: the pointer, its length, and the items [start, start + n) it touches. */
typedef struct {
    const void *p;
    int32_t len;
    int64_t start, n;
} Range;

static _Noreturn void fail(const char *name, const char *what, const spy_Loc *loc) {
    char msg[96];
    size_t a = strlen(name), b = strlen(what);
    memcpy(msg, name, a);
    memcpy(msg + a, what, b);
    spy_panic_bytes("PanicError", (const uint8_t *)msg, a + b, loc);
}

/* NULL, then bounds, operand by operand; a two-pointer error says which, except for
 * the comparisons ("ptr_copy dst out of bounds", "ptr_cmp out of bounds"). */
static void check(const char *name, const Range *r, int count, bool compares, const spy_Loc *loc) {
    for (int i = 0; i < count; i++) {
        if (!r[i].p) spy_panic("PanicError", "cannot dereference NULL pointer", loc);
        if (r[i].start < 0 || r[i].n < 0 || r[i].start + r[i].n > r[i].len) {
            const char *which = count == 1 || compares ? "" : i == 0 ? " dst" : " src";
            char what[32] = "";
            strcat(what, which);
            strcat(what, " out of bounds");
            fail(name, what, loc);
        }
    }
}

static const uint8_t *at(const Range *r, size_t elem_size) {
    return (const uint8_t *)r->p + (size_t)r->start * elem_size;
}

/* copy (overlap is an error) or move (overlap allowed, reads the old items). */
static void transfer(const char *name, bool copy, Range *r, size_t elem_size, const spy_Loc *loc) {
    check(name, r, 2, false, loc);
    size_t bytes = (size_t)r[0].n * elem_size;
    uint8_t *dst = (uint8_t *)at(&r[0], elem_size);
    const uint8_t *src = at(&r[1], elem_size);
    uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;
    if (copy && bytes > 0 && d < s + bytes && s < d + bytes) fail(name, " regions overlap", loc);
    if (bytes) memmove(dst, src, bytes);
}

/* Byte-wise comparison of the items: -1, 0 or 1. */
static int32_t compare(const char *name, Range *r, size_t elem_size, const spy_Loc *loc) {
    check(name, r, 2, true, loc);
    size_t bytes = (size_t)r[0].n * elem_size;
    int c = bytes ? memcmp(at(&r[0], elem_size), at(&r[1], elem_size), bytes) : 0;
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

static void fill(const char *name, Range *r, uint8_t byte, size_t elem_size, const spy_Loc *loc) {
    check(name, r, 1, false, loc);
    size_t bytes = (size_t)r[0].n * elem_size;
    if (bytes) memset((uint8_t *)at(&r[0], elem_size), byte, bytes);
}

/* The slice forms first check that both slices have the same length. */
static void slices(const char *name, Range *r, const void *a, int32_t a_len, int32_t as, int32_t ae,
                   const void *b, int32_t b_len, int32_t bs, int32_t be, const spy_Loc *loc) {
    if ((int64_t)ae - as != (int64_t)be - bs) fail(name, " length mismatch", loc);
    Range x = { a, a_len, as, (int64_t)ae - as }, y = { b, b_len, bs, (int64_t)be - bs };
    r[0] = x, r[1] = y;
}

#define PAIR(a, a_len, b, b_len, n)                                                          \
    Range r[2] = { { (a), (a_len), 0, (n) }, { (b), (b_len), 0, (n) } }

void spy_unsafe$ptr_copy(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                         size_t elem_size, const spy_Loc *loc) {
    PAIR(dst, dst_len, src, src_len, n);
    transfer("ptr_copy", true, r, elem_size, loc);
}

void spy_unsafe$ptr_move(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                         size_t elem_size, const spy_Loc *loc) {
    PAIR(dst, dst_len, src, src_len, n);
    transfer("ptr_move", false, r, elem_size, loc);
}

void spy_unsafe$memcpy(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                       size_t elem_size, const spy_Loc *loc) {
    PAIR(dst, dst_len, src, src_len, n);
    transfer("memcpy", true, r, elem_size, loc);
}

void spy_unsafe$memmove(void *dst, int32_t dst_len, const void *src, int32_t src_len, int32_t n,
                        size_t elem_size, const spy_Loc *loc) {
    PAIR(dst, dst_len, src, src_len, n);
    transfer("memmove", false, r, elem_size, loc);
}

void spy_unsafe$ptr_copy_slice(void *dst, int32_t dst_len, int32_t dst_start, int32_t dst_end,
                               const void *src, int32_t src_len, int32_t src_start, int32_t src_end,
                               size_t elem_size, const spy_Loc *loc) {
    Range r[2];
    slices("ptr_copy_slice", r, dst, dst_len, dst_start, dst_end, src, src_len, src_start, src_end, loc);
    transfer("ptr_copy_slice", true, r, elem_size, loc);
}

void spy_unsafe$ptr_move_slice(void *dst, int32_t dst_len, int32_t dst_start, int32_t dst_end,
                               const void *src, int32_t src_len, int32_t src_start, int32_t src_end,
                               size_t elem_size, const spy_Loc *loc) {
    Range r[2];
    slices("ptr_move_slice", r, dst, dst_len, dst_start, dst_end, src, src_len, src_start, src_end, loc);
    transfer("ptr_move_slice", false, r, elem_size, loc);
}

int32_t spy_unsafe$ptr_cmp(const void *a, int32_t a_len, const void *b, int32_t b_len, int32_t n,
                           size_t elem_size, const spy_Loc *loc) {
    PAIR(a, a_len, b, b_len, n);
    return compare("ptr_cmp", r, elem_size, loc);
}

int32_t spy_unsafe$memcmp(const void *a, int32_t a_len, const void *b, int32_t b_len, int32_t n,
                          size_t elem_size, const spy_Loc *loc) {
    PAIR(a, a_len, b, b_len, n);
    return compare("memcmp", r, elem_size, loc);
}

int32_t spy_unsafe$ptr_cmp_slice(const void *a, int32_t a_len, int32_t a_start, int32_t a_end,
                                 const void *b, int32_t b_len, int32_t b_start, int32_t b_end,
                                 size_t elem_size, const spy_Loc *loc) {
    Range r[2];
    slices("ptr_cmp_slice", r, a, a_len, a_start, a_end, b, b_len, b_start, b_end, loc);
    return compare("ptr_cmp_slice", r, elem_size, loc);
}

void spy_unsafe$ptr_setbytes(void *p, int32_t len, uint8_t byte, int32_t n, size_t elem_size,
                             const spy_Loc *loc) {
    Range r[1] = { { p, len, 0, n } };
    fill("ptr_setbytes", r, byte, elem_size, loc);
}

void spy_unsafe$memset(void *p, int32_t len, uint8_t byte, int32_t n, size_t elem_size, const spy_Loc *loc) {
    Range r[1] = { { p, len, 0, n } };
    fill("memset", r, byte, elem_size, loc);
}

void spy_unsafe$ptr_setbytes_slice(void *p, int32_t len, int32_t start, int32_t end, uint8_t byte,
                                   size_t elem_size, const spy_Loc *loc) {
    Range r[1] = { { p, len, start, (int64_t)end - start } };
    fill("ptr_setbytes_slice", r, byte, elem_size, loc);
}

/* ---- spyboot's string-building helpers (ops.rs str_copy_into / str_from_bytes) */

void spy_unsafe$_str_copy_into(uint8_t *p, int32_t length, int32_t at, spy_StrObject *s, const spy_Loc *loc) {
    Range r[1] = { { p, length, at, s->length } };
    check("_str_copy_into", r, 1, false, loc);
    memcpy(p + at, s->utf8, (size_t)s->length);
}

spy_StrObject *spy_unsafe$_str_from_bytes(const uint8_t *p, int32_t length, int32_t n, const spy_Loc *loc) {
    Range r[1] = { { p, length, 0, n } };
    check("_str_from_bytes", r, 1, false, loc);
    return spy_str_from(p, n);
}
