def half(x: f64) -> f64:
    return x / 2.0

def main() -> None:
    n: i32 = 0
    _$iter0: i32 = 0
    while _$iter0 < 3:
        i: i32 = _$iter0
        _$iter0 = _$iter0 + 1
        n = n + i
    `_print::println[f64]`(`implicit_conversion_and_folded_blue_call::half`(`operator::i32_to_f64`(n)))
    `_print::println[f64]`(`implicit_conversion_and_folded_blue_call::half`(25.0))
    `_print::println[i32]`(16 + n)
