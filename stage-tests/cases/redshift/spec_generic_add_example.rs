def main() -> None:
    `_print::println[i32]`(`spec_generic_add_example::add[i32]`(4, 1))
    `_print::println[str]`(`spec_generic_add_example::add[str]`('a', 'b'))

def `spec_generic_add_example::add[i32]`(x: i32, y: i32) -> i32:
    return x + y

def `spec_generic_add_example::add[str]`(x: str, y: str) -> str:
    return `_str::methods::__add__`(x, y)
