//! The program generator (`tests/fuzz.rs` `programs`), in the manner of Csmith and
//! YARPGen: random programs over the core language that are valid and terminate by
//! construction, run on every runner (seed-interp `spy0 FILE`, seed-redshift
//! `spy0 redshift -x FILE`, seed-native `spy0 build -x [-O2] FILE`); stdout, stderr and
//! the exit status must agree. A disagreement is reduced (statements and blocks deleted
//! while the same runners still disagree) and saved under `target/fuzz/programs/`.
//!
//! What a program holds: every int width (i8 u8 i32 u32 i64 u64, wrapping), f64 (only
//! + - * / %, correctly rounded, so every value prints the same everywhere), bool, str
//! (concatenation, indexing, len, slicing, methods), `list[i32]`, `list[str]`,
//! `dict[str, i32]`, `tuple[i32, str]`, `@struct`s with methods, a generic struct
//! `Box[T]`, generic functions, `@blue` functions (folded at redshift), a function made
//! by a blue function, `for ... in range(...)`, `for` over lists and dicts, `while`
//! loops with `break`/`continue`, calls and bounded recursion. Values flow into a
//! running checksum (`mix`, a `var` global) that `main` prints at the end, with some
//! intermediate values on the way. Some programs end with a deliberate run-time error
//! or an exit status.
//!
//! Why the programs are valid: every expression is typed (mixed int types only meet
//! through explicit conversions), a divisor is `(e | 1)`, a float divisor
//! `(abs(e) + 1.0)`, a shift count `e & (width - 1)`, an exponent `e & 3`, an index
//! goes into `(l + [x])[i % (len(l) + 1)]`. Why they terminate: loops have literal
//! bounds (a `while` counts up first thing in its body), recursion gets `n & 15`, a list
//! grows only while it is short, strings assigned in loops are cut to 32 bytes, lists are
//! never aliased (a list value is a literal, a copy, a slice or a sum), and a budget of
//! work (loop trip counts times the cost of what is called) caps every function.

use crate::run::{self, Outcome};
use crate::support::Rng;
use crate::workspace_dir;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    I8,
    U8,
    I32,
    U32,
    I64,
    U64,
    F64,
    Bool,
    Str,
    ListI32,
    ListStr,
    Dict,
    Tup,
    Struct(usize),
}

use Ty::*;

const INTS: &[Ty] = &[I8, U8, I32, U32, I64, U64];
const SCALARS: &[Ty] = &[I8, U8, I32, U32, I64, U64, F64, Bool, Str];

impl Ty {
    fn name(self, structs: &[StructDef]) -> String {
        match self {
            I8 => "i8".into(),
            U8 => "u8".into(),
            I32 => "i32".into(),
            U32 => "u32".into(),
            I64 => "i64".into(),
            U64 => "u64".into(),
            F64 => "f64".into(),
            Bool => "bool".into(),
            Str => "str".into(),
            ListI32 => "list[i32]".into(),
            ListStr => "list[str]".into(),
            Dict => "dict[str, i32]".into(),
            Tup => "tuple[i32, str]".into(),
            Struct(k) => structs[k].name.clone(),
        }
    }

    fn is_int(self) -> bool {
        INTS.contains(&self)
    }

    fn signed(self) -> bool {
        matches!(self, I8 | I32 | I64)
    }

    fn bits(self) -> u32 {
        match self {
            I8 | U8 => 8,
            I32 | U32 => 32,
            _ => 64,
        }
    }

    fn short(self) -> &'static str {
        match self {
            I8 => "i8",
            U8 => "u8",
            I32 => "i32",
            U32 => "u32",
            I64 => "i64",
            U64 => "u64",
            _ => "",
        }
    }
}

struct StructDef {
    name: String,
    fields: Vec<(String, Ty)>,
    /// The method `m(self, x: i32) -> ret`.
    ret: Ty,
}

struct Func {
    name: String,
    params: Vec<Ty>,
    ret: Ty,
    /// Work one call does, in statements run (loops multiply).
    cost: u64,
    /// `rec<k>(n, acc)`: called as `rec<k>(e & 15, acc)`.
    recursive: bool,
}

#[derive(Clone)]
struct Var {
    name: String,
    ty: Ty,
    /// May be assigned (not a loop variable, a while counter or a blue name).
    assignable: bool,
    /// May be mutated in place (a container not being iterated, not a parameter).
    mutable: bool,
}

/// The state of one program's generation.
struct Gen<'r> {
    rng: &'r mut Rng,
    structs: Vec<StructDef>,
    funcs: Vec<Func>,
    next_name: usize,
    /// Loop multiplier of the statement being generated.
    mult: u64,
    /// Work of the function being generated so far, and its cap.
    cost: u64,
    budget: u64,
    /// Nesting of loops and ifs.
    depth: usize,
    in_loop: bool,
}

const STR_LITS: &[&str] =
    &["\"\"", "\"a\"", "\"xyz\"", "\"Hello\"", "\"a b\"", "\"q'\"", "\"tab\\t\"", "\"0123456789\""];
const F64_LITS: &[&str] = &["0.0", "0.5", "1.25", "-2.0", "3.0", "100.0", "0.1", "1e10", "2.5e-3", "-7.75", "1e300"];
const KEYS: &[&str] = &["\"a\"", "\"b\"", "\"c\"", "\"d\""];

impl<'r> Gen<'r> {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    fn chance(&mut self, n: usize) -> bool {
        self.rng.below(n) == 0
    }

