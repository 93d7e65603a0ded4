# The same program as bench/long_comp.spy, for python3. Usage: long_comp.py NUM REPS.
# No i32 wrapping is emulated: for NUM <= 65535 no value leaves the i32 range.

import sys

def short_comp(n: int) -> int:
    result = 0
    for i in range(1, n + 1):
        result += i
    return result

def long_comp(num: int) -> int:
    result = short_comp(0)
    for i in range(num):
        result += short_comp(i + 1) - short_comp(i)
    result -= short_comp(num)
    return result

def main(argv: list[str]) -> None:
    num = int(argv[1])
    reps = int(argv[2])
    total = 0
    for _ in range(reps):
        total += long_comp(num)
    print(total)
    print(short_comp(num))

main(sys.argv)
