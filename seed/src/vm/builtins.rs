//! The builtins: every native operation (`Builtin`) and every builtin the evaluator
//! resolves itself (`Special`), with the facts the phases read about each: its FQN,
//! whether it folds on blue arguments, whether it can raise. One place per fact.

use super::types::{Prim, TypeId};

/// A native operation, named by its upstream FQN (`operator::i32_add`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// `math.sqrt(x)` and friends (LANGUAGE.md §14.1, §17 #20).
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
    /// `complex128(s)`: Python's `complex()` grammar for a str (LANGUAGE.md §3.12).
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

/// The bulk memory helpers of `unsafe` (LANGUAGE.md §10.3); counts are in items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
/// any type or any number of arguments (LANGUAGE.md §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// `unsafe`'s bulk memory helpers (LANGUAGE.md §10.3).
    PtrMem(crate::vm::builtins::MemOp),
    /// `unsafe.unchecked_div`, `unchecked_floordiv`, `unchecked_mod`, `ieee754_div` (§10.4).
    Unchecked(crate::vm::builtins::ArithOp),
    Ieee754Div,
    /// `__spy__.as_red(e)` and `__spy__.lookup_fqn("mod::name")` (LANGUAGE.md §5.13, §14.6).
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

/// Every function of the `operator` module is pure (folded when its arguments are
/// blue, LANGUAGE.md §5.1); so are a few builtins and str methods.
pub(crate) fn is_pure(b: Builtin) -> bool {
    let touches_memory = matches!(
        b,
        Builtin::Alloc(_)
            | Builtin::PtrLoad
            | Builtin::PtrRef
            | Builtin::PtrStore
            | Builtin::PtrFieldLoad(_)
            | Builtin::PtrFieldRef(_)
            | Builtin::PtrFieldStore(_)
            | Builtin::RefFieldLoad(_)
            | Builtin::RefFieldRef(_)
            | Builtin::RefFieldStore(_)
            | Builtin::RefLoad
    );
    // Of the str methods only these are pure (LANGUAGE.md §5.1); the others run when
    // the program does, and `split` allocates a list.
    if matches!(
        b,
        Builtin::Mem(_)
            | Builtin::TerminalSize(_)
            | Builtin::Isatty
            | Builtin::TimeNow
            | Builtin::Sleep
            | Builtin::Fopen
            | Builtin::Fread
            | Builtin::Freadline
            | Builtin::Fwrite
            | Builtin::Fclose
            | Builtin::Ftell
            | Builtin::Fseek
            | Builtin::Fflush
            | Builtin::Freadall
            | Builtin::Fileno
            | Builtin::StdoutWrite
            | Builtin::StderrWrite
            | Builtin::Exit
            | Builtin::StrCopyInto
            | Builtin::StrFromBytes
    ) {
        return false;
    }
    let impure_str_method = matches!(
        b,
        Builtin::StrUpper
            | Builtin::StrIsAscii
            | Builtin::StrIsSpace
            | Builtin::StrFind
            | Builtin::StrCount
            | Builtin::StrEncode
            | Builtin::BytesDecode
            | Builtin::StrSplit(_)
    );
    !touches_memory
        && !impure_str_method
        && !matches!(b, Builtin::ToStr(p) if p != Prim::Bool)
        && !matches!(b, Builtin::Hash(_) | Builtin::Repr(_) | Builtin::StrContains)
}
