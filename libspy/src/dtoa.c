/* dtoa.c: the decimal digits of a double, exactly, with a small bignum.
 *
 * printf's %g / %.17g differ between glibc, wasi-libc and picolibc, so libspy does
 * its own. The seed prints floats with Rust's `{:e}` (shortest round-trip) and
 * `{:.Ne}` (exact, round half to even); both are reproduced here with Steele & White's
 * / Dragon4's exact big-integer method, following the structure of Rust's
 * core::num::flt2dec::strategy::dragon so that the results agree digit for digit
 * (including Rust's choice on ties and its rounding boundaries at powers of two).
 */
#include <string.h>

#include "internal.h"

/* Numbers up to ~2^1140 occur (2^55 * 10^324 for the smallest subnormals): 40 limbs. */
#define BIG_LIMBS 40

typedef struct {
    int n; /* limbs in use; no leading zero limb; 0 is n == 0 */
    uint32_t d[BIG_LIMBS];
} Big;

static void big_set_u64(Big *a, uint64_t x) {
    a->n = 0;
    while (x) {
        a->d[a->n++] = (uint32_t)x;
        x >>= 32;
    }
}

static void big_mul_small(Big *a, uint32_t m) {
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) a->d[a->n++] = (uint32_t)carry;
}

static void big_mul_pow2(Big *a, int bits) {
    if (a->n == 0) return;
    int limbs = bits / 32, shift = bits % 32;
    if (shift) {
        uint32_t carry = 0;
        for (int i = 0; i < a->n; i++) {
            uint32_t x = a->d[i];
            a->d[i] = (x << shift) | carry;
            carry = x >> (32 - shift);
        }
        if (carry) a->d[a->n++] = carry;
    }
    if (limbs) {
        memmove(a->d + limbs, a->d, (size_t)a->n * sizeof(uint32_t));
        memset(a->d, 0, (size_t)limbs * sizeof(uint32_t));
        a->n += limbs;
    }
}

static void big_mul_pow10(Big *a, int n) {
    for (; n >= 9; n -= 9) big_mul_small(a, 1000000000u);
    static const uint32_t small[9] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000 };
    if (n) big_mul_small(a, small[n]);
}

static int big_cmp(const Big *a, const Big *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--) {
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    }
    return 0;
}

/* r = a + b (r may alias a). */
static void big_add(Big *r, const Big *a, const Big *b) {
    const Big *lo = a->n < b->n ? a : b, *hi = a->n < b->n ? b : a;
    uint64_t carry = 0;
    int n = hi->n, i;
    for (i = 0; i < n; i++) {
        uint64_t t = (uint64_t)hi->d[i] + (i < lo->n ? lo->d[i] : 0) + carry;
        r->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->n = n;
    if (carry) r->d[r->n++] = (uint32_t)carry;
}

/* a -= b, with a >= b. */
static void big_sub(Big *a, const Big *b) {
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = t < 0;
        a->d[i] = (uint32_t)(t + (borrow ? ((int64_t)1 << 32) : 0));
    }
    while (a->n > 0 && a->d[a->n - 1] == 0) a->n--;
}

/* a + b compared with c. */
static int big_cmp_sum(const Big *a, const Big *b, const Big *c) {
    Big t;
    big_add(&t, a, b);
    return big_cmp(&t, c);
}

/* The decoded double, as Rust's flt2dec::decoder::decode: v = mant * 2^exp, and every
 * number in [(mant - minus) * 2^exp, (mant + plus) * 2^exp] reads back as v (bounds
 * included when `inclusive`). Every power of two (not only the smallest normal) gets the
 * asymmetric interval, as Rust does. */
typedef struct {
    uint64_t mant, minus, plus;
    int exp;
    bool inclusive;
} Decoded;

static Decoded decode(double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t frac = bits & 0xfffffffffffffull;
    uint64_t mant = biased == 0 ? frac << 1 : frac | (1ull << 52);
    int exp = biased - 1075; /* subnormals: mant is scaled by 2 and exp is -1075 */
    Decoded d;
    d.inclusive = (mant & 1) == 0;
    if (biased == 0) {
        d.mant = mant, d.minus = 1, d.plus = 1, d.exp = exp;
    } else if (mant == (1ull << 52)) {
        d.mant = mant << 2, d.minus = 1, d.plus = 2, d.exp = exp - 2;
    } else {
        d.mant = mant << 1, d.minus = 1, d.plus = 1, d.exp = exp - 1;
    }
    return d;
}

/* floor((nbits + exp) * log10(2)), where 2^(nbits-1) < mant <= 2^nbits: underestimates
 * the decimal exponent by at most one. */
static int estimate_scaling_factor(uint64_t mant, int exp) {
    int nbits = 0;
    for (uint64_t m = mant - 1; m; m >>= 1) nbits++;
    int64_t x = ((int64_t)nbits + exp) * 1292913986; /* floor(2^32 * log10(2)) */
    return (int)(x >= 0 ? x / 4294967296LL : -((-x + 4294967295LL) / 4294967296LL));
}

