//! `spy0 parse` output: the AST as an indented constructor-style tree, in the format
//! documented in docs/parse-format.md (modelled on upstream's docs/spec/BACKEND.md §11.3). The
//! tree is first built as plain `Value`s, then rendered by one small function, so
//! the SPy twin can produce the same bytes the same way.

use crate::ast::{
    ArgKind, ClassDef, ClassKind, Color, Decl, Expr, ExprKind, FuncDef, FuncKind, Literal, Module, Names, Stmt,
    StmtKind, VarDef, VarKind,
};
use crate::repr::{bytes_repr, float_repr, imag_repr, str_repr};
use crate::token::{Token, TokenKind, TokenValue};

/// A dumped value: already-formatted text, a node with named fields, or a list.
enum Value {
    Text(String),
    Node(&'static str, Vec<(&'static str, Value)>),
    List(Vec<Value>),
}

pub fn dump_module(module: &Module, names: &Names) -> String {
    let d = Dumper { names };
    let decls = module.decls.iter().map(|decl| d.decl(decl)).collect();
    let value = Value::Node(
        "Module",
        vec![
            ("filename", d.str(&module.filename)),
            ("docstring", d.opt_str(&module.docstring)),
            ("decls", Value::List(decls)),
        ],
    );
    let mut out = String::new();
    render(&value, 0, &mut out);
    out.push('\n');
    out
}

