/* math.c: the `math` module with the seed's errors (ops.rs `math`, docs/spec/LANGUAGE.md §17 #20):
 * `ValueError: math domain error` outside the domain, `OverflowError: math range error`
 * when finite inputs give an infinite result. The functions are libm's, which the
 * seed's Rust f64 methods also call on the same host. */
#include <math.h>

#include "internal.h"

static _Noreturn void domain(const spy_Loc *loc) { spy_panic("ValueError", "math domain error", loc); }

static double checked(double r, double x, double y, const spy_Loc *loc) {
    if (isinf(r) && isfinite(x) && isfinite(y)) spy_panic("OverflowError", "math range error", loc);
    return r;
}

double spy__math_sqrt(double x, const spy_Loc *loc) {
    if (x < 0.0) domain(loc);
    return checked(sqrt(x), x, 0.0, loc);
}

double spy_math$log(double x, const spy_Loc *loc) {
    if (x <= 0.0) domain(loc);
    return checked(log(x), x, 0.0, loc);
}

double spy_math$log10(double x, const spy_Loc *loc) {
    if (x <= 0.0) domain(loc);
    return checked(log10(x), x, 0.0, loc);
}

/* NaN is outside [-1, 1] too: the seed raises for acos(nan) (Python returns nan). */
double spy_math$acos(double x, const spy_Loc *loc) {
    if (!(x >= -1.0 && x <= 1.0)) domain(loc);
    return checked(acos(x), x, 0.0, loc);
}

double spy_math$asin(double x, const spy_Loc *loc) {
    if (!(x >= -1.0 && x <= 1.0)) domain(loc);
    return checked(asin(x), x, 0.0, loc);
}

double spy_math$cos(double x, const spy_Loc *loc) {
    if (isinf(x)) domain(loc);
    return checked(cos(x), x, 0.0, loc);
}

double spy_math$sin(double x, const spy_Loc *loc) {
    if (isinf(x)) domain(loc);
    return checked(sin(x), x, 0.0, loc);
}

double spy_math$tan(double x, const spy_Loc *loc) {
    if (isinf(x)) domain(loc);
    return checked(tan(x), x, 0.0, loc);
}

double spy_math$atan(double x, const spy_Loc *loc) { return checked(atan(x), x, 0.0, loc); }
double spy_math$exp(double x, const spy_Loc *loc) { return checked(exp(x), x, 0.0, loc); }
double spy_math$ceil(double x, const spy_Loc *loc) { return checked(ceil(x), x, 0.0, loc); }
double spy_math$floor(double x, const spy_Loc *loc) { return checked(floor(x), x, 0.0, loc); }
double spy_math$fabs(double x, const spy_Loc *loc) { return checked(fabs(x), x, 0.0, loc); }
double spy_math$atan2(double y, double x, const spy_Loc *loc) { return checked(atan2(y, x), y, x, loc); }

double spy_math$pow(double x, double y, const spy_Loc *loc) {
    if ((x == 0.0 && y < 0.0) || (x < 0.0 && isfinite(y) && y != trunc(y))) domain(loc);
    return checked(pow(x, y), x, y, loc);
}
