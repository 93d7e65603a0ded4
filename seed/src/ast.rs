//! The SPy AST: what the parser builds and every later phase reads. Nodes live in an
//! `AstArena` (typed-arena) and refer to each other with `&'a` links; names are
//! interned `Symbol`s. Every node carries the `Span` it was parsed from. The shape
//! follows upstream's `spy/ast.py` (docs/spec/LANGUAGE.md, docs/spec/BACKEND.md §11.3); `dump.rs` prints it.

use crate::source::Span;
use string_interner::{backend::StringBackend, DefaultSymbol, StringInterner};
use typed_arena::Arena;

pub type Symbol = DefaultSymbol;

/// Every identifier of every module, interned once.
pub struct Names {
    interner: StringInterner<StringBackend>,
}

impl Default for Names {
    fn default() -> Self {
        Names { interner: StringInterner::new() }
    }
}

impl Names {
    pub fn new() -> Names {
        Names::default()
    }

    pub fn intern(&mut self, s: &str) -> Symbol {
        self.interner.get_or_intern(s)
    }

    pub fn get(&self, sym: Symbol) -> &str {
        self.interner.resolve(sym).expect("internal error: symbol from another interner")
    }
}

/// Owns the nodes of every parsed module.
#[derive(Default)]
pub struct AstArena<'a> {
    exprs: Arena<Expr<'a>>,
    stmts: Arena<Stmt<'a>>,
    funcs: Arena<FuncDef<'a>>,
    classes: Arena<ClassDef<'a>>,
    vardefs: Arena<VarDef<'a>>,
}

impl<'a> AstArena<'a> {
    pub fn new() -> AstArena<'a> {
        AstArena::default()
    }

    pub fn expr(&'a self, kind: ExprKind<'a>, span: Span) -> &'a Expr<'a> {
        self.exprs.alloc(Expr { kind, span })
    }

    pub fn stmt(&'a self, kind: StmtKind<'a>, span: Span) -> &'a Stmt<'a> {
        self.stmts.alloc(Stmt { kind, span })
    }

    pub fn funcdef(&'a self, f: FuncDef<'a>) -> &'a FuncDef<'a> {
        self.funcs.alloc(f)
    }

    pub fn classdef(&'a self, c: ClassDef<'a>) -> &'a ClassDef<'a> {
        self.classes.alloc(c)
    }

    pub fn vardef(&'a self, v: VarDef<'a>) -> &'a VarDef<'a> {
        self.vardefs.alloc(v)
    }
}

pub struct Module<'a> {
    /// The path as given (printed by `spy0 parse` as `filename=`).
    pub filename: String,
    pub docstring: Option<String>,
    pub decls: Vec<Decl<'a>>,
    pub span: Span,
}

/// What may appear at module level (docs/spec/LANGUAGE.md §2.1).
pub enum Decl<'a> {
    FuncDef(&'a FuncDef<'a>),
    ClassDef(&'a ClassDef<'a>),
    VarDef(&'a VarDef<'a>),
    Import(Import),
}

/// `import m [as n]` (attr is None) or `from m import attr [as n]`, one per name.
pub struct Import {
    pub module: Symbol,
    pub attr: Option<Symbol>,
    pub asname: Symbol,
    pub span: Span,
    pub asname_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Color {
    Red,
    Blue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FuncKind {
    Plain,
    Generic,
    Metafunc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    Simple,
    /// `*args`
    VarPositional,
}

pub struct FuncArg<'a> {
    pub name: Symbol,
    pub ty: Option<&'a Expr<'a>>,
    pub default: Option<&'a Expr<'a>>,
    pub kind: ArgKind,
    pub span: Span,
}

/// A PEP 695 type parameter: `T` in `def f[T](...)`.
pub struct TypeParam {
    pub name: Symbol,
    pub span: Span,
}

pub struct FuncDef<'a> {
    pub color: Color,
    pub kind: FuncKind,
    pub name: Symbol,
    pub type_params: Vec<TypeParam>,
    pub args: Vec<FuncArg<'a>>,
    pub return_type: Option<&'a Expr<'a>>,
    pub docstring: Option<String>,
    pub body: Vec<&'a Stmt<'a>>,
    /// Decorators other than `@blue*`, outermost first (as written).
    pub decorators: Vec<&'a Expr<'a>>,
    /// From `def` to the end of the return annotation (the "function defined here" span).
    pub prototype_span: Span,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassKind {
    /// `@struct class`
    Struct,
    /// a class without `@struct`: parsed, refused when it is defined (docs/spec/LANGUAGE.md §8.1)
    Class,
}

pub struct ClassDef<'a> {
    pub name: Symbol,
    pub kind: ClassKind,
    pub type_params: Vec<TypeParam>,
    pub docstring: Option<String>,
    /// Field declarations are `VarDef`s without a value; methods are `FuncDef`s.
    pub body: Vec<&'a Stmt<'a>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Var,
    Const,
}