/// A node is one line when all its fields are text; otherwise one field per line,
/// indented by 4 and followed by a comma. Lists put each item on its own line.
fn render(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Text(text) => out.push_str(text),
        Value::Node(name, fields) => {
            out.push_str(name);
            out.push('(');
            if fields.iter().all(|(_, v)| matches!(v, Value::Text(_))) {
                for (idx, (field, v)) in fields.iter().enumerate() {
                    if idx > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(field);
                    out.push('=');
                    render(v, indent, out);
                }
                out.push(')');
                return;
            }
            out.push('\n');
            for (field, v) in fields {
                push_indent(out, indent + 4);
                out.push_str(field);
                out.push('=');
                render(v, indent + 4, out);
                out.push_str(",\n");
            }
            push_indent(out, indent);
            out.push(')');
        }
        Value::List(items) if items.is_empty() => out.push_str("[]"),
        Value::List(items) => {
            out.push_str("[\n");
            for item in items {
                push_indent(out, indent + 4);
                render(item, indent + 4, out);
                out.push_str(",\n");
            }
            push_indent(out, indent);
            out.push(']');
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

struct Dumper<'n> {
    names: &'n Names,
}

impl Dumper<'_> {
    fn str(&self, s: &str) -> Value {
        Value::Text(str_repr(s))
    }

    fn opt_str(&self, s: &Option<String>) -> Value {
        match s {
            Some(s) => self.str(s),
            None => Value::Text("None".into()),
        }
    }

    fn name(&self, sym: crate::ast::Symbol) -> Value {
        self.str(self.names.get(sym))
    }

    fn opt_expr(&self, expr: Option<&Expr>) -> Value {
        match expr {
            Some(e) => self.expr(e),
            None => Value::Text("None".into()),
        }
    }

    fn exprs(&self, exprs: &[&Expr]) -> Value {
        Value::List(exprs.iter().map(|e| self.expr(e)).collect())
    }

    fn body(&self, stmts: &[&Stmt]) -> Value {
        Value::List(stmts.iter().map(|s| self.stmt(s)).collect())
    }

    fn decl(&self, decl: &Decl) -> Value {
        match decl {
            Decl::FuncDef(f) => Value::Node("GlobalFuncDef", vec![("funcdef", self.funcdef(f))]),
            Decl::ClassDef(c) => Value::Node("GlobalClassDef", vec![("classdef", self.classdef(c))]),
            Decl::VarDef(v) => Value::Node("GlobalVarDef", vec![("vardef", self.vardef(v))]),
            Decl::Import(imp) => Value::Node(
                "Import",
                vec![
                    ("module", self.name(imp.module)),
                    ("attr", imp.attr.map_or(Value::Text("None".into()), |a| self.name(a))),
                    ("asname", self.name(imp.asname)),
                ],
            ),
        }
    }

    fn funcdef(&self, f: &FuncDef) -> Value {
        let color = match f.color {
            Color::Red => "red",
            Color::Blue => "blue",
        };
        let kind = match f.kind {
            FuncKind::Plain => "plain",
            FuncKind::Generic => "generic",
            FuncKind::Metafunc => "metafunc",
        };
        let args = f
            .args
            .iter()
            .map(|arg| {
                let kind = match arg.kind {
                    ArgKind::Simple => "simple",
                    ArgKind::VarPositional => "var_positional",
                };
                Value::Node(
                    "FuncArg",
                    vec![
                        ("name", self.name(arg.name)),
                        ("type", self.opt_expr(arg.ty)),
                        ("default", self.opt_expr(arg.default)),
                        ("kind", self.str(kind)),
                    ],
                )
            })
            .collect();
        Value::Node(
            "FuncDef",
            vec![
                ("color", self.str(color)),
                ("kind", self.str(kind)),
                ("name", self.name(f.name)),
                ("type_params", Value::List(f.type_params.iter().map(|p| self.name(p.name)).collect())),
                ("args", Value::List(args)),
                ("return_type", self.opt_expr(f.return_type)),
                ("docstring", self.opt_str(&f.docstring)),
                ("body", self.body(&f.body)),
                ("decorators", self.exprs(&f.decorators)),
            ],
        )
    }

    fn classdef(&self, c: &ClassDef) -> Value {
        let kind = match c.kind {
            ClassKind::Struct => "struct",
            ClassKind::Class => "class",
        };
        Value::Node(
            "ClassDef",
            vec![
                ("name", self.name(c.name)),
                ("kind", self.str(kind)),
                ("type_params", Value::List(c.type_params.iter().map(|p| self.name(p.name)).collect())),
                ("docstring", self.opt_str(&c.docstring)),
                ("body", self.body(&c.body)),
            ],
        )
    }

    fn vardef(&self, v: &VarDef) -> Value {
        let kind = match v.kind {
            Some(VarKind::Var) => self.str("var"),
            Some(VarKind::Const) => self.str("const"),
            None => Value::Text("None".into()),
        };
        Value::Node(
            "VarDef",
            vec![
                ("kind", kind),
                ("name", self.name(v.name)),
                ("type", self.opt_expr(v.ty)),
                ("value", self.opt_expr(v.value)),
            ],
        )
    }

    fn stmt(&self, stmt: &Stmt) -> Value {
        match &stmt.kind {
            StmtKind::Pass => Value::Node("Pass", vec![]),
            StmtKind::Break => Value::Node("Break", vec![]),
            StmtKind::Continue => Value::Node("Continue", vec![]),
            StmtKind::Return(value) => Value::Node("Return", vec![("value", self.opt_expr(*value))]),
            StmtKind::Expr(value) => Value::Node("StmtExpr", vec![("value", self.expr(value))]),
            StmtKind::VarDef(v) => self.vardef(v),
            StmtKind::Assign { target, value, .. } => {
                Value::Node("Assign", vec![("target", self.name(*target)), ("value", self.expr(value))])
            }
            StmtKind::UnpackAssign { targets, value } => Value::Node(
                "UnpackAssign",
                vec![
                    ("targets", Value::List(targets.iter().map(|(t, _)| self.name(*t)).collect())),
                    ("value", self.expr(value)),
                ],
            ),
            StmtKind::AugAssign { op, target, value, .. } => Value::Node(
                "AugAssign",
                vec![("op", self.str(op.symbol())), ("target", self.name(*target)), ("value", self.expr(value))],
            ),
            StmtKind::SetAttr { target, attr, value, .. } => Value::Node(
                "SetAttr",
                vec![("target", self.expr(target)), ("attr", self.name(*attr)), ("value", self.expr(value))],
            ),
            StmtKind::SetItem { target, args, value } => Value::Node(
                "SetItem",
                vec![("target", self.expr(target)), ("args", self.exprs(args)), ("value", self.expr(value))],
            ),
            StmtKind::If { test, then_body, else_body } => Value::Node(
                "If",
                vec![
                    ("test", self.expr(test)),
                    ("then_body", self.body(then_body)),
                    ("else_body", self.body(else_body)),
                ],
            ),
            StmtKind::While { test, body } => {
                Value::Node("While", vec![("test", self.expr(test)), ("body", self.body(body))])
            }
            StmtKind::For { index, target, iter, body, .. } => Value::Node(
                "For",
                vec![
                    ("index", Value::Text(index.to_string())),
                    ("target", self.name(*target)),
                    ("iter", self.expr(iter)),
                    ("body", self.body(body)),
                ],
            ),
            StmtKind::Raise(exc) => Value::Node("Raise", vec![("exc", self.expr(exc))]),
            StmtKind::Assert { test, msg } => {
                Value::Node("Assert", vec![("test", self.expr(test)), ("msg", self.opt_expr(*msg))])
            }
            StmtKind::FuncDef(f) => self.funcdef(f),
            StmtKind::ClassDef(c) => self.classdef(c),
        }
    }

    fn literal(&self, lit: &Literal) -> String {
        match *lit {
            Literal::Int { value, ty: crate::ast::LitType::I32 } => value.to_string(),
            Literal::Int { value, ty } => format!("{}({value})", ty.name()),
            Literal::Float { value, ty: crate::ast::LitType::F64 } => float_repr(value),
            Literal::Float { value, ty } => format!("{}({})", ty.name(), float_repr(value)),
            Literal::Complex { imag } => imag_repr(imag),
            Literal::Bool(true) => "True".into(),
            Literal::Bool(false) => "False".into(),
            Literal::None => "None".into(),
        }
    }

    fn expr(&self, expr: &Expr) -> Value {
        match &expr.kind {
            ExprKind::Literal(lit) => Value::Node("Literal", vec![("value", Value::Text(self.literal(lit)))]),
            ExprKind::Str(s) => Value::Node("StrLiteral", vec![("value", self.str(s))]),
            ExprKind::Bytes(b) => Value::Node("BytesLiteral", vec![("value", Value::Text(bytes_repr(b)))]),
            ExprKind::Name(n) => Value::Node("Name", vec![("id", self.name(*n))]),
            ExprKind::BinOp { op, left, right } => Value::Node(
                "BinOp",
                vec![("op", self.str(op.symbol())), ("left", self.expr(left)), ("right", self.expr(right))],
            ),
            ExprKind::CmpOp { op, left, right } => Value::Node(
                "CmpOp",
                vec![("op", self.str(op.symbol())), ("left", self.expr(left)), ("right", self.expr(right))],
            ),
            ExprKind::UnaryOp { op, value } => {
                Value::Node("UnaryOp", vec![("op", self.str(op.symbol())), ("value", self.expr(value))])
            }
            ExprKind::And { left, right } => {
                Value::Node("And", vec![("left", self.expr(left)), ("right", self.expr(right))])
            }
            ExprKind::Or { left, right } => {
                Value::Node("Or", vec![("left", self.expr(left)), ("right", self.expr(right))])
            }
            ExprKind::Call { func, args } => {
                Value::Node("Call", vec![("func", self.expr(func)), ("args", self.exprs(args))])
            }
            ExprKind::CallMethod { target, method, args, .. } => Value::Node(
                "CallMethod",
                vec![("target", self.expr(target)), ("method", self.name(*method)), ("args", self.exprs(args))],
            ),
            ExprKind::GetAttr { value, attr, .. } => {
                Value::Node("GetAttr", vec![("value", self.expr(value)), ("attr", self.name(*attr))])
            }
            ExprKind::GetItem { value, args } => {
                Value::Node("GetItem", vec![("value", self.expr(value)), ("args", self.exprs(args))])
            }
            ExprKind::List(items) => Value::Node("List", vec![("items", self.exprs(items))]),
            ExprKind::Tuple(items) => Value::Node("Tuple", vec![("items", self.exprs(items))]),
            ExprKind::Dict(pairs) => {
                let items = pairs
                    .iter()
                    .map(|(k, v)| Value::Node("KeyValuePair", vec![("key", self.expr(k)), ("value", self.expr(v))]))
                    .collect();
                Value::Node("Dict", vec![("items", Value::List(items))])
            }
            ExprKind::Slice { start, stop, step } => Value::Node(
                "Slice",
                vec![("start", self.opt_expr(*start)), ("stop", self.opt_expr(*stop)), ("step", self.opt_expr(*step))],
            ),
            ExprKind::AssignExpr { target, value, .. } => {
                Value::Node("AssignExpr", vec![("target", self.name(*target)), ("value", self.expr(value))])
            }
            ExprKind::Block { body, value } => {
                Value::Node("BlockExpr", vec![("body", self.body(body)), ("value", self.expr(value))])
            }
            ExprKind::Starred(value) => Value::Node("Starred", vec![("value", self.expr(value))]),
            ExprKind::Unsupported(what) => Value::Node("Unsupported", vec![("node", self.str(what))]),
        }
    }
}