    fn int_lit(&mut self, ty: Ty) -> String {
        let bits = ty.bits();
        let (min, max): (i128, i128) =
            if ty.signed() { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
        let v: i128 = match self.rng.below(8) {
            0 => min,
            1 => max,
            2 => 0,
            3 => 1,
            4 if ty.signed() => -1,
            5 => (self.rng.next() as i128).rem_euclid(max - min + 1) + min,
            _ => self.rng.range(0, 100) as i128,
        };
        if ty == I32 {
            if v < 0 {
                format!("({v})")
            } else {
                format!("{v}")
            }
        } else {
            format!("{}({v})", ty.short())
        }
    }

    fn one(&self, ty: Ty) -> String {
        if ty == I32 {
            "1".into()
        } else {
            format!("{}(1)", ty.short())
        }
    }

    fn typed(&self, ty: Ty, v: u32) -> String {
        if ty == I32 {
            format!("{v}")
        } else {
            format!("{}({v})", ty.short())
        }
    }

    /// A variable of type `ty` from `env`, if any.
    fn var_of(&mut self, env: &[Var], ty: Ty) -> Option<String> {
        let vs: Vec<&Var> = env.iter().filter(|v| v.ty == ty).collect();
        if vs.is_empty() {
            None
        } else {
            Some(vs[self.rng.below(vs.len())].name.clone())
        }
    }

    /// `-e`; a literal is subtracted from zero instead, since the parser folds `-` into a
    /// literal, also through parentheses (`-(-2147483648)` is out of range).
    fn neg(&self, ty: Ty, e: String) -> String {
        if is_literal(&e) {
            let zero = if ty == F64 {
                "0.0".to_string()
            } else if ty == I32 {
                "0".to_string()
            } else {
                format!("{}(0)", ty.short())
            };
            format!("({zero} - {e})")
        } else {
            format!("(-{e})")
        }
    }

    /// `e` of type `from` as a value of type `to` (explicit conversions only).
    fn cast(&mut self, e: String, from: Ty, to: Ty) -> String {
        if from == to {
            return e;
        }
        // findings/typed_literal_of_typed_literal.spy: `i32(u32(4294967295))` is read as an
        // i32 literal; a typed literal goes through a helper instead.
        let typed_literal = is_literal(&e);
        let direct = match (from, to) {
            (I8 | U8 | U32, I32) => true,
            (I8 | U8 | I32 | U32 | U64, I64) => true,
            (I64, U64) => true,
            (I32, I8 | U8) => true,
            (F64, I32 | I64) => true,
            (I32, F64) => true,
            _ => false,
        };
        if direct && !typed_literal && !self.chance(4) {
            return format!("{}({e})", to.name(&[]));
        }
        if to == F64 {
            return format!("tof({e})");
        }
        let wide = if from == I64 && !typed_literal {
            e
        } else if from == I64 {
            format!("id64({e})")
        } else if from == F64 {
            format!("i64({e})")
        } else {
            format!("to64_{}({e})", from.short())
        };
        if to == I64 {
            wide
        } else {
            format!("from64_{}({wide})", to.short())
        }
    }

    /// An expression of type `ty`, at most `depth` levels deep.
    fn expr(&mut self, env: &[Var], ty: Ty, depth: usize) -> String {
        if depth == 0 || self.chance(5) {
            return self.leaf(env, ty, depth);
        }
        let d = depth - 1;
        match ty {
            _ if ty.is_int() => self.int_expr(env, ty, d),
            F64 => match self.rng.below(9) {
                0..=2 => {
                    let op = *self.rng.pick(&["+", "-", "*"]);
                    format!("({} {op} {})", self.expr(env, F64, d), self.expr(env, F64, d))
                }
                3 => format!("({} / (abs({}) + 1.0))", self.expr(env, F64, d), self.expr(env, F64, d)),
                4 => format!("({} % (abs({}) + 1.0))", self.expr(env, F64, d), self.expr(env, F64, d)),
                5 => {
                    let from = *self.rng.pick(INTS);
                    let e = self.expr(env, from, d);
                    self.cast(e, from, F64)
                }
                6 => {
                    let f = *self.rng.pick(&["min", "max"]);
                    format!("{f}({}, {})", self.expr(env, F64, d), self.expr(env, F64, d))
                }
                7 => {
                    let e = self.expr(env, F64, d);
                    self.neg(F64, e)
                }
                _ => self.common(env, ty, d),
            },
            Bool => match self.rng.below(10) {
                0..=2 => {
                    let t = *self.rng.pick(SCALARS);
                    let t = if t == Bool { I32 } else { t };
                    let ops: &[&str] = if t == Str { &["==", "!="] } else { &["==", "!=", "<", "<=", ">", ">="] };
                    let op = *self.rng.pick(ops);
                    format!("({} {op} {})", self.expr(env, t, d), self.expr(env, t, d))
                }
                3 => format!("(not {})", self.expr(env, Bool, d)),
                4 => {
                    let op = *self.rng.pick(&["and", "or", "==", "!=", "&", "|", "^"]);
                    format!("({} {op} {})", self.expr(env, Bool, d), self.expr(env, Bool, d))
                }
                5 => format!("({} in {})", self.expr(env, Str, d), self.expr(env, Str, d)),
                6 => format!("({} in {})", self.expr(env, I32, d), self.expr(env, ListI32, d)),
                7 => format!("({} in {})", self.key(env, d), self.expr(env, Dict, d)),
                8 if !self.structs.is_empty() => {
                    let k = self.rng.below(self.structs.len());
                    let op = *self.rng.pick(&["==", "!="]);
                    format!("({} {op} {})", self.expr(env, Struct(k), d), self.expr(env, Struct(k), d))
                }
                _ => self.common(env, ty, d),
            },
            Str => match self.rng.below(12) {
                0 | 1 => format!("({} + {})", self.expr(env, Str, d), self.expr(env, Str, d)),
                2 => {
                    let t = *self.rng.pick(&[I8, U8, I32, U32, I64, U64, Bool, F64]);
                    format!("str({})", self.expr(env, t, d))
                }
                3 => {
                    let s = self.expr(env, Str, d);
                    let i = self.expr(env, I32, d);
                    format!("({s} + \"z\")[{i} % (len({s}) + 1)]")
                }
                4 => {
                    let s = self.expr(env, Str, d);
                    let (a, b) = (self.expr(env, I32, d), self.expr(env, I32, d));
                    match self.rng.below(4) {
                        0 => format!("{s}[{a}:{b}]"),
                        1 => format!("{s}[{a}:]"),
                        2 => format!("{s}[::-1]"),
                        _ => format!("{s}[{a}:{b}:({} | 1)]", self.expr(env, I32, d)),
                    }
                }
                5 => format!("{}.upper()", self.expr(env, Str, d)),
                6 => format!("{}.replace(\"a\", \"bb\")", self.expr(env, Str, d)),
                7 => format!("({} * ({} & 3))", self.expr(env, Str, d), self.expr(env, I32, d)),
                8 => {
                    let l = self.expr(env, ListStr, d);
                    format!("({l} + [\"q\"])[{} % (len({l}) + 1)]", self.expr(env, I32, d))
                }
                9 => format!("{}[1]", self.expr(env, Tup, d)),
                10 => format!("repr({})", self.expr(env, Str, d)),
                _ => self.common(env, ty, d),
            },
            ListI32 | ListStr => {
                let item = if ty == ListI32 { I32 } else { Str };
                match self.rng.below(5) {
                    0 => format!("({} + {})", self.expr(env, ty, d), self.expr(env, ty, d)),
                    1 => format!("{}[{}:{}]", self.expr(env, ty, d), self.expr(env, I32, d), self.expr(env, I32, d)),
                    2 => format!("{}.copy()", self.expr(env, ty, d)),
                    _ => {
                        let n = self.rng.below(4);
                        let items: Vec<String> = (0..n).map(|_| self.expr(env, item, d)).collect();
                        if items.is_empty() {
                            format!("{}()", ty.name(&[]))
                        } else {
                            format!("[{}]", items.join(", "))
                        }
                    }
                }
            }
            Dict => {
                let n = self.rng.below(4);
                let mut items = Vec::new();
                for k in 0..n {
                    items.push(format!("{}: {}", KEYS[k], self.expr(env, I32, d)));
                }
                if items.is_empty() {
                    "dict[str, i32]()".into()
                } else {
                    format!("{{{}}}", items.join(", "))
                }
            }
            Tup => format!("({}, {})", self.expr(env, I32, d), self.expr(env, Str, d)),
            Struct(k) => {
                let fields: Vec<Ty> = self.structs[k].fields.iter().map(|f| f.1).collect();
                let args: Vec<String> = fields.iter().map(|&t| self.expr(env, t, d)).collect();
                format!("{}({})", self.structs[k].name, args.join(", "))
            }
            _ => self.leaf(env, ty, 0),
        }
    }

    fn key(&mut self, env: &[Var], d: usize) -> String {
        if self.chance(3) {
            self.expr(env, Str, d)
        } else {
            self.rng.pick(KEYS).to_string()
        }
    }

    fn int_expr(&mut self, env: &[Var], ty: Ty, d: usize) -> String {
        match self.rng.below(14) {
            0..=2 => {
                let op = *self.rng.pick(&["+", "-", "*", "&", "|", "^"]);
                format!("({} {op} {})", self.expr(env, ty, d), self.expr(env, ty, d))
            }
            3 => {
                let op = *self.rng.pick(&["//", "%"]);
                format!("({} {op} ({} | {}))", self.expr(env, ty, d), self.expr(env, ty, d), self.one(ty))
            }
            4 => {
                let op = *self.rng.pick(&["<<", ">>"]);
                let mask = self.typed(ty, ty.bits() - 1);
                format!("({} {op} ({} & {mask}))", self.expr(env, ty, d), self.expr(env, ty, d))
            }
            5 => format!("({} ** ({} & {}))", self.expr(env, ty, d), self.expr(env, ty, d), self.typed(ty, 3)),
            6 if ty.signed() => {
                let e = self.expr(env, ty, d);
                self.neg(ty, e)
            }
            6 | 7 => {
                let from = *self.rng.pick(&[I8, U8, I32, U32, I64, U64, F64]);
                let e = self.expr(env, from, d);
                self.cast(e, from, ty)
            }
            8 if ty == I32 => match self.rng.below(7) {
                0 => format!("len({})", self.expr(env, Str, d)),
                1 => {
                    let l = self.expr(env, ListI32, d);
                    format!("({l} + [7])[{} % (len({l}) + 1)]", self.expr(env, I32, d))
                }
                2 => format!("{}.get({}, {})", self.expr(env, Dict, d), self.key(env, d), self.expr(env, I32, d)),
                3 => format!("{}[0]", self.expr(env, Tup, d)),
                4 => format!("hash({})", self.expr(env, Str, d)),
                5 => {
                    let f = *self.rng.pick(&["min", "max"]);
                    format!("{f}({}, {})", self.expr(env, I32, d), self.expr(env, I32, d))
                }
                _ => format!("abs({})", self.expr(env, I32, d)),
            },
            9 if ty == I32 => match self.rng.below(3) {
                0 => format!("b_poly({})", self.rng.below(12)),
                1 => format!("b_add7({})", self.expr(env, I32, d)),
                _ => format!("len({})", self.expr(env, ListStr, d)),
            },
            _ => self.common(env, ty, d),
        }
    }

    /// Forms every type has: a call, a generic, a struct field or method, a Box.
    fn common(&mut self, env: &[Var], ty: Ty, d: usize) -> String {
        match self.rng.below(6) {
            0 | 1 => {
                if let Some(call) = self.call(env, ty, d) {
                    return call;
                }
            }
            2 if matches!(ty, I8 | U8 | I32 | U32 | I64 | U64 | F64 | Str) => {
                let n = ty.name(&[]);
                return format!(
                    "g_add3[{n}]({}, {}, {})",
                    self.expr(env, ty, d),
                    self.expr(env, ty, d),
                    self.expr(env, ty, d)
                );
            }
            3 if SCALARS.contains(&ty) => {
                let n = ty.name(&[]);
                return format!(
                    "g_pick[{n}]({}, {}, {})",
                    self.expr(env, ty, d),
                    self.expr(env, ty, d),
                    self.expr(env, Bool, d)
                );
            }
            4 => {
                let candidates: Vec<(usize, usize)> = (0..self.structs.len())
                    .flat_map(|k| (0..self.structs[k].fields.len()).map(move |f| (k, f)))
                    .filter(|&(k, f)| self.structs[k].fields[f].1 == ty)
                    .collect();
                let methods: Vec<usize> = (0..self.structs.len()).filter(|&k| self.structs[k].ret == ty).collect();
                if !methods.is_empty() && self.chance(2) {
                    let k = methods[self.rng.below(methods.len())];
                    return format!("{}.m({})", self.expr(env, Struct(k), d), self.expr(env, I32, d));
                }
                if !candidates.is_empty() {
                    let (k, f) = candidates[self.rng.below(candidates.len())];
                    let field = self.structs[k].fields[f].0.clone();
                    return format!("{}.{field}", self.expr(env, Struct(k), d));
                }
            }
            5 if SCALARS.contains(&ty) => {
                let n = ty.name(&[]);
                return format!("Box[{n}]({}).get()", self.expr(env, ty, d));
            }
            _ => {}
        }
        self.leaf(env, ty, d)
    }

    /// A call of a generated function returning `ty`, within the budget.
    fn call(&mut self, env: &[Var], ty: Ty, d: usize) -> Option<String> {
        let fits: Vec<usize> = (0..self.funcs.len())
            .filter(|&f| self.funcs[f].ret == ty && self.cost + self.mult * self.funcs[f].cost <= self.budget)
            .collect();
        if fits.is_empty() {
            return None;
        }
        let f = fits[self.rng.below(fits.len())];
        self.cost += self.mult * self.funcs[f].cost;
        let params = self.funcs[f].params.clone();
        let name = self.funcs[f].name.clone();
        let mut args: Vec<String> = params.iter().map(|&t| self.expr(env, t, d)).collect();
        if self.funcs[f].recursive {
            args[0] = format!("({} & 15)", args[0]);
        }
        Some(format!("{name}({})", args.join(", ")))
    }

    fn leaf(&mut self, env: &[Var], ty: Ty, d: usize) -> String {
        if !self.chance(3) {
            if let Some(v) = self.var_of(env, ty) {
                return v;
            }
        }
        match ty {
            _ if ty.is_int() => self.int_lit(ty),
            F64 => self.rng.pick(F64_LITS).to_string(),
            Bool => self.rng.pick(&["True", "False"]).to_string(),
            Str => self.rng.pick(STR_LITS).to_string(),
            ListI32 => format!("[{}]", self.int_lit(I32)),
            ListStr => format!("[{}]", self.rng.pick(STR_LITS)),
            Dict => format!("{{\"a\": {}}}", self.int_lit(I32)),
            Tup => format!("({}, {})", self.int_lit(I32), self.rng.pick(STR_LITS)),
            Struct(k) => {
                let fields: Vec<Ty> = self.structs[k].fields.iter().map(|f| f.1).collect();
                let _ = d;
                let args: Vec<String> = fields.iter().map(|&t| self.leaf(env, t, 0)).collect();
                format!("{}({})", self.structs[k].name, args.join(", "))
            }
            _ => unreachable!(),
        }
    }

    /// `mix(...)` of an expression of type `ty`: the checksum takes it.
    fn mix(&mut self, env: &[Var], ty: Ty, e: Option<String>) -> String {
        let e = e.unwrap_or_else(|| self.expr(env, ty, 3));
        match ty {
            _ if ty.is_int() => format!("mix({})", self.cast(e, ty, I64)),
            F64 => format!("mixf({e})"),
            Bool => format!("mixb({e})"),
            Str => format!("mixs({e})"),
            ListI32 => format!("mix(i64(len({e})))"),
            ListStr => format!("mixs(\"-\" + ({e} + [\"\"])[0])"),
            Dict => format!("mix(i64(len({e})))"),
            Tup => format!("mixs(str({e}[0]) + {e}[1])"),
            Struct(k) => {
                let (f, t) = self.structs[k].fields[0].clone();
                self.mix(env, t, Some(format!("{e}.{f}")))
            }
            _ => unreachable!(),
        }
    }

    fn pick_ty(&mut self) -> Ty {
        match self.rng.below(14) {
            0..=8 => *self.rng.pick(SCALARS),
            9 => ListI32,
            10 => ListStr,
            11 => Dict,
            12 => Tup,
            _ if !self.structs.is_empty() => Struct(self.rng.below(self.structs.len())),
            _ => I32,
        }
    }

    /// A block of statements at `indent`, appended to `out`; `env` grows with its declarations.
    fn block(&mut self, out: &mut Vec<String>, env: &mut Vec<Var>, indent: usize, n: usize) {
        for _ in 0..n {
            if self.cost + self.mult > self.budget {
                break;
            }
            self.cost += self.mult;
            self.stmt(out, env, indent);
        }
    }

    fn stmt(&mut self, out: &mut Vec<String>, env: &mut Vec<Var>, indent: usize) {
        let pad = "    ".repeat(indent);
        let nested = self.depth < 3 && self.mult <= 64;
        match self.rng.below(20) {
            0..=3 => {
                let ty = self.pick_ty();
                let name = self.fresh("v");
                let e = self.expr(env, ty, 3);
                let e = self.cut(ty, e);
                out.push(format!("{pad}var {name}: {} = {e}", ty.name(&self.structs)));
                env.push(Var { name, ty, assignable: true, mutable: true });
            }
            4..=6 => {
                let targets: Vec<Var> = env.iter().filter(|v| v.assignable).cloned().collect();
                if targets.is_empty() {
                    return;
                }
                let v = targets[self.rng.below(targets.len())].clone();
                if v.ty.is_int() && self.chance(2) {
                    let op = *self.rng.pick(&["+=", "-=", "*=", "&=", "|=", "^="]);
                    let e = self.expr(env, v.ty, 2);
                    out.push(format!("{pad}{} {op} {e}", v.name));
                } else if matches!(v.ty, ListI32 | ListStr | Dict) && !v.mutable {
                    // Assigning a fresh container to a name being iterated would be fine,
                    // but keep iteration targets untouched.
                } else {
                    let e = self.expr(env, v.ty, 3);
                    let e = self.cut(v.ty, e);
                    out.push(format!("{pad}{} = {e}", v.name));
                }
            }
            7..=9 => {
                let ty = self.pick_ty();
                let m = self.mix(env, ty, None);
                out.push(format!("{pad}{m}"));
            }
            10 => {
                let n = 1 + self.rng.below(3);
                let args: Vec<String> = (0..n)
                    .map(|_| {
                        let t = *self.rng.pick(SCALARS);
                        self.expr(env, t, 2)
                    })
                    .collect();
                out.push(format!("{pad}print(\"p{}\", {})", self.next_name, args.join(", ")));
            }
            11 | 12 if nested => {
                let c = self.expr(env, Bool, 3);
                out.push(format!("{pad}if {c}:"));
                self.sub_block(out, env, indent + 1, self.mult);
                if self.chance(2) {
                    out.push(format!("{pad}else:"));
                    self.sub_block(out, env, indent + 1, self.mult);
                }
            }
            13 | 14 if nested => {
                let i = self.fresh("k");
                let lo = self.rng.range(-2, 3);
                let trips = self.rng.range(0, 6);
                let range = match self.rng.below(3) {
                    0 => format!("range({})", trips),
                    1 => format!("range({lo}, {})", lo + trips),
                    _ => format!("range({}, {lo}, -1)", lo + trips),
                };
                out.push(format!("{pad}for {i} in {range}:"));
                let mut inner = env.clone();
                inner.push(Var { name: i, ty: I32, assignable: false, mutable: false });
                self.loop_block(out, &mut inner, indent + 1, trips.max(1) as u64);
            }
            15 if nested => {
                let w = self.fresh("w");
                let trips = self.rng.range(1, 6);
                out.push(format!("{pad}var {w}: i32 = 0"));
                out.push(format!("{pad}while {w} < {trips}:"));
                out.push(format!("{pad}    {w} += 1"));
                let mut inner = env.clone();
                inner.push(Var { name: w.clone(), ty: I32, assignable: false, mutable: false });
                let before = out.len();
                self.loop_block(out, &mut inner, indent + 1, trips as u64);
                if self.chance(2) {
                    let c = self.expr(&inner, Bool, 2);
                    let word = if self.chance(2) { "break" } else { "continue" };
                    // Between two statements of the loop body, never inside a nested block.
                    let body = format!("{pad}    ");
                    let spots: Vec<usize> = (before..=out.len())
                        .filter(|&i| {
                            i == out.len() || (out[i].starts_with(&body) && !out[i][body.len()..].starts_with(' '))
                        })
                        .collect();
                    let at = spots[self.rng.below(spots.len())];
                    out.insert(at, format!("{pad}    if {c}:\n{pad}        {word}"));
                }
                env.push(Var { name: w, ty: I32, assignable: false, mutable: false });
            }
            16 if nested => {
                // Over a container that nothing mutates while the loop runs.
                let cs: Vec<Var> = env.iter().filter(|v| matches!(v.ty, ListI32 | ListStr | Dict)).cloned().collect();
                if cs.is_empty() {
                    return;
                }
                let c = cs[self.rng.below(cs.len())].clone();
                let x = self.fresh("x");
                let item = match c.ty {
                    ListI32 => I32,
                    _ => Str,
                };
                out.push(format!("{pad}for {x} in {}:", c.name));
                let mut inner: Vec<Var> = env
                    .iter()
                    .map(|v| {
                        let mut v = v.clone();
                        if matches!(v.ty, ListI32 | ListStr | Dict) {
                            v.mutable = false;
                            v.assignable = false;
                        }
                        v
                    })
                    .collect();
                inner.push(Var { name: x, ty: item, assignable: false, mutable: false });
                self.loop_block(out, &mut inner, indent + 1, 24);
            }
            _ => self.container_stmt(out, env, &pad),
        }
    }

    /// A string assigned in a loop is cut short, so it cannot double forever.
    fn cut(&mut self, ty: Ty, e: String) -> String {
        if ty == Str && self.in_loop {
            format!("({e})[:32]")
        } else {
            e
        }
    }

    fn sub_block(&mut self, out: &mut Vec<String>, env: &[Var], indent: usize, mult: u64) {
        let mut inner = env.to_vec();
        let saved = self.mult;
        self.mult = mult;
        self.depth += 1;
        let before = out.len();
        let n = 1 + self.rng.below(3);
        self.block(out, &mut inner, indent, n);
        if out.len() == before {
            out.push(format!("{}pass", "    ".repeat(indent)));
        }
        self.depth -= 1;
        self.mult = saved;
    }

    fn loop_block(&mut self, out: &mut Vec<String>, env: &mut Vec<Var>, indent: usize, trips: u64) {
        let was = self.in_loop;
        self.in_loop = true;
        self.sub_block(out, env, indent, self.mult * trips);
        self.in_loop = was;
    }

    fn container_stmt(&mut self, out: &mut Vec<String>, env: &mut [Var], pad: &str) {
        let cs: Vec<Var> =
            env.iter().filter(|v| v.mutable && matches!(v.ty, ListI32 | ListStr | Dict)).cloned().collect();
        if cs.is_empty() {
            return;
        }
        let c = cs[self.rng.below(cs.len())].clone();
        let l = &c.name;
        match c.ty {
            ListI32 | ListStr => {
                let item = if c.ty == ListI32 { I32 } else { Str };
                let fill = if item == I32 { "7" } else { "\"q\"" };
                match self.rng.below(6) {
                    0 => {
                        let e = self.expr(env, item, 2);
                        out.push(format!("{pad}if len({l}) < 12:\n{pad}    {l}.append({e})"));
                    }
                    1 => {
                        let (i, e) = (self.expr(env, I32, 2), self.expr(env, item, 2));
                        out.push(format!("{pad}if len({l}) < 12:\n{pad}    {l}.insert({i}, {e})"));
                    }
                    2 => {
                        let (i, e) = (self.expr(env, I32, 2), self.expr(env, item, 2));
                        out.push(format!("{pad}if len({l}) > 0:\n{pad}    {l}[{i} % len({l})] = {e}"));
                    }
                    3 => {
                        let m = self.mix(env, item, Some(format!("{l}.pop()")));
                        out.push(format!("{pad}if len({l}) > 1:\n{pad}    {m}"));
                    }
                    4 => {
                        let e = self.expr(env, item, 2);
                        let m = self.mix(env, item, Some(format!("({l} + [{fill}])[0]")));
                        out.push(format!(
                            "{pad}if {e} in {l}:\n{pad}    mix(i64({l}.index({e})))\n{pad}    {l}.remove({e})\n{pad}else:\n{pad}    {m}"
                        ));
                    }
                    _ => {
                        let e = self.expr(env, item, 2);
                        out.push(format!("{pad}mix(i64({l}.count({e})))"));
                    }
                }
            }
            _ => {
                let k = self.key(env, 1);
                match self.rng.below(3) {
                    0 | 1 => {
                        let e = self.expr(env, I32, 2);
                        out.push(format!("{pad}if len({l}) < 8:\n{pad}    {l}[{k}] = {e}"));
                    }
                    _ => out.push(format!("{pad}if {k} in {l}:\n{pad}    {l}.__delitem__({k})")),
                }
            }
        }
    }

    fn struct_def(&mut self, out: &mut Vec<String>) {
        let k = self.structs.len();
        let name = format!("S{k}");
        let n = 1 + self.rng.below(3);
        let fields: Vec<(String, Ty)> = (0..n).map(|i| (format!("f{i}"), *self.rng.pick(SCALARS))).collect();
        let ret = *self.rng.pick(SCALARS);
        out.push("@struct".into());
        out.push(format!("class {name}:"));
        for (f, t) in &fields {
            out.push(format!("    {f}: {}", t.name(&self.structs)));
        }
        let mut env: Vec<Var> = fields
            .iter()
            .map(|(f, t)| Var { name: format!("self.{f}"), ty: *t, assignable: false, mutable: false })
            .collect();
        env.push(Var { name: "x".into(), ty: I32, assignable: false, mutable: false });
        out.push(String::new());
        out.push(format!("    def m(self, x: i32) -> {}:", ret.name(&self.structs)));
        let (saved, budget) = (self.cost, self.budget);
        self.budget = 0; // no calls of generated functions from methods
        let e = self.expr(&env, ret, 3);
        self.cost = saved;
        self.budget = budget;
        out.push(format!("        return {e}"));
        out.push(String::new());
        self.structs.push(StructDef { name, fields, ret });
    }

    fn func_def(&mut self, out: &mut Vec<String>) {
        let name = self.fresh("fn");
        let n = self.rng.below(4);
        let params: Vec<Ty> = (0..n).map(|_| self.pick_ty()).collect();
        let ret = self.pick_ty();
        let mut env: Vec<Var> = params
            .iter()
            .enumerate()
            .map(|(i, &t)| Var { name: format!("{name}_a{i}"), ty: t, assignable: true, mutable: false })
            .collect();
        let sig: Vec<String> = env.iter().map(|v| format!("{}: {}", v.name, v.ty.name(&self.structs))).collect();
        out.push(format!("def {name}({}) -> {}:", sig.join(", "), ret.name(&self.structs)));
        self.cost = 1;
        self.budget = 400;
        self.mult = 1;
        let count = 1 + self.rng.below(5);
        self.block(out, &mut env, 1, count);
        let e = self.expr(&env, ret, 3);
        out.push(format!("    return {e}"));
        out.push(String::new());
        let cost = self.cost;
        self.funcs.push(Func { name, params, ret, cost, recursive: false });
    }

    fn rec_def(&mut self, out: &mut Vec<String>) {
        let name = self.fresh("rec");
        let ty = *self.rng.pick(&[I8, U8, I32, U32, I64, U64, F64, Str]);
        let t = ty.name(&[]);
        let env = vec![
            Var { name: "n".into(), ty: I32, assignable: false, mutable: false },
            Var { name: "acc".into(), ty, assignable: false, mutable: false },
        ];
        self.budget = 0;
        let step = self.expr(&env, ty, 2);
        let step = if ty == Str { format!("({step})[:24]") } else { step };
        out.push(format!("def {name}(n: i32, acc: {t}) -> {t}:"));
        out.push("    if n <= 0:".into());
        out.push("        return acc".into());
        out.push(format!("    return {name}(n - 1, {step})"));
        out.push(String::new());
        self.funcs.push(Func { name, params: vec![I32, ty], ret: ty, cost: 16 * 4, recursive: true });
    }
}

/// An int or float literal, maybe negative, maybe typed: `5`, `(-5)`, `i8(-5)`, `-2.0`.
fn is_literal(e: &str) -> bool {
    let inner = e.strip_prefix('(').and_then(|e| e.strip_suffix(')')).unwrap_or(e);
    let inner = match inner.split_once('(') {
        Some((ty, rest)) if ["i8", "u8", "i32", "u32", "i64", "u64"].contains(&ty) => {
            rest.strip_suffix(')').unwrap_or("")
        }
        _ => inner,
    };
    let digits = inner.strip_prefix('-').unwrap_or(inner);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == '-')
}

