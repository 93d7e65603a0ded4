//! The executor: runs shifted code (`RFunc`) on values. Locals are slots in a vector,
//! calls are direct, and nothing is looked up by name, so this is the fast path for
//! every red function (docs/vm-design.md).

use super::ir::{ArithOp, Builtin, CmpKind, FuncRef, RExpr, RFunc, RKind, RStmt};
use super::value::{Prim, StructValue, Value};
use super::{VmError, VmResult, World};
use std::rc::Rc;

/// How a block ended.
enum Ctl {
    Normal,
    Break,
    Continue,
    Return(Value),
}

impl World<'_> {
    /// Runs a shifted function on its arguments.
    pub fn exec_func(&mut self, f: &RFunc, args: Vec<Value>) -> VmResult<Value> {
        let mut locals = args;
        locals.resize(f.locals.len(), Value::None);
        match self.exec_body(&f.body, &mut locals)? {
            Ctl::Return(v) => Ok(v),
            _ => Ok(Value::None),
        }
    }

    fn exec_body(&mut self, body: &[RStmt], locals: &mut Vec<Value>) -> VmResult<Ctl> {
        for stmt in body {
            match self.exec_rstmt(stmt, locals)? {
                Ctl::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Ctl::Normal)
    }

    fn exec_rstmt(&mut self, stmt: &RStmt, locals: &mut Vec<Value>) -> VmResult<Ctl> {
        match stmt {
            RStmt::Pass => {}
            RStmt::Break => return Ok(Ctl::Break),
            RStmt::Continue => return Ok(Ctl::Continue),
            RStmt::Return(value) => {
                let v = match value {
                    Some(e) => self.eval_rexpr(e, locals)?,
                    None => Value::None,
                };
                return Ok(Ctl::Return(v));
            }
            RStmt::Expr(e) => {
                self.eval_rexpr(e, locals)?;
            }
            RStmt::Assign { slot, value, .. } => {
                let v = self.eval_rexpr(value, locals)?;
                locals[*slot as usize] = v;
            }
            RStmt::AssignGlobal { cell, value } => {
                let v = self.eval_rexpr(value, locals)?;
                self.cells[*cell as usize].value = v;
            }
            RStmt::Unpack { slots, value } => {
                let v = self.eval_rexpr(value, locals)?;
                let Value::Struct(s) = v else { panic!("internal error: unpacking a non-struct") };
                for (slot, field) in slots.iter().zip(s.fields.iter()) {
                    locals[*slot as usize] = field.clone();
                }
            }
            RStmt::If { test, then_body, else_body } => {
                let body = if self.eval_rexpr(test, locals)?.as_bool() { then_body } else { else_body };
                return self.exec_body(body, locals);
            }
            RStmt::While { test, body } => {
                while self.eval_rexpr(test, locals)?.as_bool() {
                    match self.exec_body(body, locals)? {
                        Ctl::Break => break,
                        Ctl::Return(v) => return Ok(Ctl::Return(v)),
                        Ctl::Normal | Ctl::Continue => {}
                    }
                }
            }
            RStmt::Raise { exc, span } => {
                let Value::Exc(e) = exc else { panic!("internal error: raising a non-exception") };
                return Err(VmError::runtime(self.type_name(e.ty), e.message.clone(), *span));
            }
            RStmt::Assert { test, msg, span } => {
                if !self.eval_rexpr(test, locals)?.as_bool() {
                    // The message is evaluated only when the assertion fails (§7).
                    let message = match msg {
                        Some(m) => String::from_utf8_lossy(self.eval_rexpr(m, locals)?.as_bytes()).into_owned(),
                        None => "assertion failed".to_string(),
                    };
                    return Err(VmError::runtime("AssertionError", message, *span));
                }
            }
        }
        Ok(Ctl::Normal)
    }

    /// The hot path: constants, locals and natives of one or two arguments. Everything
    /// else goes to `eval_rexpr_slow`, so this function stays small.
    #[inline]
    fn eval_rexpr(&mut self, e: &RExpr, locals: &mut Vec<Value>) -> VmResult<Value> {
        match &e.kind {
            RKind::Local(slot) => Ok(locals[*slot as usize].clone()),
            RKind::Const(v) => Ok(v.clone()),
            RKind::Call(FuncRef::Builtin(b), args) if args.len() == 2 => {
                let x = self.eval_rexpr(&args[0], locals)?;
                let y = self.eval_rexpr(&args[1], locals)?;
                if let (Value::I32(x), Value::I32(y)) = (&x, &y) {
                    if let Some(v) = fast_i32(*b, *x, *y) {
                        return Ok(v);
                    }
                }
                self.builtin2(*b, x, y, e.span)
            }
            _ => self.eval_rexpr_slow(e, locals),
        }
    }

    #[inline(never)]
    fn builtin2(&mut self, b: Builtin, x: Value, y: Value, span: crate::source::Span) -> VmResult<Value> {
        self.run_builtin(b, &[x, y]).map_err(|err| VmError::runtime(err.kind, err.message, span))
    }

    #[inline(never)]
    fn eval_rexpr_slow(&mut self, e: &RExpr, locals: &mut Vec<Value>) -> VmResult<Value> {
        Ok(match &e.kind {
            RKind::Const(v) => v.clone(),
            RKind::Local(slot) => locals[*slot as usize].clone(),
            RKind::Global(cell) => self.cells[*cell as usize].value.clone(),
            RKind::Call(FuncRef::Builtin(b), args) if args.len() == 1 => {
                let one = [self.eval_rexpr(&args[0], locals)?];
                self.run_builtin(*b, &one).map_err(|err| VmError::runtime(err.kind, err.message, e.span))?
            }
            RKind::Call(func, args) => {
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    values.push(self.eval_rexpr(a, locals)?);
                }
                match func {
                    FuncRef::Builtin(b) => self
                        .run_builtin(*b, &values)
                        .map_err(|err| VmError::runtime(err.kind.to_string(), err.message, e.span))?,
                    FuncRef::User(f) => self.call_function(*f, values, e.span)?,
                }
            }
            RKind::And(a, b) => {
                Value::Bool(self.eval_rexpr(a, locals)?.as_bool() && self.eval_rexpr(b, locals)?.as_bool())
            }
            RKind::Or(a, b) => {
                Value::Bool(self.eval_rexpr(a, locals)?.as_bool() || self.eval_rexpr(b, locals)?.as_bool())
            }
            RKind::GetField(value, idx) => match self.eval_rexpr(value, locals)? {
                Value::Struct(s) => s.fields[*idx as usize].clone(),
                other => panic!("internal error: field of a non-struct {other:?}"),
            },
            RKind::MakeStruct(fields) => {
                let mut values = Vec::with_capacity(fields.len());
                for f in fields {
                    values.push(self.eval_rexpr(f, locals)?);
                }
                Value::Struct(Rc::new(StructValue { ty: e.ty, fields: values }))
            }
            RKind::Seq(items) => {
                let mut last = Value::None;
                for item in items {
                    last = self.eval_rexpr(item, locals)?;
                }
                last
            }
            RKind::AssignLocal(slot, value) => {
                let v = self.eval_rexpr(value, locals)?;
                locals[*slot as usize] = v.clone();
                v
            }
            RKind::AssignGlobal(cell, value) => {
                let v = self.eval_rexpr(value, locals)?;
                self.cells[*cell as usize].value = v.clone();
                v
            }
        })
    }
}

/// The i32 operations loops are made of, without the generic path's dispatch. Same
/// results as `ops::call` (wrapping arithmetic); anything else returns None.
#[inline]
fn fast_i32(b: Builtin, x: i32, y: i32) -> Option<Value> {
    Some(match b {
        Builtin::Arith(ArithOp::Add, Prim::I32) => Value::I32(x.wrapping_add(y)),
        Builtin::Arith(ArithOp::Sub, Prim::I32) => Value::I32(x.wrapping_sub(y)),
        Builtin::Arith(ArithOp::Mul, Prim::I32) => Value::I32(x.wrapping_mul(y)),
        Builtin::Cmp(CmpKind::Lt, Prim::I32) => Value::Bool(x < y),
        Builtin::Cmp(CmpKind::Le, Prim::I32) => Value::Bool(x <= y),
        Builtin::Cmp(CmpKind::Gt, Prim::I32) => Value::Bool(x > y),
        Builtin::Cmp(CmpKind::Ge, Prim::I32) => Value::Bool(x >= y),
        Builtin::Cmp(CmpKind::Eq, Prim::I32) => Value::Bool(x == y),
        Builtin::Cmp(CmpKind::Ne, Prim::I32) => Value::Bool(x != y),
        _ => return None,
    })
}
