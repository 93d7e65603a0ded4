//! The evaluator: walks the AST of module bodies, class bodies and functions. In a blue
//! frame every value is known and statements simply run; in a red frame (redshift) an
//! expression is either a blue constant or shifted code, and statements become `RStmt`s.
//! Both go through the same `eval_expr`, so the redshifter has no second evaluator.

use super::ir::{ArithOp, Builtin, CmpKind, FuncRef, Local, MemOp, RExpr, RKind, RStmt};
use super::value::{
    builtin_types as bt, ExcValue, Field, FuncId, FuncSig, ModId, Prim, Special, StructValue, TypeId, TypeKind, Value,
};
use super::value::{MetaArgValue, OpSpecValue};
use super::{err, Env, FuncImpl, Function, Global, VmError, VmResult, World};
use crate::ast::{
    self, BinOp, ClassDef, Color, Expr, ExprKind, FuncDef, FuncKind, Literal, Stmt, StmtKind, Symbol, UnaryOp,
};
use crate::diag::{ErrorKind, Frame as TraceFrame};
use crate::scope::{Origin, TableId};
use crate::source::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// The FQN prefix of the VM's interp_tuple types (LANGUAGE.md §13.8).
const INTERP_TUPLE: &str = "__spy__::interp_tuple";

/// The result of evaluating an expression: its static type, and its value when it is
/// blue or the code computing it when it is red.
#[derive(Clone, Debug)]
pub struct MV {
    pub ty: TypeId,
    pub kind: MK,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum MK {
    Blue(Value),
    Red(RExpr),
}

impl MV {
    pub fn blue(ty: TypeId, v: Value, span: Span) -> MV {
        MV { ty, kind: MK::Blue(v), span }
    }

    pub fn red(ty: TypeId, kind: RKind, span: Span) -> MV {
        MV { ty, kind: MK::Red(RExpr { kind, ty, span }), span }
    }

    pub fn is_blue(&self) -> bool {
        matches!(self.kind, MK::Blue(_))
    }

    pub fn value(&self) -> Option<&Value> {
        match &self.kind {
            MK::Blue(v) => Some(v),
            MK::Red(_) => None,
        }
    }

    /// The shifted code for this value (a constant when blue).
    pub fn code(self) -> RExpr {
        match self.kind {
            MK::Blue(v) => RExpr { kind: RKind::Const(v), ty: self.ty, span: self.span },
            MK::Red(e) => e,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    Module,
    Class,
    Blue,
    Red,
}

pub struct Frame {
    pub kind: FrameKind,
    pub module: ModId,
    pub table: TableId,
    /// FQN of what runs: inner `def`s are named `<name>::<def name>`.
    pub name: String,
    /// Blue variables: all locals of a blue frame, the blue const locals of a red one.
    pub env: Rc<Env>,
    /// Declared types of locals (from annotations or their first assignment).
    pub decl_types: HashMap<Symbol, TypeId>,
    /// Red frames: locals that live in slots at run time.
    pub slots: HashMap<Symbol, u32>,
    pub locals: Vec<Local>,
    pub ret: TypeId,
    pub ret_span: Option<Span>,
    /// Class bodies: the fields and attributes defined so far.
    pub fields: Vec<Field>,
    pub attrs: Vec<(String, Value)>,
    /// Where each local was declared (`x: T`, `var x`, `const x`), for redeclarations.
    pub decl_spans: HashMap<Symbol, Span>,
    /// Appended to the name of every local (`x$0`): the locals of an inlined body.
    pub suffix: String,
    /// How many calls have been inlined into this frame, for their suffixes.
    pub inlined: u32,
}

impl Frame {
    pub fn new(kind: FrameKind, module: ModId, table: TableId, name: String, parent_env: Option<Rc<Env>>) -> Frame {
        Frame {
            kind,
            module,
            table,
            name,
            env: Rc::new(Env { vars: Default::default(), parent: parent_env }),
            decl_types: HashMap::new(),
            slots: HashMap::new(),
            locals: Vec::new(),
            ret: bt::NONE,
            ret_span: None,
            fields: Vec::new(),
            attrs: Vec::new(),
            decl_spans: HashMap::new(),
            suffix: String::new(),
            inlined: 0,
        }
    }

    fn is_red(&self) -> bool {
        self.kind == FrameKind::Red
    }
}

/// What a blue statement did.
enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

fn op_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "ADD",
        BinOp::Sub => "SUB",
        BinOp::Mul => "MUL",
        BinOp::Div => "DIV",
        BinOp::FloorDiv => "FLOORDIV",
        BinOp::Mod => "MOD",
        BinOp::Pow => "POW",
        BinOp::LShift => "LSHIFT",
        BinOp::RShift => "RSHIFT",
        BinOp::BitAnd => "AND",
        BinOp::BitOr => "OR",
        BinOp::BitXor => "XOR",
        BinOp::MatMul => "MATMUL",
    }
}

fn arith_of(op: BinOp) -> Option<ArithOp> {
    Some(match op {
        BinOp::Add => ArithOp::Add,
        BinOp::Sub => ArithOp::Sub,
        BinOp::Mul => ArithOp::Mul,
        BinOp::Div => ArithOp::Div,
        BinOp::FloorDiv => ArithOp::FloorDiv,
        BinOp::Mod => ArithOp::Mod,
        BinOp::Pow => ArithOp::Pow,
        BinOp::LShift => ArithOp::LShift,
        BinOp::RShift => ArithOp::RShift,
        BinOp::BitAnd => ArithOp::And,
        BinOp::BitOr => ArithOp::Or,
        BinOp::BitXor => ArithOp::Xor,
        BinOp::MatMul => return None,
    })
}

fn dunder_of(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "__add__",
        BinOp::Sub => "__sub__",
        BinOp::Mul => "__mul__",
        BinOp::Div => "__div__",
        BinOp::FloorDiv => "__floordiv__",
        BinOp::Mod => "__mod__",
        BinOp::Pow => "__pow__",
        BinOp::LShift => "__lshift__",
        BinOp::RShift => "__rshift__",
        BinOp::BitAnd => "__and__",
        BinOp::BitOr => "__or__",
        BinOp::BitXor => "__xor__",
        BinOp::MatMul => "__matmul__",
    }
}

/// Every function of the `operator` module is pure (folded when its arguments are
/// blue, LANGUAGE.md §5.1); so are a few builtins and str methods.
fn is_pure(b: Builtin) -> bool {
    let touches_memory = matches!(
        b,
        Builtin::Alloc(_)
            | Builtin::PtrLoad
            | Builtin::PtrRef
            | Builtin::PtrStore
            | Builtin::PtrFieldLoad(_)
            | Builtin::PtrFieldRef(_)
            | Builtin::PtrFieldStore(_)
            | Builtin::RefFieldLoad(_)
            | Builtin::RefFieldRef(_)
            | Builtin::RefFieldStore(_)
            | Builtin::RefLoad
    );
    // Of the str methods only these are pure (LANGUAGE.md §5.1); the others run when
    // the program does, and `split` allocates a list.
    if matches!(
        b,
        Builtin::Mem(_)
            | Builtin::TerminalSize(_)
            | Builtin::Isatty
            | Builtin::TimeNow
            | Builtin::Sleep
            | Builtin::Fopen
            | Builtin::Fread
            | Builtin::Freadline
            | Builtin::Fwrite
            | Builtin::Fclose
            | Builtin::Ftell
            | Builtin::Fseek
            | Builtin::Fflush
            | Builtin::Freadall
            | Builtin::Fileno
            | Builtin::StdoutWrite
            | Builtin::StderrWrite
            | Builtin::Exit
            | Builtin::StrCopyInto
            | Builtin::StrFromBytes
    ) {
        return false;
    }
    let impure_str_method = matches!(
        b,
        Builtin::StrUpper
            | Builtin::StrIsAscii
            | Builtin::StrIsSpace
            | Builtin::StrFind
            | Builtin::StrCount
            | Builtin::StrEncode
            | Builtin::BytesDecode
            | Builtin::StrSplit(_)
    );
    !touches_memory
        && !impure_str_method
        && !matches!(b, Builtin::ToStr(p) if p != Prim::Bool)
        && !matches!(b, Builtin::Hash(_) | Builtin::Repr(_) | Builtin::StrContains)
}

impl<'a> World<'a> {
    // ---------------------------------------------------------------- names

    pub(crate) fn name_str(&self, s: Symbol) -> String {
        self.names.get(s).to_string()
    }

    /// The value of a builtin name (LANGUAGE.md §2.7).
    fn builtin_value(&self, name: &str) -> Option<Value> {
        Some(match name {
            "i8" => Value::Type(bt::I8),
            "u8" => Value::Type(bt::U8),
            "i32" | "int" => Value::Type(bt::I32),
            "u32" => Value::Type(bt::U32),
            "i64" => Value::Type(bt::I64),
            "u64" => Value::Type(bt::U64),
            "f32" => Value::Type(bt::F32),
            "f64" | "float" => Value::Type(bt::F64),
            "complex128" | "complex" => Value::Type(bt::COMPLEX),
            "bool" => Value::Type(bt::BOOL),
            "str" => Value::Type(bt::STR),
            "bytes" => Value::Type(bt::BYTES),
            "object" => Value::Type(bt::OBJECT),
            "dynamic" => Value::Type(bt::DYNAMIC),
            "type" => Value::Type(bt::TYPE),
            "None" => Value::None,
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "NotImplemented" => Value::NotImplemented,
            "print" => Value::Special(Special::Print),
            "len" => Value::Special(Special::Len),
            "repr" => Value::Special(Special::Repr),
            "hash" => Value::Special(Special::Hash),
            "ord" => Value::Special(Special::Ord),
            "STATIC_TYPE" => Value::Special(Special::StaticType),
            "property" => Value::Special(Special::Property),
            "staticmethod" => Value::Special(Special::StaticMethod),
            "classmethod" => Value::Special(Special::ClassMethod),
            "struct" => Value::Special(Special::Struct),
            "getattr" => Value::Special(Special::GetAttr),
            "hasattr" => Value::Special(Special::HasAttr),
            "setattr" => Value::Special(Special::SetAttr),
            _ => {
                if super::value::EXCEPTIONS.iter().any(|(n, _)| *n == name) {
                    return Some(Value::Type(World::exc_type(name)));
                }
                return None;
            }
        })
    }

    fn name_error(&self, name: Symbol, span: Span) -> VmError {
        VmError::new(ErrorKind::NameError, format!("name `{}` is not defined", self.name_str(name)))
            .annotate(span, "not found in this scope")
    }

    pub(crate) fn eval_name(&mut self, frame: &Frame, name: Symbol, span: Span) -> VmResult<MV> {
        let info = self.modules[frame.module.0 as usize].symtables.lookup(frame.table, name).cloned();
        let Some(info) = info else { return Err(self.name_error(name, span)) };
        let Some(level) = info.level else { return Err(self.name_error(name, span)) };
        if level == 0 && frame.kind != FrameKind::Module {
            if let Some(&slot) = frame.slots.get(&name) {
                let ty = frame.locals[slot as usize].ty;
                return Ok(MV::red(ty, RKind::Local(slot), span));
            }
            if let Some((v, ty)) = frame.env.vars.borrow().get(&name) {
                return Ok(MV::blue(*ty, v.clone(), span));
            }
            return err(ErrorKind::Exception, "read from uninitialized local").map_err(|e| e.annotate(span, ""));
        }
        if info.origin == Origin::Builtin {
            return self.builtin_name(&info, name, span);
        }
        if level > 0 {
            if let Some((v, ty)) = frame.env.parent.as_ref().and_then(|p| p.lookup(name)) {
                return Ok(MV::blue(ty, v, span));
            }
        }
        self.global_name(frame.module, name, span, frame.is_red())
    }

    fn builtin_name(&mut self, info: &crate::scope::SymbolInfo, name: Symbol, span: Span) -> VmResult<MV> {
        let text = self.name_str(name);
        if let Some((module, Some(attr))) = &info.import_ref {
            if module != "builtins" {
                if let Some(m) = self.module_by_name(module) {
                    let sym = self.names.intern(attr);
                    return self.global_name(m, sym, span, false);
                }
            }
        }
        match self.builtin_value(&text) {
            Some(v) => Ok(MV::blue(self.type_of(&v), v, span)),
            None => Err(self.name_error(name, span)),
        }
    }

    pub fn module_by_name(&self, name: &str) -> Option<ModId> {
        self.modules.iter().position(|m| m.name == name).map(|i| ModId(i as u32))
    }

    fn global_name(&mut self, module: ModId, name: Symbol, span: Span, red: bool) -> VmResult<MV> {
        match self.modules[module.0 as usize].globals.get(&name).cloned() {
            Some(Global::Const(v, ty)) => Ok(MV::blue(ty, v, span)),
            Some(Global::Cell(cell)) => {
                let c = &self.cells[cell as usize];
                if red {
                    Ok(MV::red(c.ty, RKind::Global(cell), span))
                } else {
                    Ok(MV::blue(c.ty, c.value.clone(), span))
                }
            }
            None => Err(self.name_error(name, span)),
        }
    }

    // ---------------------------------------------------------------- types