/// The fixed part of every program: the checksum, conversions, generics, blue functions.
fn prelude(out: &mut String) {
    out.push_str(
        r#"var chk: u64 = u64(0)

def mix(v: i64) -> None:
    chk = (chk ^ u64(v)) * u64(1099511628211) + u64(7)

def mixf(v: f64) -> None:
    mix(i64(v * 16.0))

def mixb(v: bool) -> None:
    if v:
        mix(i64(1))
    else:
        mix(i64(2))

def mixs(v: str) -> None:
    mix(i64(len(v)))
    mix(i64(hash(v)))

def tof(x: f64) -> f64:
    return x

def id64(x: i64) -> i64:
    return x

def to64_i8(x: i8) -> i64:
    return i64(x)

def to64_u8(x: u8) -> i64:
    return i64(x)

def to64_i32(x: i32) -> i64:
    return i64(x)

def to64_u32(x: u32) -> i64:
    return i64(x)

def to64_u64(x: u64) -> i64:
    return i64(x)

def from64_i32(x: i64) -> i32:
    var lo: i64 = x & i64(4294967295)
    if lo >= i64(2147483648):
        lo = lo - i64(4294967296)
    f: f64 = lo
    return i32(f)

def from64_i8(x: i64) -> i8:
    return i8(from64_i32(x))

def from64_u8(x: i64) -> u8:
    return u8(from64_i32(x))

def from64_u32(x: i64) -> u32:
    return from64_i32(x)

def from64_u64(x: i64) -> u64:
    return u64(x)

def g_add3[T](a: T, b: T, c: T) -> T:
    return a + b + c

def g_pick[T](a: T, b: T, c: bool) -> T:
    if c:
        return a
    return b

@struct
class Box[T]:
    item: T

    def get(self) -> T:
        return self.item

@blue
def b_poly(n: i32) -> i32:
    var acc = 1
    for i in range(n):
        acc = acc * 31 + i
    return acc

@blue
def b_adder(k: i32):
    def add(x: i32) -> i32:
        return x + k
    return add

b_add7 = b_adder(7)

"#,
    );
}

