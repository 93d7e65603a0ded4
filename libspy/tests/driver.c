/* driver.c: runs libspy functions on commands read from stdin, one per line, and
 * prints one result line per command, for stage-tests/tests/libspy.rs, which computes
 * the same results with the seed and compares.
 *
 * Arguments: integers in decimal, floats as the hex of their bits, byte strings in hex
 * (`-` is the empty string). Results: `= <value>` or `! <hex of "Kind: message">`.
 * Values: integers in decimal, bool 1/0, `d:<16 hex>` (f64), `f:<8 hex>` (f32), `nan`,
 * `c:<re>:<im>` (complex, parts as f64), `s:<hex>` (str or bytes), `l:<hex>.<hex>...`
 * (a list of str).
 *
 * Errors do not exit: this file defines libspy's panic functions itself (so the linker
 * does not take panic.o from libspy.a) and jumps back to the command loop. */
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------------- output */

static void out(const char *s) { spy_out_write(s, strlen(s)); }

static void out_hex(const uint8_t *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        char c[2] = { hex[p[i] >> 4], hex[p[i] & 15] };
        spy_out_write(c, 2);
    }
}

static jmp_buf on_panic;

_Noreturn void spy_panic_bytes(const char *etype, const uint8_t *msg, size_t n, const spy_Loc *loc) {
    (void)loc;
    out("! ");
    out_hex((const uint8_t *)etype, strlen(etype));
    out_hex((const uint8_t *)": ", 2);
    out_hex(msg, n);
    out("\n");
    longjmp(on_panic, 1);
}

_Noreturn void spy_panic(const char *etype, const char *msg, const spy_Loc *loc) {
    spy_panic_bytes(etype, (const uint8_t *)msg, strlen(msg), loc);
}

_Noreturn void spy_panic_str(const char *etype, spy_StrObject *msg, const spy_Loc *loc) {
    spy_panic_bytes(etype, msg->utf8, (size_t)msg->length, loc);
}

_Noreturn void spy_out_of_memory(void) { spy_panic("PanicError", "out of memory", NULL); }

static void val_int(int64_t x) {
    char b[32];
    snprintf(b, sizeof b, "= %" PRId64 "\n", x);
    out(b);
}

static void val_uint(uint64_t x) {
    char b[32];
    snprintf(b, sizeof b, "= %" PRIu64 "\n", x);
    out(b);
}

static void put_f64(double x) {
    char b[32];
    uint64_t bits;
    memcpy(&bits, &x, 8);
    if (x != x) snprintf(b, sizeof b, "nan");
    else snprintf(b, sizeof b, "d:%016" PRIx64, bits);
    out(b);
}

static void val_f64(double x) { out("= "), put_f64(x), out("\n"); }

static void val_f32(float x) {
    char b[32];
    uint32_t bits;
    memcpy(&bits, &x, 4);
    if (x != x) snprintf(b, sizeof b, "= nan\n");
    else snprintf(b, sizeof b, "= f:%08" PRIx32 "\n", bits);
    out(b);
}

static void val_c128(spy_Complex128 c) {
    out("= c:"), put_f64(c.real), out(":"), put_f64(c.imag), out("\n");
}

static void val_str(spy_StrObject *s) { out("= s:"), out_hex(s->utf8, (size_t)s->length), out("\n"); }

/* ---------------------------------------------------------------- input */

#define MAX_ARGS 16
static char *arg[MAX_ARGS];
static int nargs;

static int64_t I(int i) { return strtoll(arg[i], NULL, 10); }
static uint64_t U(int i) { return strtoull(arg[i], NULL, 10); }

static double D(int i) {
    uint64_t bits = strtoull(arg[i], NULL, 16);
    double x;
    memcpy(&x, &bits, 8);
    return x;
}

static float F(int i) {
    uint32_t bits = (uint32_t)strtoul(arg[i], NULL, 16);
    float x;
    memcpy(&x, &bits, 4);
    return x;
}

