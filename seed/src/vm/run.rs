//! Running red code: an `RFunc` is compiled once into closures, one per node, each
//! specialised for its shape (a local read, an i32 add of a local and a constant, a loop
//! test comparing two i32 locals...), then run on a frame of slots. The fast paths cover
//! only the i32 and bool operations that `ops` computes by plain wrapping arithmetic and
//! comparison; every other operation calls `ops` through `run_builtin`, so results and
//! errors (kind, message, span) are the same. Nothing is looked up by name while red
//! code runs. `main()` is started from here.

use super::builtins::{ArithOp, Builtin, CmpKind};
use super::ir::{FuncRef, RExpr, RFunc, RKind, RStmt};
use super::ops::OpError;
use super::types::{builtin_types as bt, FuncId, ModId, Prim, TypeId};
use super::value::{StructValue, Value};
use super::world::{
    Block, BoolFn, Code, Compiled, Exit, FuncImpl, Global, I32Fn, StmtFn, ValueFn, VmError, VmResult, World,
};
use crate::ast::Color;
use crate::diag::ErrorKind;
use crate::source::Span;
use std::cell::OnceCell;
use std::rc::{Rc, Weak};

impl Code {
    /// Runs the body on a frame whose parameters are already in place.
    #[inline]
    pub fn run(&self, world: &mut World<'_>, slots: &mut [Value]) -> VmResult<Value> {
        for (slot, zero) in slots[self.n_params..].iter_mut().zip(self.zeros[self.n_params..].iter()) {
            *slot = zero.clone();
        }
        if world.depth >= MAX_CALL_DEPTH {
            return Err(VmError::runtime("RecursionError", "maximum recursion depth exceeded", world.current_span));
        }
        world.depth += 1;
        let result = self.run_body(world, slots);
        world.depth -= 1;
        result
    }

    #[inline]
    fn run_body(&self, world: &mut World<'_>, slots: &mut [Value]) -> VmResult<Value> {
        match run_block(&self.body, world, slots) {
            Ok(()) | Err(Exit::Break | Exit::Continue) => Ok(Value::None),
            Err(Exit::Return) => Ok(std::mem::replace(&mut slots[self.n_slots - 1], Value::None)),
            Err(Exit::Error(err)) => Err(err),
        }
    }
}

/// Nested calls of red code beyond this depth are a `RecursionError` (the process stack
/// would overflow long before an SPy program legitimately needs more).
const MAX_CALL_DEPTH: usize = 20_000;

pub fn compile_func(f: &RFunc, zeros: Box<[Value]>) -> Code {
    let compiler = Compiler { ret_slot: f.locals.len() };
    Code { n_slots: f.locals.len() + 1, n_params: f.n_params, zeros, body: compiler.block(&f.body) }
}

#[inline(always)]
fn run_block(block: &[StmtFn], world: &mut World<'_>, slots: &mut [Value]) -> Result<(), Exit> {
    for stmt in block {
        stmt(world, slots)?;
    }
    Ok(())
}

