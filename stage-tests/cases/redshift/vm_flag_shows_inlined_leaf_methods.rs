def `vm_flag_shows_inlined_leaf_methods::Pair::swapped`(self: `vm_flag_shows_inlined_leaf_methods::Pair`) -> `vm_flag_shows_inlined_leaf_methods::Pair`:
    return `vm_flag_shows_inlined_leaf_methods::Pair::__make__`(self.y, self.x)

def count(n: i32) -> i32:
    total: i32 = 0
    _$iter0.i: i32 = 1
    _$iter0.stop: i32 = n + 1
    while _$iter0.i < _$iter0.stop:
        i: i32 = _$iter0.i
        _$iter0.i = _$iter0.i + 1
        total = total + i
    return total

def main() -> None:
    p.x: i32 = 1
    p.y: i32 = 2
    _$iter0.i: i32 = 0
    while _$iter0.i < 10:
        i: i32 = _$iter0.i
        _$iter0.i = _$iter0.i + 3
        p.x$old: i32 = p.y
        p.y = p.x
        p.x = p.x$old
    __block__(arg0$0: i32 = p.x; arg1$0: i32 = `vm_flag_shows_inlined_leaf_methods::count`(4); `_print::print1[i32]`(arg0$0); `_print::println[i32]`(arg1$0); None)
