# The same program as bench/nbody.spy, for python3. Usage: nbody.py STEPS.
# Vec3 and Body are immutable value classes, as the @struct types of the SPy version;
# the f64 operations are the same, in the same order.

import sys
from math import sqrt

PI = 3.141592653589793
SOLAR_MASS = 4.0 * PI * PI
DAYS_PER_YEAR = 365.24


class Vec3:
    __slots__ = ("x", "y", "z")

    def __init__(self, x: float, y: float, z: float) -> None:
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o: "Vec3") -> "Vec3":
        return Vec3(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o: "Vec3") -> "Vec3":
        return Vec3(self.x - o.x, self.y - o.y, self.z - o.z)

    def scale(self, k: float) -> "Vec3":
        return Vec3(self.x * k, self.y * k, self.z * k)

    def dot(self, o: "Vec3") -> float:
        return self.x * o.x + self.y * o.y + self.z * o.z


class Body:
    __slots__ = ("pos", "vel", "mass")

    def __init__(self, pos: Vec3, vel: Vec3, mass: float) -> None:
        self.pos = pos
        self.vel = vel
        self.mass = mass


def planet(x: float, y: float, z: float, vx: float, vy: float, vz: float, mass: float) -> Body:
    vel = Vec3(vx, vy, vz).scale(DAYS_PER_YEAR)
    return Body(Vec3(x, y, z), vel, mass * SOLAR_MASS)

def make_system() -> list[Body]:
    bodies = []
    # sun
    bodies.append(planet(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0))
    # jupiter
    bodies.append(planet(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
                         1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
                         9.54791938424326609e-04))
    # saturn
    bodies.append(planet(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
                         -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
                         2.85885980666130812e-04))
    # uranus
    bodies.append(planet(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
                         2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
                         4.36624404335156298e-05))
    # neptune
    bodies.append(planet(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
                         2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
                         5.15138902046611451e-05))
    return bodies

def offset_momentum(bodies: list[Body]) -> None:
    p = Vec3(0.0, 0.0, 0.0)
    for b in bodies:
        p = p + b.vel.scale(b.mass)
    sun = bodies[0]
    bodies[0] = Body(sun.pos, p.scale(-1.0 / SOLAR_MASS), sun.mass)

def energy(bodies: list[Body]) -> float:
    e = 0.0
    n = len(bodies)
    for i in range(n):
        b = bodies[i]
        e += 0.5 * b.mass * b.vel.dot(b.vel)
        for j in range(i + 1, n):
            o = bodies[j]
            d = b.pos - o.pos
            e -= b.mass * o.mass / sqrt(d.dot(d))
    return e

def advance(bodies: list[Body], dt: float) -> None:
    n = len(bodies)
    for i in range(n):
        bi = bodies[i]
        for j in range(i + 1, n):
            bj = bodies[j]
            d = bi.pos - bj.pos
            d2 = d.dot(d)
            mag = dt / (d2 * sqrt(d2))
            bi = Body(bi.pos, bi.vel - d.scale(bj.mass * mag), bi.mass)
            bodies[j] = Body(bj.pos, bj.vel + d.scale(bi.mass * mag), bj.mass)
        bodies[i] = bi
    for i in range(n):
        b = bodies[i]
        bodies[i] = Body(b.pos + b.vel.scale(dt), b.vel, b.mass)

def checksum(e: float) -> int:
    return int(e * 1e12)

def main(argv: list[str]) -> None:
    steps = int(argv[1])
    bodies = make_system()
    offset_momentum(bodies)
    print(checksum(energy(bodies)))
    for _ in range(steps):
        advance(bodies, 0.01)
    print(checksum(energy(bodies)))

main(sys.argv)