/// Boxes a closure; the bound gives it its higher-ranked signature (any world lifetime).
fn boxed<R, E>(f: impl Fn(&mut World<'_>, &mut [Value]) -> Result<R, E> + 'static) -> Compiled<R, E> {
    Box::new(f)
}

/// Evaluates expressions left to right.
pub fn eval_all(exprs: &[ValueFn], world: &mut World<'_>, slots: &mut [Value]) -> VmResult<Vec<Value>> {
    let mut values = Vec::with_capacity(exprs.len());
    for e in exprs {
        values.push(e(world, slots)?);
    }
    Ok(values)
}

/// Builds a struct from its fields, left to right. Small structs get their field vector
/// in one allocation of the exact size.
#[inline]
pub fn make_struct(ty: TypeId, fields: &[ValueFn], world: &mut World<'_>, slots: &mut [Value]) -> VmResult<Value> {
    let fields = match fields {
        [a, b] => {
            let a = a(world, slots)?;
            vec![a, b(world, slots)?]
        }
        [a, b, c] => {
            let a = a(world, slots)?;
            let b = b(world, slots)?;
            vec![a, b, c(world, slots)?]
        }
        _ => eval_all(fields, world, slots)?,
    };
    Ok(Value::Struct(Rc::new(StructValue { ty, fields })))
}

/// An operand of a native i32 operation. Locals, constants and fields of a local struct
/// are read in place, without a call or a clone.
enum I32Src {
    Slot(usize),
    Const(i32),
    Field(usize, usize),
    Arith(I32Fn),
    Value(ValueFn),
}

impl I32Src {
    #[inline(always)]
    fn get(&self, world: &mut World<'_>, slots: &mut [Value]) -> VmResult<i32> {
        match self {
            I32Src::Slot(slot) => Ok(expect_i32(&slots[*slot])),
            I32Src::Const(v) => Ok(*v),
            I32Src::Field(slot, idx) => Ok(expect_i32(field_of(&slots[*slot], *idx))),
            I32Src::Arith(f) => f(world, slots),
            I32Src::Value(f) => match f(world, slots)? {
                Value::I32(x) => Ok(x),
                other => panic!("internal error: expected an i32, got {other:?}"),
            },
        }
    }
}

/// The closure for `l op r` on i32s, then `sink` on the result (wrap it as a `Value`,
/// store it in a slot, return it). `op` and `sink` are function types, not values, so
/// every (operation, use, operand shape) gets its own straight-line closure; the
/// common shapes read their operands without the generic `I32Src::get`.
fn i32_binop<T, R, E, Op, Sink>(l: I32Src, r: I32Src, op: Op, sink: Sink) -> Compiled<R, E>
where
    T: 'static,
    R: 'static,
    E: From<VmError> + 'static,
    Op: Fn(i32, i32) -> T + Copy + 'static,
    Sink: Fn(T, &mut [Value]) -> Result<R, E> + Copy + 'static,
{
    match (l, r) {
        (I32Src::Slot(a), I32Src::Slot(b)) => boxed(move |_, slots| {
            let v = op(expect_i32(&slots[a]), expect_i32(&slots[b]));
            sink(v, slots)
        }),
        (I32Src::Slot(a), I32Src::Const(c)) => boxed(move |_, slots| {
            let v = op(expect_i32(&slots[a]), c);
            sink(v, slots)
        }),
        (I32Src::Field(a, i), I32Src::Field(b, j)) => boxed(move |_, slots| {
            let v = op(expect_i32(field_of(&slots[a], i)), expect_i32(field_of(&slots[b], j)));
            sink(v, slots)
        }),
        (l, r) => boxed(move |world, slots| {
            let x = l.get(world, slots)?;
            let y = r.get(world, slots)?;
            sink(op(x, y), slots)
        }),
    }
}

/// `l + r`, `l - r`, `l * r`: `ops` computes these on i32 by wrapping, as here.
fn i32_arith<R: 'static, E: From<VmError> + 'static>(
    op: ArithOp,
    l: I32Src,
    r: I32Src,
    sink: impl Fn(i32, &mut [Value]) -> Result<R, E> + Copy + 'static,
) -> Compiled<R, E> {
    match op {
        ArithOp::Add => i32_binop(l, r, i32::wrapping_add, sink),
        ArithOp::Sub => i32_binop(l, r, i32::wrapping_sub, sink),
        ArithOp::Mul => i32_binop(l, r, i32::wrapping_mul, sink),
        _ => panic!("internal error: {op:?} has no i32 fast path"),
    }
}

fn i32_cmp<R: 'static>(
    kind: CmpKind,
    l: I32Src,
    r: I32Src,
    sink: impl Fn(bool, &mut [Value]) -> VmResult<R> + Copy + 'static,
) -> Compiled<R> {
    match kind {
        CmpKind::Eq => i32_binop(l, r, |x: i32, y: i32| x == y, sink),
        CmpKind::Ne => i32_binop(l, r, |x: i32, y: i32| x != y, sink),
        CmpKind::Lt => i32_binop(l, r, |x: i32, y: i32| x < y, sink),
        CmpKind::Le => i32_binop(l, r, |x: i32, y: i32| x <= y, sink),
        CmpKind::Gt => i32_binop(l, r, |x: i32, y: i32| x > y, sink),
        CmpKind::Ge => i32_binop(l, r, |x: i32, y: i32| x >= y, sink),
    }
}

