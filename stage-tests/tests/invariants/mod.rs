//! Invariants of a parsed module, checked by the stage-tests harness before it compares
//! outputs: every span lies inside its file (and starts before it ends), and no
//! placeholder for a rejected construct survives into an accepted module.

use seed::ast::{AstArena, Decl, Expr, ExprKind, FuncDef, Module, Stmt, StmtKind, VarDef};
use seed::source::Span;
use seed::Compilation;

/// Ok when `bytes` fails to parse or when its AST satisfies every invariant below.
pub fn check_parse_invariants(path: &str, bytes: &[u8]) -> Result<(), String> {
    let arena = AstArena::new();
    let mut c = Compilation::new(&arena);
    let Ok(module) = c.add_file(path, bytes).and_then(|file| c.parse(file)) else { return Ok(()) };
    let problems = check_module(&module, c.sources.file(module.span.file).text.len());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Checks `module`, parsed from a file of `file_len` bytes; returns the violations.
pub fn check_module(module: &Module, file_len: usize) -> Vec<String> {
    let mut c = Checker { file_len, problems: Vec::new() };
    c.span(module.span, "module");
    for decl in &module.decls {
        match decl {
            Decl::FuncDef(f) => c.funcdef(f),
            Decl::ClassDef(cd) => {
                c.span(cd.span, "class");
                cd.body.iter().for_each(|s| c.stmt(s));
            }
            Decl::VarDef(v) => c.vardef(v),
            Decl::Import(imp) => {
                c.span(imp.span, "import");
                c.span(imp.asname_span, "import asname");
            }
        }
    }
    c.problems
}

struct Checker {
    file_len: usize,
    problems: Vec<String>,
}

impl Checker {
    fn span(&mut self, span: Span, what: &str) {
        if span.start > span.end || span.end as usize > self.file_len {
            self.problems
                .push(format!("{what} span {}..{} outside the file (length {})", span.start, span.end, self.file_len));
        }
    }

    fn funcdef(&mut self, f: &FuncDef) {
        self.span(f.span, "def");
        self.span(f.prototype_span, "def prototype");
        for p in &f.type_params {
            self.span(p.span, "type parameter");
        }
        for arg in &f.args {
            self.span(arg.span, "argument");
            arg.ty.iter().chain(arg.default.iter()).for_each(|e| self.expr(e));
        }
        f.return_type.iter().chain(f.decorators.iter()).for_each(|e| self.expr(e));
        f.body.iter().for_each(|s| self.stmt(s));
    }

    fn vardef(&mut self, v: &VarDef) {
        self.span(v.span, "vardef");
        self.span(v.name_span, "vardef name");
        v.ty.iter().chain(v.value.iter()).for_each(|e| self.expr(e));
    }

    fn stmt(&mut self, stmt: &Stmt) {
        self.span(stmt.span, "statement");
        match &stmt.kind {
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            StmtKind::Return(value) => value.iter().for_each(|e| self.expr(e)),
            StmtKind::Expr(e) | StmtKind::Raise(e) => self.expr(e),
            StmtKind::VarDef(v) => self.vardef(v),
            StmtKind::Assign { target_span, value, .. } | StmtKind::AugAssign { target_span, value, .. } => {
                self.span(*target_span, "assignment target");
                self.expr(value);
            }
            StmtKind::UnpackAssign { targets, value } => {
                targets.iter().for_each(|(_, span)| self.span(*span, "unpack target"));
                self.expr(value);
            }
            StmtKind::SetAttr { target, attr_span, value, .. } => {
                self.expr(target);
                self.span(*attr_span, "attribute");
                self.expr(value);
            }
            StmtKind::SetItem { target, args, value } => {
                self.expr(target);
                args.iter().for_each(|e| self.expr(e));
                self.expr(value);
            }
            StmtKind::If { test, then_body, else_body } => {
                self.expr(test);
                then_body.iter().chain(else_body.iter()).for_each(|s| self.stmt(s));
            }
            StmtKind::While { test, body } => {
                self.expr(test);
                body.iter().for_each(|s| self.stmt(s));
            }
            StmtKind::For { target_span, iter, body, .. } => {
                self.span(*target_span, "for target");
                self.expr(iter);
                body.iter().for_each(|s| self.stmt(s));
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test);
                msg.iter().for_each(|e| self.expr(e));
            }
            StmtKind::FuncDef(f) => self.funcdef(f),
            StmtKind::ClassDef(c) => {
                self.span(c.span, "class");
                c.body.iter().for_each(|s| self.stmt(s));
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.span(expr.span, "expression");
        match &expr.kind {
            ExprKind::Literal(_) | ExprKind::Str(_) | ExprKind::Bytes(_) | ExprKind::Name(_) => {}
            ExprKind::BinOp { left, right, .. }
            | ExprKind::CmpOp { left, right, .. }
            | ExprKind::And { left, right }
            | ExprKind::Or { left, right } => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::UnaryOp { value, .. } | ExprKind::GetAttr { value, .. } | ExprKind::AssignExpr { value, .. } => {
                self.expr(value)
            }
            ExprKind::Call { func, args } => {
                self.expr(func);
                args.iter().for_each(|e| self.expr(e));
            }
            ExprKind::CallMethod { target, args, .. } | ExprKind::GetItem { value: target, args } => {
                self.expr(target);
                args.iter().for_each(|e| self.expr(e));
            }
            ExprKind::List(items) | ExprKind::Tuple(items) => items.iter().for_each(|e| self.expr(e)),
            ExprKind::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
                self.expr(k);
                self.expr(v);
            }),
            ExprKind::Slice { start, stop, step } => {
                start.iter().chain(stop.iter()).chain(step.iter()).for_each(|e| self.expr(e))
            }
            ExprKind::Block { body, value } => {
                body.iter().for_each(|s| self.stmt(s));
                self.expr(value);
            }
            ExprKind::Starred(_) | ExprKind::Unsupported(_) => {
                self.problems.push("a placeholder for a rejected construct reached the AST".to_string())
            }
        }
    }
}
