def main() -> None:
    c: i32 = 0
    c = c + 8 + 6
    `_print::println[i32]`(c)