#[inline(always)]
fn expect_i32(v: &Value) -> i32 {
    match v {
        Value::I32(x) => *x,
        other => panic!("internal error: expected an i32, got {other:?}"),
    }
}

/// Stores an i32 into a slot; when the slot already holds one, as a loop counter does,
/// there is no old value to drop.
#[inline(always)]
fn set_i32(slot: &mut Value, v: i32) {
    match slot {
        Value::I32(x) => *x = v,
        other => *other = Value::I32(v),
    }
}

/// Copies a value; numbers without the out-of-line `clone`.
#[inline(always)]
fn copy_value(v: &Value) -> Value {
    match v {
        Value::I32(x) => Value::I32(*x),
        Value::Bool(b) => Value::Bool(*b),
        other => other.clone(),
    }
}

#[inline(always)]
fn field_of(v: &Value, idx: usize) -> &Value {
    match v {
        Value::Struct(s) => &s.fields[idx],
        other => panic!("internal error: field of a non-struct {other:?}"),
    }
}

/// A native operation failed: the error is raised at the operation's span.
#[cold]
#[inline(never)]
fn op_error(err: OpError, span: Span) -> VmError {
    VmError::runtime(err.kind, err.message, span)
}

struct Compiler {
    ret_slot: usize,
}

impl Compiler {
    fn block(&self, body: &[RStmt]) -> Block {
        body.iter().map(|stmt| self.stmt(stmt)).collect()
    }

    fn stmt(&self, stmt: &RStmt) -> StmtFn {
        match stmt {
            RStmt::Pass => boxed(|_, _| Ok(())),
            RStmt::Break => boxed(|_, _| Err(Exit::Break)),
            RStmt::Continue => boxed(|_, _| Err(Exit::Continue)),
            RStmt::Return(Some(value)) => self.store(self.ret_slot, value, true),
            RStmt::Return(None) => {
                let ret = self.ret_slot;
                boxed(move |_, slots| {
                    slots[ret] = Value::None;
                    Err(Exit::Return)
                })
            }
            RStmt::Expr(e) => {
                let e = self.value(e);
                boxed(move |world, slots| {
                    e(world, slots)?;
                    Ok(())
                })
            }
            RStmt::Assign { slot, value, .. } => self.store(*slot as usize, value, false),
            RStmt::AssignGlobal { cell, value } => {
                let (cell, value) = (*cell as usize, self.value(value));
                boxed(move |world, slots| {
                    world.cells[cell].value = value(world, slots)?;
                    Ok(())
                })
            }
            RStmt::Unpack { slots, value } => self.unpack(slots, value),
            RStmt::If { test, then_body, else_body } => {
                let (test, then_body, else_body) = (self.bool_fn(test), self.block(then_body), self.block(else_body));
                boxed(move |world, slots| {
                    let body = if test(world, slots)? { &then_body } else { &else_body };
                    run_block(body, world, slots)
                })
            }
            RStmt::While { test, body } => self.while_loop(test, body),
            RStmt::Raise { exc, span } => {
                let (exc, span) = (exc.clone(), *span);
                boxed(move |world, _| {
                    let Value::Exc(e) = &exc else { panic!("internal error: raising a non-exception") };
                    Err(Exit::Error(VmError::runtime(world.type_name(e.ty), e.message.clone(), span)))
                })
            }
            RStmt::Assert { test, msg, span } => self.assert(test, msg.as_ref(), *span),
        }
    }

