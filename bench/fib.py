# The same program as bench/fib.spy, for python3. Usage: fib.py N.
# No i32 wrapping is emulated: fib(N) stays in the i32 range for N <= 46.

import sys

def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def main(argv: list[str]) -> None:
    n = int(argv[1])
    print(fib(n))

main(sys.argv)
