//! The frame of an evaluation (module body, class body, blue function, red function being
//! redshifted) and `Operand`, what evaluating an expression gives: a blue value or red code.

use super::ir::{Local, RExpr, RKind};
use super::types::{builtin_types as bt, Field, ModId, TypeId};
use super::value::Value;
use super::world::Env;
use crate::ast::Symbol;
use crate::scope::TableId;
use crate::source::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// The FQN prefix of the VM's interp_tuple types (docs/spec/LANGUAGE.md §13.8).
pub const INTERP_TUPLE: &str = "__spy__::interp_tuple";

/// The result of evaluating an expression: its static type, and its value when it is
/// blue or the code computing it when it is red.
#[derive(Clone, Debug)]
pub struct Operand {
    pub ty: TypeId,
    pub kind: OperandKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum OperandKind {
    Blue(Value),
    Red(RExpr),
}

impl Operand {
    pub fn blue(ty: TypeId, v: Value, span: Span) -> Operand {
        Operand { ty, kind: OperandKind::Blue(v), span }
    }

    pub fn red(ty: TypeId, kind: RKind, span: Span) -> Operand {
        Operand { ty, kind: OperandKind::Red(RExpr { kind, ty, span }), span }
    }

    pub fn is_blue(&self) -> bool {
        matches!(self.kind, OperandKind::Blue(_))
    }

    pub fn value(&self) -> Option<&Value> {
        match &self.kind {
            OperandKind::Blue(v) => Some(v),
            OperandKind::Red(_) => None,
        }
    }

    /// The shifted code for this value (a constant when blue).
    pub fn code(self) -> RExpr {
        match self.kind {
            OperandKind::Blue(v) => RExpr { kind: RKind::Const(v), ty: self.ty, span: self.span },
            OperandKind::Red(e) => e,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    Module,
    Class,
    Blue,
    Red,
}

pub struct Frame {
    pub kind: FrameKind,
    pub module: ModId,
    pub table: TableId,
    /// FQN of what runs: inner `def`s are named `<name>::<def name>`.
    pub name: String,
    /// Blue variables: all locals of a blue frame, the blue const locals of a red one.
    pub env: Rc<Env>,
    /// Declared types of locals (from annotations or their first assignment).
    pub decl_types: HashMap<Symbol, TypeId>,
    /// Red frames: locals that live in slots at run time.
    pub slots: HashMap<Symbol, u32>,
    pub locals: Vec<Local>,
    pub ret: TypeId,
    pub ret_span: Option<Span>,
    /// Class bodies: the fields and attributes defined so far.
    pub fields: Vec<Field>,
    pub attrs: Vec<(String, Value)>,
    /// Where each local was declared (`x: T`, `var x`, `const x`), for redeclarations.
    pub decl_spans: HashMap<Symbol, Span>,
    /// Appended to the name of every local (`x$0`): the locals of an inlined body.
    pub suffix: String,
    /// How many calls have been inlined into this frame, for their suffixes.
    pub inlined: u32,
}

impl Frame {
    pub fn new(kind: FrameKind, module: ModId, table: TableId, name: String, parent_env: Option<Rc<Env>>) -> Frame {
        Frame {
            kind,
            module,
            table,
            name,
            env: Rc::new(Env { vars: Default::default(), parent: parent_env }),
            decl_types: HashMap::new(),
            slots: HashMap::new(),
            locals: Vec::new(),
            ret: bt::NONE,
            ret_span: None,
            fields: Vec::new(),
            attrs: Vec::new(),
            decl_spans: HashMap::new(),
            suffix: String::new(),
            inlined: 0,
        }
    }

    pub(crate) fn is_red(&self) -> bool {
        self.kind == FrameKind::Red
    }
}

/// What a blue statement did.
pub enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}