    /// `slot = value`, or `return value` into the return slot. Copies between slots and
    /// i32 arithmetic store straight into the frame.
    fn store(&self, slot: usize, value: &RExpr, is_return: bool) -> StmtFn {
        let done = move || if is_return { Err(Exit::Return) } else { Ok(()) };
        if let RKind::Local(src) = value.kind {
            let src = src as usize;
            return boxed(move |_, slots| {
                match slots[src] {
                    Value::I32(v) => set_i32(&mut slots[slot], v),
                    ref other => slots[slot] = other.clone(),
                }
                done()
            });
        }
        if let Some((op, l, r)) = self.i32_arith(value) {
            return i32_arith(op, l, r, move |v, slots: &mut [Value]| {
                set_i32(&mut slots[slot], v);
                done()
            });
        }
        let value = self.value(value);
        boxed(move |world, slots| {
            slots[slot] = value(world, slots)?;
            done()
        })
    }

    fn unpack(&self, targets: &[u32], value: &RExpr) -> StmtFn {
        let targets: Box<[u32]> = targets.into();
        let value = self.value(value);
        boxed(move |world, slots| {
            let Value::Struct(s) = value(world, slots)? else { panic!("internal error: unpacking a non-struct") };
            for (slot, field) in targets.iter().zip(s.fields.iter()) {
                slots[*slot as usize] = field.clone();
            }
            Ok(())
        })
    }

    fn while_loop(&self, test: &RExpr, body: &[RStmt]) -> StmtFn {
        let (test, body) = (self.bool_fn(test), self.block(body));
        boxed(move |world, slots| {
            while test(world, slots)? {
                match run_block(&body, world, slots) {
                    Ok(()) | Err(Exit::Continue) => {}
                    Err(Exit::Break) => break,
                    Err(exit) => return Err(exit),
                }
            }
            Ok(())
        })
    }

    fn assert(&self, test: &RExpr, msg: Option<&RExpr>, span: Span) -> StmtFn {
        let test = self.bool_fn(test);
        let msg = msg.map(|m| self.value(m));
        boxed(move |world, slots| {
            if test(world, slots)? {
                return Ok(());
            }
            // The message is evaluated only when the assertion fails (§7).
            let message = match &msg {
                Some(m) => String::from_utf8_lossy(m(world, slots)?.as_bytes()).into_owned(),
                None => "assertion failed".to_string(),
            };
            Err(Exit::Error(VmError::runtime("AssertionError", message, span)))
        })
    }

    fn values(&self, exprs: &[RExpr]) -> Box<[ValueFn]> {
        exprs.iter().map(|e| self.value(e)).collect()
    }

    /// An expression whose value is needed as a `Value`.
    fn value(&self, e: &RExpr) -> ValueFn {
        match &e.kind {
            RKind::Const(Value::I32(v)) => {
                let v = *v;
                boxed(move |_, _| Ok(Value::I32(v)))
            }
            RKind::Const(v) => {
                let v = v.clone();
                boxed(move |_, _| Ok(v.clone()))
            }
            RKind::Local(slot) => {
                let slot = *slot as usize;
                boxed(move |_, slots| Ok(copy_value(&slots[slot])))
            }
            RKind::Global(cell) => {
                let cell = *cell as usize;
                boxed(move |world, _| Ok(world.cells[cell].value.clone()))
            }
            RKind::Call(FuncRef::Builtin(b), args) => self.builtin_call(*b, args, e),
            RKind::Call(FuncRef::User(f), args) => {
                let site = CallSite::new(*f, self.values(args), e.span);
                boxed(move |world, slots| world.call_site(&site, slots))
            }
            RKind::And(..) | RKind::Or(..) => {
                let test = self.bool_fn(e);
                boxed(move |world, slots| Ok(Value::Bool(test(world, slots)?)))
            }
            RKind::GetField(value, idx) => self.get_field(value, *idx as usize),
            RKind::MakeStruct(fields) => {
                let (fields, ty) = (self.values(fields), e.ty);
                boxed(move |world, slots| make_struct(ty, &fields, world, slots))
            }
            RKind::AssignLocal(slot, value) => {
                let (slot, value) = (*slot as usize, self.value(value));
                boxed(move |world, slots| {
                    let v = value(world, slots)?;
                    slots[slot] = v.clone();
                    Ok(v)
                })
            }
            RKind::AssignGlobal(cell, value) => {
                let (cell, value) = (*cell as usize, self.value(value));
                boxed(move |world, slots| {
                    let v = value(world, slots)?;
                    world.cells[cell].value = v.clone();
                    Ok(v)
                })
            }
            RKind::Block(stmts, value) => {
                let stmts = self.block(stmts);
                let value = self.value(value);
                boxed(move |world, slots| {
                    // The inlined body has no `return` of its own and its loops keep their
                    // `break`/`continue`: only errors can leave it early.
                    match run_block(&stmts, world, slots) {
                        Ok(()) => {}
                        Err(Exit::Error(e)) => return Err(e),
                        Err(_) => panic!("internal error: control flow escaped an inlined block"),
                    }
                    value(world, slots)
                })
            }
            RKind::Seq(items) => {
                let items = self.values(items);
                boxed(move |world, slots| {
                    let mut last = Value::None;
                    for item in items.iter() {
                        last = item(world, slots)?;
                    }
                    Ok(last)
                })
            }
        }
    }

