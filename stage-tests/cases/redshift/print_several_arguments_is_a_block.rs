def main() -> None:
    x: i32 = 1
    _$iter0: `_range::range_iterator` = `_range::range::__fastiter__`(`_range::range::__make__`(0, 2, 1))
    while `_range::range_iterator::__continue_iteration__`(_$iter0):
        i: i32 = `_range::range_iterator::__item__`(_$iter0)
        _$iter0 = `_range::range_iterator::__next__`(_$iter0)
        x = x + i
    __block__(arg0$0: str = 'x ='; arg1$0: i32 = x; arg2$0: str = '2.5'; `_print::print1[str]`(arg0$0); `_print::print1[i32]`(arg1$0); `_print::println[str]`(arg2$0); None)
