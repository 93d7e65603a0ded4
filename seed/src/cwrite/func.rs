//! One redshifted function -> one C function. Expressions are lowered left to right
//! into C expressions plus statements hoisted before them (docs/spec/BACKEND.md §1.2's linearize,
//! done while writing): a call that may have effects (a user function, a check that can
//! raise, I/O) is stored in a temporary `$vN` first, and when an operand needs such
//! statements, the operands before it are stored first too. C's unspecified evaluation
//! order then never matters: every effect happens in SPy's order.

use super::names::{c_name, local_name};
use super::program::{wip, ModWriter, Program};
use super::writer::{Writer, C};
use crate::source::Span;
use crate::vm::builtins::Builtin;
use crate::vm::ir::{FuncRef, RExpr, RFunc, RKind, RStmt};
use crate::vm::types::{builtin_types as bt, FuncId, TypeId};
use crate::vm::value::Value;
use crate::vm::world::{FuncImpl, Shift, VmResult};
use std::fmt::Write;
use std::rc::Rc;

pub fn write_function(program: &mut Program, module: &mut ModWriter, f: FuncId) -> VmResult<()> {
    let world = program.world;
    let Shift::Done(rfunc) = &world.func(f).shift else { unreachable!("emitted functions are shifted") };
    let rfunc: Rc<RFunc> = rfunc.clone();
    let in_stdlib = world.stdlib_files.contains(&rfunc.span.file);
    let mut w = Writer {
        program,
        module,
        rfunc: &rfunc,
        out: String::new(),
        indent: 1,
        temps: vec![],
        in_stdlib,
        read: vec![false; rfunc.locals.len()],
    };
    let span = rfunc.span;
    let ret = w.program.c_type(rfunc.ret, span)?;
    let mut params = Vec::new();
    for local in &rfunc.locals[..rfunc.n_params] {
        // A `None` parameter has no value to pass: C has no `void` parameters.
        if local.ty == bt::NONE {
            continue;
        }
        let ty = w.program.c_type(local.ty, span)?;
        params.push(format!("{ty} {}", local_name(&local.name)));
    }
    // The nesting depth of red calls comes first: a parameter, not a global, so that
    // calls stay free of side effects for the C optimiser (fib(38): 1.4x C's time
    // instead of 5.7x with a global counter).
    params.insert(0, "int32_t spy_depth".to_string());
    let params = params.join(", ");
    let name = c_name(&rfunc.fqn);
    let proto = format!("{ret} {name}({params})");
    // Small functions (a list's `__getitem__`, a struct method) are hinted `inline`:
    // gcc then inlines them across modules under -flto. The header's prototype has no
    // `inline`, so this stays the function's one external definition (C99 6.7.4).
    let hint = if count_stmts(&rfunc.body) <= SMALL_FUNCTION { "inline " } else { "" };
    let mut decls = String::new();
    for local in &rfunc.locals[rfunc.n_params..] {
        if local.ty == bt::NONE {
            let _ = writeln!(decls, "    /* {}: None */", local.name);
            continue;
        }
        let ty = w.program.c_type(local.ty, span)?;
        let zero = w.zero(local.ty, span)?;
        let _ = writeln!(decls, "    {ty} {} = {zero};", local_name(&local.name));
    }
    w.block(&rfunc.body)?;
    if rfunc.ret != bt::NONE && !matches!(rfunc.body.last(), Some(RStmt::Return(_))) {
        w.line("abort(); /* reached the end of the function without a `return` */");
    }
    let body = std::mem::take(&mut w.out);
    for (temp, ty) in &w.temps {
        let _ = writeln!(decls, "    {ty} {temp};");
    }
    // Parameters and locals the code never reads (an unused loop variable, a parameter
    // of a generic instance) are marked used, so the C is free of warnings.
    for (slot, local) in rfunc.locals.iter().enumerate() {
        if !w.read[slot] && local.ty != bt::NONE {
            let _ = writeln!(decls, "    (void){};", local_name(&local.name));
        }
    }
    let _ = writeln!(module.protos, "{proto}; /* {} */", rfunc.fqn);
    let _ = write!(module.funcs, "{hint}{proto} {{\n{decls}    SPY_ENTER();\n{body}}}\n\n");
    Ok(())
}

/// Functions with at most this many statements (nested ones included) are `inline`.
const SMALL_FUNCTION: usize = 12;

fn count_stmts(body: &[RStmt]) -> usize {
    body.iter()
        .map(|s| match s {
            RStmt::If { then_body, else_body, .. } => 1 + count_stmts(then_body) + count_stmts(else_body),
            RStmt::While { body, .. } => 1 + count_stmts(body),
            _ => 1,
        })
        .sum()
}