/* One digit: floor(mant / scale) < 16, and mant becomes the remainder. */
static int div_rem_upto_16(Big *mant, const Big *s, const Big *s2, const Big *s4, const Big *s8) {
    int d = 0;
    if (big_cmp(mant, s8) >= 0) big_sub(mant, s8), d += 8;
    if (big_cmp(mant, s4) >= 0) big_sub(mant, s4), d += 4;
    if (big_cmp(mant, s2) >= 0) big_sub(mant, s2), d += 2;
    if (big_cmp(mant, s) >= 0) big_sub(mant, s), d += 1;
    return d;
}

/* Adds one to the last digit; all nines become 1000...0 and the caller adds a digit. */
static bool round_up(char *digits, int len) {
    int i = len - 1;
    while (i >= 0 && digits[i] == '9') digits[i--] = '0';
    if (i >= 0) {
        digits[i]++;
        return false;
    }
    if (len > 0) digits[0] = '1';
    return true;
}

int spy_dtoa_shortest(double v, char *digits, int32_t *kout) {
    Decoded d = decode(v);
    /* mant.cmp(x) < rounding: `<=` when inclusive, `<` otherwise. */
    int rounding = d.inclusive ? 1 : 0;
    int k = estimate_scaling_factor(d.mant + d.plus, d.exp);
    Big mant, minus, plus, scale;
    big_set_u64(&mant, d.mant);
    big_set_u64(&minus, d.minus);
    big_set_u64(&plus, d.plus);
    big_set_u64(&scale, 1);
    if (d.exp < 0) {
        big_mul_pow2(&scale, -d.exp);
    } else {
        big_mul_pow2(&mant, d.exp);
        big_mul_pow2(&minus, d.exp);
        big_mul_pow2(&plus, d.exp);
    }
    if (k >= 0) {
        big_mul_pow10(&scale, k);
    } else {
        big_mul_pow10(&mant, -k);
        big_mul_pow10(&minus, -k);
        big_mul_pow10(&plus, -k);
    }
    /* Now scale / 10 < mant + plus <= scale * 10: fix k so that scale < mant + plus <= 10 scale. */
    if (-big_cmp_sum(&mant, &plus, &scale) < rounding) {
        k += 1;
    } else {
        big_mul_small(&mant, 10);
        big_mul_small(&minus, 10);
        big_mul_small(&plus, 10);
    }
    Big scale2 = scale, scale4 = scale, scale8 = scale;
    big_mul_pow2(&scale2, 1);
    big_mul_pow2(&scale4, 2);
    big_mul_pow2(&scale8, 3);
    int i = 0;
    bool down, up;
    for (;;) {
        int digit = div_rem_upto_16(&mant, &scale, &scale2, &scale4, &scale8);
        digits[i++] = (char)('0' + digit);
        /* Stop and keep the digits when v - digits < v - low; stop and round up when
         * (digits + 1) - v < high - v. */
        down = big_cmp(&mant, &minus) < rounding;
        up = -big_cmp_sum(&mant, &plus, &scale) < rounding;
        if (down || up) break;
        big_mul_small(&mant, 10);
        big_mul_small(&minus, 10);
        big_mul_small(&plus, 10);
    }
    /* Both possible: the closer one, and up on an exact tie (Rust's `2 * mant >= scale`). */
    if (up) {
        Big twice = mant;
        big_mul_pow2(&twice, 1);
        if (!down || big_cmp(&twice, &scale) >= 0) {
            if (round_up(digits, i)) {
                digits[i++] = '0';
                k += 1;
            }
        }
    }
    *kout = k;
    return i;
}

void spy_dtoa_exact(double v, int n, char *digits, int32_t *kout) {
    Decoded d = decode(v);
    /* v = r / s exactly, then scaled so that v / 10^k = r / s is in [0.1, 1). */
    Big r, s;
    big_set_u64(&r, d.mant);
    big_set_u64(&s, 1);
    if (d.exp < 0) {
        big_mul_pow2(&s, -d.exp);
    } else {
        big_mul_pow2(&r, d.exp);
    }
    int k = estimate_scaling_factor(d.mant, d.exp);
    if (k >= 0) {
        big_mul_pow10(&s, k);
    } else {
        big_mul_pow10(&r, -k);
    }
    while (big_cmp(&r, &s) >= 0) {
        big_mul_small(&s, 10);
        k++;
    }
    for (;;) {
        Big t = r;
        big_mul_small(&t, 10);
        if (big_cmp(&t, &s) >= 0) break;
        r = t;
        k--;
    }
    Big s2 = s, s4 = s, s8 = s;
    big_mul_pow2(&s2, 1);
    big_mul_pow2(&s4, 2);
    big_mul_pow2(&s8, 3);
    for (int i = 0; i < n; i++) {
        big_mul_small(&r, 10);
        digits[i] = (char)('0' + div_rem_upto_16(&r, &s, &s2, &s4, &s8));
    }
    /* Round half to even on what is left, as Rust's exact formatting does. */
    big_mul_pow2(&r, 1);
    int c = big_cmp(&r, &s);
    if (c > 0 || (c == 0 && ((digits[n - 1] - '0') & 1))) {
        if (round_up(digits, n)) k++; /* 999 -> 100, one more integer digit */
    }
    *kout = k;
}
