//! Redshift (docs/spec/LANGUAGE.md §5): turns each red function into shifted code (`vm/ir.rs`).
//! Statements are walked here; expressions go through the evaluator's `eval_expr`
//! (`vm/expr.rs`), so blue sub-expressions are computed by the same code that runs
//! blue frames and there is no second evaluator.

use super::builtins::Builtin;
use super::frame::{Frame, FrameKind, Operand, OperandKind};
use super::ir::{FuncRef, Local, RExpr, RFunc, RKind, RStmt};
use super::types::{builtin_types as bt, FuncId, ModId, TypeId, TypeKind};
use super::value::{ExcValue, Value};
use super::world::{err, Env, FuncImpl, VmError, VmResult, World};
use super::world::{ErrorMode, Shift};
use crate::ast::{self, always_returns, Color, Expr, FuncDef, Stmt, StmtKind, Symbol};
use crate::diag::ErrorKind;
use crate::scope::TableId;
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    /// The shifted code of red function `f`, redshifting it on first use.
    pub fn redshift_func(&mut self, f: FuncId) -> VmResult<Rc<RFunc>> {
        match &self.func(f).shift {
            Shift::Done(r) => return Ok(r.clone()),
            Shift::InProgress => {}
            Shift::NotYet => {}
        }
        let rfunc = match &self.func(f).imp {
            FuncImpl::Ast { def, module, table, env } => {
                let (def, module, table, env) = (*def, *module, *table, env.clone());
                self.func_mut(f).shift = Shift::InProgress;
                let r = self.shift_ast_func(f, def, module, table, env).map_err(|e| self.in_redshift(e, f))?;
                Rc::new(r)
            }
            FuncImpl::StructEq { ty, negate } => {
                let (ty, negate) = (*ty, *negate);
                Rc::new(self.shift_struct_eq(f, ty, negate)?)
            }
            FuncImpl::NotOf(eq) => {
                let eq = *eq;
                Rc::new(self.shift_not_of(f, eq))
            }
            FuncImpl::Make(_) | FuncImpl::Builtin(_) | FuncImpl::GenericDef { .. } | FuncImpl::GenericClass { .. } => {
                panic!("internal error: natives and generics have no shifted code")
            }
        };
        self.func_mut(f).shift = Shift::Done(rfunc.clone());
        Ok(rfunc)
    }

    /// Marks an error found while redshifting `f` (docs/spec/LANGUAGE.md §15.3).
    fn in_redshift(&self, e: VmError, f: FuncId) -> VmError {
        let fallback = self.func(f).proto_span.expect("a def has a prototype");
        self.leave_redshift_frame(e, &self.func(f).fqn, fallback)
    }

    /// Adds the `[redshift] <fqn>` traceback frame to an error leaving a red function.
    fn leave_redshift_frame(&self, e: VmError, fqn: &str, fallback: Span) -> VmError {
        match self.leave_frame(e, format!("[redshift] {fqn}"), fallback) {
            VmError::Static(mut d) => {
                d.during_redshift = true;
                VmError::Static(d)
            }
            other => other,
        }
    }

    fn shift_ast_func(
        &mut self,
        f: FuncId,
        def: &'a FuncDef<'a>,
        module: ModId,
        table: TableId,
        env: Option<Rc<Env>>,
    ) -> VmResult<RFunc> {
        let fqn = self.func(f).fqn.clone();
        let sig = self.func(f).sig.clone();
        let mut frame = Frame::new(FrameKind::Red, module, table, fqn.trim_end_matches("#__bare__").to_string(), env);
        frame.ret = sig.ret;
        frame.ret_span = def.return_type.map(|t| t.span);
        for (idx, arg) in def.args.iter().enumerate() {
            self.declare_slot(&mut frame, arg.name, sig.params[idx]);
        }
        let mut body = Vec::new();
        self.shift_block(&mut frame, &def.body, &mut body)?;
        if sig.ret != bt::NONE && !always_returns(&def.body) {
            return Err(VmError::new(ErrorKind::TypeError, "missing return")
                .annotate(def.prototype_span, "this function can reach its end without a `return`"));
        }
        Ok(RFunc { fqn, n_params: def.args.len(), locals: frame.locals, ret: sig.ret, body, span: def.span })
    }

    fn shift_struct_eq(&mut self, f: FuncId, t: TypeId, negate: bool) -> VmResult<RFunc> {
        let span = self.ty(t).span.expect("struct span");
        let fields = self.struct_fields(t).to_vec();
        let mut frame = Frame::new(FrameKind::Red, ModId(0), TableId(0), self.func(f).fqn.clone(), None);
        frame.locals.push(Local { name: "a".into(), ty: t });
        frame.locals.push(Local { name: "b".into(), ty: t });
        let mut result: Option<Operand> = None;
        for (idx, field) in fields.iter().enumerate() {
            let a = Operand::red(
                field.ty,
                RKind::GetField(Box::new(RExpr { kind: RKind::Local(0), ty: t, span }), idx as u32),
                span,
            );
            let b = Operand::red(
                field.ty,
                RKind::GetField(Box::new(RExpr { kind: RKind::Local(1), ty: t, span }), idx as u32),
                span,
            );
            let eq = self.cmpop(&mut frame, ast::CmpOp::Eq, a, b, span)?;
            result = Some(match result {
                None => eq,
                Some(prev) => Operand::red(bt::BOOL, RKind::And(Box::new(prev.code()), Box::new(eq.code())), span),
            });
        }
        let mut value = result.unwrap_or(Operand::blue(bt::BOOL, Value::Bool(true), span));
        if negate {
            value = Operand::red(bt::BOOL, RKind::Call(FuncRef::Builtin(Builtin::Not), vec![value.code()]), span);
        }
        Ok(RFunc {
            fqn: self.func(f).fqn.clone(),
            n_params: 2,
            locals: frame.locals,
            ret: bt::BOOL,
            body: vec![RStmt::Return(Some(value.code()))],
            span,
        })
    }

    fn shift_not_of(&mut self, f: FuncId, eq: FuncId) -> RFunc {
        let sig = self.func(f).sig.clone();
        let span = self.func(eq).proto_span.expect("eq span");
        let locals = vec![Local { name: "a".into(), ty: sig.params[0] }, Local { name: "b".into(), ty: sig.params[1] }];
        let args = vec![
            RExpr { kind: RKind::Local(0), ty: sig.params[0], span },
            RExpr { kind: RKind::Local(1), ty: sig.params[1], span },
        ];
        let call = RExpr { kind: RKind::Call(FuncRef::User(eq), args), ty: bt::BOOL, span };
        let not = RExpr { kind: RKind::Call(FuncRef::Builtin(Builtin::Not), vec![call]), ty: bt::BOOL, span };
        RFunc {
            fqn: self.func(f).fqn.clone(),
            n_params: 2,
            locals,
            ret: bt::BOOL,
            body: vec![RStmt::Return(Some(not))],
            span,
        }
    }

    pub(crate) fn shift_block(
        &mut self,
        frame: &mut Frame,
        body: &[&'a Stmt<'a>],
        out: &mut Vec<RStmt>,
    ) -> VmResult<()> {
        for stmt in body {
            self.shift_stmt(frame, stmt, out)?;
        }
        Ok(())
    }

    /// A condition: converted to bool (no context note, docs/spec/LANGUAGE.md §15.4).
    fn shift_cond(&mut self, frame: &mut Frame, test: &'a Expr<'a>) -> VmResult<RExpr> {
        let t = self.eval_expr(frame, test)?;
        Ok(self.convert(frame, t, bt::BOOL, None)?.code())
    }

    /// Redshifts one statement of a red function into `out`.
    pub(crate) fn shift_stmt(&mut self, frame: &mut Frame, stmt: &'a Stmt<'a>, out: &mut Vec<RStmt>) -> VmResult<()> {
        let mark = out.len();
        match self.shift_stmt_uncolored(frame, stmt, out) {
            Ok(()) => {}
            Err(VmError::Static(d)) if self.error_mode != ErrorMode::Eager && d.kind.is_static() => {
                // The statement's partial code is dropped; the raise stands in for it.
                out.truncate(mark);
                let exc = ExcValue { ty: World::exc_type(d.kind.name()), message: d.message.clone() };
                if self.error_mode == ErrorMode::Warn {
                    let shown = self.leave_redshift_frame(VmError::Static(d), &frame.name, stmt.span);
                    eprint!("[warning] {}", shown.render(&self.sources));
                }
                out.push(RStmt::Raise { exc: Value::Exc(Rc::new(exc)), span: stmt.span });
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        // A statement that assigns a local is painted with the local's color (§5.12).
        let target = match &stmt.kind {
            StmtKind::Assign { target, .. } | StmtKind::AugAssign { target, .. } => Some(*target),
            StmtKind::VarDef(v) => Some(v.name),
            _ => None,
        };
        if let (Some(target), Some(colors)) = (target, &mut self.colors) {
            let color = if frame.env.vars.borrow().contains_key(&target) { Color::Blue } else { Color::Red };
            colors.push((stmt.span, color));
        }
        Ok(())
    }

    fn shift_stmt_uncolored(&mut self, frame: &mut Frame, stmt: &'a Stmt<'a>, out: &mut Vec<RStmt>) -> VmResult<()> {
        match &stmt.kind {
            StmtKind::Pass => {}
            StmtKind::Break => out.push(RStmt::Break),
            StmtKind::Continue => out.push(RStmt::Continue),
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.eval_expr(frame, e)?,
                    None => Operand::blue(bt::NONE, Value::None, stmt.span),
                };
                let ret = frame.ret;
                let note =
                    frame.ret_span.map(|s| (s, format!("expected `{}` because of return type", self.type_name(ret))));
                let v = self.convert(frame, v, ret, note)?;
                let code = if ret == bt::NONE && v.is_blue() { None } else { Some(v.code()) };
                out.push(RStmt::Return(code));
            }
            StmtKind::Expr(e) => {
                let mv = self.eval_expr(frame, e)?;
                if let OperandKind::Red(code) = mv.kind {
                    out.push(RStmt::Expr(code));
                }
            }
            StmtKind::VarDef(v) => {
                self.vardef(frame, v, out)?;
            }
            StmtKind::Assign { target, target_span, value } => {
                let v = self.eval_expr(frame, value)?;
                self.assign_name(frame, *target, *target_span, v, out, false)?;
            }
            StmtKind::AugAssign { op, target, target_span, value } => {
                let cur = self.eval_name(frame, *target, *target_span)?;
                let v = self.eval_expr(frame, value)?;
                let res = self.binop(frame, *op, cur, v, stmt.span).map_err(|e| self.site(e, stmt.span))?;
                self.assign_name(frame, *target, *target_span, res, out, false)?;
            }
            StmtKind::If { test, then_body, else_body } => {
                let test = self.shift_cond(frame, test)?;
                let mut then_out = Vec::new();
                self.shift_block(frame, then_body, &mut then_out)?;
                let mut else_out = Vec::new();
                self.shift_block(frame, else_body, &mut else_out)?;
                out.push(RStmt::If { test, then_body: then_out, else_body: else_out });
            }
            StmtKind::While { test, body } => {
                let test = self.shift_cond(frame, test)?;
                let mut body_out = Vec::new();
                self.shift_block(frame, body, &mut body_out)?;
                out.push(RStmt::While { test, body: body_out });
            }
            StmtKind::For { index, target, target_span, iter, body } => {
                self.shift_for(frame, *index, *target, *target_span, iter, body, out)?;
            }
            StmtKind::Raise(exc) => {
                let mv = self.eval_expr(frame, exc)?;
                let exc_value = match mv.value() {
                    Some(v @ Value::Exc(_)) => v.clone(),
                    Some(Value::Type(t)) if matches!(self.ty(*t).kind, TypeKind::Exception { .. }) => {
                        Value::Exc(Rc::new(ExcValue { ty: *t, message: String::new() }))
                    }
                    _ => return Err(self.raise_error(mv, stmt.span)),
                };
                out.push(RStmt::Raise { exc: exc_value, span: stmt.span });
            }
            StmtKind::Assert { test, msg } => {
                let test = self.shift_cond(frame, test)?;
                let msg = match msg {
                    Some(m) => {
                        let mv = self.eval_expr(frame, m)?;
                        if mv.ty != bt::STR {
                            return Err(VmError::new(ErrorKind::TypeError, "mismatched types")
                                .annotate(mv.span, format!("expected `str`, got `{}`", self.type_name(mv.ty))));
                        }
                        Some(mv.code())
                    }
                    None => None,
                };
                out.push(RStmt::Assert { test, msg, span: stmt.span });
            }
            StmtKind::SetAttr { target, attr, value, .. } => {
                let t = self.eval_expr(frame, target)?;
                let attr = self.name_str(*attr);
                let v = self.eval_expr(frame, value)?;
                match self.store_field(frame, t.clone(), &attr, v, stmt.span)? {
                    Some(Operand { kind: OperandKind::Red(code), .. }) => out.push(RStmt::Expr(code)),
                    Some(_) => {}
                    None => return Err(self.setattr_error(&t, &attr)),
                }
            }
            StmtKind::SetItem { target, args, value } => {
                let t = self.eval_expr(frame, target)?;
                let mut all = vec![t];
                all.extend(self.eval_args(frame, args)?);
                all.push(self.eval_expr(frame, value)?);
                let mv = self.setitem(frame, all, stmt.span)?;
                if let OperandKind::Red(code) = mv.kind {
                    out.push(RStmt::Expr(code));
                }
            }
            StmtKind::FuncDef(def) => {
                let f = self.define_function(frame, def)?;
                let ty = self.type_of(&Value::Func(f));
                frame.env.vars.borrow_mut().insert(def.name, (Value::Func(f), ty));
            }
            StmtKind::ClassDef(c) => {
                return err(ErrorKind::Wip, "classes inside red functions are not supported")
                    .map_err(|e| e.annotate(c.span, ""));
            }
            StmtKind::UnpackAssign { targets, value } => {
                let v = self.eval_expr(frame, value)?;
                self.unpack_assign(frame, targets, v, stmt.span, out)?;
            }
        }
        Ok(())
    }

    /// `for x in e:` (docs/spec/LANGUAGE.md §9): the protocol's four method calls on a struct with
    /// `__fastiter__`.
    #[allow(clippy::too_many_arguments)]
    fn shift_for(
        &mut self,
        frame: &mut Frame,
        index: u32,
        target: Symbol,
        target_span: Span,
        iter: &'a Expr<'a>,
        body: &[&'a Stmt<'a>],
        out: &mut Vec<RStmt>,
    ) -> VmResult<()> {
        let it = self.eval_expr(frame, iter)?;
        let it = self.deref(frame, it)?;
        let span = iter.span;
        let iter_name = self.names.intern(&format!("_$iter{index}"));
        let Some(fast) = self.lookup_method(it.ty, "__fastiter__") else {
            return Err(VmError::new(
                ErrorKind::TypeError,
                format!("method `{}::__fastiter__` does not exist", self.type_name(it.ty)),
            )
            .annotate(it.span, format!("this is `{}`", self.type_name(it.ty))));
        };
        let iter_mv = self.call_func_mv(frame, fast, vec![it], span, None)?;
        let iter_ty = iter_mv.ty;
        let iter_slot = match frame.slots.get(&iter_name) {
            Some(&s) => s,
            None => self.declare_slot(frame, iter_name, iter_ty),
        };
        out.push(RStmt::Assign { slot: iter_slot, value: iter_mv.code(), first: true });
        let iter_local = Operand::red(iter_ty, RKind::Local(iter_slot), span);
        let cont = self.call_method(frame, iter_local.clone(), "__continue_iteration__", span, vec![], span)?;
        let cond = self.convert(frame, cont, bt::BOOL, None)?;
        let item = self.call_method(frame, iter_local.clone(), "__item__", span, vec![], span)?;
        let next = self.call_method(frame, iter_local, "__next__", span, vec![], span)?;
        let mut body_out = Vec::new();
        self.assign_loop_target(frame, target, target_span, item, &mut body_out)?;
        body_out.push(RStmt::Assign { slot: iter_slot, value: next.code(), first: false });
        self.shift_block(frame, body, &mut body_out)?;
        out.push(RStmt::While { test: cond.code(), body: body_out });
        Ok(())
    }

    /// The loop variable of a `for`: a new var local, or an existing local of the same
    /// type (§17 #21).
    fn assign_loop_target(
        &mut self,
        frame: &mut Frame,
        target: Symbol,
        target_span: Span,
        item: Operand,
        out: &mut Vec<RStmt>,
    ) -> VmResult<()> {
        match frame.slots.get(&target) {
            Some(&s) => {
                let ty = frame.locals[s as usize].ty;
                if ty != item.ty {
                    let info = self.modules[frame.module.0 as usize].symtables.lookup(frame.table, target).cloned();
                    let message = format!("variable `{}` already declared", self.name_str(target));
                    let mut e = VmError::new(ErrorKind::ScopeError, message)
                        .annotate(target_span, "this is the new declaration");
                    if let Some(info) = info {
                        e = e.note(info.decl_span, "this is the previous declaration");
                    }
                    return Err(e);
                }
                out.push(RStmt::Assign { slot: s, value: item.code(), first: false });
            }
            None => {
                let s = self.declare_slot(frame, target, item.ty);
                out.push(RStmt::Assign { slot: s, value: item.code(), first: true });
            }
        }
        Ok(())
    }

    /// Redshifts every red function of every module, in creation order, including those
    /// created while doing so (docs/spec/LANGUAGE.md §5.10).
    pub fn redshift_all(&mut self) -> VmResult<()> {
        let mut i = 0;
        while i < self.creation_order.len() {
            let f = self.creation_order[i];
            i += 1;
            let func = self.func(f);
            if func.sig.color == Color::Red
                && matches!(func.imp, FuncImpl::Ast { .. } | FuncImpl::StructEq { .. } | FuncImpl::NotOf(_))
            {
                self.redshift_func(f)?;
            }
        }
        Ok(())
    }
}
