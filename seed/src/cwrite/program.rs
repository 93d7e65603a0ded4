//! The program being written to C: which functions are reachable, the C type of each
//! SPy type and the struct definitions in dependency order, constant globals, and one
//! module's output (`ModWriter`: its literals, error locations, header and source).

use super::names::c_name;
use crate::diag::ErrorKind;
use crate::source::{FileId, Span};
use crate::vm::ir::{FuncRef, RExpr, RKind, RStmt};
use crate::vm::types::{builtin_types as bt, FuncId, Prim, TypeId, TypeKind};
use crate::vm::value::Value;
use crate::vm::world::{FuncImpl, Shift, VmError, VmResult, World};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

/// Nested red calls beyond this depth are a RecursionError, as in the VM (`vm/run.rs`).
pub const MAX_CALL_DEPTH: u32 = 20_000;

/// A static error of the C backend: something the program does that C cannot express.
pub fn wip(message: impl Into<String>, span: Span) -> VmError {
    VmError::new(ErrorKind::Wip, message).annotate(span, "")
}

pub struct Program<'w, 'a> {
    pub world: &'w World<'a>,
    /// Functions to emit, in id order once collected.
    pub emitted: Vec<FuncId>,
    /// Types the emitted code mentions; their definitions go into `spy_structdefs.h`.
    pub used_types: BTreeSet<TypeId>,
    /// The main file's folder as given (`source::program_root`): run-time error
    /// locations name files relative to it, and the executable prints it before them.
    pub root: String,
}

impl<'w, 'a> Program<'w, 'a> {
    pub(super) fn new(world: &'w World<'a>, entry_file: FileId) -> Self {
        let root = crate::source::program_root(&world.sources.file(entry_file).path).to_string();
        Program { world, emitted: vec![], used_types: BTreeSet::new(), root }
    }

    /// A source file's name in the C: its path relative to the program's root. Only
    /// program files (the main file's folder) are named; stdlib code reports the user's
    /// call instead.
    pub(super) fn source_name(&self, file: FileId) -> String {
        let path = &self.world.sources.file(file).path;
        path.strip_prefix(self.root.as_str()).unwrap_or(path).to_string()
    }

    /// Every function reachable from the roots through calls, in id order: the program
    /// as it runs, without the stdlib functions it never calls.
    pub(super) fn collect_reachable(&mut self, roots: &[FuncId]) {
        let mut seen: BTreeSet<FuncId> = BTreeSet::new();
        let mut stack: Vec<FuncId> = roots.to_vec();
        while let Some(f) = stack.pop() {
            if !seen.insert(f) {
                continue;
            }
            let Shift::Done(rfunc) = &self.world.func(f).shift else { continue };
            let mut calls = Vec::new();
            for s in &rfunc.body {
                stmt_calls(s, &mut calls);
            }
            for callee in calls {
                match callee {
                    Callee::Func(c) => stack.push(c),
                    Callee::SplitList(list) => {
                        if let Some((new, append)) = list_builders(self.world, list) {
                            stack.push(new);
                            stack.push(append);
                        }
                    }
                }
            }
        }
        self.emitted = seen.into_iter().filter(|&f| self.is_emitted(f)).collect();
    }

    /// Red functions with shifted code become C functions; `@force_inline` ones were
    /// inlined, `__make__` is a compound literal and natives are libspy's.
    pub fn is_emitted(&self, f: FuncId) -> bool {
        let func = self.world.func(f);
        matches!(func.shift, Shift::Done(_))
            && !func.force_inline
            && matches!(func.imp, FuncImpl::Ast { .. } | FuncImpl::StructEq { .. } | FuncImpl::NotOf(_))
    }

    /// The index of the module a function belongs to: the module of its source file, or
    /// for generated functions (`__eq__` of a struct), the first part of its FQN.
    pub fn module_index(&mut self, f: FuncId) -> usize {
        let func = self.world.func(f);
        if let FuncImpl::Ast { module, .. } = func.imp {
            return module.0 as usize;
        }
        self.module_of_fqn(&func.fqn).unwrap_or(0)
    }

