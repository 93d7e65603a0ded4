/* posix.c: the file layer of `posix` that stdlib/_file.spy is written on
 * (docs/spec/LANGUAGE.md §14.3-14.4), on C stdio, behaving as the seed's FileHandle
 * (seed/src/vm/value.rs, ops.rs):
 * - writes go straight to the OS file (flushed after each write), so another handle
 *   on the same file sees them;
 * - a read error, or a read on a file not open for reading, reads as end of file, and
 *   a later read tries again (the error and EOF flags are cleared);
 * - NULL (_FILE_NULL) and a closed handle behave as the seed's closed handle: reads
 *   give "", fileno -1, flush and close do nothing, the rest raise OSError. A closed
 *   handle is recognised because libspy keeps the list of the FILEs it opened. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------------- open handles */

static FILE **open_files;
static int32_t n_open, cap_open;

static bool is_open(FILE *f) {
    if (!f) return false;
    for (int32_t i = 0; i < n_open; i++) {
        if (open_files[i] == f) return true;
    }
    return false;
}

static void add_open(FILE *f) {
    if (n_open == cap_open) {
        int32_t cap = cap_open ? cap_open * 2 : 16;
        FILE **p = realloc(open_files, (size_t)cap * sizeof(FILE *));
        if (!p) spy_out_of_memory();
        open_files = p, cap_open = cap;
    }
    open_files[n_open++] = f;
}

static void remove_open(FILE *f) {
    for (int32_t i = 0; i < n_open; i++) {
        if (open_files[i] == f) {
            open_files[i] = open_files[--n_open];
            return;
        }
    }
}

/* ---------------------------------------------------------------- open, close */

/* Exactly one of r, w, a, optionally followed by + (C's fopen meaning). */
spy_FILE spy_posix$_fopen(spy_StrObject *path, spy_StrObject *mode, const spy_Loc *loc) {
    const uint8_t *m = mode->utf8;
    bool valid = (mode->length == 1 || (mode->length == 2 && m[1] == '+')) &&
                 (m[0] == 'r' || m[0] == 'w' || m[0] == 'a');
    if (!valid) spy_panic("PanicError", "invalid mode for _fopen", loc);
    /* The seed opens the path decoded lossily, and a NUL byte cannot name a file. */
    spy_StrObject *p = spy_builtins$str$__str__(path);
    if (memchr(p->utf8, 0, (size_t)p->length)) spy_panic("OSError", "cannot open file", loc);
    char *cpath = malloc((size_t)p->length + 1);
    if (!cpath) spy_out_of_memory();
    memcpy(cpath, p->utf8, (size_t)p->length);
    cpath[p->length] = 0;
    char cmode[3] = { (char)m[0], mode->length == 2 ? '+' : 0, 0 };
    FILE *f = fopen(cpath, cmode);
    free(cpath);
    if (!f) spy_panic("OSError", "cannot open file", loc);
    add_open(f);
    return f;
}

void spy_posix$_fclose(spy_FILE f, const spy_Loc *loc) {
    (void)loc;
    if (!is_open(f)) return; /* closing twice is a no-op (docs/spec/LANGUAGE.md §17 #18) */
    remove_open(f);
    fclose(f);
}

/* ---------------------------------------------------------------- reading */

/* Up to `limit` bytes (all when limit < 0), stopping after a newline when `line`. */
static spy_StrObject *read_bytes(FILE *f, int64_t limit, bool line) {
    if (!is_open(f)) return spy_str_alloc(0);
    size_t cap = limit >= 0 && limit < 65536 ? (size_t)limit : 65536, len = 0;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf) spy_out_of_memory();
    for (;;) {
        if (limit >= 0 && (int64_t)len >= limit) break;
        if (len == cap) {
            size_t grown = cap * 2;
            if (limit >= 0 && (int64_t)grown > limit) grown = (size_t)limit;
            if (grown > INT32_MAX) spy_out_of_memory();
            uint8_t *q = realloc(buf, grown);
            if (!q) spy_out_of_memory();
            buf = q, cap = grown;
        }
        if (line) {
            int c = getc(f);
            if (c == EOF) break;
            buf[len++] = (uint8_t)c;
            if (c == '\n') break;
        } else {
            size_t got = fread(buf + len, 1, cap - len, f);
            if (got == 0) break;
            len += got;
        }
    }
    clearerr(f);
    spy_StrObject *s = spy_str_from(buf, (int32_t)len);
    free(buf);
    return s;
}