    fn get_field(&self, value: &RExpr, idx: usize) -> ValueFn {
        // A field of a local is read through the slot, without cloning the struct.
        if let RKind::Local(slot) = value.kind {
            let slot = slot as usize;
            return boxed(move |_, slots| Ok(field_of(&slots[slot], idx).clone()));
        }
        let value = self.value(value);
        boxed(move |world, slots| Ok(field_of(&value(world, slots)?, idx).clone()))
    }

    /// A call of a native operation: i32 arithmetic and comparisons inline, the rest
    /// through `run_builtin`, whose errors are raised at the call's span.
    fn builtin_call(&self, b: Builtin, args: &[RExpr], e: &RExpr) -> ValueFn {
        if let Some((op, l, r)) = self.i32_arith(e) {
            return i32_arith(op, l, r, |v, _: &mut [Value]| Ok(Value::I32(v)));
        }
        if let Some((kind, l, r)) = self.i32_cmp(e) {
            return i32_cmp(kind, l, r, |v, _: &mut [Value]| Ok(Value::Bool(v)));
        }
        let span = e.span;
        match args {
            [arg] => {
                let arg = self.value(arg);
                boxed(move |world, slots| {
                    let x = arg(world, slots)?;
                    world.run_builtin(b, &[x]).map_err(|err| op_error(err, span))
                })
            }
            [left, right] => {
                let (left, right) = (self.value(left), self.value(right));
                boxed(move |world, slots| {
                    let x = left(world, slots)?;
                    let y = right(world, slots)?;
                    world.run_builtin(b, &[x, y]).map_err(|err| op_error(err, span))
                })
            }
            _ => {
                let args = self.values(args);
                boxed(move |world, slots| {
                    let values = eval_all(&args, world, slots)?;
                    world.run_builtin(b, &values).map_err(|err| op_error(err, span))
                })
            }
        }
    }

    /// An expression whose value is a bool that is only tested.
    fn bool_fn(&self, e: &RExpr) -> BoolFn {
        if let Some((kind, l, r)) = self.i32_cmp(e) {
            return i32_cmp(kind, l, r, |v, _: &mut [Value]| Ok(v));
        }
        match &e.kind {
            RKind::And(a, b) => {
                let (a, b) = (self.bool_fn(a), self.bool_fn(b));
                boxed(move |world, slots| Ok(a(world, slots)? && b(world, slots)?))
            }
            RKind::Or(a, b) => {
                let (a, b) = (self.bool_fn(a), self.bool_fn(b));
                boxed(move |world, slots| Ok(a(world, slots)? || b(world, slots)?))
            }
            RKind::Call(FuncRef::Builtin(Builtin::Not), args) if args.len() == 1 => {
                let arg = self.bool_fn(&args[0]);
                boxed(move |world, slots| Ok(!arg(world, slots)?))
            }
            RKind::Local(slot) => {
                let slot = *slot as usize;
                boxed(move |_, slots| Ok(slots[slot].as_bool()))
            }
            _ => {
                let value = self.value(e);
                boxed(move |world, slots| Ok(value(world, slots)?.as_bool()))
            }
        }
    }

