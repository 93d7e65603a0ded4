def main() -> None:
    x: i32 = 1
    _$iter0: i32 = 0
    while _$iter0 < 2:
        i: i32 = _$iter0
        _$iter0 = _$iter0 + 1
        x = x + i
    __block__(arg1$3: i32 = x; `_print::print1[str]`('x ='); `_print::print1[i32]`(arg1$3); `_print::println[str]`('2.5'); None)