/* A hex argument as a fresh str. */
static spy_StrObject *S(int i) {
    const char *h = arg[i];
    if (strcmp(h, "-") == 0) return spy_str_alloc(0);
    int32_t n = (int32_t)(strlen(h) / 2);
    spy_StrObject *s = spy_str_alloc(n);
    for (int32_t k = 0; k < n; k++) {
        unsigned v;
        sscanf(h + 2 * k, "%2x", &v);
        ((uint8_t *)(s + 1))[k] = (uint8_t)v;
    }
    return s;
}

static bool is(int i, const char *s) { return i < nargs && strcmp(arg[i], s) == 0; }

static const spy_Loc LOC = { "test.spy", 1, "x" };

/* ---------------------------------------------------------------- dispatch by type */

/* Calls X(P, T, READ, VAL) for the integer type named by arg[i]. */
#define INT_TYPES(X)                                                                         \
    X(i8, int8_t, (int8_t)I, val_int)                                                        \
    X(u8, uint8_t, (uint8_t)U, val_uint)                                                     \
    X(i32, int32_t, (int32_t)I, val_int)                                                     \
    X(u32, uint32_t, (uint32_t)U, val_uint)                                                  \
    X(i64, int64_t, (int64_t)I, val_int)                                                     \
    X(u64, uint64_t, U, val_uint)