/// A program from the generator's seed `seed`.
pub fn generate(seed: u64) -> String {
    let mut rng = Rng(seed.max(1) ^ 0x9e37_79b9_7f4a_7c15);
    let mut gen = Gen {
        rng: &mut rng,
        structs: Vec::new(),
        funcs: Vec::new(),
        next_name: 0,
        mult: 1,
        cost: 0,
        budget: 0,
        depth: 0,
        in_loop: false,
    };
    let mut out = String::new();
    let _ = writeln!(out, "# generated by stage-tests/src/progen.rs, seed {seed:#x}");
    prelude(&mut out);
    let mut lines: Vec<String> = Vec::new();
    for _ in 0..gen.rng.below(3) {
        gen.struct_def(&mut lines);
    }
    let nfuncs = 1 + gen.rng.below(5);
    for _ in 0..nfuncs {
        if gen.chance(4) {
            gen.rec_def(&mut lines);
        } else {
            gen.func_def(&mut lines);
        }
    }
    let exit_code = gen.chance(10);
    lines.push(format!("def main() -> {}:", if exit_code { "i32" } else { "None" }));
    gen.cost = 1;
    gen.budget = 3000;
    gen.mult = 1;
    let mut env = Vec::new();
    // Red values to start from, so that most of main is not folded at redshift.
    for _ in 0..3 + gen.rng.below(3) {
        let ty = gen.pick_ty();
        let name = gen.fresh("v");
        let e = gen.expr(&env, ty, 2);
        lines.push(format!("    var {name}: {} = {e}", ty.name(&gen.structs)));
        env.push(Var { name, ty, assignable: true, mutable: true });
    }
    let count = 6 + gen.rng.below(10);
    gen.block(&mut lines, &mut env, 1, count);
    // Every function at least once, on values of main.
    for f in 0..gen.funcs.len() {
        let params = gen.funcs[f].params.clone();
        let mut args: Vec<String> = params.iter().map(|&t| gen.expr(&env, t, 1)).collect();
        if gen.funcs[f].recursive {
            args[0] = format!("({} & 15)", args[0]);
        }
        let call = format!("{}({})", gen.funcs[f].name, args.join(", "));
        let ret = gen.funcs[f].ret;
        let m = gen.mix(&env, ret, Some(call));
        lines.push(format!("    {m}"));
    }
    lines.push("    print(\"checksum\", chk)".into());
    lines.push("    var zero: i32 = 0".into());
    match gen.rng.below(12) {
        0 => {
            let e = gen.expr(&env, ListI32, 2);
            lines.push(format!("    print({e}[len({e}) + 3 + zero])"));
        }
        1 => {
            let e = gen.expr(&env, I64, 2);
            lines.push(format!("    print({e} // i64(zero))"));
        }
        2 => lines.push("    raise ValueError(\"deliberate\")".into()),
        3 => {
            let e = gen.expr(&env, Dict, 1);
            lines.push(format!("    print({e}[\"missing\" + str(zero)])"));
        }
        _ => {}
    }
    if exit_code {
        lines.push("    return from64_i32(i64(chk & u64(127)))".into());
    }
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Running and comparing

/// One way of running a program, as in `tests/stages.rs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Runner {
    Interp,
    Redshift,
    NativeO0,
    NativeO2,
}

