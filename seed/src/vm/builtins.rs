//! The builtins: every native operation (`Builtin`) and every builtin the evaluator
//! resolves itself (`Special`), with the facts the phases read about each: its FQN,
//! whether it folds on blue arguments, whether it can raise. One place per fact.

use super::types::{Prim, TypeId};

/// A native operation, named by its upstream FQN (`operator::i32_add`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// SYNC(builtins): the same variants, in order, in spy-in-spy/vm/builtins.spy (B_*).
pub enum Builtin {
    /// `operator::<prim>_<op>` for `+ - * / // % ** << >> & | ^`
    Arith(ArithOp, super::types::Prim),
    /// `operator::<prim>_<cmp>` for `== != < <= > >=`
    Cmp(CmpKind, super::types::Prim),
    /// `operator::<prim>_neg`
    Neg(super::types::Prim),
    /// `operator::bool_not`
    Not,
    /// `operator::<a>_to_<b>`: implicit and explicit numeric conversions
    Convert(super::types::Prim, super::types::Prim),
    /// `operator::str_to_<int>`: parsing with Python's `int()` grammar (§17 #5)
    ParseInt(super::types::Prim),
    /// `builtins::<prim>::__str__` and `__repr__`
    ToStr(super::types::Prim),
    Repr(super::types::Prim),
    /// `_str::methods::*` and `_bytes` operations
    StrAdd,
    StrMul,
    StrGetItem,
    StrLen,
    StrContains,
    BytesAdd,
    BytesMul,
    BytesGetItem,
    BytesLen,
    /// `hash(x)` for a primitive
    Hash(super::types::Prim),
    /// `==`/`!=` by identity, for reference types without `__eq__` (§4.4).
    IdentityEq,
    IdentityNe,
    /// `s[a:b:c]` (a `_slice::Slice` index), and the str methods of §13.1.
    StrSlice,
    StrUpper,
    StrIsAscii,
    StrIsSpace,
    StrReplace,
    StrFind,
    StrCount,
    StrEncode,
    BytesDecode,
    /// `s.split()` / `s.split(sep)`, building a `list[str]` (its type is given).
    StrSplit(TypeId),
    /// The file layer of the `posix` module that `_file.spy` is written on (§14.3).
    Fopen,
    Fread,
    Freadline,
    Fwrite,
    Fclose,
    Ftell,
    Fseek,
    Fflush,
    Freadall,
    Fileno,
    /// `ptr_copy` and the other helpers of `unsafe` (§10.3).
    Mem(MemOp),
    /// `unsafe.unchecked_div/floordiv/mod(a, b)`: the operator with a PanicError for
    /// a zero divisor (§10.4); `unsafe.ieee754_div(a, b)`: IEEE division, no check.
    Unchecked(ArithOp, super::types::Prim),
    Ieee754Div(super::types::Prim),
    /// `posix.get_terminal_size()` (its result type is given) and `posix.isatty(fd)`.
    TerminalSize(TypeId),
    Isatty,
    /// `posix._isfile(path)` and `posix._getenv(name, default)`: what a program needs to
    /// find its modules (the compiler in SPy; docs/decisions.md).
    IsFile,
    Getenv,
    /// `math.sqrt(x)` and friends (docs/spec/LANGUAGE.md §14.1, §17 #20).
    Math(MathFn),
    /// `time.time()`, `time.sleep(s)` (§14.2).
    TimeNow,
    Sleep,
    /// `__spy__.is_compiled()`: False in the VM, True in compiled code (never folded).
    IsCompiled,
    /// `__spy__._stdout_write(s)` / `_stderr_write(s)`: the bytes of `s`, no newline.
    StdoutWrite,
    StderrWrite,
    /// `posix._exit(status)`: flush stdout and stderr, end the process (spyboot, docs/decisions.md).
    Exit,
    /// `c.real`, `c.imag` of a red complex128.
    ComplexReal,
    ComplexImag,
    /// `complex128(s)`: Python's `complex()` grammar for a str (docs/spec/LANGUAGE.md §3.12).
    ParseComplex,
    /// `unsafe._str_copy_into(dst, at, s)`: the bytes of `s` into `dst[at:at + len(s)]`;
    /// `unsafe._str_from_bytes(src, n)`: a str of the first `n` bytes of `src` (spyboot's
    /// string-building helpers, docs/decisions.md).
    StrCopyInto,
    StrFromBytes,
    /// `ord(s)` of a red str: its first byte.
    OrdStr,
    /// `repr(x)` of a struct without `__str__`/`__repr__`: `<spy \`m::Point\` object>`.
    DefaultRepr(TypeId),
    /// `gc_alloc[T](n)`: a fresh block of `n` items.
    Alloc(TypeId),
    /// `p[i]` of a non-struct item / a reference to a struct item; `p[i] = v`.
    PtrLoad,
    PtrRef,
    PtrStore,
    /// `p.f` (item 0's field `f`), by value or, for a struct field, by reference; `p.f = v`.
    PtrFieldLoad(u32),
    PtrFieldRef(u32),
    PtrFieldStore(u32),
    /// The same through a reference; `RefLoad` reads the whole referenced value.
    RefFieldLoad(u32),
    RefFieldRef(u32),
    RefFieldStore(u32),
    RefLoad,
    /// `p == q`, `p != q`, `if p:`
    PtrEq,
    PtrNe,
    PtrToBool,
}