/// `spy0 tokens`: one line per token, `Kind start end` (byte offsets) and its value:
/// the name for `Name`/`Var`/`Const`, the decimal value of an `Int`, `float_repr` of a
/// `Float`, `imag_repr` of an `Imaginary`, the repr of a `String`'s decoded contents
/// (`f` before the raw body of an f-string), the repr of an `Error`'s message.
/// The format is in docs/parse-format.md; spy-in-spy/main.spy prints the same bytes.
pub fn dump_tokens(tokens: &[Token], text: &str) -> String {
    let mut out = String::new();
    for tok in tokens {
        let (start, end) = (tok.span.start as usize, tok.span.end as usize);
        out.push_str(&format!("{:?} {start} {end}", tok.kind));
        let value = match (&tok.value, tok.kind) {
            (TokenValue::None, TokenKind::Name | TokenKind::Var | TokenKind::Const) => text[start..end].to_string(),
            (TokenValue::None, _) => String::new(),
            (TokenValue::Int(value), _) => value.to_string(),
            (TokenValue::Float(value), TokenKind::Imaginary) => imag_repr(*value),
            (TokenValue::Float(value), _) => float_repr(*value),
            (TokenValue::Str(value), _) if value.is_bytes => bytes_repr(&value.bytes),
            (TokenValue::Str(value), _) => {
                let prefix = if value.is_fstring { "f" } else { "" };
                format!("{prefix}{}", str_repr(&String::from_utf8_lossy(&value.bytes)))
            }
            (TokenValue::Error(error), _) => str_repr(&error.message()),
        };
        if !value.is_empty() {
            out.push(' ');
            out.push_str(&value);
        }
        out.push('\n');
    }
    out
}