impl Runner {
    pub fn name(self) -> &'static str {
        match self {
            Runner::Interp => "seed-interp",
            Runner::Redshift => "seed-redshift",
            Runner::NativeO0 => "seed-native -O0",
            Runner::NativeO2 => "seed-native -O2",
        }
    }

    fn args(self, file: &str, build: &str) -> Vec<String> {
        let v: Vec<&str> = match self {
            Runner::Interp => vec![file],
            Runner::Redshift => vec!["redshift", "-x", file],
            Runner::NativeO0 => vec!["build", "-x", "-b", build, file],
            Runner::NativeO2 => vec!["build", "-x", "-O2", "-b", build, file],
        };
        v.into_iter().map(String::from).collect()
    }
}

/// Runs `text` (as `<dir>/prog.spy`) on `runner`.
pub fn run_on(spy0: &Path, dir: &Path, text: &str, runner: Runner, timeout: Duration) -> Outcome {
    let _ = std::fs::create_dir_all(dir);
    std::fs::write(dir.join("prog.spy"), text).expect("write program");
    let build = dir.join(format!("build-{}", runner.name().replace([' ', '-'], "")));
    let args = runner.args("prog.spy", &build.to_string_lossy());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdlib = workspace_dir().join("stdlib").to_string_lossy().into_owned();
    run::run(spy0, &args, dir, &[("SPY_STDLIB", &stdlib)], timeout)
}

