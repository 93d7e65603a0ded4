def main() -> None:
    n: i32 = 10
    _$iter0: `_range::range_iterator` = `_range::range::__fastiter__`(`_range::range::__make__`(0, 2, 1))
    while `_range::range_iterator::__continue_iteration__`(_$iter0):
        i: i32 = `_range::range_iterator::__item__`(_$iter0)
        _$iter0 = `_range::range_iterator::__next__`(_$iter0)
        n = n + i
    __block__(arg0$3: i32 = __block__(x$0: i32 = 10; y$0: i32 = x$0 + 1; y$0); arg1$3: i32 = __block__(x$1: i32 = n; y$1: i32 = x$1 + 1; y$1); arg2$3: i32 = __block__(x$2: i32 = n; __block__(x$2$1: i32 = __block__(x$2$0: i32 = x$2; y$2$0: i32 = x$2$0 + 1; y$2$0); y$2$1: i32 = x$2$1 + 1; y$2$1)); `_print::print1[i32]`(arg0$3); `_print::print1[i32]`(arg1$3); `_print::println[i32]`(arg2$3); None)
