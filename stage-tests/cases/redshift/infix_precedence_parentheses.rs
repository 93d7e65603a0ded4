def f(a: i32, b: i32, c: i32) -> i32:
    return (a + b) * c - a // (b - c) ** 2

def g(x: f64, y: f64) -> bool:
    return x < y and `operator::bool_not`(x == 0.0 or y == 0.0)