    /// `a + b`, `a - b`, `a * b` with both operands typed i32.
    fn i32_arith(&self, e: &RExpr) -> Option<(ArithOp, I32Src, I32Src)> {
        let RKind::Call(FuncRef::Builtin(Builtin::Arith(op, Prim::I32)), args) = &e.kind else { return None };
        if !matches!(op, ArithOp::Add | ArithOp::Sub | ArithOp::Mul) {
            return None;
        }
        let (l, r) = self.i32_operands(args)?;
        Some((*op, l, r))
    }

    fn i32_cmp(&self, e: &RExpr) -> Option<(CmpKind, I32Src, I32Src)> {
        let RKind::Call(FuncRef::Builtin(Builtin::Cmp(kind, Prim::I32)), args) = &e.kind else { return None };
        let (l, r) = self.i32_operands(args)?;
        Some((*kind, l, r))
    }

    fn i32_operands(&self, args: &[RExpr]) -> Option<(I32Src, I32Src)> {
        match args {
            [l, r] if l.ty == bt::I32 && r.ty == bt::I32 => Some((self.i32_src(l), self.i32_src(r))),
            _ => None,
        }
    }

    /// An expression typed i32, as an operand of a native i32 operation.
    fn i32_src(&self, e: &RExpr) -> I32Src {
        match &e.kind {
            RKind::Local(slot) => return I32Src::Slot(*slot as usize),
            RKind::Const(Value::I32(v)) => return I32Src::Const(*v),
            RKind::GetField(value, idx) => {
                if let RKind::Local(slot) = value.kind {
                    return I32Src::Field(slot as usize, *idx as usize);
                }
            }
            _ => {}
        }
        match self.i32_arith(e) {
            Some((op, l, r)) => I32Src::Arith(i32_arith(op, l, r, |v, _: &mut [Value]| Ok(v))),
            None => I32Src::Value(self.value(e)),
        }
    }
}

/// A call of a user function from red code. The callee is resolved on the first call,
/// not at compile time, because functions are redshifted on first use and may call
/// themselves.
pub struct CallSite {
    func: FuncId,
    args: Box<[ValueFn]>,
    span: Span,
    target: OnceCell<Target>,
}

enum Target {
    /// A red function: its compiled code. Weak, so that a recursive function does not
    /// keep its own code alive; the strong reference is in its `Function`.
    Compiled(Weak<Code>),
    /// A struct's `__make__`: builds the struct, as `call_function` does.
    Make(TypeId),
    /// Anything else (blue functions with their memo, natives) goes
    /// through `call_function`, as when blue code calls it.
    Other,
}

impl CallSite {
    pub fn new(func: FuncId, args: Box<[ValueFn]>, span: Span) -> CallSite {
        CallSite { func, args, span, target: OnceCell::new() }
    }
}