/// `x: T [= e]`, `var x [: T] [= e]`, `const x [: T] [= e]`, or at module level `x = e`.
/// `kind` is None when the source did not say `var`/`const`.
pub struct VarDef<'a> {
    pub kind: Option<VarKind>,
    pub name: Symbol,
    pub name_span: Span,
    pub ty: Option<&'a Expr<'a>>,
    pub value: Option<&'a Expr<'a>>,
    pub span: Span,
}

pub struct Stmt<'a> {
    pub kind: StmtKind<'a>,
    pub span: Span,
}

pub enum StmtKind<'a> {
    Pass,
    Break,
    Continue,
    Return(Option<&'a Expr<'a>>),
    /// An expression statement (`StmtExpr`).
    Expr(&'a Expr<'a>),
    VarDef(&'a VarDef<'a>),
    /// `x = e`
    Assign {
        target: Symbol,
        target_span: Span,
        value: &'a Expr<'a>,
    },
    /// `a, b = e`
    UnpackAssign {
        targets: Vec<(Symbol, Span)>,
        value: &'a Expr<'a>,
    },
    /// `x op= e`
    AugAssign {
        op: BinOp,
        target: Symbol,
        target_span: Span,
        value: &'a Expr<'a>,
    },
    /// `obj.attr = e`
    SetAttr {
        target: &'a Expr<'a>,
        attr: Symbol,
        attr_span: Span,
        value: &'a Expr<'a>,
    },
    /// `obj[i, ...] = e`
    SetItem {
        target: &'a Expr<'a>,
        args: Vec<&'a Expr<'a>>,
        value: &'a Expr<'a>,
    },
    If {
        test: &'a Expr<'a>,
        then_body: Vec<&'a Stmt<'a>>,
        else_body: Vec<&'a Stmt<'a>>,
    },
    While {
        test: &'a Expr<'a>,
        body: Vec<&'a Stmt<'a>>,
    },
    /// `for target in iter:`; `index` numbers the `for` loops of a function from 0 in
    /// source order (nested functions continue their parent's count; docs/spec/LANGUAGE.md §9).
    For {
        index: u32,
        target: Symbol,
        target_span: Span,
        iter: &'a Expr<'a>,
        body: Vec<&'a Stmt<'a>>,
    },
    Raise(&'a Expr<'a>),
    Assert {
        test: &'a Expr<'a>,
        msg: Option<&'a Expr<'a>>,
    },
    FuncDef(&'a FuncDef<'a>),
    ClassDef(&'a ClassDef<'a>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
    MatMul,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::MatMul => "@",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    /// `+x`: parses, fails when evaluated (docs/spec/LANGUAGE.md §1.5)
    Pos,
    /// `~x`: parses, fails when evaluated
    Invert,
    Not,
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Invert => "~",
            UnaryOp::Not => "not",
        }
    }
}

/// The static type of a literal (docs/spec/LANGUAGE.md §1.4). `i8(N)`, `u64(N)`, `f32(x)`...
/// with a numeric literal argument are typed literals, folded at parse time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LitType {
    I8,
    U8,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
}

