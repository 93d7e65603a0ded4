//! `spy0 redshift` output: the shifted functions of a module as SPy-like source, in the
//! format of docs/spec/LANGUAGE.md §5.11. Arithmetic and comparisons of `operator::i32_*` and
//! `operator::f64_*` print infix; every other call prints as a call to its FQN.

use super::builtins::{ArithOp, Builtin};
use super::ir::{FuncRef, RExpr, RFunc, RKind, RStmt};
use super::types::{ModId, Prim};
use super::value::Value;
use super::world::{FuncImpl, Global, Shift, World};
use crate::repr::{bytes_repr, float_repr, str_repr};

/// The whole redshifted module: aliases first, then every red function of the module
/// in creation order.
pub fn print_module(world: &World, module: ModId, full_fqn: bool, optimized: bool) -> String {
    let modname = &world.modules[module.0 as usize].name;
    let prefix = format!("{modname}::");
    let mut out = String::new();
    let mut aliases: Vec<(String, String)> = Vec::new();
    for (sym, global) in &world.modules[module.0 as usize].globals {
        if let Global::Const(Value::Func(f), _) = global {
            let attr = world.names.get(*sym);
            let fqn = &world.func(*f).fqn;
            let shown = world.func(*f).sig.color == crate::ast::Color::Red && !world.func(*f).force_inline;
            if shown && *fqn != format!("{prefix}{attr}") {
                aliases.push((attr.to_string(), fqn.clone()));
            }
        }
    }
    aliases.sort();
    for (attr, fqn) in &aliases {
        out.push_str(&format!("{attr} = {}\n", quote(&human(world, fqn, full_fqn))));
    }
    if !aliases.is_empty() {
        out.push('\n');
    }
    let mut first = true;
    for &f in &world.creation_order {
        let func = world.func(f);
        if !func.fqn.starts_with(&prefix) || !matches!(func.imp, FuncImpl::Ast { .. }) || func.force_inline {
            continue;
        }
        let Shift::Done(rfunc) = &func.shift else { continue };
        if !first {
            out.push('\n');
        }
        first = false;
        let optimized = optimized.then(|| super::inline::optimize(world, rfunc));
        let p = Printer { world, full_fqn, func: optimized.as_ref().unwrap_or(rfunc) };
        p.function(&prefix, &mut out);
    }
    out
}

fn human(world: &World, fqn: &str, full: bool) -> String {
    if full {
        fqn.to_string()
    } else {
        world.human_name(fqn)
    }
}

/// Backquotes a name that is not a plain identifier.
fn quote(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}

/// Python precedence of an infix form: higher binds tighter.
fn precedence(e: &RExpr) -> u8 {
    match &e.kind {
        RKind::Or(..) => 1,
        RKind::And(..) => 2,
        RKind::Call(FuncRef::Builtin(b), _) => match infix(*b) {
            Some((_, prec)) => prec,
            None => 20,
        },
        RKind::AssignLocal(..) | RKind::AssignGlobal(..) => 0,
        _ => 20,
    }
}

/// The infix symbol and precedence of a builtin, for i32/f64 arithmetic and comparisons.
fn infix(b: Builtin) -> Option<(&'static str, u8)> {
    let (sym, prec) = match b {
        Builtin::Arith(op, Prim::I32 | Prim::F64) => (
            op.symbol(),
            match op {
                ArithOp::Or => 5,
                ArithOp::Xor => 6,
                ArithOp::And => 7,
                ArithOp::LShift | ArithOp::RShift => 8,
                ArithOp::Add | ArithOp::Sub => 9,
                ArithOp::Mul | ArithOp::Div | ArithOp::FloorDiv | ArithOp::Mod => 10,
                ArithOp::Pow => 12,
            },
        ),
        Builtin::Cmp(c, Prim::I32 | Prim::F64) => (c.symbol(), 4),
        _ => return None,
    };
    Some((sym, prec))
}

struct Printer<'w, 'a> {
    world: &'w World<'a>,
    full_fqn: bool,
    func: &'w RFunc,
}

