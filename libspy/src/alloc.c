/* alloc.c: the allocators behind gc_alloc, raw_alloc and str (docs/spec/BACKEND.md §5, §8.3).
 * Memory is always zeroed: the seed zeroes fresh memory, and so programs that read it
 * before writing print the same thing in both. */
#include <string.h>

#include "internal.h"

void *spy_gc_alloc(size_t n) {
    /* A zero-size block is still a distinct non-NULL pointer, as in the seed. */
    void *p = spy_target_gc_alloc(n ? n : 1);
    if (!p) spy_out_of_memory();
    return p;
}

void *spy_raw_alloc(size_t n) {
    void *p = spy_target_raw_alloc(n ? n : 1);
    if (!p) spy_out_of_memory();
    return p;
}

static size_t items_size(int32_t n, size_t elem_size, const spy_Loc *loc) {
    if (n < 0) spy_panic("PanicError", "negative allocation size", loc);
    if (elem_size && (size_t)n > SIZE_MAX / elem_size) spy_out_of_memory();
    return (size_t)n * elem_size;
}

void *spy_gc_alloc_items(int32_t n, size_t elem_size, const spy_Loc *loc) {
    return spy_gc_alloc(items_size(n, elem_size, loc));
}

void *spy_raw_alloc_items(int32_t n, size_t elem_size, const spy_Loc *loc) {
    return spy_raw_alloc(items_size(n, elem_size, loc));
}

spy_StrObject *spy_str_alloc(int32_t n) {
    if (n < 0) n = 0;
    /* One block: the header, then the bytes. Its only pointer points into itself, so the
     * collector need not scan it; pointers into the bytes keep it alive (Boehm's
     * interior pointers are on by default). */
    spy_StrObject *s = spy_target_gc_alloc_atomic(sizeof(spy_StrObject) + (size_t)n);
    if (!s) spy_out_of_memory();
    s->length = n;
    s->hash = 0;
    s->utf8 = (const uint8_t *)(s + 1);
    return s;
}

spy_StrObject *spy_str_from(const uint8_t *p, int32_t n) {
    spy_StrObject *s = spy_str_alloc(n);
    if (n > 0) memcpy((uint8_t *)(s + 1), p, (size_t)n);
    return s;
}

spy_StrObject *spy_str_new_cstr(const char *c) {
    return spy_str_from((const uint8_t *)c, (int32_t)strlen(c));
}