static void cmd_int(const char *op, const char *p) {
#define ARITH(P, T, R, V)                                                                    \
    if (strcmp(p, #P) == 0) {                                                                \
        T a = R(3), b = nargs > 4 ? R(4) : 0;                                                \
        if (!strcmp(op, "add")) V(spy_operator$##P##_add(a, b));                             \
        else if (!strcmp(op, "sub")) V(spy_operator$##P##_sub(a, b));                        \
        else if (!strcmp(op, "mul")) V(spy_operator$##P##_mul(a, b));                        \
        else if (!strcmp(op, "and")) V(spy_operator$##P##_and(a, b));                        \
        else if (!strcmp(op, "or")) V(spy_operator$##P##_or(a, b));                          \
        else if (!strcmp(op, "xor")) V(spy_operator$##P##_xor(a, b));                        \
        else if (!strcmp(op, "div")) val_f64(spy_operator$##P##_div(a, b, &LOC));            \
        else if (!strcmp(op, "floordiv")) V(spy_operator$##P##_floordiv(a, b, &LOC));        \
        else if (!strcmp(op, "mod")) V(spy_operator$##P##_mod(a, b, &LOC));                  \
        else if (!strcmp(op, "pow")) V(spy_operator$##P##_pow(a, b, &LOC));                  \
        else if (!strcmp(op, "lshift")) V(spy_operator$##P##_lshift(a, b, &LOC));            \
        else if (!strcmp(op, "rshift")) V(spy_operator$##P##_rshift(a, b, &LOC));            \
        else if (!strcmp(op, "udiv")) val_f64(spy_unsafe$##P##_unchecked_div(a, b, &LOC));   \
        else if (!strcmp(op, "ufloordiv")) V(spy_unsafe$##P##_unchecked_floordiv(a, b, &LOC)); \
        else if (!strcmp(op, "umod")) V(spy_unsafe$##P##_unchecked_mod(a, b, &LOC));         \
        else if (!strcmp(op, "neg")) V(spy_operator$##P##_neg(a));                           \
        else if (!strcmp(op, "hash")) val_int(spy_builtins$hash_##P(a));                     \
        else if (!strcmp(op, "str")) val_str(spy_builtins$##P##$__str__(a));                 \
        else if (!strcmp(op, "repr")) val_str(spy_builtins$##P##$__repr__(a));               \
        else if (!strcmp(op, "eq")) val_int(spy_operator$##P##_eq(a, b));                    \
        else if (!strcmp(op, "ne")) val_int(spy_operator$##P##_ne(a, b));                    \
        else if (!strcmp(op, "lt")) val_int(spy_operator$##P##_lt(a, b));                    \
        else if (!strcmp(op, "le")) val_int(spy_operator$##P##_le(a, b));                    \
        else if (!strcmp(op, "gt")) val_int(spy_operator$##P##_gt(a, b));                    \
        else if (!strcmp(op, "ge")) val_int(spy_operator$##P##_ge(a, b));                    \
        else out("? unknown op\n");                                                        \
        return;                                                                              \
    }
    INT_TYPES(ARITH)
    out("? unknown type\n");
}

static void cmd_float(const char *op, const char *p) {
#define FARITH(P, T, R, V)                                                                   \
    if (strcmp(p, #P) == 0) {                                                                \
        T a = R(3), b = nargs > 4 ? R(4) : 0;                                                \
        if (!strcmp(op, "add")) V(spy_operator$##P##_add(a, b));                             \
        else if (!strcmp(op, "sub")) V(spy_operator$##P##_sub(a, b));                        \
        else if (!strcmp(op, "mul")) V(spy_operator$##P##_mul(a, b));                        \
        else if (!strcmp(op, "div")) V(spy_operator$##P##_div(a, b, &LOC));                  \
        else if (!strcmp(op, "floordiv")) V(spy_operator$##P##_floordiv(a, b, &LOC));        \
        else if (!strcmp(op, "mod")) V(spy_operator$##P##_mod(a, b, &LOC));                  \
        else if (!strcmp(op, "pow")) V(spy_operator$##P##_pow(a, b, &LOC));                  \
        else if (!strcmp(op, "udiv")) V(spy_unsafe$##P##_unchecked_div(a, b, &LOC));         \
        else if (!strcmp(op, "ufloordiv")) V(spy_unsafe$##P##_unchecked_floordiv(a, b, &LOC)); \
        else if (!strcmp(op, "umod")) V(spy_unsafe$##P##_unchecked_mod(a, b, &LOC));         \
        else if (!strcmp(op, "ieee")) V(spy_unsafe$##P##_ieee754_div(a, b));                 \
        else if (!strcmp(op, "neg")) V(spy_operator$##P##_neg(a));                           \
        else if (!strcmp(op, "str")) val_str(spy_builtins$##P##$__str__(a));                 \
        else if (!strcmp(op, "repr")) val_str(spy_builtins$##P##$__repr__(a));               \
        else if (!strcmp(op, "eq")) val_int(spy_operator$##P##_eq(a, b));                    \
        else if (!strcmp(op, "ne")) val_int(spy_operator$##P##_ne(a, b));                    \
        else if (!strcmp(op, "lt")) val_int(spy_operator$##P##_lt(a, b));                    \
        else if (!strcmp(op, "le")) val_int(spy_operator$##P##_le(a, b));                    \
        else if (!strcmp(op, "gt")) val_int(spy_operator$##P##_gt(a, b));                    \
        else if (!strcmp(op, "ge")) val_int(spy_operator$##P##_ge(a, b));                    \
        else out("? unknown op\n");                                                        \
        return;                                                                              \
    }
    FARITH(f32, float, F, val_f32)
    FARITH(f64, double, D, val_f64)
    out("? unknown type\n");
}

/* conv FROM TO VALUE */
static void cmd_conv(void) {
    const char *from = arg[1], *to = arg[2];
#define TO_ALL(F, x)                                                                         \
    if (!strcmp(to, "i8")) val_int(spy_operator$##F##_to_i8(x));                             \
    else if (!strcmp(to, "u8")) val_uint(spy_operator$##F##_to_u8(x));                       \
    else if (!strcmp(to, "i32")) val_int(spy_operator$##F##_to_i32(x));                      \
    else if (!strcmp(to, "u32")) val_uint(spy_operator$##F##_to_u32(x));                     \
    else if (!strcmp(to, "i64")) val_int(spy_operator$##F##_to_i64(x));                      \
    else if (!strcmp(to, "u64")) val_uint(spy_operator$##F##_to_u64(x));                     \
    else if (!strcmp(to, "f64")) val_f64(spy_operator$##F##_to_f64(x));                      \
    else if (!strcmp(to, "f32")) val_f32(spy_operator$##F##_to_f32(x));                      \
    else if (!strcmp(to, "complex128")) val_c128(spy_operator$##F##_to_complex128(x));
#define CONV_INT(P, T, R, V)                                                                 \
    if (!strcmp(from, #P)) {                                                                 \
        T x = R(3);                                                                          \
        TO_ALL(P, x) else if (!strcmp(to, "bool")) val_int(spy_operator$##P##_to_bool(x));   \
        return;                                                                              \
    }
    INT_TYPES(CONV_INT)
    if (!strcmp(from, "bool")) {
        bool x = I(3) != 0;
        TO_ALL(bool, x) else if (!strcmp(to, "bool")) val_int(spy_operator$bool_to_bool(x));
        return;
    }
    if (!strcmp(from, "f64")) {
        double x = D(3);
        TO_ALL(f64, x)
        return;
    }
    if (!strcmp(from, "f32")) {
        float x = F(3);
        TO_ALL(f32, x)
        return;
    }
    out("? unknown conversion\n");
}

static void cmd_parse(void) {
    spy_StrObject *s = S(2);
#define PARSE(P, T, R, V)                                                                    \
    if (!strcmp(arg[1], #P)) {                                                               \
        V(spy_operator$str_to_##P(s, &LOC));                                                 \
        return;                                                                              \
    }
    INT_TYPES(PARSE)
    out("? unknown type\n");
}

/* ---------------------------------------------------------------- memory */

/* Two blocks of 16 items each, i32 and u8, reset before every command:
 * A[i] = i + 1, B[i] = 101 + i. A pointer is `A:offset:len`, `B:offset:len` or `N`. */
static int32_t A32[16], B32[16];
static uint8_t A8[16], B8[16];

static void reset_blocks(void) {
    for (int i = 0; i < 16; i++) A32[i] = i + 1, B32[i] = 101 + i, A8[i] = (uint8_t)(i + 1), B8[i] = (uint8_t)(101 + i);
}

static void *ptr_arg(int i, bool bytes, int32_t *len) {
    if (arg[i][0] == 'N') return *len = 0, NULL;
    int off = atoi(arg[i] + 2);
    *len = atoi(strchr(arg[i] + 2, ':') + 1);
    if (bytes) return (arg[i][0] == 'A' ? A8 : B8) + off;
    return (arg[i][0] == 'A' ? A32 : B32) + off;
}

static void dump_blocks(bool bytes, int64_t result) {
    char b[32];
    snprintf(b, sizeof b, "= %" PRId64 ":", result);
    out(b);
    for (int i = 0; i < 16; i++) {
        snprintf(b, sizeof b, "%d,", bytes ? A8[i] : A32[i]);
        out(b);
    }
    for (int i = 0; i < 16; i++) {
        snprintf(b, sizeof b, "%d,", bytes ? B8[i] : B32[i]);
        out(b);
    }
    out("\n");
}

/* mem OP args... in the order of MemOp::signature; the item type is u8 for the byte
 * helpers (memcpy...), i32 for the others. */
static void cmd_mem(void) {
    const char *op = arg[1];
    bool bytes = !strncmp(op, "mem", 3);
    size_t es = bytes ? 1 : 4;
    int32_t la, lb;
    int64_t result = 0;
    reset_blocks();
    if (!strcmp(op, "ptr_copy") || !strcmp(op, "ptr_move") || !strcmp(op, "ptr_cmp") || !strcmp(op, "memcpy") ||
        !strcmp(op, "memmove") || !strcmp(op, "memcmp")) {
        void *a = ptr_arg(2, bytes, &la), *b = ptr_arg(3, bytes, &lb);
        int32_t n = (int32_t)I(4);
        if (!strcmp(op, "ptr_copy")) spy_unsafe$ptr_copy(a, la, b, lb, n, es, &LOC);
        if (!strcmp(op, "ptr_move")) spy_unsafe$ptr_move(a, la, b, lb, n, es, &LOC);
        if (!strcmp(op, "ptr_cmp")) result = spy_unsafe$ptr_cmp(a, la, b, lb, n, es, &LOC);
        if (!strcmp(op, "memcpy")) spy_unsafe$memcpy(a, la, b, lb, n, es, &LOC);
        if (!strcmp(op, "memmove")) spy_unsafe$memmove(a, la, b, lb, n, es, &LOC);
        if (!strcmp(op, "memcmp")) result = spy_unsafe$memcmp(a, la, b, lb, n, es, &LOC);
    } else if (!strcmp(op, "ptr_copy_slice") || !strcmp(op, "ptr_move_slice") || !strcmp(op, "ptr_cmp_slice")) {
        void *a = ptr_arg(2, bytes, &la), *b = ptr_arg(5, bytes, &lb);
        int32_t as = (int32_t)I(3), ae = (int32_t)I(4), bs = (int32_t)I(6), be = (int32_t)I(7);
        if (!strcmp(op, "ptr_copy_slice")) spy_unsafe$ptr_copy_slice(a, la, as, ae, b, lb, bs, be, es, &LOC);
        if (!strcmp(op, "ptr_move_slice")) spy_unsafe$ptr_move_slice(a, la, as, ae, b, lb, bs, be, es, &LOC);
        if (!strcmp(op, "ptr_cmp_slice")) result = spy_unsafe$ptr_cmp_slice(a, la, as, ae, b, lb, bs, be, es, &LOC);
    } else if (!strcmp(op, "ptr_setbytes") || !strcmp(op, "memset")) {
        void *a = ptr_arg(2, bytes, &la);
        if (!strcmp(op, "memset")) spy_unsafe$memset(a, la, (uint8_t)I(3), (int32_t)I(4), es, &LOC);
        else spy_unsafe$ptr_setbytes(a, la, (uint8_t)I(3), (int32_t)I(4), es, &LOC);
    } else if (!strcmp(op, "ptr_setbytes_slice")) {
        void *a = ptr_arg(2, bytes, &la);
        spy_unsafe$ptr_setbytes_slice(a, la, (int32_t)I(3), (int32_t)I(4), (uint8_t)I(5), es, &LOC);
    } else {
        out("? unknown memop\n");
        return;
    }
    dump_blocks(bytes, result);
}

/* ---------------------------------------------------------------- files */

static spy_FILE files[8];

static void cmd_file(void) {
    const char *op = arg[0];
    spy_FILE *f = &files[atoi(arg[1]) & 7];
    if (!strcmp(op, "fopen")) {
        *f = spy_posix$_fopen(S(2), S(3), &LOC);
        out("= 0\n");
    } else if (!strcmp(op, "fnull")) {
        *f = NULL;
        out("= 0\n");
    } else if (!strcmp(op, "fwrite")) {
        spy_posix$_fwrite(*f, S(2), &LOC);
        out("= 0\n");
    } else if (!strcmp(op, "fread")) {
        val_str(spy_posix$_fread(*f, (int32_t)I(2), &LOC));
    } else if (!strcmp(op, "freadline")) {
        val_str(spy_posix$_freadline(*f, &LOC));
    } else if (!strcmp(op, "freadall")) {
        val_str(spy_posix$_freadall(*f, &LOC));
    } else if (!strcmp(op, "ftell")) {
        val_int(spy_posix$_ftell(*f, &LOC));
    } else if (!strcmp(op, "fseek")) {
        spy_posix$_fseek(*f, (int32_t)I(2), (int32_t)I(3), &LOC);
        out("= 0\n");
    } else if (!strcmp(op, "fflush")) {
        spy_posix$_fflush(*f, &LOC);
        out("= 0\n");
    } else if (!strcmp(op, "fclose")) {
        spy_posix$_fclose(*f, &LOC);
        out("= 0\n");
    } else if (!strcmp(op, "fileno")) {
        /* The number itself differs between processes: open or not. */
        val_int(spy_posix$_fileno(*f) >= 0);
    }
}

/* ---------------------------------------------------------------- str */

static void val_list(spy_StrObject *s, spy_StrObject *sep) {
    int32_t pos = 0;
    spy_StrObject *part;
    bool first = true;
    /* a first pass, so that an error comes before any output */
    while (spy_str_split_next(s, sep, &pos, &part, &LOC)) {
    }
    pos = 0;
    out("= l:");
    while (spy_str_split_next(s, sep, &pos, &part, &LOC)) {
        if (!first) out(".");
        first = false;
        out_hex(part->utf8, (size_t)part->length);
    }
    out("\n");
}

static void cmd_str(void) {
    const char *op = arg[0];
    if (!strcmp(op, "srepr")) val_str(spy_builtins$str$__repr__(S(1)));
    else if (!strcmp(op, "sstr")) val_str(spy_builtins$str$__str__(S(1)));
    else if (!strcmp(op, "brepr")) val_str(spy_builtins$bytes$__repr__(S(1)));
    else if (!strcmp(op, "bstr")) val_str(spy_builtins$bytes$__str__(S(1)));
    else if (!strcmp(op, "shash")) val_int(spy_builtins$hash_str(S(1)));
    else if (!strcmp(op, "bhash")) val_int(spy_builtins$hash_bytes(S(1)));
    else if (!strcmp(op, "seq")) val_int(spy_operator$str_eq(S(1), S(2)));
    else if (!strcmp(op, "sne")) val_int(spy_operator$str_ne(S(1), S(2)));
    else if (!strcmp(op, "beq")) val_int(spy_operator$bytes_eq(S(1), S(2)));
    else if (!strcmp(op, "bne")) val_int(spy_operator$bytes_ne(S(1), S(2)));
    else if (!strcmp(op, "sadd")) val_str(spy_str_add(S(1), S(2)));
    else if (!strcmp(op, "badd")) val_str(spy_bytes_add(S(1), S(2)));
    else if (!strcmp(op, "smul")) val_str(spy_str_mul(S(1), (int32_t)I(2)));
    else if (!strcmp(op, "bmul")) val_str(spy_bytes_mul(S(1), (int32_t)I(2)));
    else if (!strcmp(op, "sgetitem")) val_str(spy_str_getitem(S(1), (int32_t)I(2), &LOC));
    else if (!strcmp(op, "bgetitem")) val_uint(spy_bytes_getitem(S(1), (int32_t)I(2), &LOC));
    else if (!strcmp(op, "slen")) val_int(spy_str_len(S(1)));
    else if (!strcmp(op, "blen")) val_int(spy_bytes_len(S(1)));
    else if (!strcmp(op, "scontains")) val_int(spy_str_contains(S(1), S(2)));
    else if (!strcmp(op, "sslice"))
        val_str(spy_str_slice(S(1), (int32_t)I(2), (int32_t)I(3), (int32_t)I(4), (int32_t)I(5), (int32_t)I(6),
                              (int32_t)I(7), &LOC));
    else if (!strcmp(op, "supper")) val_str(spy_str_upper(S(1)));
    else if (!strcmp(op, "sisascii")) val_int(spy_str_isascii(S(1)));
    else if (!strcmp(op, "sisspace")) val_int(spy_str_isspace(S(1)));
    else if (!strcmp(op, "sreplace")) val_str(spy_str_replace(S(1), S(2), S(3)));
    else if (!strcmp(op, "sfind")) val_int(spy_str_find(S(1), S(2), (int32_t)I(3), (int32_t)I(4), I(5) != 0));
    else if (!strcmp(op, "scount")) val_int(spy_str_count(S(1), S(2), (int32_t)I(3), (int32_t)I(4), I(5) != 0));
    else if (!strcmp(op, "sencode")) val_str(spy_str_encode(S(1), S(2), &LOC));
    else if (!strcmp(op, "bdecode")) val_str(spy_bytes_decode(S(1), S(2), &LOC));
    else if (!strcmp(op, "ord")) val_int(spy_builtins$_ord_str(S(1), &LOC));
    else if (!strcmp(op, "split")) val_list(S(1), NULL);
    else if (!strcmp(op, "splitsep")) val_list(S(1), S(2));
    else out("? unknown str op\n");
}

/* ---------------------------------------------------------------- misc */

static void cmd_math(void) {
    const char *f = arg[1];
    double x = D(2), y = nargs > 3 ? D(3) : 0.0;
#define M1(name)                                                                             \
    if (!strcmp(f, #name)) return val_f64(spy_math$##name(x, &LOC));
    M1(sqrt) M1(cos) M1(sin) M1(tan) M1(log) M1(log10) M1(exp) M1(acos) M1(asin) M1(atan) M1(ceil)
    M1(floor) M1(fabs)
    if (!strcmp(f, "atan2")) return val_f64(spy_math$atan2(x, y, &LOC));
    if (!strcmp(f, "pow")) return val_f64(spy_math$pow(x, y, &LOC));
    out("? unknown math function\n");
}

static void cmd_complex(void) {
    const char *op = arg[1];
    spy_Complex128 a = { D(2), D(3) }, b = { nargs > 5 ? D(4) : 0, nargs > 5 ? D(5) : 0 };
    if (!strcmp(op, "add")) val_c128(spy_operator$complex128_add(a, b));
    else if (!strcmp(op, "sub")) val_c128(spy_operator$complex128_sub(a, b));
    else if (!strcmp(op, "mul")) val_c128(spy_operator$complex128_mul(a, b));
    else if (!strcmp(op, "div")) val_c128(spy_operator$complex128_div(a, b, &LOC));
    else if (!strcmp(op, "neg")) val_c128(spy_operator$complex128_neg(a));
    else if (!strcmp(op, "eq")) val_int(spy_operator$complex128_eq(a, b));
    else if (!strcmp(op, "ne")) val_int(spy_operator$complex128_ne(a, b));
    else if (!strcmp(op, "str")) val_str(spy_builtins$complex128$__str__(a));
    else if (!strcmp(op, "repr")) val_str(spy_builtins$complex128$__repr__(a));
    else out("? unknown complex op\n");
}

static void cmd_bool(void) {
    const char *op = arg[1];
    bool a = I(2) != 0, b = nargs > 3 && I(3) != 0;
    if (!strcmp(op, "and")) val_int(spy_operator$bool_and(a, b));
    else if (!strcmp(op, "or")) val_int(spy_operator$bool_or(a, b));
    else if (!strcmp(op, "xor")) val_int(spy_operator$bool_xor(a, b));
    else if (!strcmp(op, "not")) val_int(spy_operator$bool_not(a));
    else if (!strcmp(op, "eq")) val_int(spy_operator$bool_eq(a, b));
    else if (!strcmp(op, "ne")) val_int(spy_operator$bool_ne(a, b));
    else if (!strcmp(op, "lt")) val_int(spy_operator$bool_lt(a, b));
    else if (!strcmp(op, "le")) val_int(spy_operator$bool_le(a, b));
    else if (!strcmp(op, "gt")) val_int(spy_operator$bool_gt(a, b));
    else if (!strcmp(op, "ge")) val_int(spy_operator$bool_ge(a, b));
    else if (!strcmp(op, "hash")) val_int(spy_builtins$hash_bool(a));
    else if (!strcmp(op, "str")) val_str(spy_builtins$bool$__str__(a));
    else if (!strcmp(op, "repr")) val_str(spy_builtins$bool$__repr__(a));
    else out("? unknown bool op\n");
}

static void run(void) {
    const char *c = arg[0];
    if (!strcmp(c, "int")) cmd_int(arg[1], arg[2]);
    else if (!strcmp(c, "float")) cmd_float(arg[1], arg[2]);
    else if (!strcmp(c, "conv")) cmd_conv();
    else if (!strcmp(c, "parse")) cmd_parse();
    else if (!strcmp(c, "complex")) cmd_complex();
    else if (!strcmp(c, "bool")) cmd_bool();
    else if (!strcmp(c, "math")) cmd_math();
    else if (!strcmp(c, "mem")) cmd_mem();
    else if (!strcmp(c, "ptrcheck")) {
        int32_t dummy[4];
        spy_ptr_check(is(2, "N") ? NULL : dummy, (int32_t)I(3), (int32_t)I(4), arg[1], &LOC);
        out("= 0\n");
    } else if (!strcmp(c, "is_compiled")) val_int(spy___spy__$is_compiled());
    else if (c[0] == 'f' && c[1] != 'l') cmd_file();
    else cmd_str();
}

int main(int argc, char **argv) {
    spy_init(argc, argv);
    static char line[1 << 20];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        nargs = 0;
        for (char *t = strtok(line, " "); t && nargs < MAX_ARGS; t = strtok(NULL, " ")) arg[nargs++] = t;
        if (nargs == 0) continue;
        if (setjmp(on_panic) == 0) run();
    }
    spy_flush();
    return 0;
}