impl Printer<'_, '_> {
    fn ty(&self, t: super::types::TypeId) -> String {
        if self.full_fqn {
            return quote(&self.world.ty(t).fqn);
        }
        if t == super::types::builtin_types::NONE {
            return "None".into();
        }
        quote(&self.world.type_name(t))
    }

    fn function(&self, prefix: &str, out: &mut String) {
        let f = self.func;
        let name = match f.fqn.strip_prefix(prefix) {
            Some(short) if !self.full_fqn && quote(short) == short => short.to_string(),
            _ => quote(&human(self.world, &f.fqn, self.full_fqn)),
        };
        let params: Vec<String> =
            f.locals[..f.n_params].iter().map(|l| format!("{}: {}", l.name, self.ty(l.ty))).collect();
        out.push_str(&format!("def {name}({}) -> {}:\n", params.join(", "), self.ty(f.ret)));
        self.block(&f.body, 1, out);
    }

    fn block(&self, body: &[RStmt], depth: usize, out: &mut String) {
        if body.is_empty() {
            out.push_str(&"    ".repeat(depth));
            out.push_str("pass\n");
        }
        for stmt in body {
            self.stmt(stmt, depth, out);
        }
    }

    fn stmt(&self, stmt: &RStmt, depth: usize, out: &mut String) {
        let pad = "    ".repeat(depth);
        let line = match stmt {
            RStmt::Pass => "pass".into(),
            RStmt::Break => "break".into(),
            RStmt::Continue => "continue".into(),
            RStmt::Return(None) => "return".into(),
            RStmt::Return(Some(e)) => format!("return {}", self.expr(e)),
            RStmt::Expr(e) => self.expr(e),
            RStmt::Assign { slot, value, first } => {
                let local = &self.func.locals[*slot as usize];
                if *first {
                    format!("{}: {} = {}", local.name, self.ty(local.ty), self.expr(value))
                } else {
                    format!("{} = {}", local.name, self.expr(value))
                }
            }
            RStmt::AssignGlobal { cell, value } => {
                format!("{} = {}", quote(&self.world.cells[*cell as usize].fqn), self.expr(value))
            }
            RStmt::Unpack { slots, value } => {
                let names: Vec<&str> = slots.iter().map(|s| self.func.locals[*s as usize].name.as_str()).collect();
                format!("{} = {}", names.join(", "), self.expr(value))
            }
            RStmt::If { test, then_body, else_body } => {
                out.push_str(&format!("{pad}if {}:\n", self.expr(test)));
                self.block(then_body, depth + 1, out);
                if !else_body.is_empty() {
                    out.push_str(&format!("{pad}else:\n"));
                    self.block(else_body, depth + 1, out);
                }
                return;
            }
            RStmt::While { test, body } => {
                out.push_str(&format!("{pad}while {}:\n", self.expr(test)));
                self.block(body, depth + 1, out);
                return;
            }
            RStmt::Raise { exc, span } => {
                let Value::Exc(e) = exc else { panic!("internal error: raise of a non-exception") };
                let file = self.world.sources.file(span.file);
                let loc = format!("{}:{}", file.path, file.line_of(span.start));
                let name = self.world.type_name(e.ty);
                if e.message.is_empty() {
                    format!("raise {name} # {loc}")
                } else {
                    format!("raise {name}({}) # {loc}", str_repr(&e.message))
                }
            }
            RStmt::Assert { test, msg: None, .. } => format!("assert {}", self.expr(test)),
            RStmt::Assert { test, msg: Some(m), .. } => format!("assert {}, {}", self.expr(test), self.expr(m)),
        };
        out.push_str(&pad);
        out.push_str(&line);
        out.push('\n');
    }

    /// `e`, parenthesized when its precedence is below `min`.
    fn operand(&self, e: &RExpr, min: u8) -> String {
        let text = self.expr(e);
        if precedence(e) < min {
            format!("({text})")
        } else {
            text
        }
    }

