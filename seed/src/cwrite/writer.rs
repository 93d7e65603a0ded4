//! The writer of one C function (`Writer`, whose methods are in `func.rs` and
//! `builtins.rs`) and `C`, a lowered expression with what the writer needs to know of it.

use super::program::{ModWriter, Program};
use crate::vm::ir::RFunc;

/// A lowered expression: C code and how it may be used.
#[derive(Clone, Debug)]
pub struct C {
    pub code: String,
    /// C precedence of the outermost operator (16: primary, 15: unary, 13: `*`, 12: `+`,
    /// 11: shifts, 10: `<`, 9: `==`, 8: `&`, 7: `^`, 6: `|`, 5: `&&`, 4: `||`, 1: comma).
    pub prec: u8,
    /// A constant or a temporary: its value cannot change, whatever is evaluated later.
    pub stable: bool,
    /// Evaluating it has no effect (it may be dropped or duplicated).
    pub pure: bool,
}

impl C {
    pub fn new(code: impl Into<String>, prec: u8) -> C {
        C { code: code.into(), prec, stable: false, pure: true }
    }

    pub fn constant(code: impl Into<String>) -> C {
        C { code: code.into(), prec: 16, stable: true, pure: true }
    }

    /// The code, parenthesised unless it binds at least as tightly as `prec`.
    pub fn at(&self, prec: u8) -> String {
        if self.prec >= prec {
            self.code.clone()
        } else {
            format!("({})", self.code)
        }
    }
}

pub struct Writer<'p, 'w, 'a, 'm> {
    pub(super) program: &'p mut Program<'w, 'a>,
    pub(super) module: &'m mut ModWriter,
    pub(super) rfunc: &'p RFunc,
    /// The statements written so far.
    pub(super) out: String,
    pub(super) indent: usize,
    /// Temporaries and their C types, declared at the top of the function.
    pub(super) temps: Vec<(String, String)>,
    /// Functions of the stdlib report run-time errors at the user's call into them.
    pub(super) in_stdlib: bool,
    /// Which locals the code reads.
    pub(super) read: Vec<bool>,
}
