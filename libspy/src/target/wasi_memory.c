/* wasi_memory.c: memcpy, memmove and memset of the wasi target as wasm's bulk-memory
 * instructions (memory.copy, memory.fill), which wasmtime runs as the host's own memmove
 * and memset. They replace wasi-libc's C loops (1.7 KB of code in every module). This
 * file is apart from wasi.c because clang-14 refuses bulk-memory code in a file that
 * touches the thread-local errno. */
#include <stddef.h>

#define BULK __attribute__((target("bulk-memory")))

BULK void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    __builtin_memcpy(dst, src, n);
    return dst;
}

BULK void *memmove(void *dst, const void *src, size_t n) {
    __builtin_memmove(dst, src, n);
    return dst;
}

BULK void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n);
    return dst;
}
