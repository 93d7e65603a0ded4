def half(x: f64) -> f64:
    return x / 2.0

def main() -> None:
    n: i32 = 0
    _$iter0: `_range::range_iterator` = `_range::range::__fastiter__`(`_range::range::__make__`(0, 3, 1))
    while `_range::range_iterator::__continue_iteration__`(_$iter0):
        i: i32 = `_range::range_iterator::__item__`(_$iter0)
        _$iter0 = `_range::range_iterator::__next__`(_$iter0)
        n = n + i
    `_print::println[f64]`(`implicit_conversion_and_folded_blue_call::half`(`operator::i32_to_f64`(n)))
    `_print::println[f64]`(`implicit_conversion_and_folded_blue_call::half`(25.0))
    `_print::println[i32]`(16 + n)