    pub(super) fn module_of_fqn(&self, fqn: &str) -> Option<usize> {
        let first = fqn.split("::").next()?;
        self.world.modules.iter().position(|m| m.name == first)
    }

    /// The C type of a SPy type, recording it for `spy_structdefs.h`.
    pub fn c_type(&mut self, t: TypeId, span: Span) -> VmResult<String> {
        let world = self.world;
        let info = world.ty(t);
        Ok(match &info.kind {
            TypeKind::Prim(p) => prim_c_type(*p).to_string(),
            TypeKind::Struct { defined: true, fields } => {
                if !self.used_types.contains(&t) {
                    self.used_types.insert(t);
                    for field in fields.clone() {
                        self.c_type(field.ty, span)?;
                    }
                }
                c_name(&info.fqn)
            }
            TypeKind::Ptr { elem, .. } => {
                if !self.used_types.contains(&t) {
                    self.used_types.insert(t);
                    self.c_type(*elem, span)?;
                }
                c_name(&info.fqn)
            }
            TypeKind::Ref { elem, .. } => format!("{} *", self.c_type(*elem, span)?),
            _ if t == bt::FILE => "spy_FILE".to_string(),
            _ => return Err(wip(format!("values of type `{}` cannot be compiled to C", world.type_name(t)), span)),
        })
    }

    /// `spy_structdefs.h`: forward declarations of every used struct, the pointer structs,
    /// then struct definitions, each after the structs it holds by value.
    pub(super) fn structdefs(&mut self) -> VmResult<String> {
        let world = self.world;
        let mut out = String::from(
            "/* Generated by spy0: struct and pointer types of the program. */\n\
             #ifndef SPY_SPY_STRUCTDEFS_H\n#define SPY_SPY_STRUCTDEFS_H\n#include <math.h>\n#include <stdlib.h>\n#include <spy.h>\n\n\
             /* Where errors inside the stdlib are reported: the user's call into it. */\n\
             extern const spy_Loc *spy_user_loc;\n\
             /* Red calls nest at most MAXDEPTH deep (each function gets its depth as its\n\
              * first parameter); beyond, a RecursionError reported at `main`. */\n\
             extern const spy_Loc *spy_main_loc;\n\
             #define SPY_ENTER() do { if (spy_depth >= MAXDEPTH) spy_panic(\"RecursionError\", \
             \"maximum recursion depth exceeded\", spy_main_loc); } while (0)\n\n",
        )
        .replace("MAXDEPTH", &MAX_CALL_DEPTH.to_string());
        let types: Vec<TypeId> = self.used_types.iter().copied().collect();
        for &t in &types {
            if let TypeKind::Struct { .. } = world.ty(t).kind {
                let name = c_name(&world.ty(t).fqn);
                let _ = writeln!(out, "typedef struct {name} {name}; /* {} */", world.ty(t).fqn);
            }
        }
        out.push('\n');
        for &t in &types {
            if let TypeKind::Ptr { elem, .. } = world.ty(t).kind {
                let elem_c = self.c_type(elem, Span::new(crate::source::FileId(0), 0, 0))?;
                let name = c_name(&world.ty(t).fqn);
                let _ = writeln!(out, "typedef struct {{ {elem_c} *p; int32_t length; }} {name};");
            }
        }
        out.push('\n');
        let mut done: BTreeSet<TypeId> = BTreeSet::new();
        for &t in &types {
            self.struct_def(t, &mut done, &mut out)?;
        }
        out.push_str("#endif\n");
        Ok(out)
    }

    pub(super) fn struct_def(&mut self, t: TypeId, done: &mut BTreeSet<TypeId>, out: &mut String) -> VmResult<()> {
        let world = self.world;
        let TypeKind::Struct { fields, .. } = &world.ty(t).kind else { return Ok(()) };
        if !done.insert(t) {
            return Ok(());
        }
        for field in fields {
            self.struct_def(field.ty, done, out)?;
        }
        let span = world.ty(t).span.unwrap_or(Span::new(crate::source::FileId(0), 0, 0));
        let _ = writeln!(out, "struct {} {{", c_name(&world.ty(t).fqn));
        if fields.is_empty() {
            out.push_str("    uint8_t _spy_empty;\n");
        }
        for field in fields {
            let ty = self.c_type(field.ty, span)?;
            let _ = writeln!(out, "    {} {};", ty, super::names::local_name(&field.name));
        }
        out.push_str("};\n\n");
        Ok(())
    }

