//! The executor: runs red functions as compiled code (`compile.rs`), the fast path for
//! every red function (docs/vm-design.md). A function is compiled the first time red
//! code calls it and kept in its `Function`; each call site remembers its callee's code,
//! and a frame is a slice of slots, on the Rust stack when it is small. Nothing is
//! looked up by name while red code runs.

use super::compile::{compile_func, eval_all, make_struct, Code, ValueFn};
use super::ir::RFunc;
use super::value::{FuncId, StructValue, TypeId, Value};
use super::{FuncImpl, VmResult, World};
use crate::ast::Color;
use crate::source::Span;
use std::cell::OnceCell;
use std::rc::{Rc, Weak};

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
    /// Runs a shifted function on its arguments. Called from blue code, which has no
    /// call site to remember the code in, so the function is compiled for this call.
    pub fn exec_func(&mut self, f: &RFunc, args: Vec<Value>) -> VmResult<Value> {
        let code = compile_func(f, self.zeros_of(f));
        let mut slots = args;
        slots.resize(code.n_slots, Value::None);
        code.run(self, &mut slots)
    }

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