/// The bulk memory helpers of `unsafe` (docs/spec/LANGUAGE.md §10.3); counts are in items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// SYNC(mem-ops): the same variants, in order, in spy-in-spy/vm/builtins.spy (MEM_*).
pub enum MemOp {
    Copy,
    CopySlice,
    Move,
    MoveSlice,
    SetBytes,
    SetBytesSlice,
    Cmp,
    CmpSlice,
    Memcpy,
    Memmove,
    Memset,
    Memcmp,
}

impl MemOp {
    pub const ALL: [(&'static str, MemOp); 12] = [
        ("ptr_copy", MemOp::Copy),
        ("ptr_copy_slice", MemOp::CopySlice),
        ("ptr_move", MemOp::Move),
        ("ptr_move_slice", MemOp::MoveSlice),
        ("ptr_setbytes", MemOp::SetBytes),
        ("ptr_setbytes_slice", MemOp::SetBytesSlice),
        ("ptr_cmp", MemOp::Cmp),
        ("ptr_cmp_slice", MemOp::CmpSlice),
        ("memcpy", MemOp::Memcpy),
        ("memmove", MemOp::Memmove),
        ("memset", MemOp::Memset),
        ("memcmp", MemOp::Memcmp),
    ];

    pub fn name(self) -> &'static str {
        MemOp::ALL.iter().find(|(_, m)| *m == self).map(|(n, _)| *n).expect("every MemOp is in ALL")
    }

    /// The argument kinds: `p` a pointer, `i` an i32, `b` a u8 byte.
    pub fn signature(self) -> &'static str {
        match self {
            MemOp::Copy | MemOp::Move | MemOp::Cmp | MemOp::Memcpy | MemOp::Memmove | MemOp::Memcmp => "ppi",
            MemOp::CopySlice | MemOp::MoveSlice | MemOp::CmpSlice => "piipii",
            MemOp::SetBytes | MemOp::Memset => "pbi",
            MemOp::SetBytesSlice => "piib",
        }
    }
}

/// The functions of the `math` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// SYNC(math-fns): the same variants, in order, in spy-in-spy/vm/builtins.spy (MATH_*).
pub enum MathFn {
    Sqrt,
    Cos,
    Sin,
    Tan,
    Log,
    Log10,
    Exp,
    Acos,
    Asin,
    Atan,
    Ceil,
    Floor,
    Fabs,
    Atan2,
    Pow,
}

impl MathFn {
    pub const ALL: [(&'static str, MathFn); 15] = [
        ("sqrt", MathFn::Sqrt),
        ("cos", MathFn::Cos),
        ("sin", MathFn::Sin),
        ("tan", MathFn::Tan),
        ("log", MathFn::Log),
        ("log10", MathFn::Log10),
        ("exp", MathFn::Exp),
        ("acos", MathFn::Acos),
        ("asin", MathFn::Asin),
        ("atan", MathFn::Atan),
        ("ceil", MathFn::Ceil),
        ("floor", MathFn::Floor),
        ("fabs", MathFn::Fabs),
        ("atan2", MathFn::Atan2),
        ("pow", MathFn::Pow),
    ];

    pub fn name(self) -> &'static str {
        MathFn::ALL.iter().find(|(_, f)| *f == self).map(|(n, _)| *n).expect("every MathFn is in ALL")
    }

