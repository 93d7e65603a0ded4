/* native.c: the target interface of internal.h for a POSIX host (tested on Linux/glibc).
 * Everything else in libspy is target-independent; another target's file beside this one
 * provides the same functions. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal.h"

#if defined(SPY_GC_BDWGC)
#include <gc.h>
#elif !defined(SPY_GC_NONE)
#error "define SPY_GC_BDWGC or SPY_GC_NONE"
#endif

#if defined(__SANITIZE_ADDRESS__) && defined(SPY_GC_NONE)
/* The sanitized variant (make native-sanitize) has no GC and so never frees, by design:
 * leaks are not errors there. ASan calls this hook at start-up. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }
#endif

void spy_target_init(void) {
#if defined(SPY_GC_BDWGC)
    GC_INIT();
#endif
    /* The seed ignores write errors on a closed pipe (Rust ignores SIGPIPE), so must we:
     * a write to a closed stdout fails quietly instead of killing the program. */
    signal(SIGPIPE, SIG_IGN);
    /* The generated main, _exit and panics flush stdout themselves; this also covers an
     * exit() from C code elsewhere. */
    atexit(spy_flush);
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
    exit(status); /* exit, not _exit: open FILEs are flushed */
}

void *spy_target_gc_alloc(size_t n) {
#if defined(SPY_GC_BDWGC)
    return GC_MALLOC(n); /* zeroed */
#else
    return calloc(1, n);
#endif
}

void *spy_target_gc_alloc_atomic(size_t n) {
#if defined(SPY_GC_BDWGC)
    /* Not scanned by the collector (string bytes are not pointers); not zeroed by it. */
    void *p = GC_MALLOC_ATOMIC(n);
    if (p) memset(p, 0, n);
    return p;
#else
    return calloc(1, n);
#endif
}

void *spy_target_raw_alloc(size_t n) {
#if defined(SPY_GC_BDWGC)
    /* Never collected, but scanned: raw memory may hold the only pointer to a gc object. */
    return GC_MALLOC_UNCOLLECTABLE(n);
#else
    return calloc(1, n);
#endif
}

double spy_target_time(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0.0;
    /* Rust's as_secs_f64: secs + nanos / 1e9 */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void spy_target_sleep(double seconds) {
    struct timespec ts, rem;
    double whole = floor(seconds);
    if (whole > 1e15) whole = 1e15; /* far beyond any real sleep; keeps time_t in range */
    ts.tv_sec = (time_t)whole;
    ts.tv_nsec = (long)((seconds - floor(seconds)) * 1e9);
    if (ts.tv_nsec > 999999999) ts.tv_nsec = 999999999;
    while (nanosleep(&ts, &rem) != 0 && errno == EINTR) ts = rem;
}

bool spy_target_isatty(int32_t fd) {
    return fd >= 0 && isatty(fd) == 1;
}

bool spy_target_terminal_size(int32_t *cols, int32_t *rows) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0) return false;
    *cols = ws.ws_col;
    *rows = ws.ws_row;
    return true;
}

bool spy_target_isfile(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *spy_target_getenv(const char *name) {
    return getenv(name);
}