    /// Evaluates a type expression (an annotation) to a type, in a blue context.
    pub fn eval_type(&mut self, frame: &mut Frame, expr: &Expr<'a>) -> VmResult<TypeId> {
        if let ExprKind::Literal(Literal::None) = expr.kind {
            return Ok(bt::NONE);
        }
        let mv = self.eval_expr(frame, expr)?;
        match mv.value() {
            Some(Value::Type(t)) => Ok(*t),
            Some(Value::None) => Ok(bt::NONE),
            _ => {
                let got = self.type_name(mv.ty);
                Err(VmError::new(ErrorKind::TypeError, format!("expected `type`, got `{got}`"))
                    .annotate(expr.span, "expected `type`"))
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    pub fn eval_expr(&mut self, frame: &mut Frame, expr: &Expr<'a>) -> VmResult<MV> {
        // A frame's traceback location is the innermost expression being evaluated
        // (LANGUAGE.md §15): the first `site` set wins.
        let mv = self.eval_expr_uncolored(frame, expr).map_err(|e| self.site(e, expr.span))?;
        if frame.is_red() {
            if let Some(colors) = &mut self.colors {
                colors.push((expr.span, if mv.is_blue() { Color::Blue } else { Color::Red }));
            }
        }
        Ok(mv)
    }

    fn eval_expr_uncolored(&mut self, frame: &mut Frame, expr: &Expr<'a>) -> VmResult<MV> {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(lit) => self.eval_literal(lit, span),
            ExprKind::Str(s) => Ok(MV::blue(bt::STR, Value::str(s), span)),
            ExprKind::Bytes(b) => Ok(MV::blue(bt::BYTES, Value::Bytes(Rc::from(b.as_slice())), span)),
            ExprKind::Name(name) => self.eval_name(frame, *name, span),
            ExprKind::BinOp { op, left, right } => {
                let l = self.eval_expr(frame, left)?;
                let r = self.eval_expr(frame, right)?;
                self.binop(frame, *op, l, r, span)
            }
            ExprKind::CmpOp { op, left, right } => {
                let l = self.eval_expr(frame, left)?;
                let r = self.eval_expr(frame, right)?;
                self.cmpop(frame, *op, l, r, span)
            }
            ExprKind::UnaryOp { op, value } => {
                let v = self.eval_expr(frame, value)?;
                self.unaryop(frame, *op, v, span)
            }
            ExprKind::And { left, right } | ExprKind::Or { left, right } => {
                let is_and = matches!(expr.kind, ExprKind::And { .. });
                let l = self.eval_expr(frame, left)?;
                let l = self.convert(frame, l, bt::BOOL, None)?;
                // Both sides are analysed in redshift; a blue frame short-circuits.
                if !frame.is_red() {
                    let lv = l.value().expect("internal error: blue frame").as_bool();
                    if lv != is_and {
                        return Ok(MV::blue(bt::BOOL, Value::Bool(lv), span));
                    }
                    let r = self.eval_expr(frame, right)?;
                    return self.convert(frame, r, bt::BOOL, None).map(|mv| MV { span, ..mv });
                }
                let r = self.eval_expr(frame, right)?;
                let r = self.convert(frame, r, bt::BOOL, None)?;
                if let (Some(a), Some(b)) = (l.value(), r.value()) {
                    let v = if is_and { a.as_bool() && b.as_bool() } else { a.as_bool() || b.as_bool() };
                    return Ok(MV::blue(bt::BOOL, Value::Bool(v), span));
                }
                let (lc, rc) = (Box::new(l.code()), Box::new(r.code()));
                Ok(MV::red(bt::BOOL, if is_and { RKind::And(lc, rc) } else { RKind::Or(lc, rc) }, span))
            }
            ExprKind::Call { func, args } => {
                let callee = self.eval_expr(frame, func)?;
                let args = self.eval_args(frame, args)?;
                self.call(frame, callee, args, span).map_err(|e| self.site(e, span))
            }
            ExprKind::CallMethod { target, method, method_span, args } => {
                let target = self.eval_expr(frame, target)?;
                let args = self.eval_args(frame, args)?;
                let method = self.name_str(*method);
                self.call_method(frame, target, &method, *method_span, args, span).map_err(|e| self.site(e, span))
            }
            ExprKind::GetAttr { value, attr, .. } => {
                let target = self.eval_expr(frame, value)?;
                let attr = self.name_str(*attr);
                self.getattr(frame, target, &attr, span)
            }
            ExprKind::GetItem { value, args } => {
                let target = self.eval_expr(frame, value)?;
                let args = self.eval_args(frame, args)?;
                self.getitem(frame, target, args, span)
            }
            ExprKind::AssignExpr { target, target_span, value } => {
                let v = self.eval_expr(frame, value)?;
                self.assign_name(frame, *target, *target_span, v.clone(), &mut Vec::new(), true)
            }
            ExprKind::List(items) => {
                let items = self.eval_args(frame, items)?;
                self.list_display(frame, items, span)
            }
            ExprKind::Dict(pairs) => {
                let mut items = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = self.eval_expr(frame, k)?;
                    let v = self.eval_expr(frame, v)?;
                    items.push((k, v));
                }
                self.dict_display(frame, items, span)
            }
            ExprKind::Tuple(items) => {
                let items = self.eval_args(frame, items)?;
                self.tuple_display(frame, items, span)
            }
            ExprKind::Slice { start, stop, step } => {
                let mut parts = Vec::with_capacity(6);
                for part in [start, stop, step] {
                    let (value, is_none) = match part {
                        None => (MV::blue(bt::I32, Value::I32(0), span), 1),
                        Some(e) if matches!(e.kind, ExprKind::Literal(Literal::None)) => {
                            (MV::blue(bt::I32, Value::I32(0), span), 1)
                        }
                        Some(e) => {
                            let v = self.eval_expr(frame, e)?;
                            (self.convert(frame, v, bt::I32, None)?, 0)
                        }
                    };
                    parts.push(value);
                    parts.push(MV::blue(bt::I32, Value::I32(is_none), span));
                }
                let slice = self.slice_type(span)?;
                let make = self.make_of(slice);
                self.call_func_mv(frame, make, parts, span, None)
            }
            ExprKind::Block { .. } | ExprKind::Starred(_) | ExprKind::Unsupported(_) => {
                panic!("internal error: parser placeholder reached the VM")
            }
        }
    }

    /// The const `attr` of stdlib module `module` (`_list.list`, `_print.print`...), which
    /// syntax or a builtin needs; an ImportError pointing at `span` when it is missing.
    fn stdlib_const(&mut self, module: &str, attr: &str, span: Span) -> VmResult<Value> {
        let sym = self.names.intern(attr);
        match self.module_by_name(module).and_then(|m| self.modules[m.0 as usize].globals.get(&sym).cloned()) {
            Some(Global::Const(v, _)) => Ok(v),
            _ => err(ErrorKind::ImportError, format!("cannot import `{module}.{attr}`"))
                .map_err(|e| e.annotate(span, format!("the stdlib module `{module}` is needed here"))),
        }
    }

    /// The type a stdlib generic (`_list.list`, `_dict.dict`, `_tuple.tuple`) makes for
    /// these type arguments.
    fn stdlib_generic_type(&mut self, module: &str, generic: &str, args: &[TypeId], span: Span) -> VmResult<TypeId> {
        let Value::Func(f) = self.stdlib_const(module, generic, span)? else {
            panic!("internal error: {module}.{generic} is not a generic")
        };
        match self.call_function(f, args.iter().map(|t| Value::Type(*t)).collect(), span)? {
            Value::Type(t) => Ok(t),
            _ => panic!("internal error: {module}.{generic}[...] is not a type"),
        }
    }

    /// `dict[K, V]` from the stdlib's `_dict`.
    pub fn dict_type(&mut self, key: TypeId, value: TypeId, span: Span) -> VmResult<TypeId> {
        self.stdlib_generic_type("_dict", "dict", &[key, value], span)
    }

    /// `{k: v, ...}`: `dict[K, V]()` then one `__setitem__` per pair; `{}` is the blue empty
    /// dict that converts to any `dict[K, V]` (LANGUAGE.md §4.12).
    fn dict_display(&mut self, frame: &mut Frame, items: Vec<(MV, MV)>, span: Span) -> VmResult<MV> {
        let Some((k0, v0)) = items.first() else {
            return Ok(MV::blue(bt::EMPTY_DICT, Value::None, span));
        };
        let kt = if items.iter().all(|(k, _)| k.ty == k0.ty) { k0.ty } else { bt::OBJECT };
        let vt = if items.iter().all(|(_, v)| v.ty == v0.ty) { v0.ty } else { bt::OBJECT };
        let dt = self.dict_type(kt, vt, span)?;
        let new = self.call_type(frame, dt, vec![], span, span)?;
        let calls = items.into_iter().map(|(k, v)| vec![k, v]).collect();
        self.fill_container(frame, new, "__setitem__", calls, span)
    }

    /// `_slice::Slice`, the type of `a[i:j:k]`'s index.
    fn slice_type(&mut self, span: Span) -> VmResult<TypeId> {
        match self.stdlib_const("_slice", "Slice", span)? {
            Value::Type(t) => Ok(t),
            _ => panic!("internal error: _slice.Slice is not a type"),
        }
    }

    fn is_slice(&self, t: TypeId) -> bool {
        self.ty(t).fqn == "_slice::Slice"
    }

    /// The methods of str and bytes (LANGUAGE.md §13.1-13.2); None when `name` is not one.
    fn str_method(
        &mut self,
        frame: &mut Frame,
        target: MV,
        name: &str,
        args: Vec<MV>,
        span: Span,
    ) -> VmResult<Option<MV>> {
        let is_str = target.ty == bt::STR;
        let mut all = vec![target];
        let (b, ret, n_args): (Builtin, TypeId, std::ops::RangeInclusive<usize>) = match (is_str, name) {
            (true, "upper") => (Builtin::StrUpper, bt::STR, 0..=0),
            (true, "isascii") => (Builtin::StrIsAscii, bt::BOOL, 0..=0),
            (true, "isspace") => (Builtin::StrIsSpace, bt::BOOL, 0..=0),
            (true, "replace") => (Builtin::StrReplace, bt::STR, 2..=2),
            (true, "find") => (Builtin::StrFind, bt::I32, 1..=3),
            (true, "count") => (Builtin::StrCount, bt::I32, 1..=3),
            (true, "encode") => (Builtin::StrEncode, bt::BYTES, 1..=1),
            (false, "decode") => (Builtin::BytesDecode, bt::STR, 1..=1),
            (true, "split") => {
                let list = self.list_type(bt::STR, span)?;
                (Builtin::StrSplit(list), list, 0..=1)
            }
            _ => return Ok(None),
        };
        if !n_args.contains(&args.len()) {
            let (min, max) = (*n_args.start(), *n_args.end());
            return Err(self.arity_error(min, max, args.len(), &args, span, None));
        }
        let expected: &[TypeId] = match b {
            Builtin::StrFind | Builtin::StrCount => &[bt::STR, bt::I32, bt::I32],
            _ => &[bt::STR, bt::STR],
        };
        for (i, arg) in args.into_iter().enumerate() {
            all.push(self.convert(frame, arg, expected[i], None)?);
        }
        // Optional trailing arguments arrive as "absent" markers: start 0, end None.
        if matches!(b, Builtin::StrFind | Builtin::StrCount) {
            while all.len() < 4 {
                let v = if all.len() == 2 { Value::I32(0) } else { Value::None };
                let ty = self.type_of(&v);
                all.push(MV::blue(ty, v, span));
            }
        }
        self.builtin_call(frame, b, all, ret, span).map(Some)
    }

    /// `list[T]` for item type `T`.
    pub fn list_type(&mut self, item: TypeId, span: Span) -> VmResult<TypeId> {
        self.stdlib_generic_type("_list", "list", &[item], span)
    }

    /// `[a, b, c]`: `list[T]()` then one `append` per item, `T` the items' common type
    /// (LANGUAGE.md §4.12); `[]` is the blue empty list that converts to any `list[T]`.
    fn list_display(&mut self, frame: &mut Frame, items: Vec<MV>, span: Span) -> VmResult<MV> {
        let Some(first) = items.first() else {
            return Ok(MV::blue(bt::EMPTY_LIST, Value::None, span));
        };
        let item_ty = if items.iter().all(|i| i.ty == first.ty) { first.ty } else { bt::OBJECT };
        let lt = self.list_type(item_ty, span)?;
        let new = self.call_type(frame, lt, vec![], span, span)?;
        let calls = items.into_iter().map(|item| vec![item]).collect();
        self.fill_container(frame, new, "append", calls, span)
    }

    /// Calls `method` on a fresh container once per argument list (red code, or now).
    fn fill_container(
        &mut self,
        frame: &mut Frame,
        list: MV,
        method: &str,
        calls: Vec<Vec<MV>>,
        span: Span,
    ) -> VmResult<MV> {
        if calls.is_empty() {
            return Ok(list);
        }
        // The list goes to a fresh local so that every append sees the same list.
        if frame.is_red() {
            let name = self.names.intern(&format!("list${}", frame.locals.len()));
            let slot = self.declare_slot(frame, name, list.ty);
            let (ty, lspan) = (list.ty, list.span);
            let mut codes = vec![RExpr { kind: RKind::AssignLocal(slot, Box::new(list.code())), ty, span: lspan }];
            let local = MV::red(ty, RKind::Local(slot), lspan);
            for args in calls {
                let call = self.call_method(frame, local.clone(), method, span, args, span)?;
                codes.push(call.code());
            }
            codes.push(local.code());
            return Ok(MV::red(ty, RKind::Seq(codes), span));
        }
        for args in calls {
            self.call_method(frame, list.clone(), method, span, args, span)?;
        }
        Ok(list)
    }

    pub(crate) fn eval_args(&mut self, frame: &mut Frame, args: &[&'a Expr<'a>]) -> VmResult<Vec<MV>> {
        args.iter().map(|a| self.eval_expr(frame, a)).collect()
    }

    /// Records the innermost operation that failed: the traceback frame of the function
    /// it is in will point there.
    pub(crate) fn site(&self, e: VmError, span: Span) -> VmError {
        match e {
            VmError::Static(mut d) => {
                d.site.get_or_insert(span);
                VmError::Static(d)
            }
            other => other,
        }
    }

    /// Adds the traceback frame of a function the error is leaving (outermost first).
    pub(crate) fn leave_frame(&self, e: VmError, name: String, fallback: Span) -> VmError {
        match e {
            VmError::Static(mut d) => {
                let span = d.site.take().or(d.primary_span()).unwrap_or(fallback);
                d.frames.insert(0, TraceFrame { name, span });
                VmError::Static(d)
            }
            other => other,
        }
    }

    fn eval_literal(&mut self, lit: &Literal, span: Span) -> VmResult<MV> {
        let v = match *lit {
            Literal::Int { value, ty: ast::LitType::I32 } => {
                if value < i32::MIN as i128 || value > i32::MAX as i128 {
                    let message = format!(
                        "integer literal {value} is out of range for i32; use i64({value}) or u64({value}) to get a 64-bit value"
                    );
                    return err(ErrorKind::ValueError, message)
                        .map_err(|e| e.annotate(span, "integer literal out of range"));
                }
                Value::I32(value as i32)
            }
            Literal::Int { value, ty } => {
                let prim = lit_prim(ty);
                super::ops::wrap(prim, value)
            }
            Literal::Float { value, ty: ast::LitType::F32 } => Value::F32(value as f32),
            Literal::Float { value, .. } => Value::F64(value),
            Literal::Complex { imag } => Value::Complex(0.0, imag),
            Literal::Bool(b) => Value::Bool(b),
            Literal::None => Value::None,
        };
        Ok(MV::blue(self.type_of(&v), v, span))
    }

    // ---------------------------------------------------------------- calls of natives

    /// A call of a native operation: folded when pure and all arguments are blue.
    fn builtin_call(&mut self, frame: &Frame, b: Builtin, args: Vec<MV>, ret: TypeId, span: Span) -> VmResult<MV> {
        let all_blue = args.iter().all(MV::is_blue);
        if all_blue && (!frame.is_red() || is_pure(b)) {
            let values: Vec<Value> = args.iter().map(|a| a.value().cloned().expect("blue")).collect();
            let v = self.run_builtin(b, &values).map_err(|e| {
                let kind = ErrorKind::from_name(e.kind).unwrap_or(ErrorKind::Exception);
                VmError::new(kind, e.message).annotate(span, "")
            })?;
            return Ok(MV::blue(ret, v, span));
        }
        let codes = args.into_iter().map(MV::code).collect();
        Ok(MV::red(ret, RKind::Call(FuncRef::Builtin(b), codes), span))
    }

    pub fn run_builtin(&mut self, b: Builtin, args: &[Value]) -> Result<Value, super::ops::OpError> {
        match b {
            Builtin::Alloc(elem) => {
                let n = args[0].as_i32();
                if n < 0 {
                    return Err(super::ops::OpError { kind: "PanicError", message: "negative allocation size".into() });
                }
                let items = vec![self.zero_value(elem); n as usize];
                let mem = Rc::new(std::cell::RefCell::new(items));
                Ok(Value::Ptr(super::value::PtrValue { mem: Some(mem), offset: 0, len: n as u32 }))
            }
            Builtin::StrSplit(list_ty) => {
                let parts = match args.get(1) {
                    None => Ok(super::ops::split_whitespace(args[0].as_bytes())),
                    Some(sep) => super::ops::split_on(args[0].as_bytes(), sep.as_bytes()),
                }?;
                self.new_str_list(list_ty, parts, self.current_span)
                    .map_err(|e| super::ops::OpError { kind: "Exception", message: format!("{e:?}") })
            }
            Builtin::Mem(m) => self.run_mem_op(m, args),
            Builtin::DefaultRepr(t) => {
                let name = self.type_name(t);
                Ok(Value::str(&format!("<spy `{name}` object>")))
            }
            Builtin::StdoutWrite => {
                self.write_out(args[0].as_bytes());
                Ok(Value::None)
            }
            Builtin::StderrWrite => {
                // stdout first, so the two streams interleave as the program wrote them.
                self.flush_out();
                use std::io::Write;
                let _ = std::io::stderr().write_all(args[0].as_bytes());
                Ok(Value::None)
            }
            Builtin::Exit => {
                self.flush_out();
                std::process::exit(args[0].as_i32())
            }
            _ => super::ops::call(b, args),
        }
    }

    // ---------------------------------------------------------------- operators

    /// A reference used as an operand stands for the value it references (§10.2).
    pub(crate) fn deref(&mut self, frame: &mut Frame, mv: MV) -> VmResult<MV> {
        match self.ptr_elem(mv.ty) {
            Some((true, elem)) => {
                let span = mv.span;
                self.builtin_call(frame, Builtin::RefLoad, vec![mv], elem, span)
            }
            _ => Ok(mv),
        }
    }

    pub(crate) fn binop(&mut self, frame: &mut Frame, op: BinOp, l: MV, r: MV, span: Span) -> VmResult<MV> {
        let l = self.deref(frame, l)?;
        let r = self.deref(frame, r)?;
        let (lt, rt) = (l.ty, r.ty);
        if let Some((b, l, r, ret)) = self.binop_builtin(op, l.clone(), r.clone()) {
            return self.builtin_call(frame, b, vec![l, r], ret, span);
        }
        if let Some(m) = self.lookup_method(lt, dunder_of(op)) {
            return self.call_func_mv(frame, m, vec![l, r], span, None);
        }
        Err(self.op_error(
            format!("cannot do `{}` {} `{}`", self.type_name(lt), op.symbol(), self.type_name(rt)),
            &l,
            Some(&r),
            op_name(op),
            span,
        ))
    }

    fn op_error(&self, message: String, l: &MV, r: Option<&MV>, op: &str, span: Span) -> VmError {
        let mut e =
            VmError::new(ErrorKind::TypeError, message).annotate(l.span, format!("this is `{}`", self.type_name(l.ty)));
        if let Some(r) = r {
            e = e.annotate(r.span, format!("this is `{}`", self.type_name(r.ty)));
        }
        e.note(span, format!("operator::{op} called here"))
    }

    /// The builtin implementation of `l op r` for primitive types (LANGUAGE.md §3.10),
    /// with the operands converted as the mixed-type rules say.
    fn binop_builtin(&mut self, op: BinOp, l: MV, r: MV) -> Option<(Builtin, MV, MV, TypeId)> {
        let (lp, rp) = (self.prim(l.ty)?, self.prim(r.ty)?);
        let arith = arith_of(op)?;
        let is_bitwise = matches!(arith, ArithOp::LShift | ArithOp::RShift | ArithOp::And | ArithOp::Or | ArithOp::Xor);
        if lp == rp {
            let p = lp;
            let lt = l.ty;
            return match p {
                _ if p.is_int() => {
                    let ret = if arith == ArithOp::Div { bt::F64 } else { l.ty };
                    Some((Builtin::Arith(arith, p), l, r, ret))
                }
                Prim::F64 | Prim::F32 if !is_bitwise => Some((Builtin::Arith(arith, p), l, r, lt)),
                Prim::Complex if matches!(arith, ArithOp::Add | ArithOp::Sub | ArithOp::Mul | ArithOp::Div) => {
                    Some((Builtin::Arith(arith, p), l, r, lt))
                }
                Prim::Bool if matches!(arith, ArithOp::And | ArithOp::Or | ArithOp::Xor) => {
                    Some((Builtin::Arith(arith, p), l, r, lt))
                }
                Prim::Str if arith == ArithOp::Add => Some((Builtin::StrAdd, l, r, bt::STR)),
                Prim::Bytes if arith == ArithOp::Add => Some((Builtin::BytesAdd, l, r, bt::BYTES)),
                _ => None,
            };
        }
        if arith == ArithOp::Mul && rp == Prim::I32 && matches!(lp, Prim::Str | Prim::Bytes) {
            let b = if lp == Prim::Str { Builtin::StrMul } else { Builtin::BytesMul };
            return Some((b, l.clone(), r, l.ty));
        }
        let mixable = matches!(arith, ArithOp::Add | ArithOp::Sub | ArithOp::Mul | ArithOp::Div | ArithOp::Pow);
        if !mixable {
            return None;
        }
        let target = mixed_target(lp, rp)?;
        if target == Prim::Complex && arith == ArithOp::Pow {
            return None;
        }
        let tt = World::prim_type(target);
        let l = self.numeric_convert(l, target);
        let r = self.numeric_convert(r, target);
        Some((Builtin::Arith(arith, target), l, r, tt))
    }

    /// Converts a numeric operand for a mixed operation (folded when blue).
    fn numeric_convert(&mut self, mv: MV, to: Prim) -> MV {
        let from = self.prim(mv.ty).expect("numeric");
        if from == to {
            return mv;
        }
        let tt = World::prim_type(to);
        match mv.kind {
            MK::Blue(v) => MV::blue(tt, super::ops::convert(from, to, &v), mv.span),
            MK::Red(code) => {
                let span = code.span;
                MV::red(tt, RKind::Call(FuncRef::Builtin(Builtin::Convert(from, to)), vec![code]), span)
            }
        }
    }

    pub(crate) fn cmpop(&mut self, frame: &mut Frame, op: ast::CmpOp, l: MV, r: MV, span: Span) -> VmResult<MV> {
        let l = self.deref(frame, l)?;
        let r = self.deref(frame, r)?;
        let kind = match op {
            ast::CmpOp::Eq => CmpKind::Eq,
            ast::CmpOp::NotEq => CmpKind::Ne,
            ast::CmpOp::Lt => CmpKind::Lt,
            ast::CmpOp::LtE => CmpKind::Le,
            ast::CmpOp::Gt => CmpKind::Gt,
            ast::CmpOp::GtE => CmpKind::Ge,
            ast::CmpOp::Is | ast::CmpOp::IsNot => return self.is_op(frame, op == ast::CmpOp::IsNot, l, r, span),
            ast::CmpOp::In => return self.in_op(frame, l, r, span),
            ast::CmpOp::NotIn => {
                return err(ErrorKind::Wip, "Operator not implemented yet: not in").map_err(|e| e.annotate(span, ""))
            }
        };
        let (lt, rt) = (l.ty, r.ty);
        if lt == rt && matches!(self.ptr_elem(lt), Some((false, _))) && matches!(kind, CmpKind::Eq | CmpKind::Ne) {
            let b = if kind == CmpKind::Eq { Builtin::PtrEq } else { Builtin::PtrNe };
            return self.builtin_call(frame, b, vec![l, r], bt::BOOL, span);
        }
        if let (Some(lp), Some(rp)) = (self.prim(lt), self.prim(rt)) {
            let target = if lp == rp {
                let ordered = !matches!(lp, Prim::Str | Prim::Bytes | Prim::Complex | Prim::None);
                (ordered || matches!(kind, CmpKind::Eq | CmpKind::Ne)).then_some(lp)
            } else {
                mixed_target(lp, rp).filter(|t| *t != Prim::Complex || matches!(kind, CmpKind::Eq | CmpKind::Ne))
            };
            if let Some(t) = target {
                let l = self.numeric_convert_any(l, t);
                let r = self.numeric_convert_any(r, t);
                return self.builtin_call(frame, Builtin::Cmp(kind, t), vec![l, r], bt::BOOL, span);
            }
        }
        let dunder = match kind {
            CmpKind::Eq => "__eq__",
            CmpKind::Ne => "__ne__",
            CmpKind::Lt => "__lt__",
            CmpKind::Le => "__le__",
            CmpKind::Gt => "__gt__",
            CmpKind::Ge => "__ge__",
        };
        if let Some(m) = self.lookup_method(lt, dunder) {
            return self.call_func_mv(frame, m, vec![l, r], span, None);
        }
        if kind == CmpKind::Ne {
            if let Some(eq) = self.lookup_method(lt, "__eq__") {
                let not = self.not_of(eq);
                return self.call_func_mv(frame, not, vec![l, r], span, None);
            }
        }
        if matches!(kind, CmpKind::Eq | CmpKind::Ne) && lt == rt && self.is_reference_type(lt) && lt != bt::OBJECT {
            let b = if kind == CmpKind::Eq { Builtin::IdentityEq } else { Builtin::IdentityNe };
            return self.builtin_call(frame, b, vec![l, r], bt::BOOL, span);
        }
        let sym = kind.symbol();
        let name = match kind {
            CmpKind::Eq => "EQ",
            CmpKind::Ne => "NE",
            CmpKind::Lt => "LT",
            CmpKind::Le => "LE",
            CmpKind::Gt => "GT",
            CmpKind::Ge => "GE",
        };
        Err(self.op_error(
            format!("cannot do `{}` {sym} `{}`", self.type_name(lt), self.type_name(rt)),
            &l,
            Some(&r),
            name,
            span,
        ))
    }

    fn numeric_convert_any(&mut self, mv: MV, to: Prim) -> MV {
        match self.prim(mv.ty) {
            Some(p) if p != to && (p.is_int() || p.is_float()) => self.numeric_convert(mv, to),
            _ => mv,
        }
    }

    fn is_op(&mut self, _frame: &mut Frame, negate: bool, l: MV, r: MV, span: Span) -> VmResult<MV> {
        let word = if negate { "is not" } else { "is" };
        if !self.is_reference_type(l.ty) && !self.is_reference_type(r.ty) {
            let message = format!("cannot do `{}` {word} `{}`", self.type_name(l.ty), self.type_name(r.ty));
            let note = if negate {
                "cannot use `is not` between value types as they don't have an identity"
            } else {
                "cannot use `is` between value types as they don't have an identity"
            };
            return Err(VmError::new(ErrorKind::TypeError, message)
                .annotate(l.span, format!("this is `{}`", self.type_name(l.ty)))
                .annotate(r.span, format!("this is `{}`", self.type_name(r.ty)))
                .note(span, note));
        }
        match (l.value(), r.value()) {
            (Some(a), Some(b)) => Ok(MV::blue(bt::BOOL, Value::Bool((a == b) != negate), span)),
            _ => err(ErrorKind::Wip, "`is` on red values is not supported"),
        }
    }

    fn in_op(&mut self, frame: &mut Frame, item: MV, container: MV, span: Span) -> VmResult<MV> {
        if item.ty == bt::STR && container.ty == bt::STR {
            return self.builtin_call(frame, Builtin::StrContains, vec![container, item], bt::BOOL, span);
        }
        if let Some(m) = self.lookup_method(container.ty, "__contains__") {
            return self.call_func_mv(frame, m, vec![container, item], span, None);
        }
        Err(self.op_error(
            format!("cannot do `{}` in `{}`", self.type_name(item.ty), self.type_name(container.ty)),
            &item,
            Some(&container),
            "IN",
            span,
        ))
    }

    /// `item in t` (LANGUAGE.md §13.5): for homogeneous tuples whose item type is `item`'s
    /// static type, unrolled into `t._item0 == item or t._item1 == item ...`. Red operands
    /// are evaluated once, into temporaries, ahead of the comparisons.
    /// A red `mv` in a redshift frame, evaluated once into a fresh local `<prefix>$N`
    /// (the assignment goes to `out`) and read from there; anything else as it is.
    fn spill(&mut self, frame: &mut Frame, mv: MV, prefix: &str, out: &mut Vec<RStmt>) -> MV {
        if mv.is_blue() || !frame.is_red() {
            return mv;
        }
        let name = self.names.intern(&format!("{prefix}${}", frame.locals.len()));
        let (ty, span) = (mv.ty, mv.span);
        let slot = self.declare_slot(frame, name, ty);
        out.push(RStmt::Assign { slot, value: mv.code(), first: true });
        MV::red(ty, RKind::Local(slot), span)
    }

    fn unaryop(&mut self, frame: &mut Frame, op: UnaryOp, v: MV, span: Span) -> VmResult<MV> {
        match op {
            UnaryOp::Not => {
                let b = self.convert(frame, v, bt::BOOL, None)?;
                self.builtin_call(frame, Builtin::Not, vec![b], bt::BOOL, span)
            }
            UnaryOp::Neg => {
                if let Some(p) = self.prim(v.ty) {
                    if matches!(p, Prim::I8 | Prim::I32 | Prim::I64 | Prim::F32 | Prim::F64 | Prim::Complex) {
                        let ty = v.ty;
                        return self.builtin_call(frame, Builtin::Neg(p), vec![v], ty, span);
                    }
                }
                if let Some(m) = self.lookup_method(v.ty, "__neg__") {
                    return self.call_func_mv(frame, m, vec![v], span, None);
                }
                Err(VmError::new(ErrorKind::TypeError, format!("cannot do -`{}`", self.type_name(v.ty)))
                    .annotate(v.span, format!("this is `{}`", self.type_name(v.ty)))
                    .note(span, "operator::NEG called here"))
            }
            UnaryOp::Pos | UnaryOp::Invert => {
                err(ErrorKind::Wip, format!("Operator not implemented yet: {}", op.symbol()))
            }
        }
    }

    // ---------------------------------------------------------------- conversions

    /// Implicit conversion of `mv` to `expected` (LANGUAGE.md §3.11, §4.10). `context`
    /// is the note added when it fails: `(span, "expected `T` because of ...")`.
    pub fn convert(
        &mut self,
        frame: &mut Frame,
        mv: MV,
        expected: TypeId,
        context: Option<(Span, String)>,
    ) -> VmResult<MV> {
        let got = mv.ty;
        if expected == bt::DYNAMIC && mv.is_blue() {
            return Ok(mv); // a blue value's static type is its actual type (§3.9)
        }
        if got == expected || self.is_subtype(got, expected) {
            return Ok(MV { ty: expected, ..mv });
        }
        // A type converts to a red MetaArg of that static type (§5.6: `m: MetaArg = i32`).
        if let (bt::TYPE, bt::METAARG, Some(Value::Type(t))) = (got, expected, mv.value()) {
            let m = MetaArgValue { blue: false, ty: *t, value: None };
            return Ok(MV::blue(bt::METAARG, Value::MetaArg(Rc::new(m)), mv.span));
        }
        let empty_dict = got == bt::EMPTY_DICT && self.ty(expected).fqn.starts_with("_dict::dict[");
        if empty_dict || got == bt::EMPTY_LIST && self.ty(expected).fqn.starts_with("_list::list[") {
            let span = mv.span;
            return self.call_type(frame, expected, vec![], span, span);
        }
        if let Some((true, elem)) = self.ptr_elem(got) {
            let span = mv.span;
            let loaded = self.builtin_call(frame, Builtin::RefLoad, vec![mv], elem, span)?;
            return self.convert(frame, loaded, expected, context);
        }
        if let (Some((false, _)), true) = (self.ptr_elem(got), expected == bt::BOOL) {
            let span = mv.span;
            return self.builtin_call(frame, Builtin::PtrToBool, vec![mv], bt::BOOL, span);
        }
        if let (Some(from), Some(to)) = (self.prim(got), self.prim(expected)) {
            if implicit_ok(from, to) {
                let span = mv.span;
                return self.builtin_call(frame, Builtin::Convert(from, to), vec![mv], expected, span);
            }
            // str -> complex128 parses, implicitly too (LANGUAGE.md §3.11).
            if (from, to) == (Prim::Str, Prim::Complex) {
                let span = mv.span;
                return self.builtin_call(frame, Builtin::ParseComplex, vec![mv], expected, span);
            }
        }
        for (owner, dunder) in [(got, "__convert_to__"), (expected, "__convert_from__")] {
            let Some(m) = self.lookup_method(owner, dunder) else { continue };
            let span = mv.span;
            let exp_arg = MV::blue(bt::TYPE, Value::Type(expected), span);
            let got_arg = MV::blue(bt::TYPE, Value::Type(got), span);
            let margs: Vec<MV> =
                [&exp_arg, &got_arg, &mv].iter().map(|a| MV::blue(bt::METAARG, self.metaarg_of(a), span)).collect();
            let values: Vec<Value> = margs.iter().map(|a| a.value().cloned().expect("blue")).collect();
            let Value::OpSpec(spec) = self.call_function(m, values.clone(), span)? else {
                return err(ErrorKind::TypeError, format!("`{dunder}` must return an OpSpec"))
                    .map_err(|e| e.annotate(span, ""));
            };
            let key = self.func(m).memo.get_key_value(&values).map(|(k, _)| k.clone()).unwrap_or(values);
            // The simple form `OpSpec(fn)` calls `fn` with the value only (§4.10).
            let result = match &*spec {
                OpSpecValue::Call(g, None) => Some(self.call_func_mv(frame, *g, vec![mv.clone()], span, None)?),
                other => {
                    self.apply_opspec(frame, other, vec![exp_arg.clone(), got_arg.clone(), mv.clone()], &key, span)?
                }
            };
            if let Some(r) = result {
                return Ok(r);
            }
        }
        let mut e = VmError::new(ErrorKind::TypeError, "mismatched types")
            .annotate(mv.span, format!("expected `{}`, got `{}`", self.type_name(expected), self.type_name(got)));
        if let Some((span, note)) = context {
            e = e.note(span, note);
        }
        Err(e)
    }

    /// `T(x)` for a primitive `T` (LANGUAGE.md §3.12).
    fn explicit_convert(&mut self, frame: &mut Frame, to: TypeId, args: Vec<MV>, span: Span) -> VmResult<MV> {
        let to_p = self.prim(to).expect("primitive");
        if to == bt::STR && args.len() == 1 {
            let arg = args.into_iter().next().expect("one arg");
            return self.to_str(frame, arg, span, false);
        }
        if to == bt::COMPLEX && args.len() == 2 {
            let re = self.convert(frame, args[0].clone(), bt::F64, None)?;
            let im = self.convert(frame, args[1].clone(), bt::F64, None)?;
            if let (Some(Value::F64(a)), Some(Value::F64(b))) = (re.value(), im.value()) {
                return Ok(MV::blue(bt::COMPLEX, Value::Complex(*a, *b), span));
            }
            return err(ErrorKind::Wip, "complex128(re, im) with red arguments");
        }
        if args.len() == 1 {
            let arg = args.into_iter().next().expect("one arg");
            let from = self.prim(arg.ty);
            let accepted = match (to_p, from) {
                (Prim::I32, Some(Prim::F64 | Prim::F32 | Prim::I8 | Prim::U8 | Prim::U32)) => true,
                (Prim::I64, Some(Prim::F64 | Prim::F32 | Prim::I8 | Prim::U8 | Prim::I32 | Prim::U32 | Prim::U64)) => {
                    true
                }
                (Prim::U64, Some(Prim::I64)) => true,
                (Prim::I8 | Prim::U8, Some(Prim::I32)) => true,
                (Prim::F64, Some(Prim::I32 | Prim::F32)) => true,
                (Prim::F32, Some(Prim::I32 | Prim::F64)) => true,
                (Prim::Complex, Some(Prim::I32 | Prim::F64)) => true,
                _ => false,
            };
            if accepted {
                let from = from.expect("prim");
                return self.builtin_call(frame, Builtin::Convert(from, to_p), vec![arg], to, span);
            }
            if from == Some(Prim::Str) && to_p.is_int() {
                return self.builtin_call(frame, Builtin::ParseInt(to_p), vec![arg], to, span);
            }
            if from == Some(Prim::Str) && to_p == Prim::Complex {
                return self.builtin_call(frame, Builtin::ParseComplex, vec![arg], to, span);
            }
        }
        if to == bt::BOOL {
            return err(ErrorKind::TypeError, "cannot instantiate `bool`").map_err(|e| e.annotate(span, ""));
        }
        Err(VmError::new(ErrorKind::TypeError, "cannot call objects of type `type`").annotate(span, "this is `type`"))
    }

    /// `str(x)` (or `repr(x)`): the type's `__str__`, else `__repr__`.
    fn to_str(&mut self, frame: &mut Frame, arg: MV, span: Span, repr: bool) -> VmResult<MV> {
        let arg = self.deref(frame, arg)?;
        if let Some(p) = self.prim(arg.ty) {
            let b = if repr { Builtin::Repr(p) } else { Builtin::ToStr(p) };
            return self.builtin_call(frame, b, vec![arg], bt::STR, span);
        }
        let names: &[&str] = if repr { &["__repr__"] } else { &["__str__", "__repr__"] };
        for name in names {
            if let Some(m) = self.lookup_method(arg.ty, name) {
                return self.call_func_mv(frame, m, vec![arg], span, None);
            }
        }
        if let Some(v) = arg.value() {
            let text = self.blue_repr(v);
            return Ok(MV::blue(bt::STR, Value::str(&text), span));
        }
        if self.is_struct(arg.ty) {
            let t = arg.ty;
            return self.builtin_call(frame, Builtin::DefaultRepr(t), vec![arg], bt::STR, span);
        }
        let what = if repr { "repr" } else { "str" };
        Err(VmError::new(ErrorKind::TypeError, format!("cannot call {what}(`{}`)", self.type_name(arg.ty)))
            .annotate(arg.span, format!("this is `{}`", self.type_name(arg.ty))))
    }

    /// `str()` of a blue object without `__str__`: types, functions, exceptions.
    pub fn blue_repr(&self, v: &Value) -> String {
        match v {
            Value::Type(t) => match self.ty(*t).kind {
                TypeKind::Struct { .. } => format!("<spy type '{}' (struct)>", self.type_name(*t)),
                _ => format!("<spy type '{}'>", self.type_name(*t)),
            },
            Value::NotImplemented => "NotImplemented".into(),
            Value::Exc(e) => {
                let name = self.type_name(e.ty);
                format!("{name}({})", crate::repr::str_repr(&e.message))
            }
            // No address: every runner must print the same bytes (LANGUAGE.md §17 #10).
            other => format!("<spy `{}` object>", self.type_name(self.type_of(other))),
        }
    }

    // ---------------------------------------------------------------- calls

    fn call(&mut self, frame: &mut Frame, callee: MV, args: Vec<MV>, span: Span) -> VmResult<MV> {
        if !callee.is_blue() {
            if let Some(m) = self.lookup_method(callee.ty, "__call__") {
                let mut all = vec![callee];
                all.extend(args);
                return self.call_func_mv(frame, m, all, span, None);
            }
        }
        let Some(cv) = callee.value().cloned() else {
            return Err(VmError::new(
                ErrorKind::TypeError,
                format!("cannot call objects of type `{}`", self.type_name(callee.ty)),
            )
            .annotate(callee.span, format!("this is `{}`", self.type_name(callee.ty))));
        };
        match cv {
            Value::Func(f) if self.func(f).sig.kind == FuncKind::Generic => {
                let ty = self.type_name(callee.ty);
                Err(VmError::new(ErrorKind::TypeError, "generic functions must be called via `[...]`")
                    .annotate(callee.span, format!("this is `{ty}`")))
            }
            Value::Func(f) => self.call_func_mv(frame, f, args, span, Some(callee.span)),
            Value::Special(s) => self.call_special(frame, s, args, span),
            Value::Type(t) => self.call_type(frame, t, args, span, callee.span),
            _ => {
                if let Some(m) = self.lookup_method(callee.ty, "__call__") {
                    let mut all = vec![callee];
                    all.extend(args);
                    return self.call_func_mv(frame, m, all, span, None);
                }
                Err(VmError::new(
                    ErrorKind::TypeError,
                    format!("cannot call objects of type `{}`", self.type_name(callee.ty)),
                )
                .annotate(callee.span, format!("this is `{}`", self.type_name(callee.ty))))
            }
        }
    }

    /// Calls function `f` with meta-value arguments: arity check, implicit conversions,
    /// then either a call now (blue function, or all-blue arguments in a blue frame) or
    /// shifted code.
    pub fn call_func_mv(
        &mut self,
        frame: &mut Frame,
        f: FuncId,
        args: Vec<MV>,
        span: Span,
        callee_span: Option<Span>,
    ) -> VmResult<MV> {
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
            converted.push(MV::blue(sig.params[idx], v, span));
        }
        if frame.is_red() && self.func(f).force_inline {
            return self.inline_call(frame, f, converted, span);
        }
        let all_blue = converted.iter().all(MV::is_blue);
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
            return Ok(MV::blue(ty, v, span));
        }
        let pure = self.func(f).is_pure;
        if all_blue && (!frame.is_red() || pure) {
            let values = converted.iter().map(|a| a.value().cloned().expect("blue")).collect();
            let v = self.call_function(f, values, span)?;
            return Ok(MV::blue(sig.ret, v, span));
        }
        let codes = converted.into_iter().map(MV::code).collect();
        Ok(MV::red(sig.ret, RKind::Call(FuncRef::User(f), codes), span))
    }

    /// A call of a `@force_inline` function, replaced by its body (LANGUAGE.md §5.9): each
    /// argument is stored once in a fresh local, the callee's locals get a `$N` suffix, and
    /// the tail `return` gives the block's value.
    fn inline_call(&mut self, frame: &mut Frame, f: FuncId, args: Vec<MV>, span: Span) -> VmResult<MV> {
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
        Ok(MV::red(sig.ret, RKind::Block(stmts, Box::new(value.code())), span))
    }

    /// Shifts an inlined body into `stmts` and returns the value of its tail `return`.
    fn inline_body(
        &mut self,
        child: &mut Frame,
        def: &'a FuncDef<'a>,
        stmts: &mut Vec<RStmt>,
        span: Span,
    ) -> VmResult<MV> {
        let (last, init) = match def.body.split_last() {
            Some((last, init)) => (Some(*last), init),
            None => (None, &def.body[..]),
        };
        self.shift_block(child, init, stmts)?;
        match last.map(|s| &s.kind) {
            Some(StmtKind::Return(value)) => {
                let v = match value {
                    Some(e) => self.eval_expr(child, e)?,
                    None => MV::blue(bt::NONE, Value::None, span),
                };
                let ret = child.ret;
                self.convert(child, v, ret, None)
            }
            Some(_) => {
                self.shift_stmt(child, last.expect("last"), stmts)?;
                Ok(MV::blue(bt::NONE, Value::None, span))
            }
            None => Ok(MV::blue(bt::NONE, Value::None, span)),
        }
    }

    /// `@force_inline` applied to `f`: a red `def` whose body ends with its only `return`
    /// (or has none, returning None). Marks it; calls are inlined when redshifted.
    fn force_inline(&mut self, v: &MV, span: Span) -> VmResult<()> {
        let Some(Value::Func(f)) = v.value() else {
            return err(ErrorKind::TypeError, "@force_inline can only be applied to def'd functions")
                .map_err(|e| e.annotate(span, ""));
        };
        let f = *f;
        let FuncImpl::Ast { def, .. } = &self.func(f).imp else {
            return err(ErrorKind::TypeError, "@force_inline can only be applied to def'd functions")
                .map_err(|e| e.annotate(span, ""));
        };
        let def = *def;
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

    /// The MetaArg of an argument (LANGUAGE.md §5.6): its color, static type, and value
    /// when it is blue.
    fn metaarg_of(&self, mv: &MV) -> Value {
        Value::MetaArg(Rc::new(MetaArgValue { blue: mv.is_blue(), ty: mv.ty, value: mv.value().cloned() }))
    }

    /// Calls a metafunction: it runs now on one MetaArg per argument (memoized per
    /// MetaArg tuple) and returns an OpSpec saying what the call really is.
    fn call_metafunc(
        &mut self,
        frame: &mut Frame,
        f: FuncId,
        args: Vec<MV>,
        span: Span,
        callee_span: Option<Span>,
    ) -> VmResult<MV> {
        let margs: Vec<MV> = args.iter().map(|a| MV::blue(bt::METAARG, self.metaarg_of(a), a.span)).collect();
        let (sig, proto) = (self.func(f).sig.clone(), self.func(f).proto_span);
        let min = sig.params.len() - self.func(f).defaults.len();
        if !sig.varargs && (margs.len() < min || margs.len() > sig.params.len()) {
            let e = self.arity_error(min, sig.params.len(), margs.len(), &margs, callee_span.unwrap_or(span), proto);
            return Err(e.note(span, "operator::CALL called here"));
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
    fn apply_opspec(
        &mut self,
        frame: &mut Frame,
        spec: &OpSpecValue,
        args: Vec<MV>,
        margs: &[Value],
        span: Span,
    ) -> VmResult<Option<MV>> {
        Ok(Some(match spec {
            OpSpecValue::Null => return Ok(None),
            OpSpecValue::Const(v) => MV::blue(self.type_of(v), v.clone(), span),
            OpSpecValue::Call(g, None) => self.call_func_mv(frame, *g, args, span, None)?,
            OpSpecValue::Call(g, Some(chosen)) => {
                let mut mapped = Vec::with_capacity(chosen.len());
                for m in chosen {
                    let Value::MetaArg(ma) = m else { panic!("internal error: OpSpec args are MetaArgs") };
                    // An incoming MetaArg passes its argument on; a new blue one is a constant.
                    match margs.iter().position(|k| matches!(k, Value::MetaArg(km) if Rc::ptr_eq(km, ma))) {
                        Some(i) => mapped.push(args[i].clone()),
                        None if ma.blue => mapped.push(MV::blue(ma.ty, ma.value.clone().expect("blue"), span)),
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

    /// A fresh `list[str]` holding `parts` (made with the list's own `_new_empty` and
    /// `append`, so the seed has no list code of its own).
    pub(super) fn new_str_list(&mut self, list_ty: TypeId, parts: Vec<Vec<u8>>, span: Span) -> VmResult<Value> {
        let (Some(Value::Func(new)), Some(Value::Func(append))) =
            (self.type_attr(list_ty, "@static:_new_empty").cloned(), self.type_attr(list_ty, "append").cloned())
        else {
            panic!("internal error: list without _new_empty/append")
        };
        let list = self.call_function(new, vec![], span)?;
        for part in parts {
            self.call_function(append, vec![list.clone(), Value::Str(Rc::from(part))], span)?;
        }
        Ok(list)
    }

    /// The items of a list value (the stdlib's `_ListImpl`), read from its memory.
    pub fn list_values(&self, v: &Value) -> Option<Vec<Value>> {
        let Value::Struct(list) = v else { return None };
        let Some(Value::Ptr(data)) = list.fields.first() else { return None };
        let mem = data.mem.as_ref()?;
        let Value::Struct(ld) = &mem.borrow()[data.offset as usize] else { return None };
        let (Value::I32(len), Some(Value::Ptr(items))) = (&ld.fields[0], ld.fields.get(2)) else { return None };
        let items_mem = items.mem.as_ref()?;
        let all = items_mem.borrow();
        Some(all[items.offset as usize..items.offset as usize + *len as usize].to_vec())
    }

    /// The (key, value) entries of a stdlib `dict[K, V]` value, in insertion order.
    pub fn dict_entries(&self, v: &Value) -> Option<Vec<(Value, Value)>> {
        let Value::Struct(dict) = v else { return None };
        let Some(Value::Ptr(data)) = dict.fields.first() else { return None };
        let mem = data.mem.as_ref()?;
        let Value::Struct(dd) = &mem.borrow()[data.offset as usize] else { return None };
        let (Value::I32(len), Some(Value::Ptr(entries))) = (&dd.fields[0], dd.fields.get(3)) else { return None };
        let entries_mem = entries.mem.as_ref()?;
        let all = entries_mem.borrow();
        // Entry 0 is never used (stdlib/_dict.spy).
        let first = entries.offset as usize + 1;
        all[first..first + *len as usize]
            .iter()
            .map(|e| match e {
                Value::Struct(e) => Some((e.fields[0].clone(), e.fields[1].clone())),
                _ => None,
            })
            .collect()
    }

    fn arity_error(
        &self,
        min: usize,
        max: usize,
        got: usize,
        args: &[MV],
        callee_span: Span,
        proto: Option<Span>,
    ) -> VmError {
        let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
        let takes = if min == max { plural(max, "argument") } else { format!("from {min} to {max} arguments") };
        let supplied =
            if got == 1 { "1 argument was supplied".to_string() } else { format!("{got} arguments were supplied") };
        let mut e = VmError::new(ErrorKind::TypeError, format!("this function takes {takes} but {supplied}"));
        if got < min {
            let missing = min - got;
            e = e.annotate(callee_span, format!("{} missing", plural(missing, "argument")));
        } else {
            let extra = &args[max..];
            let span = extra[0].span.to(extra[extra.len() - 1].span);
            e = e.annotate(
                span,
                format!("{} extra {}", extra.len(), if extra.len() == 1 { "argument" } else { "arguments" }),
            );
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
        match &self.func(f).imp {
            FuncImpl::Builtin(b) => {
                let b = *b;
                return self.run_builtin(b, &args).map_err(|e| VmError::runtime(e.kind, e.message, span));
            }
            FuncImpl::Make(t) => {
                return Ok(Value::Struct(Rc::new(StructValue { ty: *t, fields: args })));
            }
            _ => {}
        }
        self.run_compiled(f, args, span)
    }

    /// A run-time error raised inside the stdlib is reported at the call in the user's
    /// code that led there, as a Python traceback's last user frame would show it.
    pub(super) fn blame_caller(&self, e: VmError, call_site: Span) -> VmError {
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

    fn run_blue_function(&mut self, f: FuncId, args: Vec<Value>, _span: Span) -> VmResult<Value> {
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

    fn call_special(&mut self, frame: &mut Frame, s: Special, args: Vec<MV>, span: Span) -> VmResult<MV> {
        let n = args.len();
        let want = |k: usize| -> VmResult<()> {
            if n == k {
                Ok(())
            } else {
                let s = if k == 1 { "" } else { "s" };
                err(
                    ErrorKind::TypeError,
                    format!("this function takes {k} argument{s} but {n} arguments were supplied"),
                )
                .map_err(|e| e.annotate(span, ""))
            }
        };
        match s {
            Special::Print => self.print(frame, args, span),
            Special::Len => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                // A reference behaves like the value it references (§10.2).
                let arg = self.deref(frame, arg)?;
                match self.prim(arg.ty) {
                    Some(Prim::Str) => self.builtin_call(frame, Builtin::StrLen, vec![arg], bt::I32, span),
                    Some(Prim::Bytes) => self.builtin_call(frame, Builtin::BytesLen, vec![arg], bt::I32, span),
                    _ if self.is_interp_tuple(arg.ty) => {
                        let n = self.tuple_items(arg.ty).expect("tuple").len() as i32;
                        Ok(MV::blue(bt::I32, Value::I32(n), span))
                    }
                    _ => match self.lookup_method(arg.ty, "__len__") {
                        Some(m) => self.call_func_mv(frame, m, vec![arg], span, None),
                        None => Err(VmError::new(
                            ErrorKind::TypeError,
                            format!("cannot call len(`{}`)", self.type_name(arg.ty)),
                        )
                        .annotate(arg.span, format!("this is `{}`", self.type_name(arg.ty)))),
                    },
                }
            }
            Special::Repr => {
                want(1)?;
                self.to_str(frame, args.into_iter().next().expect("1"), span, true)
            }
            Special::Hash => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                match self.prim(arg.ty) {
                    Some(p) if p.is_int() || matches!(p, Prim::Bool | Prim::Str | Prim::Bytes) => {
                        self.builtin_call(frame, Builtin::Hash(p), vec![arg], bt::I32, span)
                    }
                    _ => match self.lookup_method(arg.ty, "__hash__") {
                        Some(m) => self.call_func_mv(frame, m, vec![arg], span, None),
                        None => err(ErrorKind::TypeError, format!("unhashable type '{}'", self.type_name(arg.ty)))
                            .map_err(|e| e.annotate(arg.span, "")),
                    },
                }
            }
            Special::Ord => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                let ret = match self.prim(arg.ty) {
                    Some(Prim::Str) => bt::I32,
                    Some(Prim::Bytes) => bt::U8,
                    _ => {
                        return err(
                            ErrorKind::TypeError,
                            format!("ord: expected `str` or `bytes`, found `{}`", self.type_name(arg.ty)),
                        )
                    }
                };
                let zero = MV::blue(bt::I32, Value::I32(0), span);
                let b = if ret == bt::I32 { Builtin::StrGetItem } else { Builtin::BytesGetItem };
                let first =
                    self.builtin_call(frame, b, vec![arg, zero], if ret == bt::I32 { bt::STR } else { bt::U8 }, span)?;
                if ret == bt::U8 {
                    return Ok(first);
                }
                match first.value() {
                    Some(v) => Ok(MV::blue(bt::I32, Value::I32(v.as_bytes()[0] as i32), span)),
                    None => self.builtin_call(frame, Builtin::OrdStr, vec![first], bt::I32, span),
                }
            }
            Special::StaticType => {
                want(1)?;
                Ok(MV::blue(bt::TYPE, Value::Type(args[0].ty), span))
            }
            Special::TypeOf => {
                want(1)?;
                Ok(MV::blue(bt::TYPE, Value::Type(args[0].ty), span))
            }
            Special::PtrMem(m) => self.mem_op(frame, m, args, span),
            Special::Unchecked(_) | Special::Ieee754Div => {
                want(2)?;
                let (a, b) = (&args[0], &args[1]);
                let (pa, pb) = (self.prim(a.ty), self.prim(b.ty));
                let ok = |p: Option<Prim>, allowed: &[Prim]| p.is_some_and(|p| allowed.contains(&p));
                let (builtin, ret) = match s {
                    Special::Unchecked(op)
                        if pa == pb && ok(pa, &[Prim::I8, Prim::U8, Prim::I32, Prim::U32, Prim::F32, Prim::F64]) =>
                    {
                        let p = pa.expect("prim");
                        let ret = if op == ArithOp::Div && p.is_int() { bt::F64 } else { a.ty };
                        (Builtin::Unchecked(op, p), ret)
                    }
                    Special::Ieee754Div
                        if ok(pa, &[Prim::I32, Prim::F32, Prim::F64]) && ok(pb, &[Prim::I32, Prim::F32, Prim::F64]) =>
                    {
                        let p = if pa == Some(Prim::F32) && pb == Some(Prim::F32) { Prim::F32 } else { Prim::F64 };
                        (Builtin::Ieee754Div(p), World::prim_type(p))
                    }
                    _ => {
                        let (x, y) = (self.type_name(a.ty), self.type_name(b.ty));
                        return Err(VmError::new(
                            ErrorKind::TypeError,
                            format!("Unsupported types `{x}` / `{y}` for unchecked division operation"),
                        )
                        .annotate(a.span, format!("this is `{x}`"))
                        .annotate(b.span, format!("this is `{y}`")));
                    }
                };
                self.builtin_call(frame, builtin, args, ret, span)
            }
            Special::Color => {
                want(1)?;
                let color = if args[0].is_blue() { "blue" } else { "red" };
                Ok(MV::blue(bt::STR, Value::str(color), span))
            }
            Special::AsRed => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                if !frame.is_red() || !arg.is_blue() {
                    return Ok(MV { span, ..arg });
                }
                let ty = arg.ty;
                Ok(MV::red(ty, arg.code().kind, span))
            }
            Special::LookupFqn => {
                want(1)?;
                let fqn = match args[0].value() {
                    Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
                    _ => {
                        let got = self.type_name(args[0].ty);
                        return Err(VmError::new(ErrorKind::TypeError, "mismatched types")
                            .annotate(args[0].span, format!("expected blue `str`, got `{got}`")));
                    }
                };
                match self.lookup_fqn(&fqn) {
                    Some(v) => Ok(MV::blue(self.type_of(&v), v, span)),
                    None => {
                        Err(VmError::new(ErrorKind::ValueError, format!("FQN not found: {fqn}"))
                            .annotate(args[0].span, ""))
                    }
                }
            }
            Special::IsCompiled => {
                want(0)?;
                self.builtin_call(frame, Builtin::IsCompiled, vec![], bt::BOOL, span)
            }
            Special::ForceInline => {
                want(1)?;
                self.force_inline(&args[0], span)?;
                Ok(args.into_iter().next().expect("1"))
            }
            Special::GetAttr | Special::HasAttr | Special::SetAttr => {
                want(if s == Special::SetAttr { 3 } else { 2 })?;
                let mut it = args.into_iter();
                let (target, name) = (it.next().expect("obj"), it.next().expect("name"));
                let attr = match name.value() {
                    Some(Value::Str(n)) => String::from_utf8_lossy(n).into_owned(),
                    _ => {
                        return Err(VmError::new(ErrorKind::TypeError, "expected blue argument")
                            .annotate(name.span, "this is red"))
                    }
                };
                match s {
                    Special::GetAttr => self.getattr(frame, target, &attr, span),
                    Special::HasAttr => {
                        let found = self.getattr(frame, target, &attr, span).is_ok();
                        Ok(MV::blue(bt::BOOL, Value::Bool(found), span))
                    }
                    _ => {
                        let value = it.next().expect("value");
                        match self.store_field(frame, target.clone(), &attr, value, span)? {
                            Some(mv) => Ok(mv),
                            None => Err(self.setattr_error(&target, &attr)),
                        }
                    }
                }
            }
            Special::Property | Special::StaticMethod | Special::ClassMethod | Special::Struct => {
                err(ErrorKind::TypeError, "this decorator can only be used in a class body")
            }
            Special::GcPtr
            | Special::RawPtr
            | Special::GcRef
            | Special::RawRef
            | Special::GcAlloc
            | Special::RawAlloc => {
                err(ErrorKind::TypeError, "this is a generic: use it with `[T]`").map_err(|e| e.annotate(span, ""))
            }
        }
    }

    /// `print(a, b, ...)`: a call of the stdlib's metafunction `_print.print` (LANGUAGE.md
    /// §12). `print` stays a builtin name (§2.7); using it imports `_print`.
    fn print(&mut self, frame: &mut Frame, args: Vec<MV>, span: Span) -> VmResult<MV> {
        let print = self.stdlib_const("_print", "print", span)?;
        let callee = MV::blue(self.type_of(&print), print, span);
        self.call(frame, callee, args, span)
    }

    fn call_type(
        &mut self,
        frame: &mut Frame,
        t: TypeId,
        args: Vec<MV>,
        span: Span,
        callee_span: Span,
    ) -> VmResult<MV> {
        if t == bt::OPSPEC || t == bt::METAARG {
            return self.new_meta_value(t, args, span);
        }
        if t == bt::TYPE && args.len() == 1 {
            // `type(x)`: its type, blue (the static type is the dynamic one in SPy).
            return Ok(MV::blue(bt::TYPE, Value::Type(args[0].ty), span));
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
            return Ok(MV::blue(t, Value::Exc(Rc::new(ExcValue { ty: t, message })), span));
        }
        if self.is_struct(t) {
            if let Some(Value::Func(new)) = self.type_attr(t, "__new__").cloned() {
                // A metafunction `__new__` also receives the type's MetaArg first (§4.9).
                let args = if self.func(new).sig.kind == FuncKind::Metafunc {
                    let mut all = vec![MV::blue(bt::TYPE, Value::Type(t), callee_span)];
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

    /// `OpSpec(fn)`, `OpSpec(fn, [m_a, ...])`, `MetaArg("blue", T, v)` (LANGUAGE.md §5.6).
    fn new_meta_value(&mut self, t: TypeId, args: Vec<MV>, span: Span) -> VmResult<MV> {
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
        Ok(MV::blue(t, v, span))
    }

    /// `T.__make__`, created with the struct.
    fn make_of(&self, t: TypeId) -> FuncId {
        match self.type_attr(t, "__make__") {
            Some(Value::Func(f)) => *f,
            _ => panic!("internal error: struct without __make__"),
        }
    }

    /// `ptr_copy(dst, src, n)` and the other bulk memory helpers: both pointers must have
    /// the same item type, and the byte versions accept only `u8`/`i8` (§10.3).
    fn mem_op(&mut self, frame: &mut Frame, m: MemOp, args: Vec<MV>, span: Span) -> VmResult<MV> {
        let sig = m.signature();
        if args.len() != sig.len() {
            return Err(self.arity_error(sig.len(), sig.len(), args.len(), &args, span, None));
        }
        let mut item: Option<TypeId> = None;
        let mut converted = Vec::with_capacity(args.len());
        for (kind, arg) in sig.chars().zip(args) {
            let arg = match kind {
                'p' => {
                    let Some((false, elem)) = self.ptr_elem(arg.ty) else {
                        return Err(VmError::new(ErrorKind::TypeError, "mismatched types")
                            .annotate(arg.span, format!("expected ptr[T], got `{}`", self.type_name(arg.ty))));
                    };
                    match item {
                        Some(t) if t != elem => {
                            return Err(VmError::new(ErrorKind::TypeError, "mismatched types").annotate(
                                arg.span,
                                format!("expected ptr[{}], got `{}`", self.type_name(t), self.type_name(arg.ty)),
                            ))
                        }
                        _ => item = Some(elem),
                    }
                    let bytewise = matches!(m, MemOp::Memcpy | MemOp::Memmove | MemOp::Memset | MemOp::Memcmp);
                    if bytewise && elem != bt::U8 && elem != bt::I8 {
                        return Err(VmError::new(ErrorKind::TypeError, "mismatched types")
                            .annotate(
                                arg.span,
                                format!("expected `ptr[u8]` or `ptr[i8]`, got `{}`", self.type_name(arg.ty)),
                            )
                            .note(span, "help: use `ptr_copy` instead"));
                    }
                    arg
                }
                'b' => self.convert(frame, arg, bt::U8, None)?,
                _ => self.convert(frame, arg, bt::I32, None)?,
            };
            converted.push(arg);
        }
        let ret = if matches!(m, MemOp::Cmp | MemOp::CmpSlice | MemOp::Memcmp) { bt::I32 } else { bt::NONE };
        self.builtin_call(frame, Builtin::Mem(m), converted, ret, span)
    }

    /// Runs a bulk memory helper on its checked arguments (messages of the debug C build).
    fn run_mem_op(&mut self, m: MemOp, args: &[Value]) -> Result<Value, super::ops::OpError> {
        use super::ops::OpError;
        let fail = |msg: String| Err(OpError { kind: "PanicError", message: msg });
        let ptr = |v: &Value| match v {
            Value::Ptr(p) => p.clone(),
            _ => panic!("internal error: pointer expected"),
        };
        let name = m.name();
        // (pointer, first item, item count) for each operand.
        let ranges: Vec<(super::value::PtrValue, i64, i64)> = match m {
            MemOp::Copy | MemOp::Move | MemOp::Cmp | MemOp::Memcpy | MemOp::Memmove | MemOp::Memcmp => {
                let n = args[2].as_i32() as i64;
                vec![(ptr(&args[0]), 0, n), (ptr(&args[1]), 0, n)]
            }
            MemOp::CopySlice | MemOp::MoveSlice | MemOp::CmpSlice => {
                let (ds, de, ss, se) = (
                    args[1].as_i32() as i64,
                    args[2].as_i32() as i64,
                    args[4].as_i32() as i64,
                    args[5].as_i32() as i64,
                );
                if de - ds != se - ss {
                    return fail(format!("{name} length mismatch"));
                }
                vec![(ptr(&args[0]), ds, de - ds), (ptr(&args[3]), ss, se - ss)]
            }
            MemOp::SetBytes | MemOp::Memset => vec![(ptr(&args[0]), 0, args[2].as_i32() as i64)],
            MemOp::SetBytesSlice => {
                let (ds, de) = (args[1].as_i32() as i64, args[2].as_i32() as i64);
                vec![(ptr(&args[0]), ds, de - ds)]
            }
        };
        for (idx, (p, start, n)) in ranges.iter().enumerate() {
            if p.mem.is_none() {
                return fail("cannot dereference NULL pointer".into());
            }
            if *start < 0 || *n < 0 || start + n > p.len as i64 {
                let compares = matches!(m, MemOp::Cmp | MemOp::CmpSlice | MemOp::Memcmp);
                let which = if ranges.len() == 1 || compares {
                    ""
                } else if idx == 0 {
                    " dst"
                } else {
                    " src"
                };
                return fail(format!("{name}{which} out of bounds"));
            }
        }
        let at = |p: &super::value::PtrValue, start: i64| {
            (p.mem.clone().expect("checked"), p.offset as usize + start as usize)
        };
        match m {
            MemOp::SetBytes | MemOp::Memset | MemOp::SetBytesSlice => {
                let (p, start, n) = &ranges[0];
                let byte = match m {
                    MemOp::SetBytesSlice => args[3].clone(),
                    _ => args[1].clone(),
                };
                let Value::U8(byte) = byte else { panic!("internal error: u8 expected") };
                let (mem, first) = at(p, *start);
                let mut items = mem.borrow_mut();
                for i in first..first + *n as usize {
                    let filled = self.filled_value(&items[i], byte).ok_or(OpError {
                        kind: "PanicError",
                        message: format!("{name}: only 0 can fill items of this type"),
                    })?;
                    items[i] = filled;
                }
                Ok(Value::None)
            }
            MemOp::Cmp | MemOp::CmpSlice | MemOp::Memcmp => {
                let ((pa, sa, n), (pb, sb, _)) = (&ranges[0], &ranges[1]);
                let (ma, fa) = at(pa, *sa);
                let (mb, fb) = at(pb, *sb);
                let (a, b) = (ma.borrow(), mb.borrow());
                let mut bytes_a = Vec::new();
                let mut bytes_b = Vec::new();
                for i in 0..*n as usize {
                    let (Some(x), Some(y)) = (item_bytes(&a[fa + i]), item_bytes(&b[fb + i])) else {
                        return fail(format!("{name}: items of this type have no bytes to compare"));
                    };
                    bytes_a.extend(x);
                    bytes_b.extend(y);
                }
                Ok(Value::I32(match bytes_a.cmp(&bytes_b) {
                    std::cmp::Ordering::Less => -1,
                    std::cmp::Ordering::Equal => 0,
                    std::cmp::Ordering::Greater => 1,
                }))
            }
            _ => {
                let ((pd, sd, n), (ps, ss, _)) = (&ranges[0], &ranges[1]);
                let (md, fd) = at(pd, *sd);
                let (ms, fs) = at(ps, *ss);
                let copy = matches!(m, MemOp::Copy | MemOp::CopySlice | MemOp::Memcpy);
                if copy && Rc::ptr_eq(&md, &ms) && fd < fs + *n as usize && fs < fd + *n as usize && *n > 0 {
                    return fail(format!("{name} regions overlap"));
                }
                // Through a copy first, so that overlapping moves read the old items.
                let src: Vec<Value> = ms.borrow()[fs..fs + *n as usize].to_vec();
                md.borrow_mut()[fd..fd + *n as usize].clone_from_slice(&src);
                Ok(Value::None)
            }
        }
    }

    /// An item whose every byte is `byte`, of the same type as `like`; None when such a
    /// value does not exist for the type (a non-zero str, pointer...).
    fn filled_value(&self, like: &Value, byte: u8) -> Option<Value> {
        let b = byte;
        Some(match like {
            Value::I8(_) => Value::I8(b as i8),
            Value::U8(_) => Value::U8(b),
            Value::I32(_) => Value::I32(i32::from_le_bytes([b; 4])),
            Value::U32(_) => Value::U32(u32::from_le_bytes([b; 4])),
            Value::I64(_) => Value::I64(i64::from_le_bytes([b; 8])),
            Value::U64(_) => Value::U64(u64::from_le_bytes([b; 8])),
            Value::F32(_) => Value::F32(f32::from_le_bytes([b; 4])),
            Value::F64(_) => Value::F64(f64::from_le_bytes([b; 8])),
            Value::Bool(_) => Value::Bool(b != 0),
            Value::Struct(s) => {
                let fields = s.fields.iter().map(|f| self.filled_value(f, b)).collect::<Option<Vec<_>>>()?;
                Value::Struct(Rc::new(StructValue { ty: s.ty, fields }))
            }
            Value::Str(_) if b == 0 => Value::str(""),
            Value::Ptr(_) if b == 0 => Value::Ptr(super::value::PtrValue::null()),
            _ => return None,
        })
    }

    /// `gc_ptr[T]`, `raw_ref[T]`, `gc_alloc[T]`...: the `unsafe` generics.
    fn unsafe_generic(&mut self, sp: Special, args: &[MV], span: Span) -> VmResult<Option<Value>> {
        let (is_ref, gc, alloc) = match sp {
            Special::GcPtr => (false, true, false),
            Special::RawPtr => (false, false, false),
            Special::GcRef => (true, true, false),
            Special::RawRef => (true, false, false),
            Special::GcAlloc => (false, true, true),
            Special::RawAlloc => (false, false, true),
            _ => return Ok(None),
        };
        let elem = match args {
            [arg] => match arg.value() {
                Some(Value::Type(t)) => *t,
                _ => {
                    return err(ErrorKind::TypeError, "expected `type`")
                        .map_err(|e| e.annotate(arg.span, "expected `type`"))
                }
            },
            _ => return err(ErrorKind::TypeError, "expected one type argument").map_err(|e| e.annotate(span, "")),
        };
        Ok(Some(if alloc {
            Value::Func(self.allocator(gc, elem))
        } else {
            Value::Type(self.ptr_type(is_ref, gc, elem))
        }))
    }

    /// The field `attr` of the struct a pointer or reference of type `t` points at:
    /// (pointer is a ref?, gc?, field index, field type).
    fn ptr_field(&self, t: TypeId, attr: &str) -> Option<(bool, bool, u32, TypeId)> {
        let (is_ref, gc, elem) = match self.ty(t).kind {
            TypeKind::Ptr { gc, elem } => (false, gc, elem),
            TypeKind::Ref { gc, elem } => (true, gc, elem),
            _ => return None,
        };
        let idx = self.struct_fields(elem).iter().position(|f| f.name == attr)?;
        Some((is_ref, gc, idx as u32, self.struct_fields(elem)[idx].ty))
    }

    /// `p.f = v` / `r.f = v`: stores into memory (LANGUAGE.md §10.2).
    pub(crate) fn store_field(
        &mut self,
        frame: &mut Frame,
        target: MV,
        attr: &str,
        value: MV,
        span: Span,
    ) -> VmResult<Option<MV>> {
        if let (Some(Value::Module(m)), Some(v)) = (target.value(), value.value()) {
            // `mod.x = v` (from `__INIT__`): sets the module's attribute.
            let (m, v) = (*m, v.clone());
            let sym = self.names.intern(attr);
            let existing = self.modules[m.0 as usize].globals.get(&sym).cloned();
            match existing {
                Some(Global::Cell(cell)) => self.cells[cell as usize].value = v,
                _ => {
                    let ty = self.type_of(&v);
                    self.modules[m.0 as usize].globals.insert(sym, Global::Const(v, ty));
                }
            }
            return Ok(Some(MV::blue(bt::NONE, Value::None, span)));
        }
        let Some((is_ref, _gc, idx, fty)) = self.ptr_field(target.ty, attr) else {
            // `__setattr__` receives the attribute's name as a blue str (§4.7).
            if let Some(m) = self.lookup_method(target.ty, "__setattr__") {
                let name = MV::blue(bt::STR, Value::str(attr), span);
                return self.call_func_mv(frame, m, vec![target, name, value], span, None).map(Some);
            }
            return Ok(None);
        };
        let value = self.convert(frame, value, fty, None)?;
        let b = if is_ref { Builtin::RefFieldStore(idx) } else { Builtin::PtrFieldStore(idx) };
        self.builtin_call(frame, b, vec![target, value], bt::NONE, span).map(Some)
    }

    // ---------------------------------------------------------------- attributes

    /// `T.name`: a class attribute or method, or a static or class method (stored under
    /// `@static:`/`@class:` keys so that instances do not see them as methods).
    fn type_member(&self, t: TypeId, name: &str) -> Option<Value> {
        [name.to_string(), format!("@static:{name}"), format!("@class:{name}")]
            .iter()
            .find_map(|key| self.type_attr(t, key).cloned())
    }

    /// The blue object `fqn` names: `mod::name`, then attributes of types (`mod::T::f`).
    /// Only modules of the program are searched: the world is frozen after import.
    fn lookup_fqn(&mut self, fqn: &str) -> Option<Value> {
        let mut parts = fqn.split("::");
        let module = self.module_by_name(parts.next()?)?;
        let sym = self.names.intern(parts.next()?);
        let mut v = match self.modules[module.0 as usize].globals.get(&sym)? {
            Global::Const(v, _) => v.clone(),
            Global::Cell(_) => return None,
        };
        for part in parts {
            let Value::Type(t) = v else { return None };
            v = self.type_member(t, part)?;
        }
        Some(v)
    }

    /// A method of type `t` (a function stored on the type), by name.
    pub fn lookup_method(&self, t: TypeId, name: &str) -> Option<FuncId> {
        match self.type_attr(t, name) {
            Some(Value::Func(f)) => Some(*f),
            _ => None,
        }
    }

    fn getattr(&mut self, frame: &mut Frame, target: MV, attr: &str, span: Span) -> VmResult<MV> {
        if let Some(Value::Type(t)) = target.value() {
            let t = *t;
            // `T.f` is also a static or class method of T, as a blue function value.
            let found = self.type_member(t, attr);
            if let Some(v) = found {
                return Ok(MV::blue(self.type_of(&v), v, span));
            }
            match attr {
                "__name__" => {
                    let name = self.type_name(t);
                    let short = last_fqn_part(&name).to_string();
                    return Ok(MV::blue(bt::STR, Value::str(&short), span));
                }
                "__origin__" => {
                    let origin = self.origins.get(&t).map_or(Value::None, |f| Value::Func(*f));
                    return Ok(MV::blue(self.type_of(&origin), origin, span));
                }
                "__full_fqn__" => {
                    let fqn = self.ty(t).fqn.clone();
                    return Ok(MV::blue(bt::STR, Value::str(&fqn), span));
                }
                "__fqn__" | "__qualname__" => {
                    let name = self.type_name(t);
                    return Ok(MV::blue(bt::STR, Value::str(&name), span));
                }
                _ => {}
            }
        }
        if let (Some(Value::Func(g)), "__origin__") = (target.value(), attr) {
            let origin = self.func_origins.get(g).map_or(Value::None, |f| Value::Func(*f));
            return Ok(MV::blue(self.type_of(&origin), origin, span));
        }
        if let Some(Value::Module(m)) = target.value() {
            let sym = self.names.intern(attr);
            return self.global_name(*m, sym, span, frame.is_red());
        }
        if let Some(Value::MetaArg(m)) = target.value() {
            let m = m.clone();
            return match attr {
                "static_type" => Ok(MV::blue(bt::TYPE, Value::Type(m.ty), span)),
                "color" => Ok(MV::blue(bt::STR, Value::str(if m.blue { "blue" } else { "red" }), span)),
                "blueval" => match &m.value {
                    Some(v) => Ok(MV::blue(self.type_of(v), v.clone(), span)),
                    None => err(ErrorKind::ValueError, "oparg is not blue").map_err(|e| e.annotate(span, "")),
                },
                _ => err(ErrorKind::TypeError, format!("type `operator::MetaArg` has no attribute '{attr}'")),
            };
        }
        if let (Some(Value::Type(t)), "NULL") = (target.value(), attr) {
            if *t == bt::OPSPEC {
                return Ok(MV::blue(bt::OPSPEC, Value::OpSpec(Rc::new(OpSpecValue::Null)), span));
            }
        }
        if let Some(Value::Type(t)) = target.value() {
            if let Some((false, elem)) = self.ptr_elem(*t) {
                match attr {
                    "NULL" => return Ok(MV::blue(*t, Value::Ptr(super::value::PtrValue::null()), span)),
                    "itemtype" => return Ok(MV::blue(bt::TYPE, Value::Type(elem), span)),
                    _ => {}
                }
            }
        }
        if let Some((is_ref, gc, idx, fty)) = self.ptr_field(target.ty, attr) {
            let (b, ty) = match (is_ref, self.is_struct(fty)) {
                (false, false) => (Builtin::PtrFieldLoad(idx), fty),
                (false, true) => (Builtin::PtrFieldRef(idx), self.ptr_type(true, gc, fty)),
                (true, false) => (Builtin::RefFieldLoad(idx), fty),
                (true, true) => (Builtin::RefFieldRef(idx), self.ptr_type(true, gc, fty)),
            };
            return self.builtin_call(frame, b, vec![target], ty, span);
        }
        let t = target.ty;
        if let Some(idx) = self.struct_fields(t).iter().position(|f| f.name == attr) {
            let fty = self.struct_fields(t)[idx].ty;
            return Ok(match target.kind {
                MK::Blue(Value::Struct(s)) => MV::blue(fty, s.fields[idx].clone(), span),
                MK::Blue(_) => panic!("internal error: struct value expected"),
                MK::Red(code) => MV::red(fty, RKind::GetField(Box::new(code), idx as u32), span),
            });
        }
        if let Some(prop) = self.property_of(t, attr) {
            return self.call_func_mv(frame, prop, vec![target], span, None);
        }
        if let Some(v) = self.type_attr(t, attr).cloned() {
            if !matches!(v, Value::Func(_)) {
                return Ok(MV::blue(self.type_of(&v), v, span));
            }
        }
        if let (Some(Prim::Complex), "real" | "imag") = (self.prim(t), attr) {
            if let Some(Value::Complex(re, im)) = target.value() {
                let v = if attr == "real" { *re } else { *im };
                return Ok(MV::blue(bt::F64, Value::F64(v), span));
            }
            let b = if attr == "real" { Builtin::ComplexReal } else { Builtin::ComplexImag };
            return self.builtin_call(frame, b, vec![target], bt::F64, span);
        }
        // `__getattribute__` receives the attribute's name as a blue str (§4.7).
        if let Some(m) = self.lookup_method(t, "__getattribute__") {
            let name = MV::blue(bt::STR, Value::str(attr), span);
            return self.call_func_mv(frame, m, vec![target, name], span, None);
        }
        Err(VmError::new(ErrorKind::TypeError, format!("type `{}` has no attribute '{attr}'", self.type_name(t)))
            .annotate(target.span, format!("this is `{}`", self.type_name(t))))
    }

    /// Properties are stored as `@property:<name>` attributes holding the getter.
    fn property_of(&self, t: TypeId, name: &str) -> Option<FuncId> {
        match self.type_attr(t, &format!("@property:{name}")) {
            Some(Value::Func(f)) => Some(*f),
            _ => None,
        }
    }

    pub(crate) fn call_method(
        &mut self,
        frame: &mut Frame,
        target: MV,
        method: &str,
        method_span: Span,
        args: Vec<MV>,
        span: Span,
    ) -> VmResult<MV> {
        if let (Some(Value::Type(t)), "const") = (target.value(), method) {
            if *t == bt::OPSPEC {
                let [v] = <[MV; 1]>::try_from(args)
                    .map_err(|_| VmError::new(ErrorKind::TypeError, "OpSpec.const takes one value"))?;
                let Some(v) = v.value().cloned() else {
                    return err(ErrorKind::TypeError, "OpSpec.const needs a blue value")
                        .map_err(|e| e.annotate(v.span, "this is red"));
                };
                return Ok(MV::blue(bt::OPSPEC, Value::OpSpec(Rc::new(OpSpecValue::Const(v))), span));
            }
        }
        if let Some(Value::Type(t)) = target.value() {
            let t = *t;
            if method == "__make__" && self.is_struct(t) {
                let make = self.make_of(t);
                return self.call_func_mv(frame, make, args, span, Some(method_span));
            }
            if let Some(Value::Func(f)) = self.type_attr(t, &format!("@static:{method}")).cloned() {
                return self.call_func_mv(frame, f, args, span, Some(method_span));
            }
            if let Some(Value::Func(f)) = self.type_attr(t, &format!("@class:{method}")).cloned() {
                let mut all = vec![MV::blue(bt::TYPE, Value::Type(t), target.span)];
                all.extend(args);
                return self.call_func_mv(frame, f, all, span, Some(method_span));
            }
            if method == "__new__" {
                if let Some(Value::Func(f)) = self.type_attr(t, "__new__").cloned() {
                    return self.call_func_mv(frame, f, args, span, Some(method_span));
                }
            }
            if self.lookup_method(t, method).is_some() {
                return err(
                    ErrorKind::Wip,
                    "this is a method, not a staticmethod or classmethod: call it on an instance",
                )
                .map_err(|e| e.annotate(method_span, ""));
            }
        }
        if let Some(Value::Module(m)) = target.value() {
            let sym = self.names.intern(method);
            let callee = self.global_name(*m, sym, method_span, false)?;
            return self.call(frame, callee, args, span);
        }
        let t = target.ty;
        if let Some((true, elem)) = self.ptr_elem(t) {
            if self.lookup_method(elem, method).is_some() {
                let span_t = target.span;
                let loaded = self.builtin_call(frame, Builtin::RefLoad, vec![target], elem, span_t)?;
                return self.call_method(frame, loaded, method, method_span, args, span);
            }
        }
        if let Some(m) = self.lookup_method(t, method) {
            let mut all = vec![target];
            all.extend(args);
            return self.call_func_mv(frame, m, all, span, Some(method_span));
        }
        if self.prim(t) == Some(Prim::Str) || self.prim(t) == Some(Prim::Bytes) {
            if let Some(mv) = self.str_method(frame, target.clone(), method, args.clone(), span)? {
                return Ok(mv);
            }
        }
        if self.prim(t) == Some(Prim::Complex) && method == "conjugate" {
            if let Some(Value::Complex(re, im)) = target.value() {
                return Ok(MV::blue(bt::COMPLEX, Value::Complex(*re, -im), span));
            }
        }
        if t == bt::EMPTY_LIST && matches!(method, "append" | "extend" | "insert") {
            return Err(VmError::new(ErrorKind::TypeError, "cannot mutate an untyped empty list")
                .annotate(target.span, "this is untyped")
                .note(target.span, "help: use an explicit type: `l: list[T] = []`"));
        }
        Err(VmError::new(ErrorKind::TypeError, format!("method `{}::{method}` does not exist", self.type_name(t)))
            .annotate(target.span, format!("this is `{}`", self.type_name(t))))
    }

    fn getitem(&mut self, frame: &mut Frame, target: MV, args: Vec<MV>, span: Span) -> VmResult<MV> {
        let target = self.deref(frame, target)?;
        if let (true, Some(items)) = (self.is_interp_tuple(target.ty), self.tuple_items(target.ty)) {
            let n = items.len() as i32;
            let index = match args.as_slice() {
                [a] => match a.value() {
                    Some(Value::I32(i)) => *i,
                    _ => {
                        return err(ErrorKind::TypeError, "tuple index must be blue")
                            .map_err(|e| e.annotate(a.span, "this is red"))
                    }
                },
                _ => return err(ErrorKind::TypeError, "tuples take one index").map_err(|e| e.annotate(span, "")),
            };
            let i = if index < 0 { index + n } else { index };
            if i < 0 || i >= n {
                return err(ErrorKind::IndexError, "tuple index out of range").map_err(|e| e.annotate(span, ""));
            }
            return self.getattr(frame, target, &format!("_item{i}"), span);
        }
        if let Some(Value::Special(sp)) = target.value() {
            if let Some(v) = self.unsafe_generic(*sp, &args, span)? {
                return Ok(MV::blue(self.type_of(&v), v, span));
            }
        }
        if let Some((false, elem)) = self.ptr_elem(target.ty) {
            let gc = matches!(self.ty(target.ty).kind, TypeKind::Ptr { gc: true, .. });
            let [idx] =
                <[MV; 1]>::try_from(args).map_err(|_| VmError::new(ErrorKind::TypeError, "pointers take one index"))?;
            let idx = self.convert(frame, idx, bt::I32, None)?;
            if self.is_struct(elem) {
                let rt = self.ptr_type(true, gc, elem);
                return self.builtin_call(frame, Builtin::PtrRef, vec![target, idx], rt, span);
            }
            return self.builtin_call(frame, Builtin::PtrLoad, vec![target, idx], elem, span);
        }
        if let Some(Value::Func(f)) = target.value() {
            if self.func(*f).sig.kind == FuncKind::Generic {
                let f = *f;
                return self.call_func_mv(frame, f, args, span, Some(target.span));
            }
        }
        match self.prim(target.ty) {
            Some(Prim::Str) if args.len() == 1 && self.is_slice(args[0].ty) => {
                let slice = args.into_iter().next().expect("1");
                return self.builtin_call(frame, Builtin::StrSlice, vec![target, slice], bt::STR, span);
            }
            Some(Prim::Str) if args.len() == 1 => {
                let idx = self.convert(frame, args.into_iter().next().expect("1"), bt::I32, None)?;
                return self.builtin_call(frame, Builtin::StrGetItem, vec![target, idx], bt::STR, span);
            }
            Some(Prim::Bytes) if args.len() == 1 => {
                let idx = self.convert(frame, args.into_iter().next().expect("1"), bt::I32, None)?;
                return self.builtin_call(frame, Builtin::BytesGetItem, vec![target, idx], bt::U8, span);
            }
            _ => {}
        }
        if let Some(m) = self.lookup_method(target.ty, "__getitem__") {
            let mut all = vec![target];
            all.extend(args);
            return self.call_func_mv(frame, m, all, span, None);
        }
        Err(VmError::new(ErrorKind::TypeError, format!("cannot do `{}`[...]", self.type_name(target.ty)))
            .annotate(target.span, format!("this is `{}`", self.type_name(target.ty)))
            .note(span, "operator::GETITEM called here"))
    }

    // ---------------------------------------------------------------- statements (blue)

    fn exec_block(&mut self, frame: &mut Frame, body: &[&'a Stmt<'a>]) -> VmResult<Flow> {
        for stmt in body {
            match self.exec_stmt(frame, stmt)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// A blue `for` over an iterator struct (LANGUAGE.md §9): the protocol's methods run
    /// now, one item at a time, so a `break` stops the iteration.
    fn blue_for(
        &mut self,
        frame: &mut Frame,
        fast: FuncId,
        it: MV,
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
            self.assign_name(frame, target, target_span, MV { span: target_span, ..item }, &mut Vec::new(), false)?;
            match self.exec_block(frame, body)? {
                Flow::Break => return Ok(Flow::Normal),
                Flow::Return(v) => return Ok(Flow::Return(v)),
                _ => {}
            }
        }
    }

    /// Runs one statement of a blue frame (module, class body, blue function).
    fn exec_stmt(&mut self, frame: &mut Frame, stmt: &'a Stmt<'a>) -> VmResult<Flow> {
        let mut sink = Vec::new();
        match &stmt.kind {
            StmtKind::Pass => {}
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.eval_expr(frame, e)?,
                    None => MV::blue(bt::NONE, Value::None, stmt.span),
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
                    let mv = MV::blue(ty, value, *target_span);
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

    pub(crate) fn setitem(&mut self, frame: &mut Frame, mut all: Vec<MV>, span: Span) -> VmResult<MV> {
        all[0] = self.deref(frame, all[0].clone())?;
        let t = all[0].ty;
        if let (Some((false, elem)), 3) = (self.ptr_elem(t), all.len()) {
            let mut it = all.into_iter();
            let (ptr, idx, value) = (it.next().expect("p"), it.next().expect("i"), it.next().expect("v"));
            let idx = self.convert(frame, idx, bt::I32, None)?;
            let value = self.convert(frame, value, elem, None)?;
            return self.builtin_call(frame, Builtin::PtrStore, vec![ptr, idx, value], bt::NONE, span);
        }
        match self.lookup_method(t, "__setitem__") {
            Some(m) => self.call_func_mv(frame, m, all, span, None),
            None => Err(VmError::new(
                ErrorKind::TypeError,
                format!("cannot do `{}[`{}`] = ...", self.type_name(t), self.type_name(all[1].ty)),
            )
            .annotate(all[0].span, format!("this is `{}`", self.type_name(t)))),
        }
    }

    pub(crate) fn setattr_error(&self, t: &MV, attr: &str) -> VmError {
        VmError::new(
            ErrorKind::TypeError,
            format!("type `{}` does not support assignment to attribute '{attr}'", self.type_name(t.ty)),
        )
        .annotate(t.span, format!("this is `{}`", self.type_name(t.ty)))
    }

    /// The error for `raise <exc>`: the exception must be blue (LANGUAGE.md §11.2).
    pub(crate) fn raise_error(&self, mv: MV, span: Span) -> VmError {
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

    fn exc_kind(&self, t: TypeId) -> ErrorKind {
        let name = self.type_name(t);
        ErrorKind::from_name(&name).unwrap_or(ErrorKind::Exception)
    }

    /// Binds a `def`/`class` name in a blue frame (module, class body or blue function).
    fn bind_def(&mut self, frame: &mut Frame, name: Symbol, v: Value, _span: Span) -> VmResult<()> {
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
            // both do, it is the redeclaration error (LANGUAGE.md §2.6 rule 3).
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
                self.cells.push(super::Cell { fqn, ty: mv.ty, value: mv.value().cloned().expect("blue") });
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
    /// or a `var` global found outside (LANGUAGE.md §2.6 rule 2). Returns the value
    /// the expression form yields.
    pub(crate) fn assign_name(
        &mut self,
        frame: &mut Frame,
        name: Symbol,
        span: Span,
        value: MV,
        out: &mut Vec<RStmt>,
        is_expr: bool,
    ) -> VmResult<MV> {
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
                return Ok(MV::red(ty, RKind::AssignLocal(slot, Box::new(value.code())), span));
            }
            out.push(RStmt::Assign { slot, value: value.code(), first });
            return Ok(MV::red(ty, RKind::Local(slot), span));
        }
        if level.is_some() && level != Some(0) || frame.kind == FrameKind::Module {
            if let Some(Global::Cell(cell)) = self.modules[frame.module.0 as usize].globals.get(&name).cloned() {
                let cty = self.cells[cell as usize].ty;
                let value = self.convert(frame, value, cty, None)?;
                if frame.is_red() {
                    if is_expr {
                        return Ok(MV::red(cty, RKind::AssignGlobal(cell, Box::new(value.code())), span));
                    }
                    out.push(RStmt::AssignGlobal { cell, value: value.code() });
                    return Ok(MV::red(cty, RKind::Global(cell), span));
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

    fn const_assign_error(&self, info: &crate::scope::SymbolInfo, name: Symbol, span: Span) -> VmError {
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

    // ---------------------------------------------------------------- definitions

    /// Runs a `def`: evaluates its annotations and defaults, applies decorators, and
    /// returns the function (LANGUAGE.md §6.1, §5.8).
    pub fn define_function(&mut self, frame: &mut Frame, def: &'a FuncDef<'a>) -> VmResult<FuncId> {
        if !def.type_params.is_empty() {
            let module = frame.module;
            let table = self.modules[module.0 as usize].symtables.generic_table_of_func(def).expect("generic table");
            let env = self.closure_env(frame);
            let n = def.type_params.len();
            let imp = FuncImpl::GenericDef { def, module, table, env };
            return Ok(self.generic_wrapper(frame, def.name, n, imp, def.prototype_span));
        }
        let name = self.name_str(def.name);
        self.define_plain_function(frame, def, &name)
    }

    /// The variables an inner `def` or `class` defined in `frame` closes over.
    fn closure_env(&self, frame: &Frame) -> Option<Rc<Env>> {
        match frame.kind {
            FrameKind::Module => None,
            FrameKind::Class => frame.env.parent.clone(),
            _ => Some(frame.env.clone()),
        }
    }

    /// The `@blue.generic` function behind `def f[T]` or `class C[T]`: one untyped blue
    /// parameter per type parameter.
    fn generic_wrapper(
        &mut self,
        frame: &Frame,
        name: Symbol,
        n_params: usize,
        imp: FuncImpl<'a>,
        span: Span,
    ) -> FuncId {
        let fqn = self.unique_fqn(format!("{}::{}", frame.name, self.name_str(name)));
        let sig = FuncSig {
            color: Color::Blue,
            kind: FuncKind::Generic,
            params: vec![bt::DYNAMIC; n_params],
            varargs: false,
            ret: bt::DYNAMIC,
        };
        self.add_func(Function { proto_span: Some(span), ..Function::new(fqn, sig, vec![], imp) })
    }

    /// The FQN namespace of a blue call: the function's FQN qualified by the arguments
    /// that are types (`demo::add[i32]`, BACKEND.md §2.1).
    fn qualified_name(&self, fqn: &str, args: &[Value]) -> String {
        let quals: Vec<String> = args
            .iter()
            .filter_map(|a| match a {
                Value::Type(t) => Some(self.qualifier_name(*t)),
                _ => None,
            })
            .collect();
        if quals.is_empty() {
            fqn.to_string()
        } else {
            format!("{fqn}[{}]", quals.join(", "))
        }
    }

    /// A type inside a qualifier: its human name, display aliases applied.
    fn qualifier_name(&self, t: TypeId) -> String {
        self.human_name(&self.ty(t).fqn)
    }

    /// Calls a generic (`def f[T]`, `class C[T]`) on its type arguments: defines the
    /// function or struct in a blue frame where the parameters are bound.
    fn run_generic(&mut self, f: FuncId, args: Vec<Value>) -> VmResult<Value> {
        let namespace = self.qualified_name(&self.func(f).fqn.clone(), &args);
        let (module, table, env, params): (ModId, TableId, Option<Rc<Env>>, Vec<Symbol>) = match &self.func(f).imp {
            FuncImpl::GenericDef { def, module, table, env } => {
                (*module, *table, env.clone(), def.type_params.iter().map(|p| p.name).collect())
            }
            FuncImpl::GenericClass { class, module, table, env } => {
                (*module, *table, env.clone(), class.type_params.iter().map(|p| p.name).collect())
            }
            _ => panic!("internal error: not a generic"),
        };
        let mut frame = Frame::new(FrameKind::Blue, module, table, namespace.clone(), env);
        for (name, arg) in params.iter().zip(args.iter()) {
            let ty = self.type_of(arg);
            frame.env.vars.borrow_mut().insert(*name, (arg.clone(), ty));
        }
        let result = match &self.func(f).imp {
            FuncImpl::GenericDef { def, .. } => {
                let def = *def;
                let inner = self.define_plain_function(&mut frame, def, "__impl")?;
                let inner_fqn = self.func(inner).fqn.clone();
                self.aliases.insert(inner_fqn, namespace.clone());
                Value::Func(inner)
            }
            FuncImpl::GenericClass { class, .. } => {
                let class = *class;
                let fqn = format!("{namespace}::Self");
                let t = self.add_type(fqn.clone(), TypeKind::Struct { fields: vec![], defined: false });
                self.aliases.insert(fqn.clone(), namespace.clone());
                let self_sym = self.names.intern("Self");
                frame.env.vars.borrow_mut().insert(self_sym, (Value::Type(t), bt::TYPE));
                let body_table = self.modules[module.0 as usize].symtables.table_of_class(class);
                self.build_struct(&frame, class, t, fqn, body_table)?;
                Value::Type(t)
            }
            _ => unreachable!(),
        };
        Ok(result)
    }

    /// A type or function a generic returns, named directly in the generic's namespace,
    /// is shown by that namespace: `_list::list[i32]::_ListImpl` is `_list::list[i32]` (§5.5).
    fn alias_generic_result(&mut self, f: FuncId, args: &[Value], v: &Value) {
        let namespace = self.qualified_name(&self.func(f).fqn.clone(), args);
        let fqn = match v {
            Value::Type(t) => self.ty(*t).fqn.clone(),
            Value::Func(g) => self.func(*g).fqn.clone(),
            _ => return,
        };
        if let Some(rest) = fqn.strip_prefix(&format!("{namespace}::")) {
            if !rest.contains("::") {
                self.aliases.entry(fqn).or_insert(namespace);
                match v {
                    Value::Type(t) => {
                        self.origins.entry(*t).or_insert(f);
                    }
                    Value::Func(g) => {
                        self.func_origins.entry(*g).or_insert(f);
                    }
                    _ => {}
                }
            }
        }
    }

    /// Creates the red (or blue) function of a `def` named `name` in `frame`.
    fn define_plain_function(&mut self, frame: &mut Frame, def: &'a FuncDef<'a>, name: &str) -> VmResult<FuncId> {
        let module = frame.module;
        let table = self.modules[module.0 as usize].symtables.table_of_func(def);
        let name = name.to_string();
        let in_class = frame.kind == FrameKind::Class;
        let mut params = Vec::new();
        let mut defaults = Vec::new();
        let mut varargs = false;
        for (idx, arg) in def.args.iter().enumerate() {
            let ty = match arg.ty {
                Some(t) => self.eval_type(frame, t)?,
                None if in_class && idx == 0 && def.color == Color::Red => frame
                    .attrs
                    .iter()
                    .find(|(n, _)| n == "@self")
                    .map(|(_, v)| match v {
                        Value::Type(t) => *t,
                        _ => bt::DYNAMIC,
                    })
                    .unwrap_or(bt::DYNAMIC),
                None if def.color == Color::Blue => bt::DYNAMIC,
                None => {
                    return err(
                        ErrorKind::TypeError,
                        format!("missing type for argument '{}'", self.name_str(arg.name)),
                    )
                    .map_err(|e| e.annotate(arg.span, "type is missing here"))
                }
            };
            if let Some(d) = arg.default {
                let mv = self.eval_expr(frame, d)?;
                let mv = self.convert(frame, mv, ty, None)?;
                defaults.push(mv.value().cloned().expect("blue"));
            }
            varargs |= arg.kind == ast::ArgKind::VarPositional;
            params.push(ty);
        }
        let ret = match def.return_type {
            Some(t) => self.eval_type(frame, t)?,
            None if def.color == Color::Blue => bt::DYNAMIC,
            None => {
                return err(ErrorKind::TypeError, "missing return type").map_err(|e| e.annotate(def.prototype_span, ""))
            }
        };
        let sig = FuncSig { color: def.color, kind: def.kind, params, varargs, ret };
        let decorated = !def.decorators.is_empty();
        let base = format!("{}::{}", frame.name, name);
        let fqn = self.unique_fqn(if decorated { format!("{base}#__bare__") } else { base });
        let env = match frame.kind {
            FrameKind::Module => None,
            FrameKind::Class => frame.env.parent.clone(),
            _ => Some(frame.env.clone()),
        };
        let f = self.add_func(Function {
            defaults,
            proto_span: Some(def.prototype_span),
            ..Function::new(
                fqn,
                sig,
                def.args.iter().map(|a| self.names.get(a.name).to_string()).collect(),
                FuncImpl::Ast { def, module, table, env },
            )
        });
        Ok(f)
    }

    /// Runs a class statement: only `@struct` classes exist (LANGUAGE.md §8.1).
    fn define_class(&mut self, frame: &mut Frame, c: &'a ClassDef<'a>) -> VmResult<()> {
        let name = self.name_str(c.name);
        if c.kind != ast::ClassKind::Struct {
            return err(ErrorKind::Wip, "only @struct classes are supported for now")
                .map_err(|e| e.annotate(c.span, "class defined here"));
        }
        if !c.type_params.is_empty() {
            let module = frame.module;
            let table = self.modules[module.0 as usize].symtables.generic_table_of_class(c).expect("generic table");
            let env = self.closure_env(frame);
            let imp = FuncImpl::GenericClass { class: c, module, table, env };
            let f = self.generic_wrapper(frame, c.name, c.type_params.len(), imp, c.span);
            return self.bind_def(frame, c.name, Value::Func(f), c.span);
        }
        let fqn = format!("{}::{}", frame.name, name);
        let existing = match frame.kind {
            FrameKind::Module => match self.modules[frame.module.0 as usize].globals.get(&c.name) {
                Some(Global::Const(Value::Type(t), _)) if self.ty(*t).fqn == fqn => Some(*t),
                _ => None,
            },
            _ => None,
        };
        let t = match existing {
            Some(t) => t,
            None => self.add_type(fqn.clone(), TypeKind::Struct { fields: vec![], defined: false }),
        };
        self.bind_def(frame, c.name, Value::Type(t), c.span)?;
        let table = self.modules[frame.module.0 as usize].symtables.table_of_class(c);
        self.build_struct(frame, c, t, fqn, table)
    }

    /// Runs a struct's body and fills in type `t`: fields, methods, constants, and the
    /// automatic `__make__`, `__eq__` and `__ne__` (LANGUAGE.md §8).
    fn build_struct(
        &mut self,
        frame: &Frame,
        c: &'a ClassDef<'a>,
        t: TypeId,
        fqn: String,
        table: TableId,
    ) -> VmResult<()> {
        let mut body = Frame::new(FrameKind::Class, frame.module, table, fqn.clone(), Some(frame.env.clone()));
        body.attrs.push(("@self".into(), Value::Type(t)));
        let mut extra_span = None;
        for stmt in &c.body {
            let res = match &stmt.kind {
                StmtKind::FuncDef(def) => self.define_method(&mut body, def, t),
                StmtKind::VarDef(_) | StmtKind::Assign { .. } | StmtKind::Pass | StmtKind::If { .. } => {
                    self.exec_stmt(&mut body, stmt).map(|_| ())
                }
                other => {
                    let kind = stmt_kind_name(other);
                    err(ErrorKind::TypeError, format!("`{kind}` not supported inside a classdef"))
                        .map_err(|e| e.annotate(stmt.span, "this is not supported"))
                }
            };
            res.map_err(|e| self.leave_frame(e, format!("[classdef] {}", self.human_name(&fqn)), stmt.span))?;
            if extra_span.is_none() && body.attrs.iter().any(|(n, _)| n == "__extra_fields__") {
                extra_span = Some(match &stmt.kind {
                    StmtKind::Assign { value, .. } => value.span,
                    _ => stmt.span,
                });
            }
        }
        let mut fields = std::mem::take(&mut body.fields);
        if let Some(span) = extra_span {
            let extra = body.attrs.iter().find(|(n, _)| n == "__extra_fields__").map(|(_, v)| v.clone());
            let extra = extra.expect("__extra_fields__");
            self.add_extra_fields(&extra, &mut fields, span)
                .map_err(|e| self.leave_frame(e, format!("[classdef] {}", self.human_name(&fqn)), span))?;
        }
        let attrs: Vec<(String, Value)> = body.attrs.into_iter().filter(|(n, _)| n != "@self").collect();
        {
            let info = self.ty_mut(t);
            info.kind = TypeKind::Struct { fields: fields.clone(), defined: true };
            info.attrs = attrs;
            info.span = Some(c.span);
        }
        self.add_struct_functions(t, &fqn, &fields, c.span);
        Ok(())
    }

    /// `__extra_fields__ = {name: type, ...}` in a struct body (LANGUAGE.md §8.1): more
    /// fields, in dict order, after the declared ones.
    fn add_extra_fields(&mut self, extra: &Value, fields: &mut Vec<Field>, span: Span) -> VmResult<()> {
        // Without `_dict` in the program, no value can be a dict.
        let want = match self.module_by_name("_dict") {
            Some(_) => Some(self.dict_type(bt::STR, bt::TYPE, span)?),
            None => None,
        };
        let got = self.type_of(extra);
        let entries = if Some(got) == want { self.dict_entries(extra) } else { None };
        let Some(entries) = entries else {
            let got = self.type_name(got);
            let want = want.map_or("dict[str, type]".to_string(), |t| self.type_name(t));
            return Err(VmError::new(ErrorKind::TypeError, "mismatched types")
                .annotate(span, format!("expected `{want}`, got `{got}`")));
        };
        for (name, ty) in entries {
            let (Value::Str(name), Value::Type(ty)) = (name, ty) else { unreachable!("dict[str, type] entry") };
            let name = String::from_utf8_lossy(&name).into_owned();
            if fields.iter().any(|f| f.name == name) {
                return Err(VmError::new(ErrorKind::TypeError, format!("duplicate field `{name}`"))
                    .annotate(span, "in `__extra_fields__`"));
            }
            fields.push(Field { name, ty });
        }
        Ok(())
    }

    /// The functions every struct gets: `__make__` taking every field in order, and,
    /// unless the struct defines its own, `__eq__`/`__ne__` comparing them all (§8.2-8.3).
    fn add_struct_functions(&mut self, t: TypeId, fqn: &str, fields: &[Field], span: Span) {
        let sig = FuncSig {
            color: Color::Red,
            kind: FuncKind::Plain,
            params: fields.iter().map(|f| f.ty).collect(),
            varargs: false,
            ret: t,
        };
        let make = self.add_func(Function {
            proto_span: Some(span),
            ..Function::new(
                format!("{fqn}::__make__"),
                sig,
                fields.iter().map(|f| f.name.clone()).collect(),
                FuncImpl::Make(t),
            )
        });
        self.ty_mut(t).attrs.push(("__make__".into(), Value::Func(make)));
        if self.type_attr(t, "__eq__").is_none() && self.type_attr(t, "__ne__").is_none() {
            for (dunder, negate) in [("__eq__", false), ("__ne__", true)] {
                let sig = FuncSig {
                    color: Color::Red,
                    kind: FuncKind::Plain,
                    params: vec![t, t],
                    varargs: false,
                    ret: bt::BOOL,
                };
                let f = self.add_func(Function {
                    proto_span: Some(span),
                    ..Function::new(
                        format!("{fqn}::{dunder}"),
                        sig,
                        vec!["a".into(), "b".into()],
                        FuncImpl::StructEq { ty: t, negate },
                    )
                });
                self.ty_mut(t).attrs.push((dunder.into(), Value::Func(f)));
            }
        }
    }

    /// An interp_tuple (LANGUAGE.md §13.8): the `*args` of a blue function, or a display
    /// of values that only exist at compile time. The VM makes it: a struct
    /// `__spy__::interp_tuple[T0, T1]` with fields `_item0`, `_item1`... like a stdlib
    /// tuple's (so unpacking and blue `for` treat both alike), indexed and measured
    /// natively.
    pub fn interp_tuple_type(&mut self, items: &[TypeId], span: Span) -> TypeId {
        let quals: Vec<String> = items.iter().map(|t| self.qualifier_name(*t)).collect();
        let fqn = format!("{INTERP_TUPLE}[{}]", quals.join(", "));
        if let Some(i) = self.types.iter().position(|t| t.fqn == fqn) {
            return TypeId(i as u32);
        }
        let fields: Vec<Field> =
            items.iter().enumerate().map(|(i, t)| Field { name: format!("_item{i}"), ty: *t }).collect();
        let t = self.add_type(fqn.clone(), TypeKind::Struct { fields: fields.clone(), defined: true });
        self.ty_mut(t).span = Some(span);
        self.add_struct_functions(t, &fqn, &fields, span);
        t
    }

    /// `tuple[T0, T1, ...]`: the stdlib's generic `_tuple.tuple` (stdlib/_tuple.spy).
    fn tuple_type(&mut self, items: &[TypeId], span: Span) -> VmResult<TypeId> {
        self.stdlib_generic_type("_tuple", "tuple", items, span)
    }

    pub fn is_interp_tuple(&self, t: TypeId) -> bool {
        self.ty(t).fqn.starts_with(INTERP_TUPLE)
    }

    /// The item types of a tuple type (stdlib or interp), or None.
    fn tuple_items(&self, t: TypeId) -> Option<Vec<TypeId>> {
        let fqn = &self.ty(t).fqn;
        if !fqn.starts_with("_tuple::tuple[") && !fqn.starts_with(INTERP_TUPLE) {
            return None;
        }
        Some(self.struct_fields(t).iter().map(|f| f.ty).collect())
    }

    /// `(a, b)`: `tuple[T0, T1](a, b)` by its `__make__`; an interp_tuple when an item only
    /// exists at compile time (a type, a MetaArg, an OpSpec, a function, a module).
    fn tuple_display(&mut self, frame: &mut Frame, items: Vec<MV>, span: Span) -> VmResult<MV> {
        let types: Vec<TypeId> = items.iter().map(|i| i.ty).collect();
        let blue_only = |w: &Self, t: TypeId| {
            [bt::TYPE, bt::METAARG, bt::OPSPEC, bt::MODULE].contains(&t)
                || matches!(w.ty(t).kind, TypeKind::Function(_))
                || w.is_interp_tuple(t)
        };
        let t = if types.iter().any(|t| blue_only(self, *t)) {
            self.interp_tuple_type(&types, span)
        } else {
            self.tuple_type(&types, span)?
        };
        let make = self.make_of(t);
        self.call_func_mv(frame, make, items, span, None)
    }

    /// `a, b = value` (LANGUAGE.md §7): the whole right side is evaluated first (§17 #22),
    /// then each item is assigned in order.
    pub(crate) fn unpack_assign(
        &mut self,
        frame: &mut Frame,
        targets: &[(Symbol, Span)],
        value: MV,
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
        let tuple = if spilled { MV { span, ..tuple } } else { tuple };
        for (idx, (name, tspan)) in targets.iter().enumerate() {
            let item = self.getattr(frame, tuple.clone(), &format!("_item{idx}"), *tspan)?;
            self.assign_name(frame, *name, *tspan, item, out, false)?;
        }
        Ok(())
    }

    /// A `def` in a struct body, with `@property`/`@staticmethod`/`@classmethod`.
    fn define_method(&mut self, body: &mut Frame, def: &'a FuncDef<'a>, t: TypeId) -> VmResult<()> {
        let mut kind = "method";
        let mut other_decorators = Vec::new();
        for dec in &def.decorators {
            let v = self.eval_expr(body, dec)?;
            match v.value() {
                Some(Value::Special(Special::Property)) => kind = "property",
                Some(Value::Special(Special::StaticMethod)) => kind = "static",
                Some(Value::Special(Special::ClassMethod)) => kind = "class",
                _ => other_decorators.push(v),
            }
        }
        if !other_decorators.is_empty() {
            return err(
                ErrorKind::Wip,
                "decorators on methods other than @property, @staticmethod and @classmethod are not supported yet",
            );
        }
        let name = self.name_str(def.name);
        if name == "__make__" {
            return err(ErrorKind::Wip, "you cannot define your own __make__")
                .map_err(|e| e.annotate(def.prototype_span, ""));
        }
        let saved_self = body.attrs.iter().position(|(n, _)| n == "@self");
        if kind == "static" || kind == "class" {
            if let Some(i) = saved_self {
                body.attrs[i].0 = "@noself".into();
            }
        }
        if name == "__new__" {
            if let Some(i) = saved_self {
                body.attrs[i].0 = "@noself".into();
            }
        }
        let f = self.define_function(body, def);
        if let Some(i) = body.attrs.iter().position(|(n, _)| n == "@noself") {
            body.attrs[i].0 = "@self".into();
        }
        let f = f?;
        let key = match kind {
            "property" => format!("@property:{name}"),
            "static" => format!("@static:{name}"),
            "class" => format!("@class:{name}"),
            _ => name,
        };
        let _ = t;
        body.attrs.push((key, Value::Func(f)));
        Ok(())
    }

    /// `__ne__` derived from a user `__eq__` (§17 #17), created once per `__eq__`.
    fn not_of(&mut self, eq: FuncId) -> FuncId {
        let fqn = format!("{}#not", self.func(eq).fqn);
        if let Some(i) = self.funcs.iter().position(|f| f.fqn == fqn) {
            return FuncId(i as u32);
        }
        let sig = self.func(eq).sig.clone();
        let sig = FuncSig { ret: bt::BOOL, ..sig };
        self.add_func(Function::new(fqn, sig, vec!["a".into(), "b".into()], FuncImpl::NotOf(eq)))
    }

    // ---------------------------------------------------------------- modules

    /// Runs a module body at import time (LANGUAGE.md §2.2): classes are forward
    /// declared, then the declarations run in order.
    pub fn run_module_body(&mut self, module: ModId, ast: &ast::Module<'a>) -> VmResult<()> {
        let name = self.modules[module.0 as usize].name.clone();
        let table = self.modules[module.0 as usize].symtables.module_table();
        for decl in &ast.decls {
            if let ast::Decl::ClassDef(c) = decl {
                let fqn = format!("{name}::{}", self.name_str(c.name));
                let t = self.add_type(fqn, TypeKind::Struct { fields: vec![], defined: false });
                self.modules[module.0 as usize].globals.insert(c.name, Global::Const(Value::Type(t), bt::TYPE));
            }
        }
        let mut frame = Frame::new(FrameKind::Module, module, table, name.clone(), None);
        for decl in &ast.decls {
            let span = match decl {
                ast::Decl::FuncDef(def) => def.prototype_span,
                ast::Decl::ClassDef(c) => c.span,
                ast::Decl::VarDef(v) => v.span,
                ast::Decl::Import(imp) => imp.span,
            };
            self.run_decl(&mut frame, module, decl)
                .map_err(|e| self.leave_frame(e, format!("[module] {name}"), span))?;
        }
        self.run_init(module, ast.span).map_err(|e| self.leave_frame(e, format!("[module] {name}"), ast.span))
    }

    /// `__INIT__(mod)`, when the module defines it: a blue function that may read and set
    /// the module's attributes, const ones included (LANGUAGE.md §2.2 step 3).
    fn run_init(&mut self, module: ModId, span: Span) -> VmResult<()> {
        let init = self.sym.init;
        let Some(Global::Const(Value::Func(f), _)) = self.modules[module.0 as usize].globals.get(&init).cloned() else {
            return Ok(());
        };
        if self.func(f).sig.color != Color::Blue {
            let mut e = VmError::new(ErrorKind::TypeError, "the __INIT__ function must be @blue");
            if let Some(p) = self.func(f).proto_span {
                e = e.annotate(p, "function defined here");
            }
            return Err(e);
        }
        self.call_function(f, vec![Value::Module(module)], span).map(|_| ())
    }

    fn run_decl(&mut self, frame: &mut Frame, module: ModId, decl: &ast::Decl<'a>) -> VmResult<()> {
        match decl {
            ast::Decl::FuncDef(def) => {
                let f = self.define_function(frame, def)?;
                let v = self.apply_decorators(frame, def, f)?;
                self.bind_def(frame, def.name, v, def.span)
            }
            ast::Decl::ClassDef(c) => self.define_class(frame, c),
            ast::Decl::VarDef(v) => self.vardef(frame, v, &mut Vec::new()),
            ast::Decl::Import(imp) => {
                let value = self.import_value(imp)?;
                let ty = self.type_of(&value);
                self.modules[module.0 as usize].globals.insert(imp.asname, Global::Const(value, ty));
                Ok(())
            }
        }
    }

    fn import_value(&mut self, imp: &ast::Import) -> VmResult<Value> {
        let modname = self.name_str(imp.module);
        let Some(m) = self.module_by_name(&modname) else {
            return err(ErrorKind::ImportError, format!("cannot import `{modname}`"))
                .map_err(|e| e.annotate(imp.span, format!("module `{modname}` does not exist")));
        };
        match imp.attr {
            None => Ok(Value::Module(m)),
            Some(attr) => match self.modules[m.0 as usize].globals.get(&attr).cloned() {
                Some(Global::Const(v, _)) => Ok(v),
                Some(Global::Cell(_)) => err(ErrorKind::Wip, "cannot import `var` and/or `cell`"),
                None => {
                    let a = self.name_str(attr);
                    err(ErrorKind::ImportError, format!("cannot import `{modname}.{a}`")).map_err(|e| {
                        e.annotate(imp.span, format!("attribute `{a}` does not exist in module `{modname}`"))
                    })
                }
            },
        }
    }

    /// `@d def f`: `d(f)`, innermost first; each decorator must be blue (§5.8).
    fn apply_decorators(&mut self, frame: &mut Frame, def: &'a FuncDef<'a>, f: FuncId) -> VmResult<Value> {
        let mut v = MV::blue(self.type_of(&Value::Func(f)), Value::Func(f), def.span);
        for dec in def.decorators.iter().rev() {
            let d = self.eval_expr(frame, dec)?;
            let red_function = matches!(d.value(), Some(Value::Func(g)) if self.func(*g).sig.color == Color::Red);
            if !d.is_blue() || red_function {
                return err(ErrorKind::TypeError, "decorators must be @blue")
                    .map_err(|e| e.annotate(dec.span, "this is red"));
            }
            v = self.call(frame, d, vec![v], dec.span)?;
        }
        Ok(v.value().cloned().expect("blue"))
    }
}

fn lit_prim(t: ast::LitType) -> Prim {
    match t {
        ast::LitType::I8 => Prim::I8,
        ast::LitType::U8 => Prim::U8,
        ast::LitType::I32 => Prim::I32,
        ast::LitType::U32 => Prim::U32,
        ast::LitType::I64 => Prim::I64,
        ast::LitType::U64 => Prim::U64,
        ast::LitType::F32 => Prim::F32,
        ast::LitType::F64 => Prim::F64,
    }
}

/// The type both operands of a mixed numeric operation are converted to (§3.3, §3.10).
fn mixed_target(l: Prim, r: Prim) -> Option<Prim> {
    let f64_mix = |p: Prim| matches!(p, Prim::I8 | Prim::U8 | Prim::U32 | Prim::I32 | Prim::F32);
    match (l, r) {
        (Prim::F64, p) | (p, Prim::F64) if f64_mix(p) => Some(Prim::F64),
        (Prim::F32, Prim::I32) | (Prim::I32, Prim::F32) => Some(Prim::F32),
        (Prim::Complex, Prim::I32 | Prim::F64) | (Prim::I32 | Prim::F64, Prim::Complex) => Some(Prim::Complex),
        _ => None,
    }
}

/// The implicit conversions of LANGUAGE.md §3.11 between primitive types.
fn implicit_ok(from: Prim, to: Prim) -> bool {
    use Prim::*;
    matches!(
        (from, to),
        (I8 | U8 | I32 | U32 | I64 | U64 | F32, F64)
            | (F64, F32)
            | (I32, F32)
            | (I32, Bool)
            | (I32, I8 | U8 | U32)
            | (I8 | U8 | U32, I32)
            | (I8 | U8 | I32 | U32, I64)
            | (I64, U64)
            | (U64, I64)
            | (I32 | F64, Complex)
    )
}

/// Does a body always end in `return`/`raise` (LANGUAGE.md §17 #19)? The last statement
/// is a `return` or `raise`, an `if`/`else` whose branches both are, or `while True`
/// without `break`.
pub(crate) fn always_returns(body: &[&Stmt]) -> bool {
    match body.last().map(|s| &s.kind) {
        Some(StmtKind::Return(_) | StmtKind::Raise(_)) => true,
        Some(StmtKind::If { then_body, else_body, .. }) => always_returns(then_body) && always_returns(else_body),
        Some(StmtKind::While { test, body }) => {
            matches!(test.kind, ExprKind::Literal(Literal::Bool(true))) && !contains_break(body)
        }
        _ => false,
    }
}

fn contains_break(body: &[&Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Break => true,
        StmtKind::If { then_body, else_body, .. } => contains_break(then_body) || contains_break(else_body),
        _ => false,
    })
}

fn stmt_kind_name(kind: &StmtKind) -> &'static str {
    match kind {
        StmtKind::For { .. } => "For",
        StmtKind::While { .. } => "While",
        StmtKind::Return(_) => "Return",
        StmtKind::Expr(_) => "StmtExpr",
        StmtKind::Raise(_) => "Raise",
        StmtKind::Assert { .. } => "Assert",
        StmtKind::AugAssign { .. } => "AugAssign",
        StmtKind::UnpackAssign { .. } => "UnpackAssign",
        StmtKind::SetAttr { .. } => "SetAttr",
        StmtKind::SetItem { .. } => "SetItem",
        StmtKind::ClassDef(_) => "ClassDef",
        StmtKind::Break => "Break",
        StmtKind::Continue => "Continue",
        _ => "statement",
    }
}

/// The little-endian bytes of a primitive item, for `ptr_cmp`; None for other items.
fn item_bytes(v: &Value) -> Option<Vec<u8>> {
    Some(match v {
        Value::I8(x) => x.to_le_bytes().to_vec(),
        Value::U8(x) => vec![*x],
        Value::I32(x) => x.to_le_bytes().to_vec(),
        Value::U32(x) => x.to_le_bytes().to_vec(),
        Value::I64(x) => x.to_le_bytes().to_vec(),
        Value::U64(x) => x.to_le_bytes().to_vec(),
        Value::F32(x) => x.to_le_bytes().to_vec(),
        Value::F64(x) => x.to_le_bytes().to_vec(),
        Value::Bool(x) => vec![*x as u8],
        Value::Struct(s) => {
            let mut out = Vec::new();
            for f in &s.fields {
                out.extend(item_bytes(f)?);
            }
            out
        }
        _ => return None,
    })
}

/// Does a statement (or a block inside it) contain a `return`?
fn contains_return(stmt: &Stmt) -> bool {
    match &stmt.kind {
        StmtKind::Return(_) => true,
        StmtKind::If { then_body, else_body, .. } => {
            then_body.iter().chain(else_body.iter()).any(|s| contains_return(s))
        }
        StmtKind::While { body, .. } | StmtKind::For { body, .. } => body.iter().any(|s| contains_return(s)),
        _ => false,
    }
}

/// The last `::`-separated part of an FQN, brackets kept whole:
/// `m::Box[m::Point]` -> `Box[m::Point]`.
fn last_fqn_part(fqn: &str) -> &str {
    let (mut depth, mut start) = (0, 0);
    let bytes = fqn.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'[' => depth += 1,
            b']' => depth -= 1,
            b':' if depth == 0 && i > 0 && bytes[i - 1] == b':' => start = i + 1,
            _ => {}
        }
    }
    &fqn[start..]
}