    fn expr(&self, e: &RExpr) -> String {
        match &e.kind {
            RKind::Const(v) => self.constant(v),
            RKind::Local(slot) => self.func.locals[*slot as usize].name.clone(),
            RKind::Global(cell) => quote(&self.world.cells[*cell as usize].fqn),
            RKind::Call(FuncRef::Builtin(b), args) => {
                if let (false, Some((sym, prec))) = (self.full_fqn, infix(*b)) {
                    // Left-associative, except `**` which associates to the right.
                    let (lmin, rmin) = if sym == "**" { (prec + 1, prec) } else { (prec, prec + 1) };
                    return format!("{} {sym} {}", self.operand(&args[0], lmin), self.operand(&args[1], rmin));
                }
                let name = quote(&human(self.world, &b.facts().fqn, self.full_fqn));
                format!("{name}({})", self.args(args))
            }
            RKind::Call(FuncRef::User(f), args) => {
                format!("{}({})", quote(&human(self.world, &self.world.func(*f).fqn, self.full_fqn)), self.args(args))
            }
            RKind::And(a, b) => format!("{} and {}", self.operand(a, 2), self.operand(b, 3)),
            RKind::Or(a, b) => format!("{} or {}", self.operand(a, 1), self.operand(b, 2)),
            RKind::GetField(value, idx) => {
                let name = &self.world.struct_fields(value.ty)[*idx as usize].name;
                format!("{}.{name}", self.operand(value, 20))
            }
            RKind::MakeStruct(fields) => {
                let make = format!("{}::__make__", self.world.ty(e.ty).fqn);
                format!("{}({})", quote(&human(self.world, &make, self.full_fqn)), self.args(fields))
            }
            RKind::Block(stmts, value) => {
                // Each statement on one line of its own, then joined: `__block__(a; b; value)`.
                let mut parts = Vec::new();
                for stmt in stmts {
                    let mut text = String::new();
                    self.stmt(stmt, 0, &mut text);
                    parts.push(text.trim_end().replace('\n', "; "));
                }
                parts.push(self.expr(value));
                format!("__block__({})", parts.join("; "))
            }
            RKind::Seq(items) => {
                // Inside a block, storing a temporary is its declaration: `arg0$3: i32 = n`.
                let parts: Vec<String> = items
                    .iter()
                    .map(|item| match &item.kind {
                        RKind::AssignLocal(slot, value) => {
                            let local = &self.func.locals[*slot as usize];
                            format!("{}: {} = {}", local.name, self.ty(local.ty), self.expr(value))
                        }
                        _ => self.expr(item),
                    })
                    .collect();
                format!("__block__({})", parts.join("; "))
            }
            RKind::AssignLocal(slot, value) => {
                format!("({} := {})", self.func.locals[*slot as usize].name, self.expr(value))
            }
            RKind::AssignGlobal(cell, value) => {
                format!("({} := {})", quote(&self.world.cells[*cell as usize].fqn), self.expr(value))
            }
        }
    }

    fn args(&self, args: &[RExpr]) -> String {
        args.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")
    }

    fn constant(&self, v: &Value) -> String {
        match v {
            Value::I32(x) => x.to_string(),
            Value::I8(x) => format!("i8({x})"),
            Value::U8(x) => format!("u8({x})"),
            Value::U32(x) => format!("u32({x})"),
            Value::I64(x) => format!("i64({x})"),
            Value::U64(x) => format!("u64({x})"),
            Value::F64(x) => float_repr(*x),
            Value::F32(x) => format!("f32({})", float_repr(*x as f64)),
            // `str()` of these is their repr; `to_str` looks at the prim only for integers.
            Value::Complex(..) | Value::Bool(_) | Value::None => super::ops::to_str(Prim::Complex, v),
            Value::Str(s) => str_repr(&String::from_utf8_lossy(s)),
            Value::Bytes(b) => bytes_repr(b),
            Value::Type(t) => self.ty(*t),
            Value::Func(f) => quote(&human(self.world, &self.world.func(*f).fqn, self.full_fqn)),
            Value::Struct(st) => {
                let make = format!("{}::__make__", self.world.ty(st.ty).fqn);
                let fields: Vec<String> = st.fields.iter().map(|f| self.constant(f)).collect();
                format!("{}({})", quote(&human(self.world, &make, self.full_fqn)), fields.join(", "))
            }
            other => self.world.blue_repr(other),
        }
    }
}
