# The same program as bench/long_comp.spy, for python3.

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

def main() -> None:
    total = 0
    for _ in range(10):
        total += long_comp(1000)
    print(total)

main()
