def `full_fqn_prints_raw_names::add`(a: `builtins::i32`, b: `builtins::i32`) -> `builtins::i32`:
    return `operator::i32_add`(a, b)

def `full_fqn_prints_raw_names::main`() -> `types::NoneType`:
    x: `builtins::i32` = `full_fqn_prints_raw_names::add`(1, 2)
    `_print::println[f64]::p`(`operator::f64_mul`(`operator::i32_to_f64`(x), 2.5))