impl World<'_> {
    /// Runs a call from red code; `caller` is the calling frame, where the arguments
    /// are evaluated.
    #[inline]
    pub fn call_site(&mut self, site: &CallSite, caller: &mut [Value]) -> VmResult<Value> {
        match site.target.get() {
            Some(Target::Compiled(code)) => {
                let code = code.upgrade().expect("internal error: compiled code was dropped");
                self.call_code(&code, site, caller)
            }
            Some(Target::Make(ty)) => make_struct(*ty, &site.args, self, caller),
            Some(Target::Other) => {
                let args = eval_all(&site.args, self, caller)?;
                self.call_function(site.func, args, site.span)
            }
            None => self.first_call(site, caller),
        }
    }

    /// Resolves a call site and makes its first call. The arguments are evaluated
    /// before the callee is redshifted, as `call_function` does, so that a static error
    /// in the callee comes after their effects; a callee that fails to redshift stays
    /// unresolved and fails again on the next call.
    #[inline(never)]
    fn first_call(&mut self, site: &CallSite, caller: &mut [Value]) -> VmResult<Value> {
        let args = eval_all(&site.args, self, caller)?;
        let func = self.func(site.func);
        if let (Color::Red, FuncImpl::Make(ty)) = (func.sig.color, &func.imp) {
            let _ = site.target.set(Target::Make(*ty));
            return Ok(Value::Struct(Rc::new(StructValue { ty: *ty, fields: args })));
        }
        if !self.runs_compiled(site.func) {
            let _ = site.target.set(Target::Other);
            return self.call_function(site.func, args, site.span);
        }
        let code = self.compiled_code(site.func)?;
        // Running blue code during redshift may have resolved this site already.
        let _ = site.target.set(Target::Compiled(Rc::downgrade(&code)));
        let mut slots = args;
        slots.resize(code.n_slots, Value::None);
        code.run(self, &mut slots).map_err(|e| self.blame_caller(e, site.span))
    }

    /// The functions `call_function` runs as shifted code: red, with a body.
    fn runs_compiled(&self, f: FuncId) -> bool {
        let func = self.func(f);
        func.sig.color == Color::Red
            && matches!(func.imp, FuncImpl::Ast { .. } | FuncImpl::StructEq { .. } | FuncImpl::NotOf(_))
    }

    /// The starting value of each slot of `f`'s frame (the return slot last).
    fn zeros_of(&self, f: &RFunc) -> Box<[Value]> {
        f.locals.iter().map(|l| self.zero_value(l.ty)).chain([Value::None]).collect()
    }

    /// Runs red function `f` on values from blue code, through its cached compiled code.
    pub(super) fn run_compiled(&mut self, f: FuncId, args: Vec<Value>, span: Span) -> VmResult<Value> {
        let code = self.compiled_code(f)?;
        let mut slots = args;
        slots.resize(code.n_slots, Value::None);
        code.run(self, &mut slots).map_err(|e| self.blame_caller(e, span))
    }

    /// The compiled code of red function `f`, redshifting and compiling it on first use.
    fn compiled_code(&mut self, f: FuncId) -> VmResult<Rc<Code>> {
        if let Some(code) = &self.func(f).compiled {
            return Ok(code.clone());
        }
        let rfunc = self.redshift_func(f)?;
        let rfunc = super::inline::optimize(self, &rfunc);
        let code = Rc::new(compile_func(&rfunc, self.zeros_of(&rfunc)));
        self.func_mut(f).compiled = Some(code.clone());
        Ok(code)
    }

    /// Evaluates the arguments in the caller's frame straight into the callee's. Small
    /// frames live on the Rust stack, in the smallest of a few sizes that fits, because
    /// every slot of the array is dropped when the call ends.
    #[inline]
    fn call_code(&mut self, code: &Code, site: &CallSite, caller: &mut [Value]) -> VmResult<Value> {
        match code.n_slots {
            0..=2 => self.call_inline::<2>(code, site, caller),
            3..=4 => self.call_inline::<4>(code, site, caller),
            5..=8 => self.call_inline::<8>(code, site, caller),
            _ => {
                let mut slots = eval_all(&site.args, self, caller)?;
                slots.resize(code.n_slots, Value::None);
                code.run(self, &mut slots).map_err(|e| self.blame_caller(e, site.span))
            }
        }
    }

    #[inline]
    fn call_inline<const N: usize>(&mut self, code: &Code, site: &CallSite, caller: &mut [Value]) -> VmResult<Value> {
        let mut inline = [const { Value::None }; N];
        let slots = &mut inline[..code.n_slots];
        for (slot, arg) in slots.iter_mut().zip(site.args.iter()) {
            // The slot holds `None`, which owns nothing: no need to drop it.
            std::mem::forget(std::mem::replace(slot, arg(self, caller)?));
        }
        let result = code.run(self, slots).map_err(|e| self.blame_caller(e, site.span));
        release_frame(inline);
        result
    }
}