pub struct Config {
    pub seed: u64,
    pub count: usize,
    /// One program in this many also runs on seed-native (-O0 and -O2).
    pub native_every: usize,
    pub timeout: Duration,
    pub jobs: usize,
    pub out_dir: PathBuf,
}

#[derive(Default)]
pub struct Stats {
    pub programs: usize,
    pub native: usize,
    /// Programs generated and run on seed-interp per second (the first phase alone).
    pub interp_rate: f64,
}

/// The first problem of a program: a runner disagreeing with seed-interp, or an ending
/// no generated program may have (a static error, a crash, a hang).
fn problem(results: &[(Runner, Outcome)]) -> Option<String> {
    let (first, base) = &results[0];
    for (runner, outcome) in results {
        if let Some(why) = run::verdict(outcome) {
            return Some(format!("{}: {why}", runner.name()));
        }
        if run::is_static_diagnostic(&outcome.stderr) {
            let head = outcome.stderr.lines().skip_while(|l| !l.is_empty()).find(|l| !l.is_empty()).unwrap_or("");
            return Some(format!("{}: a static error on a generated program: {head}", runner.name()));
        }
        if outcome != base {
            return Some(format!("{} and {} disagree", first.name(), runner.name()));
        }
    }
    None
}

/// Runs a program on `runners` (the first is the reference).
fn run_all(spy0: &Path, dir: &Path, text: &str, runners: &[Runner], timeout: Duration) -> Vec<(Runner, Outcome)> {
    runners.iter().map(|&r| (r, run_on(spy0, dir, text, r, timeout))).collect()
}

