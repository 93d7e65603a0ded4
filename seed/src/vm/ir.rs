//! Shifted code: the typed, dispatch-free form of a red function that redshift produces
//! (docs/spec/LANGUAGE.md §5.10, docs/spec/BACKEND.md §1.1). Every operator is a direct call to a known
//! function (`FuncRef`), every local is a slot, every blue value is a constant. The
//! executor runs it (`run.rs`), `print.rs` prints it, and `cwrite/` translates it to C.

use super::builtins::Builtin;
use super::types::{FuncId, TypeId};
use super::value::Value;
use crate::source::Span;

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
// SYNC(rkinds): the same variants, in order, in spy-in-spy/vm/ir.spy (RK_*).
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
    /// An inlined call (`@force_inline`, docs/spec/LANGUAGE.md §5.9): the statements, then the value.
    Block(Vec<RStmt>, Box<RExpr>),
    AssignGlobal(u32, Box<RExpr>),
}

#[derive(Clone, Debug)]
// SYNC(rstmts): the same variants, in order, in spy-in-spy/vm/ir.spy (RS_*).
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
    /// `raise` of a blue exception value (docs/spec/LANGUAGE.md §11.2).
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
