/* baremetal.c: the target interface of internal.h for a Cortex-M3 with no OS
 * (arm-none-eabi-gcc, picolibc, QEMU mps2-an385 with ARM semihosting; docs/toolchains.md §4),
 * built with `make -C libspy baremetal` into build/baremetal/libspy.a.
 * - Output: stdout and stderr are the host's own, through semihosting's ":tt" files
 *   (opened "w": host stdout, "a": host stderr), one SYS_WRITE per spy_target_write;
 *   libspy's stdout buffer (print.c) batches the writes.
 * - Memory: a bump allocator over the board's 16 MiB PSRAM at 0x21000000 (mps2-an385;
 *   the 4 MiB SRAM at 0x20000000 holds .data, .bss and the stack); nothing is ever
 *   freed (docs/targets.md).
 * - Time: the host's clock through semihosting (SYS_TIME seconds plus SYS_ELAPSED ticks).
 * - Exit: picolibc's exit(), which ends QEMU with the status (SYS_EXIT_EXTENDED). */
#include <semihost.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "../internal.h"

#if !defined(SPY_GC_NONE)
#error "the baremetal target has no garbage collector: build it with GC=none (SPY_GC_NONE)"
#endif

static int host_fd[3] = { -1, -1, -1 };

/* Opened first, so that they take semihosting's handles 1 and 2 and a file the program
 * opens gets 3 or more, as on POSIX (file.fileno() > 2). */
void spy_target_init(void) {
    host_fd[1] = sys_semihost_open(":tt", SH_OPEN_W);
    host_fd[2] = sys_semihost_open(":tt", SH_OPEN_A);
}

/* picolibc's semihosting crt0 calls main with a fixed "program-name" before the arguments
 * it got from the host; spy-bootstrap run-baremetal passes the real argv[0] as the first.
 * Programs are linked with -Wl,--wrap=main, so that the crt0 calls this instead. */
int __real_main(int argc, char **argv);
int __wrap_main(int argc, char **argv);
int __wrap_main(int argc, char **argv) {
    if (argc > 1) argc--, argv++;
    return __real_main(argc, argv);
}

void spy_target_write(int32_t fd, const void *p, size_t n) {
    if ((fd != 1 && fd != 2) || host_fd[fd] < 0 || n == 0) return;
    sys_semihost_write(host_fd[fd], p, n); /* output errors are not the program's concern */
}

_Noreturn void spy_target_exit(int32_t status) {
    exit(status);
}

/* ---- the bump allocator over the PSRAM: [HEAP_START, HEAP_END) */
#define HEAP_START ((uintptr_t)0x21000000u)
#define HEAP_END (HEAP_START + ((uintptr_t)16u << 20))
#define ALIGN 8u
static uintptr_t heap_next = HEAP_START;

static void *bump(size_t n) {
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n == 0 || n > HEAP_END - heap_next) return NULL;
    void *p = (void *)heap_next;
    heap_next += n;
    memset(p, 0, n); /* RAM is not zeroed by a reset */
    return p;
}

/* malloc and friends on the same heap, so that picolibc's allocator is not linked and
 * cannot hand out the same memory (fopen's buffers, posix.c's list). */
void *malloc(size_t n) {
    size_t *p = bump(n + ALIGN);
    if (!p) return NULL;
    *p = n;
    return (char *)p + ALIGN;
}

void *calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) return NULL;
    return malloc(count * size);
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

void *spy_target_gc_alloc(size_t n) {
    return bump(n);
}

void *spy_target_gc_alloc_atomic(size_t n) {
    return bump(n);
}

void *spy_target_raw_alloc(size_t n) {
    return bump(n);
}

/* ---- time: SYS_TIME is whole seconds; SYS_ELAPSED ticks (at SYS_TICKFREQ per second)
 * give the fraction, counted from the first call. */
static double clock_base = -1.0;
static uint64_t ticks_base;

static double elapsed(void) {
    int64_t freq = (int64_t)sys_semihost_tickfreq();
    if (freq <= 0) return 0.0;
    return (double)(sys_semihost_elapsed() - ticks_base) / (double)freq;
}

double spy_target_time(void) {
    if (clock_base < 0.0) {
        ticks_base = sys_semihost_elapsed();
        clock_base = (double)sys_semihost_time();
    }
    return clock_base + elapsed();
}

void spy_target_sleep(double seconds) {
    double until = spy_target_time() + seconds;
    while (spy_target_time() < until) {
    }
}

bool spy_target_isatty(int32_t fd) {
    (void)fd;
    return false; /* the semihosting console is never a terminal of the program's own */
}

bool spy_target_terminal_size(int32_t *cols, int32_t *rows) {
    (void)cols, (void)rows;
    return false;
}

/* Semihosting has no stat: a file is what opens for reading. The host opens a folder
 * too, and reads of it give no error, so a folder counts as a file here (docs/targets.md). */
bool spy_target_isfile(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return false;
    fclose(f);
    return true;
}

/* The board has no environment. */
const char *spy_target_getenv(const char *name) {
    (void)name;
    return NULL;
}
