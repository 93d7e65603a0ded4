/* The same program as bench/strbuild.spy, in C99. Usage: strbuild PATH N.
   The file is read whole with fread; the output grows in a malloc'd buffer that
   doubles when full (the same policy as SPy's StringBuilder). */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *buf;
    size_t len, cap;
} Builder;

static void reserve(Builder *sb, size_t extra) {
    size_t need = sb->len + extra;
    if (need <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    char *buf = realloc(sb->buf, cap);
    if (!buf) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    sb->buf = buf;
    sb->cap = cap;
}

static void append(Builder *sb, const char *s, size_t n) {
    reserve(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
}

static void append_str(Builder *sb, const char *s) { append(sb, s, strlen(s)); }

static void append_byte(Builder *sb, char c) {
    reserve(sb, 1);
    sb->buf[sb->len++] = c;
}

static void append_int(Builder *sb, long v) {
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%ld", v);
    append(sb, tmp, (size_t)n);
}

static void append_upper(Builder *sb, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        append_byte(sb, c >= 'a' && c <= 'z' ? (char)(c - 32) : c);
    }
}

static int is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static void emit_token(Builder *sb, const char *num, size_t start, size_t end, const char *kind, const char *tok,
                       size_t tok_len) {
    append_str(sb, "        ");
    append_str(sb, num);
    append_byte(sb, ':');
    append_int(sb, (long)start);
    append_byte(sb, '-');
    append_int(sb, (long)end);
    append_str(sb, kind);
    append_byte(sb, '\'');
    append(sb, tok, tok_len);
    append_byte(sb, '\'');
}

/* Builds the output of text[0:n] into sb (emptied first). */
static void build(Builder *sb, const char *text, size_t n) {
    sb->len = 0;
    size_t start = 0;
    long lineno = 0;
    while (start < n) {
        const char *nl = memchr(text + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - text) : n;
        const char *line = text + start;
        size_t m = end - start;
        start = end + 1;
        lineno++;
        char num[24];
        snprintf(num, sizeof num, "%ld", lineno);
        append_str(sb, num);
        append_str(sb, ": ");
        append(sb, line, m);
        append_str(sb, "\n    | ");
        append_upper(sb, line, m);
        append_byte(sb, '\n');
        size_t i = 0;
        while (i < m) {
            char c = line[i];
            if (c == ' ') {
                i++;
            } else if (is_name_start(c)) {
                size_t j = i + 1;
                while (j < m && (is_name_start(line[j]) || is_digit(line[j])))
                    j++;
                emit_token(sb, num, i, j, " NAME ", line + i, j - i);
                append_byte(sb, ' ');
                append_upper(sb, line + i, j - i);
                append_byte(sb, '\n');
                i = j;
            } else if (is_digit(c)) {
                size_t j = i + 1;
                while (j < m && is_digit(line[j]))
                    j++;
                emit_token(sb, num, i, j, " NUMBER ", line + i, j - i);
                append_byte(sb, '\n');
                i = j;
            } else {
                emit_token(sb, num, i, i + 1, " OP ", line + i, 1);
                append_byte(sb, '\n');
                i++;
            }
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PATH N\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t n = 0, cap = 1 << 16;
    char *text = malloc(cap);
    size_t got;
    while (text && (got = fread(text + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            text = realloc(text, cap *= 2);
    }
    fclose(f);
    if (!text) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    long rounds = strtol(argv[2], NULL, 10);
    Builder sb = {NULL, 0, 0};
    for (long r = 0; r < rounds; r++) {
        /* A fresh output each round, as the SPy and python3 versions build one. */
        free(sb.buf);
        sb.buf = NULL;
        sb.cap = 0;
        build(&sb, text, n);
    }
    int64_t sum = 0;
    for (size_t i = 0; i < sb.len; i += 7)
        sum += (unsigned char)sb.buf[i];
    printf("%zu %lld\n", sb.len, (long long)sum);
    free(sb.buf);
    free(text);
    return 0;
}
