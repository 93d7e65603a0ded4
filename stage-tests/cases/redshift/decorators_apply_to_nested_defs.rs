def main() -> None:
    `_print::println[i32]`(__block__(a$0: i32 = 3; b$0: i32 = 4; a$0 + b$0))
