//! Calls: of functions (blue calls run at once and are memoized, red calls become
//! shifted calls), generics, metafunctions and their OpSpecs, `@force_inline` bodies and
//! types (construction, `__new__`), with arity and argument type checks (docs/spec/LANGUAGE.md §4.9, §5).

use super::frame::{Flow, Frame, FrameKind, Operand};
use super::ir::{FuncRef, RKind, RStmt};
use super::types::{builtin_types as bt, FuncId, TypeId, TypeKind};
use super::value::{ExcValue, MetaArgValue, OpSpecValue, StructValue, Value};
use super::world::{err, FuncImpl, VmError, VmResult, World};
use crate::ast::{self, contains_return, Color, FuncDef, FuncKind, StmtKind};
use crate::diag::ErrorKind;
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    pub(crate) fn call(
        &mut self,
        frame: &mut Frame,
        callee: Operand,
        args: Vec<Operand>,
        span: Span,
    ) -> VmResult<Operand> {
        // A red callee has no value: only `__call__` can call it.
        match callee.value().cloned() {
            Some(Value::Func(f)) if self.func(f).sig.kind == FuncKind::Generic => {
                let ty = self.type_name(callee.ty);
                return Err(VmError::new(ErrorKind::TypeError, "generic functions must be called via `[...]`")
                    .annotate(callee.span, format!("this is `{ty}`")));
            }
            Some(Value::Func(f)) => return self.call_func_mv(frame, f, args, span, Some(callee.span)),
            Some(Value::Special(s)) => return self.call_special(frame, s, args, span),
            Some(Value::Type(t)) => return self.call_type(frame, t, args, span, callee.span),
            _ => {}
        }
        if let Some(m) = self.lookup_method(callee.ty, "__call__") {
            let mut all = vec![callee];
            all.extend(args);
            return self.call_func_mv(frame, m, all, span, None);
        }
        Err(VmError::new(ErrorKind::TypeError, format!("cannot call objects of type `{}`", self.type_name(callee.ty)))
            .annotate(callee.span, format!("this is `{}`", self.type_name(callee.ty))))
    }

    /// Calls function `f` with meta-value arguments: arity check, implicit conversions,
    /// then either a call now (blue function, or all-blue arguments in a blue frame) or
    /// shifted code.
    pub fn call_func_mv(
        &mut self,
        frame: &mut Frame,
        f: FuncId,
        args: Vec<Operand>,
        span: Span,
        callee_span: Option<Span>,
    ) -> VmResult<Operand> {
        if self.func(f).sig.kind == FuncKind::Metafunc {
            return self.call_metafunc(frame, f, args, span, callee_span);
        }
        let (sig, n_defaults, proto) = {
            let func = self.func(f);
            (func.sig.clone(), func.defaults.len(), func.proto_span)
        };
        let n_params = sig.params.len();
        let n_args = args.len();
        let min = n_params - n_defaults;
        if !sig.varargs && (n_args < min || n_args > n_params) {
            let e = self.arity_error(min, n_params, n_args, &args, callee_span.unwrap_or(span), proto);
            return Err(e.note(span, "operator::CALL called here"));
        }
        let mut converted = Vec::with_capacity(n_params);
        for (idx, arg) in args.into_iter().enumerate() {
            let expected = sig.params[idx.min(n_params - 1)];
            let note = proto.map(|p| (p, "function defined here".to_string()));
            let arg =
                self.convert(frame, arg, expected, note).map_err(|e| e.note(span, "operator::CALL called here"))?;
            converted.push(arg);
        }
        for idx in n_args..n_params {
            let v = self.func(f).defaults[idx - min].clone();
            converted.push(Operand::blue(sig.params[idx], v, span));
        }
        if frame.is_red() && self.func(f).force_inline {
            return self.inline_call(frame, f, converted, span);
        }
        let all_blue = converted.iter().all(Operand::is_blue);
        if sig.color == Color::Blue {
            if !all_blue {
                let mut e = VmError::new(ErrorKind::TypeError, "cannot call blue function with red arguments");
                if let Some(cs) = callee_span {
                    e = e.annotate(cs, "this is blue");
                }
                for a in converted.iter().filter(|a| !a.is_blue()) {
                    e = e.annotate(a.span, "this is red");
                }
                if let Some(p) = proto {
                    e = e.note(p, "function defined here");
                }
                return Err(e);
            }
            let values = converted.iter().map(|a| a.value().cloned().expect("blue")).collect();
            let v = self.call_function(f, values, span)?;
            let ty = if sig.ret == bt::DYNAMIC { self.type_of(&v) } else { sig.ret };
            return Ok(Operand::blue(ty, v, span));
        }
        let pure = self.func(f).is_pure;
        if all_blue && (!frame.is_red() || pure) {
            let values = converted.iter().map(|a| a.value().cloned().expect("blue")).collect();
            let v = self.call_function(f, values, span)?;
            return Ok(Operand::blue(sig.ret, v, span));
        }
        let codes = converted.into_iter().map(Operand::code).collect();
        Ok(Operand::red(sig.ret, RKind::Call(FuncRef::User(f), codes), span))
    }

    /// A call of a `@force_inline` function, replaced by its body (docs/spec/LANGUAGE.md §5.9): each
    /// argument is stored once in a fresh local, the callee's locals get a `$N` suffix, and
    /// the tail `return` gives the block's value.
    pub(crate) fn inline_call(
        &mut self,
        frame: &mut Frame,
        f: FuncId,
        args: Vec<Operand>,
        span: Span,
    ) -> VmResult<Operand> {
        let FuncImpl::Ast { def, module, table, env } = &self.func(f).imp else {
            panic!("internal error: only def'd functions are inlined")
        };
        let (def, module, table, env) = (*def, *module, *table, env.clone());
        if self.inlining.contains(&f) {
            let fqn = self.func(f).fqn.clone();
            return Err(VmError::new(
                ErrorKind::TypeError,
                format!("cannot inline a recursive call to @force_inline function `{fqn}`"),
            )
            .annotate(span, "recursive inline call"));
        }
        let sig = self.func(f).sig.clone();
        let mut child = Frame::new(FrameKind::Red, module, table, self.func(f).fqn.clone(), env);
        child.suffix = format!("{}${}", frame.suffix, frame.inlined);
        frame.inlined += 1;
        child.ret = sig.ret;
        child.locals = std::mem::take(&mut frame.locals);
        let mut stmts = Vec::new();
        for (arg, value) in def.args.iter().zip(args) {
            let slot = self.declare_slot(&mut child, arg.name, value.ty);
            stmts.push(RStmt::Assign { slot, value: value.code(), first: true });
        }
        self.inlining.push(f);
        let result = self.inline_body(&mut child, def, &mut stmts, span);
        self.inlining.pop();
        frame.locals = std::mem::take(&mut child.locals);
        let value = result?;
        Ok(Operand::red(sig.ret, RKind::Block(stmts, Box::new(value.code())), span))
    }

    /// Shifts an inlined body into `stmts` and returns the value of its tail `return`.
    pub(crate) fn inline_body(
        &mut self,
        child: &mut Frame,
        def: &'a FuncDef<'a>,
        stmts: &mut Vec<RStmt>,
        span: Span,
    ) -> VmResult<Operand> {
        let (last, init) = match def.body.split_last() {
            Some((last, init)) => (Some(*last), init),
            None => (None, &def.body[..]),
        };
        self.shift_block(child, init, stmts)?;
        match last.map(|s| &s.kind) {
            Some(StmtKind::Return(value)) => {
                let v = match value {
                    Some(e) => self.eval_expr(child, e)?,
                    None => Operand::blue(bt::NONE, Value::None, span),
                };
                let ret = child.ret;
                self.convert(child, v, ret, None)
            }
            Some(_) => {
                self.shift_stmt(child, last.expect("last"), stmts)?;
                Ok(Operand::blue(bt::NONE, Value::None, span))
            }
            None => Ok(Operand::blue(bt::NONE, Value::None, span)),
        }
    }

    /// `@force_inline` applied to `f`: a red `def` whose body ends with its only `return`
    /// (or has none, returning None). Marks it; calls are inlined when redshifted.
    pub(crate) fn force_inline(&mut self, v: &Operand, span: Span) -> VmResult<()> {
        let def = match v.value() {
            Some(Value::Func(f)) => match self.func(*f).imp {
                FuncImpl::Ast { def, .. } => Some((*f, def)),
                _ => None,
            },
            _ => None,
        };
        let Some((f, def)) = def else {
            return err(ErrorKind::TypeError, "@force_inline can only be applied to def'd functions")
                .map_err(|e| e.annotate(span, ""));
        };
        if self.func(f).sig.color == Color::Blue {
            return err(ErrorKind::TypeError, "@force_inline cannot be applied to @blue functions")
                .map_err(|e| e.annotate(def.prototype_span, "this is not a red function"));
        }
        let returns_elsewhere = def.body.split_last().is_some_and(|(_, init)| init.iter().any(|s| contains_return(s)));
        let ends_with_return = matches!(def.body.last().map(|s| &s.kind), Some(StmtKind::Return(_)));
        if returns_elsewhere {
            return err(ErrorKind::TypeError, "@force_inline requires a single tail return")
                .map_err(|e| e.annotate(def.prototype_span, "`return` must be the last statement of the body"));
        }
        if !ends_with_return && self.func(f).sig.ret != bt::NONE {
            return err(ErrorKind::TypeError, "@force_inline requires a single tail return")
                .map_err(|e| e.annotate(def.prototype_span, "missing `return` at the end of the body"));
        }
        self.func_mut(f).force_inline = true;
        Ok(())
    }

    /// The MetaArg of an argument (docs/spec/LANGUAGE.md §5.6): its color, static type, and value
    /// when it is blue.
    pub(crate) fn metaarg_of(&self, mv: &Operand) -> Value {
        Value::MetaArg(Rc::new(MetaArgValue { blue: mv.is_blue(), ty: mv.ty, value: mv.value().cloned() }))
    }

    /// Calls a metafunction: it runs now on one MetaArg per argument (memoized per
    /// MetaArg tuple) and returns an OpSpec saying what the call really is.
    pub(crate) fn call_metafunc(
        &mut self,
        frame: &mut Frame,
        f: FuncId,
        args: Vec<Operand>,
        span: Span,
        callee_span: Option<Span>,
    ) -> VmResult<Operand> {
        let margs: Vec<Operand> = args.iter().map(|a| Operand::blue(bt::METAARG, self.metaarg_of(a), a.span)).collect();
        let (sig, proto) = (self.func(f).sig.clone(), self.func(f).proto_span);
        let min = sig.params.len() - self.func(f).defaults.len();
        if !sig.varargs && (margs.len() < min || margs.len() > sig.params.len()) {
            let e = self.arity_error(min, sig.params.len(), margs.len(), &margs, callee_span.unwrap_or(span), proto);
            return Err(e.note(span, "operator::CALL called here"));
        }
        // A metafunc receives a MetaArg per argument (docs/spec/LANGUAGE.md §5.6): a
        // parameter declared as anything else would hold a value of another type.
        if let Some(idx) = sig.params.iter().position(|&t| t != bt::METAARG && t != bt::DYNAMIC) {
            let name = self.func(f).param_names.get(idx).cloned().unwrap_or_default();
            let declared = self.type_name(sig.params[idx]);
            let mut e = VmError::new(ErrorKind::TypeError, "the parameters of a metafunc are `MetaArg`s")
                .annotate(callee_span.unwrap_or(span), "this is a metafunc");
            if let Some(p) = proto {
                e = e.note(p, format!("`{name}` is declared `{declared}` here"));
            }
            return Err(e);
        }
        let values: Vec<Value> = margs.iter().map(|m| m.value().cloned().expect("blue")).collect();
        let result = self.call_function(f, values.clone(), span)?;
        let Value::OpSpec(spec) = result else {
            let got = self.type_name(self.type_of(&result));
            let mut e = VmError::new(
                ErrorKind::TypeError,
                format!("wrong metafunc return type: expected `operator::OpSpec`, got `{got}`"),
            )
            .annotate(callee_span.unwrap_or(span), "this is a metafunc");
            if let Some(p) = proto {
                e = e.note(p, "metafunc defined here");
            }
            return Err(e);
        };
        // On a memo hit the OpSpec refers to the MetaArgs of the first call: map through those.
        let key = self.func(f).memo.get_key_value(&values).map(|(k, _)| k.clone()).unwrap_or(values);
        // `__new__`'s leading type MetaArg is for the metafunction only: `OpSpec(fn)` calls
        // `fn` with the call's own arguments (§4.9).
        let is_new = self.func(f).fqn.ends_with("::__new__") && matches!(args.first(), Some(a) if a.ty == bt::TYPE);
        let result = match (&*spec, is_new) {
            (OpSpecValue::Call(g, None), true) => Some(self.call_func_mv(frame, *g, args[1..].to_vec(), span, None)?),
            _ => self.apply_opspec(frame, &spec, args, &key, span)?,
        };
        match result {
            Some(mv) => Ok(mv),
            None => {
                Err(VmError::new(ErrorKind::TypeError, format!("`{}` does not support this call", self.func(f).fqn))
                    .annotate(callee_span.unwrap_or(span), "the metafunc returned `OpSpec.NULL`"))
            }
        }
    }

    /// Performs the call an OpSpec describes; None for `OpSpec.NULL`.
    pub(crate) fn apply_opspec(
        &mut self,
        frame: &mut Frame,
        spec: &OpSpecValue,
        args: Vec<Operand>,
        margs: &[Value],
        span: Span,
    ) -> VmResult<Option<Operand>> {
        Ok(Some(match spec {
            OpSpecValue::Null => return Ok(None),
            OpSpecValue::Const(v) => Operand::blue(self.type_of(v), v.clone(), span),
            OpSpecValue::Call(g, None) => self.call_func_mv(frame, *g, args, span, None)?,
            OpSpecValue::Call(g, Some(chosen)) => {
                let mut mapped = Vec::with_capacity(chosen.len());
                for m in chosen {
                    let Value::MetaArg(ma) = m else { panic!("internal error: OpSpec args are MetaArgs") };
                    // An incoming MetaArg passes its argument on; a new blue one is a constant.
                    match margs.iter().position(|k| matches!(k, Value::MetaArg(km) if Rc::ptr_eq(km, ma))) {
                        Some(i) => mapped.push(args[i].clone()),
                        None if ma.blue => mapped.push(Operand::blue(ma.ty, ma.value.clone().expect("blue"), span)),
                        None => {
                            return err(
                                ErrorKind::TypeError,
                                "OpSpec arguments must be the incoming MetaArgs or blue ones",
                            )
                        }
                    }
                }
                self.call_func_mv(frame, *g, mapped, span, None)?
            }
        }))
    }

    pub(crate) fn arity_error(
        &self,
        min: usize,
        max: usize,
        got: usize,
        args: &[Operand],
        callee_span: Span,
        proto: Option<Span>,
    ) -> VmError {
        let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
        let takes = if min == max { plural(max, "argument") } else { format!("from {min} to {max} arguments") };
        let supplied = format!("{} {} supplied", plural(got, "argument"), if got == 1 { "was" } else { "were" });
        let mut e = VmError::new(ErrorKind::TypeError, format!("this function takes {takes} but {supplied}"));
        if got < min {
            e = e.annotate(callee_span, format!("{} missing", plural(min - got, "argument")));
        } else {
            let extra = &args[max..];
            let span = extra[0].span.to(extra[extra.len() - 1].span);
            e = e.annotate(span, plural(extra.len(), "extra argument"));
        }
        if let Some(p) = proto {
            e = e.note(p, "function defined here");
        }
        e
    }

    /// Runs function `f` on values now (blue functions, or red ones at import time).
    pub fn call_function(&mut self, f: FuncId, args: Vec<Value>, span: Span) -> VmResult<Value> {
        if self.func(f).sig.color == Color::Blue {
            if let Some(v) = self.func(f).memo.get(&args) {
                return Ok(v.clone());
            }
            let v = match self.func(f).imp {
                FuncImpl::GenericDef { .. } | FuncImpl::GenericClass { .. } => self.run_generic(f, args.clone())?,
                _ => self.run_blue_function(f, args.clone(), span)?,
            };
            if self.func(f).sig.kind == FuncKind::Generic {
                self.alias_generic_result(f, &args, &v);
            }
            self.func_mut(f).memo.insert(args, v.clone());
            return Ok(v);
        }
        match self.func(f).imp {
            FuncImpl::Builtin(b) => self.run_builtin(b, &args).map_err(|e| VmError::runtime(e.kind, e.message, span)),
            FuncImpl::Make(ty) => Ok(Value::Struct(Rc::new(StructValue { ty, fields: args }))),
            _ => self.run_compiled(f, args, span),
        }
    }

    /// A run-time error raised inside the stdlib is reported at the call in the user's
    /// code that led there, as a Python traceback's last user frame would show it.
    pub(crate) fn blame_caller(&self, e: VmError, call_site: Span) -> VmError {
        match e {
            VmError::Runtime(mut r)
                if self.stdlib_files.contains(&r.span.file) && !self.stdlib_files.contains(&call_site.file) =>
            {
                r.span = call_site;
                VmError::Runtime(r)
            }
            other => other,
        }
    }

    pub(crate) fn run_blue_function(&mut self, f: FuncId, args: Vec<Value>, _span: Span) -> VmResult<Value> {
        let FuncImpl::Ast { def, module, table, env } = &self.func(f).imp else {
            panic!("internal error: blue builtin")
        };
        let (def, module, table, env) = (*def, *module, *table, env.clone());
        let name = self.qualified_name(&self.func(f).fqn.clone(), &args);
        let mut frame = Frame::new(FrameKind::Blue, module, table, name, env);
        frame.ret = self.func(f).sig.ret;
        for (idx, arg) in def.args.iter().enumerate() {
            let declared = self.func(f).sig.params[idx.min(self.func(f).sig.params.len() - 1)];
            if arg.kind == ast::ArgKind::VarPositional {
                // `*args` of a blue function: a blue tuple of the remaining arguments.
                let rest: Vec<Value> = args[idx..].to_vec();
                let types: Vec<TypeId> = rest.iter().map(|v| self.type_of(v)).collect();
                let t = self.interp_tuple_type(&types, def.prototype_span);
                let tuple = Value::Struct(Rc::new(StructValue { ty: t, fields: rest }));
                frame.env.vars.borrow_mut().insert(arg.name, (tuple, t));
                break;
            }
            let ty = if declared == bt::DYNAMIC { self.type_of(&args[idx]) } else { declared };
            frame.env.vars.borrow_mut().insert(arg.name, (args[idx].clone(), ty));
            frame.decl_types.insert(arg.name, declared);
        }
        let result = self.exec_block(&mut frame, &def.body);
        match result.map_err(|e| self.leave_frame(e, self.func(f).fqn.clone(), def.prototype_span))? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::None),
        }
    }

    pub(crate) fn call_type(
        &mut self,
        frame: &mut Frame,
        t: TypeId,
        args: Vec<Operand>,
        span: Span,
        callee_span: Span,
    ) -> VmResult<Operand> {
        if t == bt::OPSPEC || t == bt::METAARG {
            return self.new_meta_value(t, args, span);
        }
        if t == bt::TYPE && args.len() == 1 {
            // `type(x)`: its type, blue (the static type is the dynamic one in SPy).
            return Ok(Operand::blue(bt::TYPE, Value::Type(args[0].ty), span));
        }
        if self.prim(t).is_some() {
            return self.explicit_convert(frame, t, args, span);
        }
        if let TypeKind::Exception { .. } = self.ty(t).kind {
            let message = match args.as_slice() {
                [] => String::new(),
                [m] => match m.value() {
                    Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
                    _ => {
                        return err(ErrorKind::TypeError, "`raise` only accepts blue values for now")
                            .map_err(|e| e.annotate(m.span, "this is red"))
                    }
                },
                _ => return err(ErrorKind::TypeError, "exceptions take at most one argument"),
            };
            return Ok(Operand::blue(t, Value::Exc(Rc::new(ExcValue { ty: t, message })), span));
        }
        if self.is_struct(t) {
            if let Some(Value::Func(new)) = self.type_attr(t, "__new__").cloned() {
                // A metafunction `__new__` also receives the type's MetaArg first (§4.9).
                let args = if self.func(new).sig.kind == FuncKind::Metafunc {
                    let mut all = vec![Operand::blue(bt::TYPE, Value::Type(t), callee_span)];
                    all.extend(args);
                    all
                } else {
                    args
                };
                return self.call_func_mv(frame, new, args, span, Some(callee_span));
            }
            let make = self.make_of(t);
            return self.call_func_mv(frame, make, args, span, Some(callee_span));
        }
        let name = self.type_name(t);
        Err(VmError::new(ErrorKind::TypeError, format!("cannot instantiate `{name}`"))
            .annotate(callee_span, format!("`{name}` does not have a method `__new__`")))
    }

    /// `OpSpec(fn)`, `OpSpec(fn, [m_a, ...])`, `MetaArg("blue", T, v)` (docs/spec/LANGUAGE.md §5.6).
    pub(crate) fn new_meta_value(&mut self, t: TypeId, args: Vec<Operand>, span: Span) -> VmResult<Operand> {
        let values: Vec<Value> = match args.iter().map(|a| a.value().cloned()).collect::<Option<Vec<_>>>() {
            Some(v) => v,
            None => return err(ErrorKind::TypeError, "expected blue arguments").map_err(|e| e.annotate(span, "")),
        };
        let v = if t == bt::OPSPEC {
            let spec = match values.as_slice() {
                [Value::Func(f)] => OpSpecValue::Call(*f, None),
                [Value::Func(f), Value::Struct(t)] if self.tuple_items(t.ty).is_some() => {
                    OpSpecValue::Call(*f, Some(t.fields.clone()))
                }
                [Value::Func(f), list] => match self.list_values(list) {
                    Some(items) => OpSpecValue::Call(*f, Some(items)),
                    None => return err(ErrorKind::TypeError, "OpSpec arguments must be a list of MetaArgs"),
                },
                _ => {
                    return err(ErrorKind::TypeError, "OpSpec(fn) or OpSpec(fn, [args...]) expected")
                        .map_err(|e| e.annotate(span, ""))
                }
            };
            Value::OpSpec(Rc::new(spec))
        } else {
            match values.as_slice() {
                [Value::Str(color), Value::Type(ty), value] => {
                    let blue = &**color == b"blue";
                    Value::MetaArg(Rc::new(MetaArgValue { blue, ty: *ty, value: blue.then(|| value.clone()) }))
                }
                _ => {
                    return err(ErrorKind::TypeError, "MetaArg(color, type, value) expected")
                        .map_err(|e| e.annotate(span, ""))
                }
            }
        };
        Ok(Operand::blue(t, v, span))
    }

    /// `T.__make__`, created with the struct.
    pub(crate) fn make_of(&self, t: TypeId) -> FuncId {
        match self.type_attr(t, "__make__") {
            Some(Value::Func(f)) => *f,
            _ => panic!("internal error: struct without __make__"),
        }
    }
}
