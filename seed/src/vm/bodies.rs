//! Module and class bodies and definitions: `def` (plain, generic, decorated), `@struct`
//! classes with their fields, methods and generated functions, imports and `__INIT__`.

use super::builtins::Special;
use super::frame::{Frame, FrameKind, Operand};
use super::types::{builtin_types as bt, Field, FuncId, FuncSig, ModId, TypeId, TypeKind};
use super::value::Value;
use super::world::{err, Env, FuncImpl, Function, Global, VmError, VmResult, World};
use crate::ast::{self, stmt_kind_name, ClassDef, Color, FuncDef, FuncKind, StmtKind, Symbol};
use crate::diag::ErrorKind;
use crate::scope::TableId;
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    /// Runs a `def`: evaluates its annotations and defaults, applies decorators, and
    /// returns the function (docs/spec/LANGUAGE.md §6.1, §5.8).
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
    pub(crate) fn closure_env(&self, frame: &Frame) -> Option<Rc<Env>> {
        match frame.kind {
            FrameKind::Module => None,
            FrameKind::Class => frame.env.parent.clone(),
            _ => Some(frame.env.clone()),
        }
    }

    /// The `@blue.generic` function behind `def f[T]` or `class C[T]`: one untyped blue
    /// parameter per type parameter.
    pub(crate) fn generic_wrapper(
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
    /// that are types (`demo::add[i32]`, docs/spec/BACKEND.md §2.1).
    pub(crate) fn qualified_name(&self, fqn: &str, args: &[Value]) -> String {
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
    pub(crate) fn qualifier_name(&self, t: TypeId) -> String {
        self.human_name(&self.ty(t).fqn)
    }

    /// Calls a generic (`def f[T]`, `class C[T]`) on its type arguments: defines the
    /// function or struct in a blue frame where the parameters are bound.
    pub(crate) fn run_generic(&mut self, f: FuncId, args: Vec<Value>) -> VmResult<Value> {
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
    pub(crate) fn alias_generic_result(&mut self, f: FuncId, args: &[Value], v: &Value) {
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
    pub(crate) fn define_plain_function(
        &mut self,
        frame: &mut Frame,
        def: &'a FuncDef<'a>,
        name: &str,
    ) -> VmResult<FuncId> {
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
        let env = self.closure_env(frame);
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

    /// Runs a class statement: only `@struct` classes exist (docs/spec/LANGUAGE.md §8.1).
    pub(crate) fn define_class(&mut self, frame: &mut Frame, c: &'a ClassDef<'a>) -> VmResult<()> {
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
    /// automatic `__make__`, `__eq__` and `__ne__` (docs/spec/LANGUAGE.md §8).
    pub(crate) fn build_struct(
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

    /// `__extra_fields__ = {name: type, ...}` in a struct body (docs/spec/LANGUAGE.md §8.1): more
    /// fields, in dict order, after the declared ones.
    pub(crate) fn add_extra_fields(&mut self, extra: &Value, fields: &mut Vec<Field>, span: Span) -> VmResult<()> {
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
    pub(crate) fn add_struct_functions(&mut self, t: TypeId, fqn: &str, fields: &[Field], span: Span) {
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

    /// A `def` in a struct body, with `@property`/`@staticmethod`/`@classmethod`.
    pub(crate) fn define_method(&mut self, body: &mut Frame, def: &'a FuncDef<'a>, t: TypeId) -> VmResult<()> {
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
        if kind == "static" || kind == "class" || name == "__new__" {
            if let Some(i) = saved_self {
                body.attrs[i].0 = "@noself".into();
            }
        }
        let f = self.define_function(body, def);
        if let Some(i) = body.attrs.iter().position(|(n, _)| n == "@noself") {
            body.attrs[i].0 = "@self".into();
        }
        let f = f?;
        let key = if kind == "method" { name } else { format!("@{kind}:{name}") };
        let _ = t;
        body.attrs.push((key, Value::Func(f)));
        Ok(())
    }

    /// `__ne__` derived from a user `__eq__` (§17 #17), created once per `__eq__`.
    pub(crate) fn not_of(&mut self, eq: FuncId) -> FuncId {
        let fqn = format!("{}#not", self.func(eq).fqn);
        if let Some(i) = self.funcs.iter().position(|f| f.fqn == fqn) {
            return FuncId(i as u32);
        }
        let sig = self.func(eq).sig.clone();
        let sig = FuncSig { ret: bt::BOOL, ..sig };
        self.add_func(Function::new(fqn, sig, vec!["a".into(), "b".into()], FuncImpl::NotOf(eq)))
    }

    /// Runs a module body at import time (docs/spec/LANGUAGE.md §2.2): classes are forward
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
    /// the module's attributes, const ones included (docs/spec/LANGUAGE.md §2.2 step 3).
    pub(crate) fn run_init(&mut self, module: ModId, span: Span) -> VmResult<()> {
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

    pub(crate) fn run_decl(&mut self, frame: &mut Frame, module: ModId, decl: &ast::Decl<'a>) -> VmResult<()> {
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

    pub(crate) fn import_value(&mut self, imp: &ast::Import) -> VmResult<Value> {
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
    pub(crate) fn apply_decorators(&mut self, frame: &mut Frame, def: &'a FuncDef<'a>, f: FuncId) -> VmResult<Value> {
        let mut v = Operand::blue(self.type_of(&Value::Func(f)), Value::Func(f), def.span);
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
