//! Shifted code: the typed, dispatch-free form of a red function that redshift produces
//! (LANGUAGE.md §5.10, BACKEND.md §1.1). Every operator is a direct call to a known
//! function (`FuncRef`), every local is a slot, every blue value is a constant. The
//! executor runs it, `print.rs` prints it, and the C backend will translate it.

use super::value::{FuncId, TypeId, Value};
use crate::source::Span;

/// A native operation, named by its upstream FQN (`operator::i32_add`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `operator::<prim>_<op>` for `+ - * / // % ** << >> & | ^`
    Arith(ArithOp, super::value::Prim),
    /// `operator::<prim>_<cmp>` for `== != < <= > >=`
    Cmp(CmpKind, super::value::Prim),
    /// `operator::<prim>_neg`
    Neg(super::value::Prim),
    /// `operator::bool_not`
    Not,
    /// `operator::<a>_to_<b>`: implicit and explicit numeric conversions
    Convert(super::value::Prim, super::value::Prim),
    /// `operator::str_to_<int>`: parsing with Python's `int()` grammar (§17 #5)
    ParseInt(super::value::Prim),
    /// `builtins::<prim>::__str__` and `__repr__`
    ToStr(super::value::Prim),
    Repr(super::value::Prim),
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
    Hash(super::value::Prim),
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
    Unchecked(ArithOp, super::value::Prim),
    Ieee754Div(super::value::Prim),
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

/// What a call calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FuncRef {
    Builtin(Builtin),
    User(FuncId),
}

#[derive(Clone, Debug)]
pub struct RExpr {
    pub kind: RKind,
    pub ty: TypeId,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum RKind {
    Const(Value),
    Local(u32),
    /// A `var` global, by cell index.
    Global(u32),
    Call(FuncRef, Vec<RExpr>),
    And(Box<RExpr>, Box<RExpr>),
    Or(Box<RExpr>, Box<RExpr>),
    /// Field `index` of a struct value.
    GetField(Box<RExpr>, u32),
    /// `T.__make__(fields...)`
    MakeStruct(Vec<RExpr>),
    /// `(slot := value)`
    AssignLocal(u32, Box<RExpr>),
    /// Evaluates the expressions in order, then yields the last one (`__block__`).
    Seq(Vec<RExpr>),
    /// An inlined call (`@force_inline`, LANGUAGE.md §5.9): the statements, then the value.
    Block(Vec<RStmt>, Box<RExpr>),
    AssignGlobal(u32, Box<RExpr>),
}

#[derive(Clone, Debug)]
pub enum RStmt {
    Pass,
    Break,
    Continue,
    Return(Option<RExpr>),
    Expr(RExpr),
    /// `slot = value`; `first` marks the declaration (printed with its type).
    Assign {
        slot: u32,
        value: RExpr,
        first: bool,
    },
    AssignGlobal {
        cell: u32,
        value: RExpr,
    },
    /// `a, b = value`: `value` is a struct (tuple) whose fields go to the slots in order.
    Unpack {
        slots: Vec<u32>,
        value: RExpr,
    },
    If {
        test: RExpr,
        then_body: Vec<RStmt>,
        else_body: Vec<RStmt>,
    },
    While {
        test: RExpr,
        body: Vec<RStmt>,
    },
    /// `raise` of a blue exception value (LANGUAGE.md §11.2).
    Raise {
        exc: Value,
        span: Span,
    },
    Assert {
        test: RExpr,
        msg: Option<RExpr>,
        span: Span,
    },
}

/// A local of a shifted function: parameters first, in order.
#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub ty: TypeId,
}

#[derive(Clone, Debug)]
pub struct RFunc {
    pub fqn: String,
    pub n_params: usize,
    pub locals: Vec<Local>,
    pub ret: TypeId,
    pub body: Vec<RStmt>,
    /// The end of the function, for "reached the end without a `return`".
    pub span: Span,
}