impl<'p, 'w, 'a, 'm> Writer<'p, 'w, 'a, 'm> {
    fn line(&mut self, text: &str) {
        self.out.push_str(&"    ".repeat(self.indent));
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn local(&self, slot: u32) -> String {
        local_name(&self.rfunc.locals[slot as usize].name)
    }

    /// The `spy_Loc` of an operation: its source line, or the user's call for stdlib code.
    pub fn loc(&mut self, span: Span) -> String {
        if self.in_stdlib {
            return "spy_user_loc".into();
        }
        let file = self.program.world.sources.file(span.file);
        let line = file.line_of(span.start);
        let text = file.line_text(line).to_string();
        let path = self.program.source_name(span.file);
        format!("&{}", self.module.loc(&path, line, &text))
    }

    /// The zero value of a type, as a C expression (LANGUAGE decisions: locals read
    /// before any assignment hold it in every runner).
    pub fn zero(&mut self, t: TypeId, span: Span) -> VmResult<String> {
        let v = self.program.world.zero_value(t);
        self.program.const_expr(self.module, &v, t, span)
    }

    /// Stores `c` in a fresh temporary and returns the temporary.
    fn spill(&mut self, c: C, t: TypeId, span: Span) -> VmResult<C> {
        if t == bt::NONE {
            if !c.code.is_empty() {
                self.line(&format!("{};", c.code));
            }
            return Ok(C { code: String::new(), prec: 16, stable: true, pure: true });
        }
        let ty = self.program.c_type(t, span)?;
        let name = format!("$v{}", self.temps.len());
        self.temps.push((name.clone(), ty));
        self.line(&format!("{name} = {};", c.code));
        Ok(C { code: name, prec: 16, stable: true, pure: true })
    }

    // ------------------------------------------------------------ statements

    fn block(&mut self, body: &[RStmt]) -> VmResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn nested(&mut self, body: &[RStmt]) -> VmResult<()> {
        self.indent += 1;
        self.block(body)?;
        self.indent -= 1;
        Ok(())
    }

    fn stmt(&mut self, s: &RStmt) -> VmResult<()> {
        match s {
            RStmt::Pass => {}
            RStmt::Break => self.line("break;"),
            RStmt::Continue => self.line("continue;"),
            RStmt::Return(None) => self.line("return;"),
            RStmt::Return(Some(e)) => {
                let c = self.expr(e, true)?;
                if e.ty == bt::NONE {
                    self.effect(c);
                    self.line("return;");
                } else {
                    self.line(&format!("return {};", c.code));
                }
            }
            RStmt::Expr(e) => {
                let c = self.expr(e, true)?;
                self.effect(c);
            }
            RStmt::Assign { slot, value, .. } => {
                let c = self.expr(value, true)?;
                if self.rfunc.locals[*slot as usize].ty == bt::NONE {
                    self.effect(c);
                } else {
                    let name = self.local(*slot);
                    self.line(&format!("{name} = {};", c.code));
                }
            }
            RStmt::AssignGlobal { cell, value } => {
                let c = self.expr(value, true)?;
                let name = c_name(&self.program.world.cells[*cell as usize].fqn);
                self.line(&format!("{name} = {};", c.code));
            }
            RStmt::Unpack { slots, value } => {
                let c = self.expr(value, true)?;
                let c = if c.stable { c } else { self.spill(c, value.ty, value.span)? };
                let fields = self.program.world.struct_fields(value.ty).to_vec();
                for (slot, field) in slots.iter().zip(fields.iter()) {
                    let name = self.local(*slot);
                    self.line(&format!("{name} = {}.{};", c.code, local_name(&field.name)));
                }
            }
            RStmt::If { test, then_body, else_body } => {
                let c = self.expr(test, true)?;
                self.line(&format!("if ({}) {{", c.code));
                self.nested(then_body)?;
                if !else_body.is_empty() {
                    self.line("} else {");
                    self.nested(else_body)?;
                }
                self.line("}");
            }
            RStmt::While { test, body } => {
                let before = std::mem::take(&mut self.out);
                self.indent += 1;
                let c = self.expr(test, true)?;
                self.indent -= 1;
                let prelude = std::mem::replace(&mut self.out, before);
                if prelude.is_empty() {
                    self.line(&format!("while ({}) {{", c.code));
                } else {
                    // The test needs statements: they run before each test.
                    self.line("while (1) {");
                    self.out.push_str(&prelude);
                    self.indent += 1;
                    self.line(&format!("if (!{}) break;", c.at(15)));
                    self.indent -= 1;
                }
                self.nested(body)?;
                self.line("}");
            }
            RStmt::Raise { exc, span } => {
                let Value::Exc(e) = exc else { unreachable!("raise of a non-exception") };
                let kind = self.program.world.type_name(e.ty);
                let loc = self.loc(*span);
                self.line(&format!(
                    "spy_panic({}, {}, {loc});",
                    super::program::c_string(kind.as_bytes()),
                    super::program::c_string(e.message.as_bytes())
                ));
            }
            RStmt::Assert { test, msg, span } => {
                let c = self.expr(test, true)?;
                self.line(&format!("if (!{}) {{", c.at(15)));
                self.indent += 1;
                let loc = self.loc(*span);
                match msg {
                    Some(m) => {
                        let m = self.expr(m, false)?;
                        self.line(&format!("spy_panic_str(\"AssertionError\", {}, {loc});", m.code));
                    }
                    None => self.line(&format!("spy_panic(\"AssertionError\", \"assertion failed\", {loc});")),
                }
                self.indent -= 1;
                self.line("}");
            }
        }
        Ok(())
    }

    /// An expression statement. One without effect is still written, cast to void, so
    /// the temporaries and locals it reads count as used for C's warnings.
    pub fn effect(&mut self, c: C) {
        if c.code.is_empty() {
        } else if c.pure {
            self.line(&format!("(void){};", c.at(15)));
        } else {
            self.line(&format!("{};", c.code));
        }
    }

    // ------------------------------------------------------------ expressions

    /// Lowers `e`. `top` is true for the whole expression of a statement, which is
    /// evaluated last anyway: its call need not go to a temporary.
    pub fn expr(&mut self, e: &RExpr, top: bool) -> VmResult<C> {
        let c = match &e.kind {
            RKind::Const(v) => {
                if *v == Value::None && e.ty == bt::NONE {
                    C::constant("")
                } else {
                    C::constant(self.program.const_expr(self.module, v, e.ty, e.span)?)
                }
            }
            RKind::Local(_) if e.ty == bt::NONE => C::constant(""),
            RKind::Local(slot) => {
                self.read[*slot as usize] = true;
                C::new(self.local(*slot), 16)
            }
            RKind::Global(cell) => C::new(c_name(&self.program.world.cells[*cell as usize].fqn), 16),
            RKind::Call(callee, args) => return self.call(*callee, args, e, top),
            RKind::And(a, b) | RKind::Or(a, b) => {
                let is_and = matches!(e.kind, RKind::And(..));
                let l = self.expr(a, false)?;
                let before = std::mem::take(&mut self.out);
                self.indent += 1;
                let r = self.expr(b, false)?;
                self.indent -= 1;
                let prelude = std::mem::replace(&mut self.out, before);
                if prelude.is_empty() {
                    // Operands of `&&`/`||` are parenthesised unless primary or unary,
                    // as gcc's -Wparentheses wants for `&&` inside `||`.
                    let (op, prec) = if is_and { ("&&", 5) } else { ("||", 4) };
                    C { code: format!("{} {op} {}", l.at(6), r.at(6)), prec, stable: false, pure: l.pure && r.pure }
                } else {
                    // The right operand needs statements: keep the short circuit with an `if`.
                    let t = self.spill(l, bt::BOOL, e.span)?;
                    let test = if is_and { t.code.clone() } else { format!("!{}", t.code) };
                    self.line(&format!("if ({test}) {{"));
                    self.out.push_str(&prelude);
                    self.indent += 1;
                    self.line(&format!("{} = {};", t.code, r.code));
                    self.indent -= 1;
                    self.line("}");
                    t
                }
            }
            RKind::GetField(value, idx) => {
                let v = self.expr(value, false)?;
                let field = self.program.world.struct_fields(value.ty)[*idx as usize].name.clone();
                C { code: format!("{}.{}", v.at(16), local_name(&field)), prec: 16, stable: false, pure: v.pure }
            }
            RKind::MakeStruct(fields) => {
                let items = self.operands(fields)?;
                self.make_struct(e.ty, &items, e.span)?
            }
            RKind::AssignLocal(_, value) if e.ty == bt::NONE => {
                let v = self.expr(value, true)?;
                self.effect(v);
                C::constant("")
            }
            RKind::AssignLocal(slot, value) => {
                let v = self.expr(value, true)?;
                let name = self.local(*slot);
                self.line(&format!("{name} = {};", v.code));
                C::new(name, 16)
            }
            RKind::AssignGlobal(cell, value) => {
                let v = self.expr(value, true)?;
                let name = c_name(&self.program.world.cells[*cell as usize].fqn);
                self.line(&format!("{name} = {};", v.code));
                C::new(name, 16)
            }
            RKind::Seq(items) => {
                let (last, rest) = items.split_last().expect("a sequence has a value");
                for item in rest {
                    let c = self.expr(item, true)?;
                    self.effect(c);
                }
                return self.expr(last, top);
            }
            RKind::Block(stmts, value) => {
                self.block(stmts)?;
                return self.expr(value, top);
            }
        };
        Ok(c)
    }

    /// `(T){a, b}`; an empty struct has its placeholder field.
    fn make_struct(&mut self, t: TypeId, items: &[C], span: Span) -> VmResult<C> {
        let ty = self.program.c_type(t, span)?;
        let fields: Vec<String> = items.iter().map(|c| c.at(2)).collect();
        let body = if fields.is_empty() { "0".to_string() } else { fields.join(", ") };
        Ok(C { code: format!("(({ty}){{{body}}})",), prec: 16, stable: false, pure: items.iter().all(|c| c.pure) })
    }

    /// Lowers operands left to right. When one needs statements, the operands before it
    /// that could change are stored in temporaries first, so they keep their values.
    pub fn operands(&mut self, args: &[RExpr]) -> VmResult<Vec<C>> {
        let mut out: Vec<C> = Vec::with_capacity(args.len());
        for a in args {
            let mark = self.out.len();
            let c = self.expr(a, false)?;
            if self.out.len() > mark && out.iter().any(|p| !p.stable) {
                let hoisted = self.out.split_off(mark);
                for (prev, arg) in out.iter_mut().zip(args) {
                    if !prev.stable {
                        *prev = self.spill(prev.clone(), arg.ty, arg.span)?;
                    }
                }
                self.out.push_str(&hoisted);
            }
            out.push(c);
        }
        Ok(out)
    }

    fn call(&mut self, callee: FuncRef, args: &[RExpr], e: &RExpr, top: bool) -> VmResult<C> {
        let world = self.program.world;
        let f = match callee {
            FuncRef::Builtin(b) => return self.builtin_call(b, args, e, top),
            FuncRef::User(f) => f,
        };
        match &world.func(f).imp {
            FuncImpl::Builtin(b) => return self.builtin_call(*b, args, e, top),
            FuncImpl::Make(t) => {
                let items = self.operands(args)?;
                return self.make_struct(*t, &items, e.span);
            }
            _ => {}
        }
        if !self.program.is_emitted(f) {
            return Err(wip(format!("cannot compile a call to `{}`", world.func(f).fqn), e.span));
        }
        let items = self.operands(args)?;
        let mut c_args = Vec::new();
        for (c, arg) in items.into_iter().zip(args) {
            if arg.ty == bt::NONE {
                self.effect(c);
            } else {
                c_args.push(c.at(2));
            }
        }
        c_args.insert(0, "spy_depth + 1".to_string());
        let mut code = format!("{}({})", c_name(&world.func(f).fqn), c_args.join(", "));
        let callee_in_stdlib = match &world.func(f).shift {
            Shift::Done(r) => world.stdlib_files.contains(&r.span.file),
            _ => false,
        };
        if callee_in_stdlib && !self.in_stdlib {
            let loc = self.loc(e.span);
            code = format!("(spy_user_loc = {loc}, {code})");
        }
        self.finish_call(C { code, prec: 16, stable: false, pure: false }, e, top)
    }

    /// A call with effects goes to a temporary unless it is the statement's whole value.
    pub fn finish_call(&mut self, c: C, e: &RExpr, top: bool) -> VmResult<C> {
        if top || c.pure {
            Ok(c)
        } else {
            self.spill(c, e.ty, e.span)
        }
    }

    fn builtin_call(&mut self, b: Builtin, args: &[RExpr], e: &RExpr, top: bool) -> VmResult<C> {
        let items = self.operands(args)?;
        let c = super::builtins::lower(self, b, args, items, e)?;
        self.finish_call(c, e, top)
    }

    // ------------------------------------------------------------ helpers for builtins

    pub fn world(&self) -> &'w crate::vm::world::World<'a> {
        self.program.world
    }

    pub fn c_type(&mut self, t: TypeId, span: Span) -> VmResult<String> {
        self.program.c_type(t, span)
    }

    /// `c` in a form that can be repeated: itself when it is a name, else a temporary.
    pub fn simple(&mut self, c: C, t: TypeId, span: Span) -> VmResult<C> {
        if c.stable || (c.pure && c.prec == 16 && !c.code.contains('(')) {
            Ok(c)
        } else {
            self.spill(c, t, span)
        }
    }

    /// Adds a static helper function to the module, once per name.
    pub fn module_helper(
        &mut self,
        name: String,
        make: impl FnOnce(&mut Self) -> VmResult<String>,
    ) -> VmResult<String> {
        if self.module.helper_names.insert(name.clone()) {
            let text = make(self)?;
            self.module.helpers.push_str(&text);
        }
        Ok(name)
    }

    pub fn literal(&mut self, bytes: &[u8]) -> String {
        self.module.literal(bytes)
    }
}