/// Deletes lines and blocks of `text` while `runners` still show a problem of the same
/// kind (the same message); gives up after `limit`.
pub fn reduce(spy0: &Path, dir: &Path, text: &str, runners: &[Runner], want: &str, limit: Duration) -> String {
    let start = Instant::now();
    let timeout = Duration::from_secs(3);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let still = |lines: &[String]| {
        let t = lines.join("\n") + "\n";
        problem(&run_all(spy0, dir, &t, runners, timeout)).is_some_and(|p| p == want)
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut changed = true;
    while changed && start.elapsed() < limit {
        changed = false;
        let mut i = 0;
        while i < lines.len() && start.elapsed() < limit {
            // The block that starts at line i: it and the lines indented deeper below it.
            // Decorators go with what they decorate.
            let mut head = i;
            while head + 1 < lines.len() && lines[head].trim_start().starts_with('@') {
                head += 1;
            }
            let mut end = head + 1;
            while end < lines.len() && (lines[end].trim().is_empty() || indent(&lines[end]) > indent(&lines[head])) {
                end += 1;
            }
            let mut candidate = lines.clone();
            candidate.drain(i..end);
            if !lines[i].trim().is_empty() && still(&candidate) {
                lines = candidate;
                changed = true;
            } else {
                i += 1;
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Generates and checks `config.count` programs; returns the counts and one line per
/// failing program (where its original and reduced forms are saved).
pub fn fuzz(config: &Config, spy0: &Path) -> (Stats, Vec<String>) {
    let _ = std::fs::remove_dir_all(&config.out_dir);
    let work = config.out_dir.join("work");
    let seeds: Vec<u64> = {
        let mut rng = Rng(config.seed.max(1));
        (0..config.count).map(|_| rng.next()).collect()
    };
    let timeout = config.timeout;
    // Phase 1: generate and run on seed-interp (timed: the programs-per-second figure).
    let start = Instant::now();
    let interp = run::pool(
        &seeds,
        config.jobs,
        |worker, _, &seed| {
            let text = generate(seed);
            let out = run_on(spy0, &work.join(format!("w{worker}")), &text, Runner::Interp, timeout);
            (text, out)
        },
        || false,
    );
    let interp_secs = start.elapsed().as_secs_f64();
    let interp: Vec<(String, Outcome)> = interp.into_iter().flatten().collect();
    // FUZZ_KEEP=1 keeps every program, to read what the generator makes.
    if std::env::var("FUZZ_KEEP").is_ok_and(|v| v == "1") {
        let all = config.out_dir.join("all");
        let _ = std::fs::create_dir_all(&all);
        for (idx, (text, out)) in interp.iter().enumerate() {
            let _ = std::fs::write(all.join(format!("p{idx}.spy")), text);
            let _ = std::fs::write(all.join(format!("p{idx}.out")), &out.stdout);
        }
    }
    // Phase 2: every program on seed-redshift, a sample on seed-native.
    let every = config.native_every.max(1);
    let checked = run::pool(
        &interp,
        config.jobs,
        |worker, idx, (text, base)| {
            let dir = work.join(format!("w{worker}"));
            let mut results = vec![(Runner::Interp, base.clone())];
            let mut runners = vec![Runner::Redshift];
            if idx % every == 0 {
                runners.extend([Runner::NativeO0, Runner::NativeO2]);
            }
            results.extend(run_all(spy0, &dir, text, &runners, timeout));
            problem(&results).map(|p| (p, results))
        },
        || false,
    );
    let mut failures = Vec::new();
    for (idx, result) in checked.iter().enumerate() {
        let Some(Some((problem_text, results))) = result else { continue };
        let (text, _) = &interp[idx];
        let saved = config.out_dir.join(format!("program-{idx}"));
        let _ = std::fs::create_dir_all(&saved);
        let _ = std::fs::write(saved.join("original.spy"), text);
        let mut report = format!("{problem_text}\n");
        for (runner, outcome) in results {
            let _ = write!(report, "\n== {}\n{}\n", runner.name(), outcome.summary(3000));
        }
        let runners: Vec<Runner> = results.iter().map(|(r, _)| *r).collect();
        let reduced = if failures.len() < 3 {
            let r = reduce(spy0, &work.join("reduce"), text, &runners, problem_text, Duration::from_secs(90));
            let _ = std::fs::write(saved.join("reduced.spy"), &r);
            let again = run_all(spy0, &work.join("reduce"), &r, &runners, timeout);
            let _ = write!(report, "\nreduced ({} lines):\n", r.lines().count());
            for (runner, outcome) in again {
                let _ = write!(report, "\n== {}\n{}\n", runner.name(), outcome.summary(3000));
            }
            format!(", reduced to {} lines", r.lines().count())
        } else {
            String::new()
        };
        let _ = std::fs::write(saved.join("why.txt"), &report);
        failures.push(format!(
            "program {idx} (seed {:#x}): {problem_text}{reduced}; saved in {}",
            seeds[idx],
            saved.display()
        ));
    }
    let _ = std::fs::remove_dir_all(&work);
    let stats = Stats {
        programs: interp.len(),
        native: interp.len().div_ceil(every),
        interp_rate: interp.len() as f64 / interp_secs.max(1e-9),
    };
    (stats, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_depend_on_the_seed_only() {
        assert_eq!(generate(42), generate(42));
        assert_ne!(generate(42), generate(43));
        assert!(generate(42).contains("def main()"));
    }
}
