//! Statements of blue frames (module bodies, class bodies, blue functions), which simply
//! run, and the parts shared with redshift: variable declarations and assignment.

use super::frame::{Flow, Frame, FrameKind, Operand};
use super::ir::{Local, RKind, RStmt};
use super::types::{builtin_types as bt, Field, FuncId, TypeId, TypeKind};
use super::value::Value;
use super::world::{err, Global, VmError, VmResult, World};
use crate::ast::{self, Stmt, StmtKind, Symbol};
use crate::diag::ErrorKind;
use crate::scope::Origin;
use crate::source::Span;

impl<'a> World<'a> {
    pub(crate) fn exec_block(&mut self, frame: &mut Frame, body: &[&'a Stmt<'a>]) -> VmResult<Flow> {
        for stmt in body {
            match self.exec_stmt(frame, stmt)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// A blue `for` over an iterator struct (docs/spec/LANGUAGE.md §9): the protocol's methods run
    /// now, one item at a time, so a `break` stops the iteration.
    pub(crate) fn blue_for(
        &mut self,
        frame: &mut Frame,
        fast: FuncId,
        it: Operand,
        (target, target_span): (Symbol, Span),
        body: &[&'a Stmt<'a>],
    ) -> VmResult<Flow> {
        let span = it.span;
        let mut cur = self.call_func_mv(frame, fast, vec![it], span, None)?;
        loop {
            let cont = self.call_method(frame, cur.clone(), "__continue_iteration__", span, vec![], span)?;
            let cont = self.convert(frame, cont, bt::BOOL, None)?;
            if !cont.value().expect("blue").as_bool() {
                return Ok(Flow::Normal);
            }
            let item = self.call_method(frame, cur.clone(), "__item__", span, vec![], span)?;
            cur = self.call_method(frame, cur, "__next__", span, vec![], span)?;
            self.assign_name(
                frame,
                target,
                target_span,
                Operand { span: target_span, ..item },
                &mut Vec::new(),
                false,
            )?;
            match self.exec_block(frame, body)? {
                Flow::Break => return Ok(Flow::Normal),
                Flow::Return(v) => return Ok(Flow::Return(v)),
                _ => {}
            }
        }
    }

    /// Runs one statement of a blue frame (module, class body, blue function).
    pub(crate) fn exec_stmt(&mut self, frame: &mut Frame, stmt: &'a Stmt<'a>) -> VmResult<Flow> {
        let mut sink = Vec::new();
        match &stmt.kind {
            StmtKind::Pass => {}
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.eval_expr(frame, e)?,
                    None => Operand::blue(bt::NONE, Value::None, stmt.span),
                };
                let ret = frame.ret;
                let v = self.convert(frame, v, ret, None)?;
                return Ok(Flow::Return(v.value().cloned().expect("blue frame")));
            }
            StmtKind::Expr(e) => {
                self.eval_expr(frame, e)?;
            }
            StmtKind::VarDef(v) => self.vardef(frame, v, &mut sink)?,
            StmtKind::Assign { target, target_span, value } => {
                let v = self.eval_expr(frame, value)?;
                if frame.kind == FrameKind::Class {
                    let name = self.name_str(*target);
                    frame.attrs.push((name, v.value().cloned().expect("blue")));
                } else {
                    self.assign_name(frame, *target, *target_span, v, &mut sink, false)?;
                }
            }
            StmtKind::AugAssign { op, target, target_span, value } => {
                let cur = self.eval_name(frame, *target, *target_span)?;
                let v = self.eval_expr(frame, value)?;
                let res = self.binop(frame, *op, cur, v, stmt.span)?;
                self.assign_name(frame, *target, *target_span, res, &mut sink, false)?;
            }
            StmtKind::If { test, then_body, else_body } => {
                let t = self.eval_expr(frame, test)?;
                let t = self.convert(frame, t, bt::BOOL, None)?;
                let body = if t.value().expect("blue").as_bool() { then_body } else { else_body };
                return self.exec_block(frame, body);
            }
            StmtKind::While { test, body } => loop {
                let t = self.eval_expr(frame, test)?;
                let t = self.convert(frame, t, bt::BOOL, None)?;
                if !t.value().expect("blue").as_bool() {
                    break;
                }
                match self.exec_block(frame, body)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => {}
                }
            },
            StmtKind::For { target, target_span, iter, body, .. } => {
                let it = self.eval_expr(frame, iter)?;
                let is_list = self.ty(it.ty).fqn.starts_with("_list::list[");
                if let (Some(fast), false) = (self.lookup_method(it.ty, "__fastiter__"), is_list) {
                    return self.blue_for(frame, fast, it, (*target, *target_span), body);
                }
                // A blue loop runs now, over the items a blue iterable holds.
                let items: Vec<(Value, TypeId)> = match it.value() {
                    Some(Value::Struct(t)) if self.tuple_items(it.ty).is_some() => {
                        let types = self.tuple_items(it.ty).expect("tuple");
                        t.fields.iter().cloned().zip(types).collect()
                    }
                    Some(v) if is_list => {
                        let item_ty = match self.type_attr(it.ty, "_getitem") {
                            Some(Value::Func(g)) => self.func(*g).sig.ret,
                            _ => bt::DYNAMIC,
                        };
                        self.list_values(v).unwrap_or_default().into_iter().map(|x| (x, item_ty)).collect()
                    }
                    _ => {
                        return err(ErrorKind::Wip, "blue `for` loops iterate over tuples, lists and iterators")
                            .map_err(|e| e.annotate(iter.span, ""))
                    }
                };
                for (value, ty) in items {
                    let ty = if ty == bt::DYNAMIC { self.type_of(&value) } else { ty };
                    let mv = Operand::blue(ty, value, *target_span);
                    self.assign_name(frame, *target, *target_span, mv, &mut sink, false)?;
                    match self.exec_block(frame, body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::Raise(exc) => {
                let mv = self.eval_expr(frame, exc)?;
                return Err(self.site(self.raise_error(mv, stmt.span), stmt.span));
            }
            StmtKind::Assert { test, msg } => {
                let t = self.eval_expr(frame, test)?;
                let t = self.convert(frame, t, bt::BOOL, None)?;
                if !t.value().expect("blue").as_bool() {
                    let message = match msg {
                        Some(m) => {
                            let mv = self.eval_expr(frame, m)?;
                            String::from_utf8_lossy(mv.value().map(|v| v.as_bytes()).unwrap_or(b"")).into_owned()
                        }
                        None => "assertion failed".into(),
                    };
                    return err(ErrorKind::AssertionError, message);
                }
            }
            StmtKind::FuncDef(def) if frame.kind == FrameKind::Class => {
                // A method defined under an `if` of the class body.
                let t = match frame.attrs.iter().find(|(n, _)| n == "@self") {
                    Some((_, Value::Type(t))) => *t,
                    _ => panic!("internal error: class body without its type"),
                };
                self.define_method(frame, def, t)?;
            }
            StmtKind::FuncDef(def) => {
                let f = self.define_function(frame, def)?;
                let v = self.apply_decorators(frame, def, f)?;
                self.bind_def(frame, def.name, v, def.span)?;
            }
            StmtKind::ClassDef(c) => self.define_class(frame, c)?,
            StmtKind::SetAttr { target, attr, value, .. } => {
                let t = self.eval_expr(frame, target)?;
                let attr = self.name_str(*attr);
                let v = self.eval_expr(frame, value)?;
                if self.store_field(frame, t.clone(), &attr, v, stmt.span)?.is_none() {
                    return Err(self.setattr_error(&t, &attr));
                }
            }
            StmtKind::SetItem { target, args, value } => {
                let t = self.eval_expr(frame, target)?;
                let mut all = vec![t];
                all.extend(self.eval_args(frame, args)?);
                all.push(self.eval_expr(frame, value)?);
                self.setitem(frame, all, stmt.span)?;
            }
            StmtKind::UnpackAssign { targets, value } => {
                let v = self.eval_expr(frame, value)?;
                self.unpack_assign(frame, targets, v, stmt.span, &mut sink)?;
            }
        }
        Ok(Flow::Normal)
    }

    /// The error for `raise <exc>`: the exception must be blue (docs/spec/LANGUAGE.md §11.2).
    pub(crate) fn raise_error(&self, mv: Operand, span: Span) -> VmError {
        match mv.value() {
            Some(Value::Exc(e)) => VmError::new(self.exc_kind(e.ty), e.message.clone()),
            Some(Value::Type(t)) if matches!(self.ty(*t).kind, TypeKind::Exception { .. }) => {
                VmError::new(self.exc_kind(*t), "")
            }
            Some(_) => {
                VmError::new(ErrorKind::TypeError, "exceptions must derive from Exception").annotate(mv.span, "")
            }
            None => VmError::new(ErrorKind::TypeError, "`raise` only accepts blue values for now")
                .annotate(mv.span, "this is red")
                .note(span, "raised here"),
        }
    }

    pub(crate) fn exc_kind(&self, t: TypeId) -> ErrorKind {
        let name = self.type_name(t);
        ErrorKind::from_name(&name).unwrap_or(ErrorKind::Exception)
    }

    /// Binds a `def`/`class` name in a blue frame (module, class body or blue function).
    pub(crate) fn bind_def(&mut self, frame: &mut Frame, name: Symbol, v: Value, _span: Span) -> VmResult<()> {
        let ty = self.type_of(&v);
        match frame.kind {
            FrameKind::Module => {
                self.modules[frame.module.0 as usize].globals.insert(name, Global::Const(v, ty));
            }
            FrameKind::Class => {
                let n = self.name_str(name);
                frame.attrs.push((n, v));
            }
            _ => {
                frame.env.vars.borrow_mut().insert(name, (v, ty));
            }
        }
        Ok(())
    }

    pub(crate) fn vardef(&mut self, frame: &mut Frame, v: &'a ast::VarDef<'a>, out: &mut Vec<RStmt>) -> VmResult<()> {
        let ty = match v.ty {
            Some(t) => Some(self.eval_type(frame, t)?),
            None => None,
        };
        if frame.kind == FrameKind::Class {
            let name = self.name_str(v.name);
            match (ty, v.value) {
                (Some(ty), None) => frame.fields.push(Field { name, ty }),
                (_, Some(value)) if ty.is_some() => {
                    return err(ErrorKind::TypeError, "default values in fields not supported yet")
                        .map_err(|e| e.annotate(value.span, "this is not supported"))
                }
                (_, Some(value)) => {
                    let mv = self.eval_expr(frame, value)?;
                    frame.attrs.push((name, mv.value().cloned().expect("blue")));
                }
                (None, None) => {}
            }
            return Ok(());
        }
        if frame.kind != FrameKind::Module {
            // A blue scope may declare a name twice on paths that do not both run; when
            // both do, it is the redeclaration error (docs/spec/LANGUAGE.md §2.6 rule 3).
            if let Some(prev) = frame.decl_spans.insert(v.name, v.name_span) {
                let message = format!("variable `{}` already declared", self.name_str(v.name));
                return Err(VmError::new(ErrorKind::ScopeError, message)
                    .annotate(v.name_span, "this is the new declaration")
                    .note(prev, "this is the previous declaration"));
            }
        }
        if let Some(ty) = ty {
            frame.decl_types.insert(v.name, ty);
        }
        let Some(value) = v.value else {
            // `x: T` alone: the local gets its slot (and its printed declaration) at its
            // first assignment, which is allowed even for a const local.
            return Ok(());
        };
        let mv = self.eval_expr(frame, value)?;
        let mv = match ty {
            Some(t) => {
                let note =
                    v.ty.map(|te| (te.span, format!("expected `{}` because of type declaration", self.type_name(t))));
                self.convert(frame, mv, t, note)?
            }
            None => mv,
        };
        if frame.kind == FrameKind::Module {
            let is_var = v.kind == Some(ast::VarKind::Var);
            let g = if is_var {
                let fqn = format!("{}::{}", frame.name, self.name_str(v.name));
                self.cells.push(super::world::Cell { fqn, ty: mv.ty, value: mv.value().cloned().expect("blue") });
                Global::Cell(self.cells.len() as u32 - 1)
            } else {
                Global::Const(mv.value().cloned().expect("blue"), mv.ty)
            };
            self.modules[frame.module.0 as usize].globals.insert(v.name, g);
            return Ok(());
        }
        self.assign_name(frame, v.name, v.name_span, mv, out, false).map(|_| ())
    }

    pub(crate) fn declare_slot(&mut self, frame: &mut Frame, name: Symbol, ty: TypeId) -> u32 {
        let slot = frame.locals.len() as u32;
        frame.locals.push(Local { name: format!("{}{}", self.name_str(name), frame.suffix), ty });
        frame.slots.insert(name, slot);
        frame.decl_types.insert(name, ty);
        slot
    }

    /// `name = value` (and the target of walrus, `for`, augmented assignment): a local,
    /// or a `var` global found outside (docs/spec/LANGUAGE.md §2.6 rule 2). Returns the value
    /// the expression form yields.
    pub(crate) fn assign_name(
        &mut self,
        frame: &mut Frame,
        name: Symbol,
        span: Span,
        value: Operand,
        out: &mut Vec<RStmt>,
        is_expr: bool,
    ) -> VmResult<Operand> {
        let info = self.modules[frame.module.0 as usize].symtables.lookup(frame.table, name).cloned();
        let level = info.as_ref().and_then(|i| i.level);
        if level == Some(0) && frame.kind != FrameKind::Module {
            let info = info.expect("local");
            let declared = frame.decl_types.get(&name).copied();
            let value = match declared {
                Some(t) => {
                    let note = Some((span, format!("expected `{}` because of type declaration", self.type_name(t))));
                    self.convert(frame, value, t, note)?
                }
                None => value,
            };
            if !frame.is_red() {
                let auto = matches!(info.origin, Origin::Auto | Origin::Hidden);
                if info.varkind == ast::VarKind::Const && !auto && frame.env.vars.borrow().contains_key(&name) {
                    return Err(self.const_assign_error(&info, name, span));
                }
                let v = value.value().cloned().expect("blue frame");
                frame.decl_types.entry(name).or_insert(value.ty);
                frame.env.vars.borrow_mut().insert(name, (v, value.ty));
                return Ok(value);
            }
            let is_const = info.varkind == ast::VarKind::Const;
            if is_const {
                if frame.env.vars.borrow().contains_key(&name) || frame.slots.contains_key(&name) {
                    return Err(self.const_assign_error(&info, name, span));
                }
                if let Some(v) = value.value() {
                    frame.env.vars.borrow_mut().insert(name, (v.clone(), value.ty));
                    frame.decl_types.insert(name, value.ty);
                    return Ok(value);
                }
            }
            let (slot, first) = match frame.slots.get(&name) {
                Some(&slot) => (slot, false),
                None => (self.declare_slot(frame, name, value.ty), true),
            };
            let ty = frame.locals[slot as usize].ty;
            if is_expr {
                return Ok(Operand::red(ty, RKind::AssignLocal(slot, Box::new(value.code())), span));
            }
            out.push(RStmt::Assign { slot, value: value.code(), first });
            return Ok(Operand::red(ty, RKind::Local(slot), span));
        }
        if level.is_some() && level != Some(0) || frame.kind == FrameKind::Module {
            if let Some(Global::Cell(cell)) = self.modules[frame.module.0 as usize].globals.get(&name).cloned() {
                let cty = self.cells[cell as usize].ty;
                let value = self.convert(frame, value, cty, None)?;
                if frame.is_red() {
                    if is_expr {
                        return Ok(Operand::red(cty, RKind::AssignGlobal(cell, Box::new(value.code())), span));
                    }
                    out.push(RStmt::AssignGlobal { cell, value: value.code() });
                    return Ok(Operand::red(cty, RKind::Global(cell), span));
                }
                self.cells[cell as usize].value = value.value().cloned().expect("blue");
                return Ok(value);
            }
        }
        match info {
            Some(info) => Err(self.const_assign_error(&info, name, span)),
            None => Err(self.name_error(name, span)),
        }
    }

    pub(crate) fn const_assign_error(&self, info: &crate::scope::SymbolInfo, name: Symbol, span: Span) -> VmError {
        let n = self.name_str(name);
        let mut e =
            VmError::new(ErrorKind::TypeError, "invalid assignment target").annotate(span, format!("{n} is const"));
        match info.origin {
            Origin::Builtin => {}
            Origin::BlueParam => {
                e = e
                    .note(info.decl_span, "const declared here (blue-param)")
                    .note(info.decl_span, "blue function arguments are const by default");
            }
            Origin::GlobalConst => {
                e = e
                    .note(info.decl_span, "const declared here (global-const)")
                    .note(info.decl_span, format!("help: declare it as variable: `var {n} ...`"));
            }
            origin => e = e.note(info.decl_span, format!("const declared here ({})", origin.as_str())),
        }
        e
    }

    /// `a, b = value` (docs/spec/LANGUAGE.md §7): the whole right side is evaluated first (§17 #22),
    /// then each item is assigned in order.
    pub(crate) fn unpack_assign(
        &mut self,
        frame: &mut Frame,
        targets: &[(Symbol, Span)],
        value: Operand,
        span: Span,
        out: &mut Vec<RStmt>,
    ) -> VmResult<()> {
        let Some(items) = self.tuple_items(value.ty) else {
            let name = self.type_name(value.ty);
            return Err(VmError::new(ErrorKind::TypeError, format!("`{name}` does not support unpacking"))
                .annotate(value.span, format!("this is `{name}`")));
        };
        if items.len() != targets.len() {
            let all = targets[0].1.to(targets[targets.len() - 1].1);
            return Err(VmError::new(ErrorKind::TypeError, "Wrong number of values to unpack")
                .annotate(all, format!("expected {} values", targets.len()))
                .annotate(value.span, format!("got {} values", items.len())));
        }
        // Spilled even when it is a local: `t, b = t` reads `t` before assigning it.
        let spilled = !value.is_blue() && frame.is_red();
        let tuple = self.spill(frame, value, "tuple", out);
        let tuple = if spilled { Operand { span, ..tuple } } else { tuple };
        for (idx, (name, tspan)) in targets.iter().enumerate() {
            let item = self.getattr(frame, tuple.clone(), &format!("_item{idx}"), *tspan)?;
            self.assign_name(frame, *name, *tspan, item, out, false)?;
        }
        Ok(())
    }
}
