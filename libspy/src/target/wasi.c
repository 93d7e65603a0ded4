/* wasi.c: the target interface of internal.h for wasm32-wasi (WASI preview 1, wasi-libc),
 * built with `make -C libspy wasi` (clang-14 --target=wasm32-wasi) into
 * build/wasi/libspy.a. Differences from native.c:
 * - No garbage collector: Boehm GC cannot scan the wasm stack (locals live outside
 *   linear memory). libspy's allocations come from a bump allocator over pages fresh
 *   from memory.grow (zeroed by wasm), and nothing is ever freed: the heap only grows,
 *   up to 4 GiB (docs/targets.md). wasi-libc's malloc (fopen's buffers) takes its own
 *   pages with memory.grow too, so the two never share a page.
 * - No signals and no terminal: isatty is whatever wasi-libc says of the fd, and there is
 *   no window size.
 * - Output and traps: a wasm trap (out-of-bounds access, stack overflow, the runner's
 *   timeout) ends the module without running exit handlers, and what is still buffered
 *   is lost. Nothing of libspy's is buffered in stdio: stdout and stderr go through
 *   spy_target_write (fd_write), libspy's own stdout buffer is flushed by every exit
 *   path and by a panic before its message (panic.c), and files opened by the program
 *   are flushed after each write (posix.c); exit() flushes stdio once more. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal.h"

#if !defined(SPY_GC_NONE)
#error "the wasi target has no garbage collector: build it with GC=none (SPY_GC_NONE)"
#endif

/* No atexit(spy_flush) as on native: every exit of a SPy program flushes already (the
 * generated main, _exit, panics), and atexit costs 0.4 KB of code in every module. */
/* The runner preopens `/` and passes our folder as PWD (wasm-runner/src/main.rs): with it
 * as the current folder, relative paths resolve as they do natively. */
void spy_target_init(void) {
    const char *pwd = getenv("PWD");
    if (pwd && pwd[0] == '/') (void)chdir(pwd);
}

void spy_target_write(int32_t fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* output errors are not the program's concern (as the seed) */
        c += w, n -= (size_t)w;
    }
}

_Noreturn void spy_target_exit(int32_t status) {
    exit(status); /* flushes stdio if the program used it, then proc_exit */
}

/* ---- the bump allocator: [next, end) is the rest of the pages taken last. */
#define PAGE 65536u
#define ALIGN 16u        /* as malloc's: enough for any C type, and for i64/f64 */
#define MIN_GROW 16u     /* pages (1 MiB) taken at a time, at least */
static uintptr_t next, end;

__attribute__((noinline)) static void *bump(size_t n) {
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n == 0) return NULL; /* the size overflowed */
    if (n > end - next) {
        size_t pages = n / PAGE + 1;
        bool own = pages > MIN_GROW; /* a big block gets pages of its own */
        if (!own) pages = MIN_GROW;
        size_t old = __builtin_wasm_memory_grow(0, pages);
        if (old == (size_t)-1) return NULL;
        if (own) return (void *)((uintptr_t)old * PAGE);
        /* What is left of the last chunk (less than one block) is given up. */
        next = (uintptr_t)old * PAGE;
        end = next + pages * PAGE;
    }
    void *p = (void *)next;
    next += n;
    return p; /* zeroed: memory.grow's pages are, and nothing is ever handed back */
}

/* malloc and friends for wasi-libc (argv, fopen's FILEs and buffers, posix.c's list)
 * and for the program, on the same pages: defining them here keeps dlmalloc (8 KB of
 * code) out of every module. A block remembers its size (in the ALIGN bytes before it)
 * for realloc; free does nothing. */
void *malloc(size_t n) {
    size_t *p = bump(n + ALIGN);
    if (!p) return NULL;
    *p = n;
    return (char *)p + ALIGN;
}

void *calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) return NULL;
    return malloc(count * size); /* zeroed */
}

void *realloc(void *old, size_t n) {
    if (!old) return malloc(n);
    size_t had = *(size_t *)((char *)old - ALIGN);
    if (n <= had) return old;
    void *p = malloc(n);
    if (p) memcpy(p, old, had);
    return p;
}

void free(void *p) {
    (void)p;
}

/* The rest of what dlmalloc.o defines, so that nothing pulls it in (wasi-libc's atexit
 * calls __libc_calloc). */
void *__libc_malloc(size_t n) { return malloc(n); }
void *__libc_calloc(size_t count, size_t size) { return calloc(count, size); }
void __libc_free(void *p) { (void)p; }
size_t malloc_usable_size(void *p) { return p ? *(size_t *)((char *)p - ALIGN) : 0; }

void *aligned_alloc(size_t align, size_t n) {
    if (align <= ALIGN) return malloc(n);
    if (align & (align - 1) || n > SIZE_MAX - align) return NULL;
    char *p = malloc(n + align);
    if (!p) return NULL;
    char *q = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
    *(size_t *)(q - ALIGN) = n; /* inside the block when q > p, p's own header when q == p */
    return q;
}

int posix_memalign(void **out, size_t align, size_t n) {
    if (align < sizeof(void *) || align & (align - 1)) return EINVAL;
    void *p = aligned_alloc(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

void *spy_target_gc_alloc(size_t n) {
    return bump(n);
}

void *spy_target_gc_alloc_atomic(size_t n) {
    return bump(n);
}

void *spy_target_raw_alloc(size_t n) {
    return bump(n);
}

double spy_target_time(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void spy_target_sleep(double seconds) {
    struct timespec ts, rem;
    double whole = floor(seconds);
    if (whole > 1e15) whole = 1e15;
    ts.tv_sec = (time_t)whole;
    ts.tv_nsec = (long)((seconds - floor(seconds)) * 1e9);
    if (ts.tv_nsec > 999999999) ts.tv_nsec = 999999999;
    while (nanosleep(&ts, &rem) != 0 && errno == EINTR) ts = rem;
}

bool spy_target_isatty(int32_t fd) {
    return fd >= 0 && isatty(fd) == 1;
}

bool spy_target_terminal_size(int32_t *cols, int32_t *rows) {
    (void)cols, (void)rows;
    return false;
}

bool spy_target_isfile(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *spy_target_getenv(const char *name) {
    return getenv(name);
}