    /// A `var` global: defined in its module's `.c`, declared in its `.h`.
    pub(super) fn write_global(&mut self, module: &mut ModWriter, cell: usize) -> VmResult<()> {
        let world = self.world;
        let c = &world.cells[cell];
        let span = Span::new(crate::source::FileId(0), 0, 0);
        let ty = self.c_type(c.ty, span)?;
        let name = c_name(&c.fqn);
        let init = self.const_init(module, &c.value, c.ty, span)?;
        let _ = writeln!(module.protos, "extern {ty} {name};");
        let _ = writeln!(module.globals, "{ty} {name} = {init};");
        Ok(())
    }

    /// A constant as a C expression.
    pub fn const_expr(&mut self, module: &mut ModWriter, v: &Value, t: TypeId, span: Span) -> VmResult<String> {
        if let Value::Struct(s) = v {
            let ty = self.c_type(t, span)?;
            return Ok(format!("(({ty}){})", self.struct_init(module, &s.fields, t, span)?));
        }
        if let (Value::Ptr(_), TypeKind::Ptr { .. }) = (v, &self.world.ty(t).kind) {
            let ty = self.c_type(t, span)?;
            return Ok(format!("(({ty}){{0}})"));
        }
        self.const_init(module, v, t, span)
    }

    /// A constant as a C initializer (braces for structs), usable for static globals.
    pub(super) fn const_init(&mut self, module: &mut ModWriter, v: &Value, t: TypeId, span: Span) -> VmResult<String> {
        Ok(match v {
            Value::I8(x) => x.to_string(),
            Value::U8(x) => x.to_string(),
            Value::I32(x) if *x == i32::MIN => "(-2147483647 - 1)".into(),
            Value::I32(x) => x.to_string(),
            Value::U32(x) => format!("{x}u"),
            Value::I64(x) if *x == i64::MIN => "(-INT64_C(9223372036854775807) - 1)".into(),
            Value::I64(x) => format!("INT64_C({x})"),
            Value::U64(x) => format!("UINT64_C({x})"),
            Value::F64(x) => f64_literal(*x),
            Value::F32(x) => f32_literal(*x),
            Value::Complex(re, im) => format!("((spy_Complex128){{{}, {}}})", f64_literal(*re), f64_literal(*im)),
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => format!("&{}", module.literal(s)),
            Value::Bytes(s) => format!("&{}", module.literal(s)),
            Value::Struct(s) => self.struct_init(module, &s.fields, t, span)?,
            Value::Ptr(p) if p.mem.is_none() => "{0}".into(),
            // A zero reference, `_FILE_NULL` and a closed file are C's NULL.
            Value::None if t == bt::FILE || matches!(self.world.ty(t).kind, TypeKind::Ref { .. }) => "NULL".into(),
            Value::File(f) if f.borrow().file.is_none() => "NULL".into(),
            _ => {
                return Err(wip(
                    format!(
                        "prebuilt constants of type `{}` are not supported by the C backend",
                        self.world.type_name(t)
                    ),
                    span,
                ))
            }
        })
    }

    pub(super) fn struct_init(
        &mut self,
        module: &mut ModWriter,
        values: &[Value],
        t: TypeId,
        span: Span,
    ) -> VmResult<String> {
        let fields = self.world.struct_fields(t).to_vec();
        self.c_type(t, span)?;
        if fields.is_empty() {
            return Ok("{0}".into());
        }
        let mut parts = Vec::new();
        for (v, f) in values.iter().zip(fields.iter()) {
            parts.push(self.const_init(module, v, f.ty, span)?);
        }
        Ok(format!("{{{}}}", parts.join(", ")))
    }
}

/// What a shifted body calls: functions, and the list types `str.split()` builds.
pub(super) enum Callee {
    Func(FuncId),
    SplitList(TypeId),
}