spy_StrObject *spy_posix$_fread(spy_FILE f, int32_t n, const spy_Loc *loc) {
    (void)loc;
    return read_bytes(f, n, false);
}

spy_StrObject *spy_posix$_freadline(spy_FILE f, const spy_Loc *loc) {
    (void)loc;
    return read_bytes(f, -1, true);
}

spy_StrObject *spy_posix$_freadall(spy_FILE f, const spy_Loc *loc) {
    (void)loc;
    return read_bytes(f, -1, false);
}

/* ---------------------------------------------------------------- writing, position */

void spy_posix$_fwrite(spy_FILE f, spy_StrObject *s, const spy_Loc *loc) {
    if (!is_open(f)) spy_panic("OSError", "fwrite: write error", loc);
    /* Reading then writing an update stream needs a seek between (C99 7.19.5.3); it
     * also gives the read-ahead back, as the seed's unread(). A pipe cannot seek and
     * has no read-ahead to give back, so the failure is ignored. */
    (void)fseek(f, 0, SEEK_CUR);
    if (s->length == 0) return;
    if (fwrite(s->utf8, 1, (size_t)s->length, f) != (size_t)s->length || fflush(f) != 0) {
        clearerr(f);
        spy_panic("OSError", "fwrite: write error", loc);
    }
}

void spy_posix$_fflush(spy_FILE f, const spy_Loc *loc) {
    (void)loc;
    if (is_open(f)) (void)fflush(f); /* writes are already flushed: nothing can fail */
}

int32_t spy_posix$_ftell(spy_FILE f, const spy_Loc *loc) {
    if (!is_open(f)) spy_panic("OSError", "ftell failed", loc);
    long at = ftell(f);
    if (at < 0) spy_panic("OSError", "ftell failed", loc);
    return (int32_t)(uint32_t)(uint64_t)at; /* truncated, as the seed's `as i32` */
}

/* whence 0 (SEEK_SET, offset >= 0), 1 (SEEK_CUR), anything else SEEK_END (as the seed). */
void spy_posix$_fseek(spy_FILE f, int32_t offset, int32_t whence, const spy_Loc *loc) {
    if (!is_open(f) || (whence == 0 && offset < 0)) spy_panic("OSError", "fseek failed", loc);
    int w = whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : SEEK_END;
    if (fseek(f, offset, w) != 0) spy_panic("OSError", "fseek failed", loc);
}

int32_t spy_posix$_fileno(spy_FILE f) { return is_open(f) ? fileno(f) : -1; }

/* A NUL-terminated copy of `s`, or NULL when it holds a NUL byte (which names no file
 * and no variable). */
static char *c_string_of(spy_StrObject *s) {
    if (memchr(s->utf8, 0, (size_t)s->length)) return NULL;
    char *c = malloc((size_t)s->length + 1);
    if (!c) spy_out_of_memory();
    memcpy(c, s->utf8, (size_t)s->length);
    c[s->length] = 0;
    return c;
}

/* posix._isfile(path): whether `path` names a regular file (Python's os.path.isfile). */
bool spy_posix$_isfile(spy_StrObject *path) {
    char *c = c_string_of(spy_builtins$str$__str__(path));
    bool found = c && spy_target_isfile(c);
    free(c);
    return found;
}

/* posix._getenv(name, default): the variable's value, or `default` when it is unset. */
spy_StrObject *spy_posix$_getenv(spy_StrObject *name, spy_StrObject *default_) {
    char *c = c_string_of(name);
    const char *value = c ? spy_target_getenv(c) : NULL;
    free(c);
    return value ? spy_str_from((const uint8_t *)value, (int32_t)strlen(value)) : default_;
}
