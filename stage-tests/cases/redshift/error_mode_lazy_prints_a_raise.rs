def f(flag: bool) -> None:
    if flag:
        raise TypeError('cannot do `i32` + `str`') # cases/redshift/error_mode_lazy_prints_a_raise.spy:5
    `_print::println[str]`('f done')

def main() -> None:
    `_print::println[str]`('start')
    `error_mode_lazy_prints_a_raise::f`(False)
    `error_mode_lazy_prints_a_raise::f`(True)
    `_print::println[str]`('unreachable')
