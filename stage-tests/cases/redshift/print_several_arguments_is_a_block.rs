def main() -> None:
    x: i32 = 1
    _$iter0: `_range::range_iterator` = `_range::range::__fastiter__`(`_range::range::__make__`(0, 2, 1))
    while `_range::range_iterator::__continue_iteration__`(_$iter0):
        i: i32 = `_range::range_iterator::__item__`(_$iter0)
        _$iter0 = `_range::range_iterator::__next__`(_$iter0)
        x = x + i
    __block__(arg1$3: i32 = x; `_print::print1[str]`('x ='); `_print::print1[i32]`(arg1$3); `_print::println[str]`('2.5'); None)