pub(super) fn stmt_calls(s: &RStmt, out: &mut Vec<Callee>) {
    match s {
        RStmt::Pass | RStmt::Break | RStmt::Continue | RStmt::Return(None) | RStmt::Raise { .. } => {}
        RStmt::Return(Some(e)) | RStmt::Expr(e) => expr_calls(e, out),
        RStmt::Assign { value, .. } | RStmt::AssignGlobal { value, .. } | RStmt::Unpack { value, .. } => {
            expr_calls(value, out)
        }
        RStmt::If { test, then_body, else_body } => {
            expr_calls(test, out);
            then_body.iter().chain(else_body).for_each(|s| stmt_calls(s, out));
        }
        RStmt::While { test, body } => {
            expr_calls(test, out);
            body.iter().for_each(|s| stmt_calls(s, out));
        }
        RStmt::Assert { test, msg, .. } => {
            expr_calls(test, out);
            if let Some(m) = msg {
                expr_calls(m, out);
            }
        }
    }
}

pub(super) fn expr_calls(e: &RExpr, out: &mut Vec<Callee>) {
    match &e.kind {
        RKind::Const(_) | RKind::Local(_) | RKind::Global(_) => {}
        RKind::Call(callee, args) => {
            match callee {
                FuncRef::User(f) => out.push(Callee::Func(*f)),
                FuncRef::Builtin(crate::vm::builtins::Builtin::StrSplit(list)) => out.push(Callee::SplitList(*list)),
                FuncRef::Builtin(_) => {}
            }
            args.iter().for_each(|a| expr_calls(a, out));
        }
        RKind::And(a, b) | RKind::Or(a, b) => {
            expr_calls(a, out);
            expr_calls(b, out);
        }
        RKind::GetField(v, _) | RKind::AssignLocal(_, v) | RKind::AssignGlobal(_, v) => expr_calls(v, out),
        RKind::MakeStruct(items) | RKind::Seq(items) => items.iter().for_each(|a| expr_calls(a, out)),
        RKind::Block(stmts, value) => {
            stmts.iter().for_each(|s| stmt_calls(s, out));
            expr_calls(value, out);
        }
    }
}

pub fn prim_c_type(p: Prim) -> &'static str {
    match p {
        Prim::I8 => "int8_t",
        Prim::U8 => "uint8_t",
        Prim::I32 => "int32_t",
        Prim::U32 => "uint32_t",
        Prim::I64 => "int64_t",
        Prim::U64 => "uint64_t",
        Prim::F32 => "float",
        Prim::F64 => "double",
        Prim::Complex => "spy_Complex128",
        Prim::Bool => "bool",
        Prim::Str => "spy_StrObject *",
        Prim::Bytes => "spy_BytesObject *",
        Prim::None => "void",
    }
}

/// A double literal that reads back as the same value: Python's repr, which is a valid
/// C literal once it has a `.` or an exponent.
pub fn f64_literal(x: f64) -> String {
    if x.is_nan() {
        return "NAN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "INFINITY".into() } else { "(-INFINITY)".into() };
    }
    let s = crate::repr::float_repr(x);
    if x < 0.0 {
        format!("({s})")
    } else {
        s
    }
}

pub(super) fn f32_literal(x: f32) -> String {
    if x.is_nan() {
        return "NAN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "INFINITY".into() } else { "(-INFINITY)".into() };
    }
    // Rust's Debug form is the shortest decimal that reads back as the same f32.
    let s = format!("{x:?}");
    let s = if s.contains(['.', 'e']) { s } else { format!("{s}.0") };
    if x < 0.0 || (x == 0.0 && x.is_sign_negative()) {
        format!("({s}f)")
    } else {
        format!("{s}f")
    }
}

/// What one module's `.h` and `.c` collect while its functions are written.
pub struct ModWriter {
    pub name: String,
    /// Prototypes and `extern` declarations for the header.
    pub protos: String,
    /// `var` globals' definitions.
    pub globals: String,
    /// Static helper functions (str.split builders).
    pub helpers: String,
    pub funcs: String,
    literals: Vec<Vec<u8>>,
    literal_index: HashMap<Vec<u8>, usize>,
    locs: Vec<(String, usize, String)>,
    loc_index: HashMap<(String, usize), usize>,
    pub helper_names: BTreeSet<String>,
}