    pub fn arity(self) -> usize {
        if matches!(self, MathFn::Atan2 | MathFn::Pow) {
            2
        } else {
            1
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// SYNC(arith-ops): the same variants, in order, in spy-in-spy/vm/builtins.spy (ARITH_*).
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
}

impl ArithOp {
    pub fn name(self) -> &'static str {
        match self {
            ArithOp::Add => "add",
            ArithOp::Sub => "sub",
            ArithOp::Mul => "mul",
            ArithOp::Div => "div",
            ArithOp::FloorDiv => "floordiv",
            ArithOp::Mod => "mod",
            ArithOp::Pow => "pow",
            ArithOp::LShift => "lshift",
            ArithOp::RShift => "rshift",
            ArithOp::And => "and",
            ArithOp::Or => "or",
            ArithOp::Xor => "xor",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::FloorDiv => "//",
            ArithOp::Mod => "%",
            ArithOp::Pow => "**",
            ArithOp::LShift => "<<",
            ArithOp::RShift => ">>",
            ArithOp::And => "&",
            ArithOp::Or => "|",
            ArithOp::Xor => "^",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// SYNC(cmp-kinds): the same variants, in order, in spy-in-spy/vm/builtins.spy (CMP_*).
pub enum CmpKind {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpKind {
    pub fn name(self) -> &'static str {
        match self {
            CmpKind::Eq => "eq",
            CmpKind::Ne => "ne",
            CmpKind::Lt => "lt",
            CmpKind::Le => "le",
            CmpKind::Gt => "gt",
            CmpKind::Ge => "ge",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpKind::Eq => "==",
            CmpKind::Ne => "!=",
            CmpKind::Lt => "<",
            CmpKind::Le => "<=",
            CmpKind::Gt => ">",
            CmpKind::Ge => ">=",
        }
    }
}

/// Builtin functions whose calls the evaluator resolves itself, because they accept
/// any type or any number of arguments (docs/spec/LANGUAGE.md §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// SYNC(specials): the same variants, in order, in spy-in-spy/vm/builtins.spy (SP_*).
pub enum Special {
    Print,
    Len,
    Repr,
    Hash,
    Ord,
    StaticType,
    /// `type(x)`
    TypeOf,
    /// Decorators of methods: `@property`, `@staticmethod`, `@classmethod`.
    Property,
    StaticMethod,
    ClassMethod,
    /// The `@struct` class decorator.
    Struct,
    /// `__spy__`: `COLOR(e)`, `is_compiled()`, `@force_inline`.
    Color,
    IsCompiled,
    ForceInline,
    /// `getattr(obj, "name")`, `hasattr`, `setattr`: the name must be blue (§4.7).
    GetAttr,
    HasAttr,
    SetAttr,
    /// `unsafe`'s bulk memory helpers (docs/spec/LANGUAGE.md §10.3).
    PtrMem(crate::vm::builtins::MemOp),
    /// `unsafe.unchecked_div`, `unchecked_floordiv`, `unchecked_mod`, `ieee754_div` (§10.4).
    Unchecked(crate::vm::builtins::ArithOp),
    Ieee754Div,
    /// `__spy__.as_red(e)` and `__spy__.lookup_fqn("mod::name")` (docs/spec/LANGUAGE.md §5.13, §14.6).
    AsRed,
    LookupFqn,
    /// `unsafe`: the pointer type constructors and allocators, used as `gc_ptr[T]`.
    GcPtr,
    RawPtr,
    GcRef,
    RawRef,
    GcAlloc,
    RawAlloc,
}

/// A builtin folds: a call whose arguments are all blue is computed at redshift time
/// (docs/spec/LANGUAGE.md §5.1: every function of `operator`, and a few builtins and str methods).
const FOLDS: u8 = 1;
/// It may raise a run-time error: compiled code passes it the operation's `spy_Loc`.
const RAISES: u8 = 2;
/// It reads or writes memory, files or the process, not only its arguments: it is never
/// folded, dropped, duplicated or inlined.
const EFFECTS: u8 = 4;

/// What the phases know of a builtin, read from its one row in `Builtin::facts`: the VM
/// (folding), `spy0 redshift` (the FQN it prints), the interpreter's inliner (what
/// cannot fail) and cwrite (the libspy function and whether it takes a location).
pub struct Facts {
    pub fqn: String,
    pub folds: bool,
    pub raises: bool,
    pub effects: bool,
    /// The libspy function, when it is not `cwrite::names::c_name(fqn)`: the str and
    /// bytes methods keep libspy's short names, and the `unsafe` arithmetic is named per
    /// type. Builtins that cwrite writes inline (C operators, field access) have none.
    pub c_name: Option<String>,
}

fn row(fqn: impl Into<String>, flags: u8) -> Facts {
    Facts {
        fqn: fqn.into(),
        folds: flags & FOLDS != 0,
        raises: flags & RAISES != 0,
        effects: flags & EFFECTS != 0,
        c_name: None,
    }
}

impl Facts {
    fn c(mut self, name: impl Into<String>) -> Facts {
        self.c_name = Some(name.into());
        self
    }
}

impl Builtin {
    /// The one row per builtin. The arithmetic that wraps (§3.2) never raises; division,
    /// modulo, power and shifts can.
    pub fn facts(self) -> Facts {
        let p = Prim::name;
        match self {
            Builtin::Arith(op, t) => {
                let wraps = matches!(
                    op,
                    ArithOp::Add | ArithOp::Sub | ArithOp::Mul | ArithOp::And | ArithOp::Or | ArithOp::Xor
                );
                row(format!("operator::{}_{}", p(t), op.name()), if wraps { FOLDS } else { FOLDS | RAISES })
            }
            Builtin::Cmp(c, t) => row(format!("operator::{}_{}", p(t), c.name()), FOLDS),
            Builtin::Neg(t) => row(format!("operator::{}_neg", p(t)), FOLDS),
            Builtin::Not => row("operator::bool_not", FOLDS),
            Builtin::Convert(a, t) => row(format!("operator::{}_to_{}", p(a), p(t)), FOLDS),
            Builtin::ParseInt(t) => row(format!("operator::str_to_{}", p(t)), FOLDS | RAISES),
            Builtin::ParseComplex => row("operator::str_to_complex128", FOLDS | RAISES),
            Builtin::IdentityEq => row("operator::object_is", FOLDS),
            Builtin::IdentityNe => row("operator::object_isnot", FOLDS),
            // Only `str(bool)` folds: the other conversions to str run with the program.
            Builtin::ToStr(t) => row(format!("builtins::{}::__str__", p(t)), if t == Prim::Bool { FOLDS } else { 0 }),
            Builtin::Repr(t) => row(format!("builtins::{}::__repr__", p(t)), 0),
            Builtin::Hash(t) => row(format!("builtins::hash_{}", p(t)), 0),
            Builtin::DefaultRepr(_) => row("builtins::object::__repr__", FOLDS),
            Builtin::OrdStr => row("builtins::_ord_str", FOLDS | RAISES),
            Builtin::ComplexReal => row("builtins::complex128::__get_real__", FOLDS),
            Builtin::ComplexImag => row("builtins::complex128::__get_imag__", FOLDS),
            Builtin::StrAdd => row("_str::methods::__add__", FOLDS).c("spy_str_add"),
            Builtin::StrMul => row("_str::methods::__mul__", FOLDS).c("spy_str_mul"),
            Builtin::StrGetItem => row("_str::methods::__getitem__", FOLDS | RAISES).c("spy_str_getitem"),
            Builtin::StrSlice => row("_str::methods::__getitem__[slice]", FOLDS | RAISES).c("spy_str_slice"),
            Builtin::StrLen => row("_str::methods::__len__", FOLDS).c("spy_str_len"),
            Builtin::StrContains => row("_str::methods::__contains__", 0).c("spy_str_contains"),
            Builtin::StrUpper => row("_str::methods::upper", 0).c("spy_str_upper"),
            Builtin::StrIsAscii => row("_str::methods::isascii", 0).c("spy_str_isascii"),
            Builtin::StrIsSpace => row("_str::methods::isspace", 0).c("spy_str_isspace"),
            Builtin::StrReplace => row("_str::methods::replace", FOLDS).c("spy_str_replace"),
            Builtin::StrFind => row("_str::methods::find", 0).c("spy_str_find"),
            Builtin::StrCount => row("_str::methods::count", 0).c("spy_str_count"),
            Builtin::StrEncode => row("_str::methods::encode", RAISES).c("spy_str_encode"),
            Builtin::StrSplit(_) => row("_str::methods::split", RAISES),
            Builtin::BytesAdd => row("_bytes::methods::__add__", FOLDS).c("spy_bytes_add"),
            Builtin::BytesMul => row("_bytes::methods::__mul__", FOLDS).c("spy_bytes_mul"),
            Builtin::BytesGetItem => row("_bytes::methods::__getitem__", FOLDS | RAISES).c("spy_bytes_getitem"),
            Builtin::BytesLen => row("_bytes::methods::__len__", FOLDS).c("spy_bytes_len"),
            Builtin::BytesDecode => row("_bytes::methods::decode", RAISES).c("spy_bytes_decode"),
            Builtin::Fopen => row("posix::_fopen", RAISES | EFFECTS),
            Builtin::Fread => row("posix::_fread", RAISES | EFFECTS),
            Builtin::Freadline => row("posix::_freadline", RAISES | EFFECTS),
            Builtin::Freadall => row("posix::_freadall", RAISES | EFFECTS),
            Builtin::Fwrite => row("posix::_fwrite", RAISES | EFFECTS),
            Builtin::Fclose => row("posix::_fclose", RAISES | EFFECTS),
            Builtin::Ftell => row("posix::_ftell", RAISES | EFFECTS),
            Builtin::Fseek => row("posix::_fseek", RAISES | EFFECTS),
            Builtin::Fflush => row("posix::_fflush", RAISES | EFFECTS),
            Builtin::Fileno => row("posix::_fileno", EFFECTS),
            Builtin::Isatty => row("posix::isatty", EFFECTS),
            Builtin::IsFile => row("posix::_isfile", EFFECTS),
            Builtin::Getenv => row("posix::_getenv", EFFECTS),
            Builtin::TerminalSize(_) => row("posix::get_terminal_size", EFFECTS),
            Builtin::Exit => row("posix::_exit", EFFECTS),
            Builtin::TimeNow => row("time::time", EFFECTS),
            Builtin::Sleep => row("time::sleep", EFFECTS),
            Builtin::Math(f) => row(format!("math::{}", f.name()), FOLDS | RAISES),
            // `is_compiled()` is never folded: False when the VM runs it, True in C.
            Builtin::IsCompiled => row("__spy__::is_compiled", EFFECTS),
            Builtin::StdoutWrite => row("__spy__::_stdout_write", EFFECTS),
            Builtin::StderrWrite => row("__spy__::_stderr_write", EFFECTS),
            Builtin::Unchecked(op, t) => row(format!("unsafe::unchecked_{}[{}]", op.name(), p(t)), FOLDS | RAISES)
                .c(format!("spy_unsafe${}_unchecked_{}", p(t), op.name())),
            Builtin::Ieee754Div(t) => {
                row(format!("unsafe::ieee754_div[{}]", p(t)), FOLDS).c(format!("spy_unsafe${}_ieee754_div", p(t)))
            }
            Builtin::StrCopyInto => row("unsafe::_str_copy_into", RAISES | EFFECTS),
            Builtin::StrFromBytes => row("unsafe::_str_from_bytes", RAISES | EFFECTS),
            Builtin::Mem(m) => row(format!("unsafe::{}", m.name()), RAISES | EFFECTS),
            Builtin::Alloc(_) => row("unsafe::gc_alloc", RAISES | EFFECTS),
            Builtin::PtrLoad => row("unsafe::ptr::getitem_byval", RAISES | EFFECTS),
            Builtin::PtrRef => row("unsafe::ptr::getitem_byref", RAISES | EFFECTS),
            Builtin::PtrStore => row("unsafe::ptr::store", RAISES | EFFECTS),
            Builtin::PtrFieldLoad(_) => row("unsafe::ptr_getfield::byval", RAISES | EFFECTS),
            Builtin::PtrFieldRef(_) => row("unsafe::ptr_getfield::byref", RAISES | EFFECTS),
            Builtin::PtrFieldStore(_) => row("unsafe::ptr_setfield", RAISES | EFFECTS),
            Builtin::RefFieldLoad(_) => row("unsafe::ptr_getfield::byval", EFFECTS),
            Builtin::RefFieldRef(_) => row("unsafe::ptr_getfield::byref", EFFECTS),
            Builtin::RefFieldStore(_) => row("unsafe::ptr_setfield", EFFECTS),
            Builtin::RefLoad => row("unsafe::ref::deref", EFFECTS),
            Builtin::PtrEq => row("unsafe::ptr::__eq__", FOLDS),
            Builtin::PtrNe => row("unsafe::ptr::__ne__", FOLDS),
            Builtin::PtrToBool => row("unsafe::ptr::to_bool", FOLDS),
        }
    }
}
