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
 * - Exit: picolibc's exit(), which ends QEMU with the status (SYS_EXIT_EXTENDED).
 * - Stack: the linker's __stack_size below the top of the SRAM (seed/src/cbuild.rs); its
 *   lowest 64 KiB are a no-access MPU region, so that an overflow faults instead of
 *   running into .bss. The fault reports a RecursionError, as the call-depth limit does. */
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
static void stack_guard_init(void);

void spy_target_init(void) {
    host_fd[1] = sys_semihost_open(":tt", SH_OPEN_W);
    host_fd[2] = sys_semihost_open(":tt", SH_OPEN_A);
    stack_guard_init();
}

/* ---- the stack guard: the Cortex-M3's MPU (PMSAv7, which QEMU emulates) makes the
 * lowest GUARD bytes of the stack region no-access. An overflow into it is a MemManage
 * fault; its handler moves sp back to the top of the stack (the program never returns
 * from it) and stops the program with a RecursionError reported at `main`, the same
 * message and status 1 as the call-depth limit (SPY_ENTER) and the interpreter. Any
 * other fault goes on to picolibc's handler (the registers, then exit 1). */
#define REG(addr) (*(volatile uint32_t *)(addr))
#define SCB_VTOR REG(0xE000ED08u)
#define SCB_SHCSR REG(0xE000ED24u)
#define SCB_CFSR REG(0xE000ED28u)
#define SCB_MMFAR REG(0xE000ED34u)
#define MPU_TYPE REG(0xE000ED90u)
#define MPU_CTRL REG(0xE000ED94u)
#define MPU_RNR REG(0xE000ED98u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR REG(0xE000EDA0u)
#define GUARD ((uint32_t)64u << 10)
#define GUARD_LOG2 16u

extern char __stack[];    /* picolibc.ld: the top of the stack (the end of the SRAM) */
extern char __stack_size[]; /* the linker's (cbuild.rs): its address is the stack's size */
extern char __end[];        /* picolibc.ld: the end of .data, .bss and TLS */
extern const spy_Loc *spy_main_loc; /* the program's: where a RecursionError is reported */

static uint32_t guard_base;
/* The vector table, copied to the SRAM with our fault handlers (VTOR needs 128-byte
 * alignment for 16 entries; no interrupt is ever enabled, so 16 are enough). */
static uint32_t vectors[16] __attribute__((aligned(128)));
uint32_t spy_fault_next; /* picolibc's HardFault handler, for the faults that are not ours */

/* Called on the fresh stack with the sp of the fault; returns if it is not an overflow. */
void spy_fault(uint32_t sp);
void spy_fault(uint32_t sp) {
    uint32_t cfsr = SCB_CFSR;
    bool stacking = (cfsr & 0x10u) != 0;                           /* MSTKERR */
    bool data = (cfsr & 0x82u) == 0x82u && SCB_MMFAR - guard_base < GUARD; /* DACCVIOL+MMARVALID */
    bool near = sp - guard_base < GUARD + 64u;
    if (guard_base && (stacking || data || near)) {
        MPU_CTRL = 0; /* the panic's own frames are on the fresh stack; nothing can hit it now */
        spy_panic("RecursionError", "maximum recursion depth exceeded", spy_main_loc);
    }
}

__attribute__((naked)) static void fault_entry(void) {
    __asm volatile(
        "mov r0, sp\n\t"
        "ldr r1, =__stack\n\t"
        "mov sp, r1\n\t"
        "push {r0, lr}\n\t"
        "bl spy_fault\n\t"
        "pop {r0, r1}\n\t"
        "mov sp, r0\n\t"
        "mov lr, r1\n\t"
        "ldr r0, =spy_fault_next\n\t"
        "ldr r0, [r0]\n\t"
        "bx r0\n\t"
        ".ltorg\n\t");
}

static void stack_guard_init(void) {
    uint32_t bottom = (uint32_t)(uintptr_t)__stack - (uint32_t)(uintptr_t)__stack_size;
    uint32_t base = (bottom + GUARD - 1u) & ~(GUARD - 1u);
    if (base < (uint32_t)(uintptr_t)__end)
        spy_panic("PanicError", "the program's data does not fit below its stack", NULL);
    if ((MPU_TYPE >> 8 & 0xFFu) == 0 || base + GUARD > (uint32_t)(uintptr_t)__stack) return;
    const uint32_t *old = (const uint32_t *)(uintptr_t)SCB_VTOR;
    for (int i = 0; i < 16; i++) vectors[i] = old[i];
    spy_fault_next = old[3];
    vectors[3] = vectors[4] = (uint32_t)(uintptr_t)&fault_entry; /* HardFault, MemManage */
    SCB_VTOR = (uint32_t)(uintptr_t)vectors;
    MPU_RNR = 0;
    MPU_RBAR = base;
    /* XN, AP=000 (no access, even privileged), SIZE = log2 - 1, enabled */
    MPU_RASR = (1u << 28) | ((GUARD_LOG2 - 1u) << 1) | 1u;
    SCB_SHCSR |= 1u << 16; /* MEMFAULTENA: a MemManage fault, not an escalated HardFault */
    MPU_CTRL = 5u;         /* PRIVDEFENA (the default map elsewhere) | ENABLE */
    __asm volatile("dsb\n\tisb" ::: "memory");
    guard_base = base;
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