impl ModWriter {
    pub(super) fn new(name: String) -> ModWriter {
        ModWriter {
            name,
            protos: String::new(),
            globals: String::new(),
            helpers: String::new(),
            funcs: String::new(),
            literals: vec![],
            literal_index: HashMap::new(),
            locs: vec![],
            loc_index: HashMap::new(),
            helper_names: BTreeSet::new(),
        }
    }

    /// The static object of a str or bytes literal (one per distinct content).
    pub fn literal(&mut self, bytes: &[u8]) -> String {
        let n = match self.literal_index.get(bytes) {
            Some(&n) => n,
            None => {
                self.literals.push(bytes.to_vec());
                self.literal_index.insert(bytes.to_vec(), self.literals.len() - 1);
                self.literals.len() - 1
            }
        };
        format!("SPY_g_str{n}")
    }

    /// The static `spy_Loc` of a source line (one per distinct line).
    pub fn loc(&mut self, path: &str, line: usize, text: &str) -> String {
        let key = (path.to_string(), line);
        let n = match self.loc_index.get(&key) {
            Some(&n) => n,
            None => {
                self.locs.push((path.to_string(), line, text.to_string()));
                self.loc_index.insert(key, self.locs.len() - 1);
                self.locs.len() - 1
            }
        };
        format!("SPY_loc{n}")
    }

    pub(super) fn header(&self) -> String {
        let guard = format!("SPY_{}_H", self.name.to_uppercase().replace('.', "_"));
        format!(
            "/* Generated by spy0 from module `{}`. */\n#ifndef {guard}\n#define {guard}\n#include <spy.h>\n\
             #include \"spy_structdefs.h\"\n\n{}\n#endif\n",
            self.name, self.protos
        )
    }

    pub(super) fn source(&self, all_modules: &[String]) -> String {
        let mut out = format!("/* Generated by spy0 from module `{}`. */\n", self.name);
        for m in all_modules {
            let _ = writeln!(out, "#include \"{m}.h\"");
        }
        out.push('\n');
        // SYNC(str-layout): spy_StrObject in libspy/include/spy.h is {length, hash, utf8}.
        for (n, bytes) in self.literals.iter().enumerate() {
            let _ = writeln!(
                out,
                "static spy_StrObject SPY_g_str{n} = {{{}, 0, (const uint8_t *){}}};",
                bytes.len(),
                c_string(bytes)
            );
        }
        for (n, (path, line, text)) in self.locs.iter().enumerate() {
            let _ = writeln!(
                out,
                "static const spy_Loc SPY_loc{n} = {{{}, {line}, {}}};",
                c_string(path.as_bytes()),
                c_string(text.as_bytes())
            );
        }
        out.push('\n');
        out.push_str(&self.globals);
        if !self.globals.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.helpers);
        out.push_str(&self.funcs);
        out
    }
}

/// A C string literal: printable ASCII as is, `\\` and `\"` escaped, every other byte
/// as `\xNN`, split (`"\x0a""B"`) where a hex digit follows an escape.
pub fn c_string(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    let mut after_hex = false;
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'?' => out.push_str("\\?"),
            0x20..=0x7e => {
                if after_hex && b.is_ascii_hexdigit() {
                    out.push_str("\"\"");
                }
                out.push(b as char);
            }
            _ => {
                let _ = write!(out, "\\x{b:02x}");
                after_hex = true;
                continue;
            }
        }
        after_hex = false;
    }
    out.push('"');
    out
}

/// A `list[str]` type's `_new_empty` and `append`, which build lists in native code.
pub(super) fn list_builders(world: &World, list: TypeId) -> Option<(FuncId, FuncId)> {
    match (world.type_attr(list, "@static:_new_empty"), world.type_attr(list, "append")) {
        (Some(Value::Func(new)), Some(Value::Func(append))) => Some((*new, *append)),
        _ => None,
    }
}
