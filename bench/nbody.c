/* The same program as bench/nbody.spy, in C99. Usage: nbody STEPS.
   Vec3 and Body are passed and returned by value and never mutated in place, like
   the @struct values of the SPy version; the double operations are the same, in the
   same order (-std=c99 keeps gcc from contracting them into FMAs). */

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5

typedef struct { double x, y, z; } Vec3;
typedef struct { Vec3 pos, vel; double mass; } Body;

static Vec3 vec3(double x, double y, double z) { Vec3 v = {x, y, z}; return v; }
static Vec3 vadd(Vec3 a, Vec3 o) { return vec3(a.x + o.x, a.y + o.y, a.z + o.z); }
static Vec3 vsub(Vec3 a, Vec3 o) { return vec3(a.x - o.x, a.y - o.y, a.z - o.z); }
static Vec3 vscale(Vec3 a, double k) { return vec3(a.x * k, a.y * k, a.z * k); }
static double vdot(Vec3 a, Vec3 o) { return a.x * o.x + a.y * o.y + a.z * o.z; }
static Body body(Vec3 pos, Vec3 vel, double mass) { Body b = {pos, vel, mass}; return b; }

static Body planet(double x, double y, double z, double vx, double vy, double vz, double mass) {
    Vec3 vel = vscale(vec3(vx, vy, vz), DAYS_PER_YEAR);
    return body(vec3(x, y, z), vel, mass * SOLAR_MASS);
}

static void make_system(Body *bodies) {
    /* sun */
    bodies[0] = planet(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0);
    /* jupiter */
    bodies[1] = planet(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
                       1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
                       9.54791938424326609e-04);
    /* saturn */
    bodies[2] = planet(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
                       -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
                       2.85885980666130812e-04);
    /* uranus */
    bodies[3] = planet(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
                       2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
                       4.36624404335156298e-05);
    /* neptune */
    bodies[4] = planet(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
                       2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
                       5.15138902046611451e-05);
}

static void offset_momentum(Body *bodies, int n) {
    Vec3 p = vec3(0.0, 0.0, 0.0);
    for (int i = 0; i < n; i++)
        p = vadd(p, vscale(bodies[i].vel, bodies[i].mass));
    Body sun = bodies[0];
    bodies[0] = body(sun.pos, vscale(p, -1.0 / SOLAR_MASS), sun.mass);
}

static double energy(const Body *bodies, int n) {
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        Body b = bodies[i];
        e += 0.5 * b.mass * vdot(b.vel, b.vel);
        for (int j = i + 1; j < n; j++) {
            Body o = bodies[j];
            Vec3 d = vsub(b.pos, o.pos);
            e -= b.mass * o.mass / sqrt(vdot(d, d));
        }
    }
    return e;
}

static void advance(Body *bodies, int n, double dt) {
    for (int i = 0; i < n; i++) {
        Body bi = bodies[i];
        for (int j = i + 1; j < n; j++) {
            Body bj = bodies[j];
            Vec3 d = vsub(bi.pos, bj.pos);
            double d2 = vdot(d, d);
            double mag = dt / (d2 * sqrt(d2));
            bi = body(bi.pos, vsub(bi.vel, vscale(d, bj.mass * mag)), bi.mass);
            bodies[j] = body(bj.pos, vadd(bj.vel, vscale(d, bi.mass * mag)), bj.mass);
        }
        bodies[i] = bi;
    }
    for (int i = 0; i < n; i++) {
        Body b = bodies[i];
        bodies[i] = body(vadd(b.pos, vscale(b.vel, dt)), b.vel, b.mass);
    }
}

/* trunc(e * 1e12), as SPy's i64(f64) and Python's int(float) (no saturation needed:
   |e| < 1). */
static int64_t checksum(double e) { return (int64_t)(e * 1e12); }

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s STEPS\n", argv[0]);
        return 2;
    }
    int32_t steps = (int32_t)strtol(argv[1], NULL, 10);
    Body bodies[NBODIES];
    make_system(bodies);
    offset_momentum(bodies, NBODIES);
    printf("%" PRId64 "\n", checksum(energy(bodies, NBODIES)));
    for (int32_t s = 0; s < steps; s++)
        advance(bodies, NBODIES, 0.01);
    printf("%" PRId64 "\n", checksum(energy(bodies, NBODIES)));
    return 0;
}