impl LitType {
    pub fn name(self) -> &'static str {
        match self {
            LitType::I8 => "i8",
            LitType::U8 => "u8",
            LitType::I32 => "i32",
            LitType::U32 => "u32",
            LitType::I64 => "i64",
            LitType::U64 => "u64",
            LitType::F32 => "f32",
            LitType::F64 => "f64",
        }
    }

    pub fn from_name(name: &str) -> Option<LitType> {
        Some(match name {
            "i8" => LitType::I8,
            "u8" => LitType::U8,
            "i32" => LitType::I32,
            "u32" => LitType::U32,
            "i64" => LitType::I64,
            "u64" => LitType::U64,
            "f32" => LitType::F32,
            "f64" => LitType::F64,
            _ => return None,
        })
    }

    /// Inclusive range of an integer type.
    pub fn int_range(self) -> Option<(i128, i128)> {
        Some(match self {
            LitType::I8 => (i8::MIN as i128, i8::MAX as i128),
            LitType::U8 => (0, u8::MAX as i128),
            LitType::I32 => (i32::MIN as i128, i32::MAX as i128),
            LitType::U32 => (0, u32::MAX as i128),
            LitType::I64 => (i64::MIN as i128, i64::MAX as i128),
            LitType::U64 => (0, u64::MAX as i128),
            LitType::F32 | LitType::F64 => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Literal {
    /// A bare int literal has type i32 and is range-checked when evaluated;
    /// a typed one (`u8(3)`) was range-checked by the parser.
    Int {
        value: i128,
        ty: LitType,
    },
    Float {
        value: f64,
        ty: LitType,
    },
    /// `3j`: the imaginary part of a complex128 literal.
    Complex {
        imag: f64,
    },
    Bool(bool),
    None,
}

pub struct Expr<'a> {
    pub kind: ExprKind<'a>,
    pub span: Span,
}

pub enum ExprKind<'a> {
    Literal(Literal),
    /// UTF-8 text (adjacent literals already concatenated).
    Str(String),
    Bytes(Vec<u8>),
    Name(Symbol),
    BinOp {
        op: BinOp,
        left: &'a Expr<'a>,
        right: &'a Expr<'a>,
    },
    CmpOp {
        op: CmpOp,
        left: &'a Expr<'a>,
        right: &'a Expr<'a>,
    },
    UnaryOp {
        op: UnaryOp,
        value: &'a Expr<'a>,
    },
    And {
        left: &'a Expr<'a>,
        right: &'a Expr<'a>,
    },
    Or {
        left: &'a Expr<'a>,
        right: &'a Expr<'a>,
    },
    Call {
        func: &'a Expr<'a>,
        args: Vec<&'a Expr<'a>>,
    },
    /// `target.method(args)`
    CallMethod {
        target: &'a Expr<'a>,
        method: Symbol,
        method_span: Span,
        args: Vec<&'a Expr<'a>>,
    },
    GetAttr {
        value: &'a Expr<'a>,
        attr: Symbol,
        attr_span: Span,
    },
    /// `value[a, b]`: several indices are several args, not a tuple.
    GetItem {
        value: &'a Expr<'a>,
        args: Vec<&'a Expr<'a>>,
    },
    List(Vec<&'a Expr<'a>>),
    Tuple(Vec<&'a Expr<'a>>),
    Dict(Vec<(&'a Expr<'a>, &'a Expr<'a>)>),
    Slice {
        start: Option<&'a Expr<'a>>,
        stop: Option<&'a Expr<'a>>,
        step: Option<&'a Expr<'a>>,
    },
    /// `(target := value)`
    AssignExpr {
        target: Symbol,
        target_span: Span,
        value: &'a Expr<'a>,
    },
    /// `__block__('''stmts; expr''')`: statements, then the value of the block.
    Block {
        body: Vec<&'a Stmt<'a>>,
        value: &'a Expr<'a>,
    },
    /// Placeholders for Python constructs SPy rejects: `*x`, and any other node by its
    /// Python name (`IfExp`, `Lambda`, `ListComp`...). The parser records the rejection
    /// and keeps going (a later Python syntax error takes precedence), so these never
    /// appear in a module the parser returns.
    Starred(&'a Expr<'a>),
    Unsupported(&'static str),
}

/// Does a body always end in `return`/`raise` (docs/spec/LANGUAGE.md §17 #19)? The last statement
/// is a `return` or `raise`, an `if`/`else` whose branches both are, or `while True`
/// without `break`.
pub fn always_returns(body: &[&Stmt]) -> bool {
    match body.last().map(|s| &s.kind) {
        Some(StmtKind::Return(_) | StmtKind::Raise(_)) => true,
        Some(StmtKind::If { then_body, else_body, .. }) => always_returns(then_body) && always_returns(else_body),
        Some(StmtKind::While { test, body }) => {
            matches!(test.kind, ExprKind::Literal(Literal::Bool(true))) && !contains_break(body)
        }
        _ => false,
    }
}

pub fn contains_break(body: &[&Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Break => true,
        StmtKind::If { then_body, else_body, .. } => contains_break(then_body) || contains_break(else_body),
        _ => false,
    })
}

pub fn stmt_kind_name(kind: &StmtKind) -> &'static str {
    match kind {
        StmtKind::For { .. } => "For",
        StmtKind::While { .. } => "While",
        StmtKind::Return(_) => "Return",
        StmtKind::Expr(_) => "StmtExpr",
        StmtKind::Raise(_) => "Raise",
        StmtKind::Assert { .. } => "Assert",
        StmtKind::AugAssign { .. } => "AugAssign",
        StmtKind::UnpackAssign { .. } => "UnpackAssign",
        StmtKind::SetAttr { .. } => "SetAttr",
        StmtKind::SetItem { .. } => "SetItem",
        StmtKind::ClassDef(_) => "ClassDef",
        StmtKind::Break => "Break",
        StmtKind::Continue => "Continue",
        _ => "statement",
    }
}

/// Does a statement (or a block inside it) contain a `return`?
pub fn contains_return(stmt: &Stmt) -> bool {
    match &stmt.kind {
        StmtKind::Return(_) => true,
        StmtKind::If { then_body, else_body, .. } => {
            then_body.iter().chain(else_body.iter()).any(|s| contains_return(s))
        }
        StmtKind::While { body, .. } | StmtKind::For { body, .. } => body.iter().any(|s| contains_return(s)),
        _ => false,
    }
}