/// Ends a frame on the Rust stack. Dropping the array would call the generic drop on
/// every slot, a large share of a small call; only values that may own memory need it.
#[inline(always)]
fn release_frame<const N: usize>(mut slots: [Value; N]) {
    for slot in slots.iter_mut() {
        if !is_plain(slot) {
            *slot = Value::None;
        }
    }
    // Every slot now holds a value that owns nothing.
    std::mem::forget(slots);
}

/// Values that own no memory. A variant missing here is merely dropped the slow way.
#[inline(always)]
fn is_plain(v: &Value) -> bool {
    matches!(
        v,
        Value::I8(_)
            | Value::U8(_)
            | Value::I32(_)
            | Value::U32(_)
            | Value::I64(_)
            | Value::U64(_)
            | Value::F32(_)
            | Value::F64(_)
            | Value::Complex(..)
            | Value::Bool(_)
            | Value::None
            | Value::NotImplemented
            | Value::Type(_)
            | Value::Func(_)
            | Value::Module(_)
            | Value::Special(_)
    )
}

impl World<'_> {
    /// The `argv` of `main(argv: list[str])`: the program path, then its arguments (§2.4).
    pub(crate) fn argv_list(&mut self, list_ty: TypeId, span: Span) -> VmResult<Value> {
        let args: Vec<Vec<u8>> = std::mem::take(&mut self.argv).into_iter().map(String::into_bytes).collect();
        self.new_str_list(list_ty, args, span)
    }

    /// The entry module's `main`, checked (docs/spec/LANGUAGE.md §2.4): None when there is none;
    /// a static error when its signature is not one `spy0` can call.
    pub fn main_func(&self, entry: ModId) -> VmResult<Option<FuncId>> {
        let f = match self.modules[entry.0 as usize].globals.get(&self.sym.main) {
            Some(Global::Const(Value::Func(f), _)) => *f,
            _ => return Ok(None),
        };
        let sig = &self.func(f).sig;
        let proto = self.func(f).proto_span;
        let wrong = |msg: &str| {
            let e = VmError::new(ErrorKind::TypeError, "`main` has the wrong signature");
            Err(match proto {
                Some(span) => e.annotate(span, msg),
                None => e,
            })
        };
        match sig.params.as_slice() {
            [] => {}
            [param]
                if self.ty(*param).fqn == "_list::list[builtins::str]::_ListImpl"
                    || self.human_name(&self.ty(*param).fqn) == "list[str]" => {}
            _ => return wrong("parameters must be `main(argv: list[str])`"),
        }
        if sig.ret != bt::NONE && sig.ret != bt::I32 {
            return wrong("the only valid return types are `None`, `int` and `i32`");
        }
        // `main` runs when the program does: a blue one would run at compile time in the
        // interpreter but has no code in C (docs/decisions.md).
        if sig.color == Color::Blue {
            return wrong("`main` must be a red function, not `@blue`");
        }
        Ok(Some(f))
    }

    /// Calls the entry module's `main` (docs/spec/LANGUAGE.md §2.4) and returns the exit status.
    pub fn run_main(&mut self, entry: ModId) -> VmResult<i32> {
        let Some(f) = self.main_func(entry)? else {
            self.write_out(b"Cannot find function main()\n");
            return Ok(0);
        };
        let span = self.func(f).proto_span.expect("main has a prototype");
        self.current_span = span;
        let mut args = vec![];
        if let Some(&param) = self.func(f).sig.params.first() {
            args.push(self.argv_list(param, span)?);
        }
        match self.call_function(f, args, span)? {
            Value::I32(code) => Ok(code),
            _ => Ok(0),
        }
    }
}
