//! The VM: the live world of a program (types, functions, modules, `var` cells) and
//! the operations on it. Module bodies and all blue code run through `eval.rs`, which
//! also redshifts red functions (docs/vm-design.md); red code runs as shifted code in
//! `exec.rs`. After import the world is frozen: only `var` cells change.

pub mod colorize;
pub mod compile;
pub mod eval;
pub mod exec;
pub mod inline;
pub mod ir;
pub mod ops;
pub mod print;
pub mod value;

use crate::ast::{Color, FuncDef, FuncKind, Names, Symbol};
use crate::diag::{Diagnostic, ErrorKind, Frame};
use crate::scope::{SymTables, TableId};
use crate::source::{SourceMap, Span};
use ir::{Builtin, RFunc};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;
use value::{builtin_types as bt, FuncId, FuncSig, ModId, Prim, TypeId, TypeInfo, TypeKind, Value};

/// An error that stops the program: found at compile time (import, redshift: rendered
/// as a §15.2 diagnostic) or raised while red code runs (rendered as a §11.4 panic).
#[derive(Debug)]
pub enum VmError {
    Static(Box<Diagnostic>),
    Runtime(Box<RuntimeError>),
}

/// An uncaught run-time error: exception class, message, and the failing operation.
#[derive(Debug)]
pub struct RuntimeError {
    pub kind: String,
    pub message: String,
    pub span: Span,
}

impl VmError {
    pub fn runtime(kind: impl Into<String>, message: impl Into<String>, span: Span) -> VmError {
        VmError::Runtime(Box::new(RuntimeError { kind: kind.into(), message: message.into(), span }))
    }

    pub fn new(kind: ErrorKind, message: impl Into<String>) -> VmError {
        VmError::Static(Box::new(Diagnostic::new(kind, message)))
    }

    /// Adds an error annotation (static errors only).
    pub fn annotate(self, span: Span, message: impl Into<String>) -> VmError {
        match self {
            VmError::Static(d) => VmError::Static(Box::new(d.annotate(span, message))),
            other => other,
        }
    }

    pub fn note(self, span: Span, message: impl Into<String>) -> VmError {
        match self {
            VmError::Static(d) => VmError::Static(Box::new(d.note(span, message))),
            other => other,
        }
    }

    pub fn render(&self, sources: &SourceMap) -> String {
        match self {
            VmError::Static(d) => d.render(sources),
            VmError::Runtime(e) => crate::diag::render_runtime_error(&e.kind, &e.message, e.span, sources),
        }
    }
}

pub type VmResult<T> = Result<T, VmError>;

/// `-E/--error-mode` (LANGUAGE.md §5.10): a static error (`StaticError`, `TypeError`) in
/// a red function's statement aborts (`eager`), or replaces the statement with a `raise`
/// of that error (`lazy`), and is also printed as a warning (`warn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorMode {
    Eager,
    Lazy,
    Warn,
}

/// Static error helper: `err(kind, msg)` as an `Err`.
pub fn err<T>(kind: ErrorKind, message: impl Into<String>) -> VmResult<T> {
    Err(VmError::new(kind, message))
}

/// Where a module-level name lives.
#[derive(Clone, Debug)]
pub enum Global {
    /// A const global, a function, a class or an import: a blue value.
    Const(Value, TypeId),
    /// A `var` global: cell index.
    Cell(u32),
}

pub struct Cell {
    pub fqn: String,
    pub ty: TypeId,
    pub value: Value,
}

pub struct ModuleObj {
    pub name: String,
    pub globals: HashMap<Symbol, Global>,
    pub symtables: SymTables,
}

/// Variables of a blue frame that inner `def`s may capture. Shared and mutable, so a
/// closure sees the variable's final value (late binding, LANGUAGE.md §6.6).
#[derive(Default)]
pub struct Env {
    pub vars: RefCell<HashMap<Symbol, (Value, TypeId)>>,
    pub parent: Option<Rc<Env>>,
}

impl Env {
    pub fn lookup(&self, name: Symbol) -> Option<(Value, TypeId)> {
        if let Some(v) = self.vars.borrow().get(&name) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.lookup(name))
    }
}

pub enum FuncImpl<'a> {
    /// A `def` from the source. `table` is its scope; `env` the blue frame it closes over.
    Ast {
        def: &'a FuncDef<'a>,
        module: ModId,
        table: TableId,
        env: Option<Rc<Env>>,
    },
    Builtin(Builtin),
    /// `T.__make__`: builds a struct from its fields.
    Make(TypeId),
    /// The automatic field-wise `__eq__`/`__ne__` of a struct (LANGUAGE.md §8.3).
    StructEq {
        ty: TypeId,
        negate: bool,
    },
    /// `!=` derived from a user `__eq__` (§17 #17).
    NotOf(FuncId),
    /// `def f[T](...)`: a `@blue.generic` whose call defines the function for its type
    /// arguments (LANGUAGE.md §5.5). `table` is the wrapper scope holding the parameters.
    GenericDef {
        def: &'a FuncDef<'a>,
        module: ModId,
        table: TableId,
        env: Option<Rc<Env>>,
    },
    /// `@struct class C[T]`: a `@blue.generic` whose call defines the struct `Self`.
    GenericClass {
        class: &'a crate::ast::ClassDef<'a>,
        module: ModId,
        table: TableId,
        env: Option<Rc<Env>>,
    },
}

/// How far redshift has got with a red function.
pub enum Shift {
    NotYet,
    InProgress,
    Done(Rc<RFunc>),
}

pub struct Function<'a> {
    pub fqn: String,
    pub sig: FuncSig,
    pub param_names: Vec<String>,
    /// Values of the trailing parameters that have defaults.
    pub defaults: Vec<Value>,
    pub imp: FuncImpl<'a>,
    pub shift: Shift,
    /// The compiled shifted code, once red code has called the function (`exec.rs`).
    pub compiled: Option<Rc<compile::Code>>,
    /// Results of a blue function per argument tuple (LANGUAGE.md §5.3).
    pub memo: HashMap<Vec<Value>, Value>,
    /// `def ...: ` up to the return annotation: "function defined here".
    pub proto_span: Option<Span>,
    pub is_pure: bool,
    pub force_inline: bool,
}

impl<'a> Function<'a> {
    /// A function not yet redshifted, without defaults, memo or prototype span; callers
    /// set the rest with struct-update syntax.
    pub fn new(fqn: String, sig: FuncSig, param_names: Vec<String>, imp: FuncImpl<'a>) -> Function<'a> {
        Function {
            fqn,
            sig,
            param_names,
            defaults: vec![],
            imp,
            shift: Shift::NotYet,
            compiled: None,
            memo: HashMap::new(),
            proto_span: None,
            is_pure: false,
            force_inline: false,
        }
    }
}

pub struct World<'a> {
    pub names: Names,
    pub sources: SourceMap,
    pub types: Vec<TypeInfo>,
    func_types: HashMap<FuncSig, TypeId>,
    pub funcs: Vec<Function<'a>>,
    pub modules: Vec<ModuleObj>,
    pub cells: Vec<Cell>,
    fqns: HashMap<String, u32>,
    /// Functions in creation order, for `spy0 redshift` (LANGUAGE.md §5.11).
    pub creation_order: Vec<FuncId>,
    pub out: std::io::BufWriter<std::io::Stdout>,
    /// Interned names the evaluator compares against.
    pub sym: KnownNames,
    /// `spy0 colorize`: the color of every expression redshift evaluated, when recording.
    pub colors: Option<Vec<(Span, Color)>>,
    /// What redshift does with a static error in a statement (LANGUAGE.md §5.10).
    pub error_mode: ErrorMode,
    /// Display aliases (BACKEND.md §2.2): `demo::add[i32]::__impl` shows as `demo::add[i32]`.
    pub aliases: HashMap<String, String>,
    /// `gc_ptr[T]`, `raw_ref[T]`...: one type per (ref?, gc?, T).
    ptr_types: HashMap<(bool, bool, TypeId), TypeId>,
    /// `gc_alloc[T]`, `raw_alloc[T]`: one allocator per (gc?, T).
    allocators: HashMap<(bool, TypeId), FuncId>,
    /// The program's argv: its path as given, then its arguments (LANGUAGE.md §2.4).
    pub argv: Vec<String>,
    /// The `@force_inline` functions being inlined, innermost last (no recursion).
    pub inlining: Vec<FuncId>,
    /// How many red calls are running, for the recursion limit (`compile.rs`).
    pub depth: usize,
    /// Where a RecursionError is reported: the entry point of the running program.
    pub current_span: Span,
    /// The generic each generic type came from (`Box[i32].__origin__ is Box`, §5.5).
    pub origins: HashMap<TypeId, FuncId>,
    /// The same for functions a generic returned (`add[i32].__origin__ is add`).
    pub func_origins: HashMap<FuncId, FuncId>,
    /// Files of stdlib modules: run-time errors are reported at the user's call instead.
    pub stdlib_files: std::collections::HashSet<crate::source::FileId>,
}

/// Names the VM looks for, interned once.
pub struct KnownNames {
    pub main: Symbol,
    pub self_: Symbol,
    pub init: Symbol,
}

impl<'a> World<'a> {
    pub fn new(names: Names, sources: SourceMap) -> World<'a> {
        let mut names = names;
        let sym =
            KnownNames { main: names.intern("main"), self_: names.intern("self"), init: names.intern("__INIT__") };
        let mut world = World {
            names,
            sources,
            types: Vec::new(),
            func_types: HashMap::new(),
            funcs: Vec::new(),
            modules: Vec::new(),
            cells: Vec::new(),
            fqns: HashMap::new(),
            creation_order: Vec::new(),
            out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            sym,
            colors: None,
            error_mode: ErrorMode::Eager,
            aliases: HashMap::new(),
            ptr_types: HashMap::new(),
            allocators: HashMap::new(),
            argv: Vec::new(),
            stdlib_files: Default::default(),
            origins: HashMap::new(),
            func_origins: HashMap::new(),
            depth: 0,
            inlining: Vec::new(),
            current_span: Span::new(crate::source::FileId(0), 0, 0),
        };
        world.make_builtin_types();
        world
    }

    fn make_builtin_types(&mut self) {
        let prims = [
            ("i8", Prim::I8),
            ("u8", Prim::U8),
            ("i32", Prim::I32),
            ("u32", Prim::U32),
            ("i64", Prim::I64),
            ("u64", Prim::U64),
            ("f32", Prim::F32),
            ("f64", Prim::F64),
            ("complex128", Prim::Complex),
            ("bool", Prim::Bool),
            ("str", Prim::Str),
            ("bytes", Prim::Bytes),
        ];
        for (name, p) in prims {
            self.add_type(format!("builtins::{name}"), TypeKind::Prim(p));
        }
        self.add_type("types::NoneType".into(), TypeKind::Prim(Prim::None));
        self.add_type("builtins::object".into(), TypeKind::Object);
        self.add_type("builtins::dynamic".into(), TypeKind::Dynamic);
        self.add_type("builtins::type".into(), TypeKind::Type);
        self.add_type("types::module".into(), TypeKind::Module);
        self.add_type("types::NotImplementedType".into(), TypeKind::NotImplemented);
        for (idx, (name, parent)) in value::EXCEPTIONS.iter().enumerate() {
            let parent = (idx > 0).then(|| TypeId(bt::EXCEPTION.0 + *parent as u32));
            self.add_type(format!("builtins::{name}"), TypeKind::Exception { parent });
        }
        let t = self.add_type("builtins::builtin_function".into(), TypeKind::Object);
        debug_assert_eq!(t, bt::BUILTIN_FUNCTION);
        let t = self.add_type("__spy__::EmptyListType".into(), TypeKind::Object);
        debug_assert_eq!(t, bt::EMPTY_LIST);
        let t = self.add_type("__spy__::EmptyDictType".into(), TypeKind::Object);
        debug_assert_eq!(t, bt::EMPTY_DICT);
        let t = self.add_type("operator::MetaArg".into(), TypeKind::Object);
        debug_assert_eq!(t, bt::METAARG);
        let t = self.add_type("operator::OpSpec".into(), TypeKind::Object);
        debug_assert_eq!(t, bt::OPSPEC);
        let t = self.add_type("posix::_FILE".into(), TypeKind::Object);
        debug_assert_eq!(t, bt::FILE);
    }

    pub fn add_type(&mut self, fqn: String, kind: TypeKind) -> TypeId {
        self.types.push(TypeInfo { fqn, kind, attrs: Vec::new(), span: None });
        TypeId(self.types.len() as u32 - 1)
    }

    pub fn ty(&self, t: TypeId) -> &TypeInfo {
        &self.types[t.0 as usize]
    }

    pub fn ty_mut(&mut self, t: TypeId) -> &mut TypeInfo {
        &mut self.types[t.0 as usize]
    }

    pub fn prim(&self, t: TypeId) -> Option<Prim> {
        match self.ty(t).kind {
            TypeKind::Prim(p) => Some(p),
            _ => None,
        }
    }

    pub fn prim_type(p: Prim) -> TypeId {
        match p {
            Prim::I8 => bt::I8,
            Prim::U8 => bt::U8,
            Prim::I32 => bt::I32,
            Prim::U32 => bt::U32,
            Prim::I64 => bt::I64,
            Prim::U64 => bt::U64,
            Prim::F32 => bt::F32,
            Prim::F64 => bt::F64,
            Prim::Complex => bt::COMPLEX,
            Prim::Bool => bt::BOOL,
            Prim::Str => bt::STR,
            Prim::Bytes => bt::BYTES,
            Prim::None => bt::NONE,
        }
    }

    pub fn is_struct(&self, t: TypeId) -> bool {
        matches!(self.ty(t).kind, TypeKind::Struct { .. })
    }

    pub fn struct_fields(&self, t: TypeId) -> &[value::Field] {
        match &self.ty(t).kind {
            TypeKind::Struct { fields, .. } => fields,
            _ => &[],
        }
    }

    /// A type's attribute (method, property, class constant) by name.
    pub fn type_attr(&self, t: TypeId, name: &str) -> Option<&Value> {
        self.ty(t).attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Value types compare by value and have no identity (LANGUAGE.md §3.1, §4.4).
    pub fn is_reference_type(&self, t: TypeId) -> bool {
        matches!(
            self.ty(t).kind,
            TypeKind::Object | TypeKind::Dynamic | TypeKind::Type | TypeKind::Module | TypeKind::Function(_)
        ) || t == bt::NONE
            || matches!(self.ty(t).kind, TypeKind::Exception { .. })
    }

    /// Is `sub` a subtype of `sup`? Everything is an `object`; exceptions nest.
    pub fn is_subtype(&self, sub: TypeId, sup: TypeId) -> bool {
        if sub == sup || sup == bt::OBJECT || sup == bt::DYNAMIC {
            return true;
        }
        let mut t = sub;
        while let TypeKind::Exception { parent: Some(p) } = self.ty(t).kind {
            if p == sup {
                return true;
            }
            t = p;
        }
        false
    }

    /// The interned type of a function signature.
    pub fn func_type(&mut self, sig: FuncSig) -> TypeId {
        if let Some(&t) = self.func_types.get(&sig) {
            return t;
        }
        let fqn = self.sig_fqn(&sig);
        let t = self.add_type(fqn, TypeKind::Function(sig.clone()));
        self.func_types.insert(sig, t);
        t
    }

    fn sig_fqn(&self, sig: &FuncSig) -> String {
        let mut parts: Vec<String> = sig.params.iter().map(|p| self.ty(*p).fqn.clone()).collect();
        parts.push(self.ty(sig.ret).fqn.clone());
        let prefix = match (sig.color, sig.kind) {
            (Color::Red, _) => "def",
            (Color::Blue, FuncKind::Plain) => "blue.def",
            (Color::Blue, FuncKind::Generic) => "blue.generic.def",
            (Color::Blue, FuncKind::Metafunc) => "blue.metafunc.def",
        };
        format!("builtins::{prefix}[{}]", parts.join(", "))
    }

    /// The human name of a type (BACKEND.md §2.2): `i32`, `demo::Point`, `def(i32) -> str`.
    pub fn type_name(&self, t: TypeId) -> String {
        let info = self.ty(t);
        if let TypeKind::Function(sig) = &info.kind {
            let mut params: Vec<String> = sig.params.iter().map(|p| self.type_name(*p)).collect();
            if sig.varargs {
                if let Some(last) = params.last_mut() {
                    *last = format!("*{last}");
                }
            }
            let ret = if sig.ret == bt::NONE { "None".to_string() } else { self.type_name(sig.ret) };
            let prefix = match (sig.color, sig.kind) {
                (Color::Red, _) => "def",
                (Color::Blue, FuncKind::Plain) => "@blue def",
                (Color::Blue, FuncKind::Generic) => "@blue.generic def",
                (Color::Blue, FuncKind::Metafunc) => "@blue.metafunc def",
            };
            return format!("{prefix}({}) -> {ret}", params.join(", "));
        }
        self.human_name(&info.fqn)
    }

    /// The human name of an FQN: display aliases applied (to the whole name or to a
    /// prefix of it, and inside qualifiers), then `builtins::` dropped (BACKEND.md §2.2).
    pub fn human_name(&self, fqn: &str) -> String {
        let mut name = fqn.to_string();
        // Longest alias first, so `a[i32]::b` wins over `a[i32]`.
        let mut keys: Vec<&String> = self.aliases.keys().collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for key in keys {
            let alias = &self.aliases[key];
            if name == *key {
                name = alias.clone();
            } else if let Some(rest) = name.strip_prefix(&format!("{key}::")) {
                name = format!("{alias}::{rest}");
            }
            name = name
                .replace(&format!("[{key}]"), &format!("[{alias}]"))
                .replace(&format!("{key}]"), &format!("{alias}]"));
        }
        human_fqn(&name).replace("builtins::", "")
    }

    pub fn type_of(&self, v: &Value) -> TypeId {
        match v {
            Value::I8(_) => bt::I8,
            Value::U8(_) => bt::U8,
            Value::I32(_) => bt::I32,
            Value::U32(_) => bt::U32,
            Value::I64(_) => bt::I64,
            Value::U64(_) => bt::U64,
            Value::F32(_) => bt::F32,
            Value::F64(_) => bt::F64,
            Value::Complex(..) => bt::COMPLEX,
            Value::Bool(_) => bt::BOOL,
            Value::None => bt::NONE,
            Value::NotImplemented => bt::NOT_IMPLEMENTED,
            Value::Str(_) => bt::STR,
            Value::Bytes(_) => bt::BYTES,
            Value::Type(_) => bt::TYPE,
            Value::Func(f) => self.func_type_of(*f),
            Value::Module(_) => bt::MODULE,
            Value::Struct(s) => s.ty,
            Value::Exc(e) => e.ty,
            Value::Special(_) => bt::BUILTIN_FUNCTION,
            Value::Ptr(_) | Value::Ref(_) => panic!("internal error: the type of a pointer is static"),
            Value::MetaArg(_) => bt::METAARG,
            Value::OpSpec(_) => bt::OPSPEC,
            Value::File(_) => bt::FILE,
        }
    }

    fn func_type_of(&self, f: FuncId) -> TypeId {
        let sig = &self.funcs[f.0 as usize].sig;
        *self.func_types.get(sig).expect("internal error: function type not interned")
    }

    /// A fresh FQN: `base`, or `base#1`, `base#2`... when it is taken (BACKEND.md §2.1).
    pub fn unique_fqn(&mut self, base: String) -> String {
        let count = self.fqns.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}#{}", *count - 1)
        }
    }

    pub fn add_func(&mut self, f: Function<'a>) -> FuncId {
        let t = self.func_type(f.sig.clone());
        let _ = t;
        self.funcs.push(f);
        let id = FuncId(self.funcs.len() as u32 - 1);
        self.creation_order.push(id);
        id
    }

    pub fn func(&self, f: FuncId) -> &Function<'a> {
        &self.funcs[f.0 as usize]
    }

    pub fn func_mut(&mut self, f: FuncId) -> &mut Function<'a> {
        &mut self.funcs[f.0 as usize]
    }

    pub fn write_out(&mut self, bytes: &[u8]) {
        // Output errors (a closed pipe) are not the program's concern.
        let _ = self.out.write_all(bytes);
    }

    pub fn flush_out(&mut self) {
        let _ = self.out.flush();
    }

    /// A frame for a traceback: `[redshift] demo::main`, `demo::f`, `[module] demo`.
    pub fn frame(&self, name: String, span: Span) -> Frame {
        Frame { name, span }
    }

    pub fn exc_type(kind: &str) -> TypeId {
        let idx = value::EXCEPTIONS.iter().position(|(n, _)| *n == kind).unwrap_or(0);
        TypeId(bt::EXCEPTION.0 + idx as u32)
    }
}

/// BACKEND.md §2.2: drop the `builtins::` prefix (`builtins::i32` -> `i32`), and show the
/// stdlib types by their builtin names.
pub fn human_fqn(fqn: &str) -> String {
    let fqn = fqn.strip_prefix("builtins::").unwrap_or(fqn);
    match fqn {
        "types::NoneType" => "NoneType".to_string(),
        "_range::range" => "range".to_string(),
        _ if fqn.starts_with("_list::list[") => fqn["_list::".len()..].to_string(),
        _ if fqn.starts_with("_dict::dict[") => fqn["_dict::".len()..].to_string(),
        _ if fqn.starts_with("_tuple::tuple[") => fqn["_tuple::".len()..].to_string(),
        _ if fqn.starts_with("__spy__::interp_tuple[") => fqn["__spy__::".len()..].to_string(),
        _ => fqn.to_string(),
    }
}

impl World<'_> {
    /// The `argv` of `main(argv: list[str])`: the program path, then its arguments (§2.4).
    fn argv_list(&mut self, list_ty: TypeId, span: Span) -> VmResult<Value> {
        let args: Vec<Vec<u8>> = std::mem::take(&mut self.argv).into_iter().map(String::into_bytes).collect();
        self.new_str_list(list_ty, args, span)
    }

    /// The entry module's `main`, checked (LANGUAGE.md §2.4): None when there is none;
    /// a static error when its signature is not one `spy0` can call.
    pub fn main_func(&self, entry: ModId) -> VmResult<Option<FuncId>> {
        let f = match self.modules[entry.0 as usize].globals.get(&self.sym.main) {
            Some(Global::Const(Value::Func(f), _)) => *f,
            _ => return Ok(None),
        };
        let sig = &self.func(f).sig;
        let proto = self.func(f).proto_span;
        let wrong = |msg: &str| {
            let e = VmError::new(ErrorKind::TypeError, "`main` has the wrong signature");
            Err(match proto {
                Some(span) => e.annotate(span, msg),
                None => e,
            })
        };
        match sig.params.as_slice() {
            [] => {}
            [param]
                if self.ty(*param).fqn == "_list::list[builtins::str]::_ListImpl"
                    || self.human_name(&self.ty(*param).fqn) == "list[str]" => {}
            _ => return wrong("parameters must be `main(argv: list[str])`"),
        }
        if sig.ret != bt::NONE && sig.ret != bt::I32 {
            return wrong("the only valid return types are `None`, `int` and `i32`");
        }
        Ok(Some(f))
    }

    /// Calls the entry module's `main` (LANGUAGE.md §2.4) and returns the exit status.
    pub fn run_main(&mut self, entry: ModId) -> VmResult<i32> {
        let Some(f) = self.main_func(entry)? else {
            self.write_out(b"Cannot find function main()\n");
            return Ok(0);
        };
        let span = self.func(f).proto_span.expect("main has a prototype");
        self.current_span = span;
        let mut args = vec![];
        if let Some(&param) = self.func(f).sig.params.first() {
            args.push(self.argv_list(param, span)?);
        }
        match self.call_function(f, args, span)? {
            Value::I32(code) => Ok(code),
            _ => Ok(0),
        }
    }
}

impl<'a> World<'a> {
    /// `operator::<prim>_<op>` for the arithmetic, comparisons and negation of the numeric
    /// types, and `bool`'s logic: the same native functions operators resolve to.
    fn operator_functions(&mut self) -> Vec<(String, Value)> {
        use ir::{ArithOp as A, CmpKind as C};
        let mut out = Vec::new();
        let numeric = [Prim::I8, Prim::U8, Prim::I32, Prim::U32, Prim::I64, Prim::U64, Prim::F32, Prim::F64];
        for p in numeric {
            let t = World::prim_type(p);
            let mut ops = vec![A::Add, A::Sub, A::Mul, A::Div, A::FloorDiv, A::Mod];
            if p.is_int() {
                ops.extend([A::LShift, A::RShift, A::And, A::Or, A::Xor]);
            }
            let mut builtins: Vec<(Builtin, Vec<TypeId>, TypeId)> = ops
                .into_iter()
                .map(|op| {
                    let ret = if op == A::Div && p.is_int() { bt::F64 } else { t };
                    (Builtin::Arith(op, p), vec![t, t], ret)
                })
                .collect();
            for c in [C::Eq, C::Ne, C::Lt, C::Le, C::Gt, C::Ge] {
                builtins.push((Builtin::Cmp(c, p), vec![t, t], bt::BOOL));
            }
            if p.is_signed() || p.is_float() {
                builtins.push((Builtin::Neg(p), vec![t], t));
            }
            for (b, params, ret) in builtins {
                let fqn = print::builtin_fqn(b);
                let name = fqn.trim_start_matches("operator::").to_string();
                out.push((name, Value::Func(self.native_func(fqn, params, ret, b, true))));
            }
        }
        for op in [A::And, A::Or, A::Xor] {
            let b = Builtin::Arith(op, Prim::Bool);
            let fqn = print::builtin_fqn(b);
            let name = fqn.trim_start_matches("operator::").to_string();
            out.push((name, Value::Func(self.native_func(fqn, vec![bt::BOOL, bt::BOOL], bt::BOOL, b, true))));
        }
        out
    }

    /// `gc_ptr[T]` (`is_ref` false, `gc` true), `raw_ptr[T]`, `gc_ref[T]`, `raw_ref[T]`.
    pub fn ptr_type(&mut self, is_ref: bool, gc: bool, elem: TypeId) -> TypeId {
        if let Some(&t) = self.ptr_types.get(&(is_ref, gc, elem)) {
            return t;
        }
        let name = match (is_ref, gc) {
            (false, true) => "gc_ptr",
            (false, false) => "raw_ptr",
            (true, true) => "gc_ref",
            (true, false) => "raw_ref",
        };
        let fqn = format!("unsafe::{name}[{}]", self.ty(elem).fqn);
        let kind = if is_ref { TypeKind::Ref { gc, elem } } else { TypeKind::Ptr { gc, elem } };
        let t = self.add_type(fqn, kind);
        self.ptr_types.insert((is_ref, gc, elem), t);
        t
    }

    /// The pointee of a pointer or reference type.
    pub fn ptr_elem(&self, t: TypeId) -> Option<(bool, TypeId)> {
        match self.ty(t).kind {
            TypeKind::Ptr { elem, .. } => Some((false, elem)),
            TypeKind::Ref { elem, .. } => Some((true, elem)),
            _ => None,
        }
    }

    /// `gc_alloc[T]` / `raw_alloc[T]`: a native `def(i32) -> gc_ptr[T]`.
    pub fn allocator(&mut self, gc: bool, elem: TypeId) -> FuncId {
        if let Some(&f) = self.allocators.get(&(gc, elem)) {
            return f;
        }
        let ptr = self.ptr_type(false, gc, elem);
        let fqn = format!("{}::alloc", self.ty(ptr).fqn);
        let sig = FuncSig { color: Color::Red, kind: FuncKind::Plain, params: vec![bt::I32], varargs: false, ret: ptr };
        let f = self.add_func(Function::new(fqn, sig, vec!["n".into()], FuncImpl::Builtin(Builtin::Alloc(elem))));
        self.allocators.insert((gc, elem), f);
        f
    }

    /// The value fresh memory of type `t` holds: zero, empty, NULL (the interpreter zeroes
    /// memory where C would leave it uninitialised; programs must not rely on either).
    pub fn zero_value(&self, t: TypeId) -> Value {
        match &self.ty(t).kind {
            TypeKind::Prim(p) => match p {
                Prim::I8 => Value::I8(0),
                Prim::U8 => Value::U8(0),
                Prim::I32 => Value::I32(0),
                Prim::U32 => Value::U32(0),
                Prim::I64 => Value::I64(0),
                Prim::U64 => Value::U64(0),
                Prim::F32 => Value::F32(0.0),
                Prim::F64 => Value::F64(0.0),
                Prim::Complex => Value::Complex(0.0, 0.0),
                Prim::Bool => Value::Bool(false),
                Prim::Str => Value::str(""),
                Prim::Bytes => Value::Bytes(Rc::from(&b""[..])),
                Prim::None => Value::None,
            },
            TypeKind::Struct { fields, .. } => Value::Struct(Rc::new(value::StructValue {
                ty: t,
                fields: fields.iter().map(|f| self.zero_value(f.ty)).collect(),
            })),
            TypeKind::Ptr { .. } => Value::Ptr(value::PtrValue::null()),
            _ => Value::None,
        }
    }

    /// A native function: `fqn(params) -> ret`, run by `builtin`.
    pub fn native_func(
        &mut self,
        fqn: String,
        params: Vec<TypeId>,
        ret: TypeId,
        builtin: Builtin,
        pure: bool,
    ) -> FuncId {
        let n = params.len();
        let sig = FuncSig { color: Color::Red, kind: FuncKind::Plain, params, varargs: false, ret };
        self.add_func(Function {
            is_pure: pure,
            ..Function::new(fqn, sig, (0..n).map(|i| format!("arg{i}")).collect(), FuncImpl::Builtin(builtin))
        })
    }

    /// The native modules a program can import (`from unsafe import gc_ptr`).
    pub fn add_native_modules(&mut self, empty: &dyn Fn(&mut Names, &str) -> SymTables) {
        // `operator::i32_add` and friends (LANGUAGE.md §14, LIB-08): the functions every
        // operator on a primitive resolves to, importable by name.
        let operator_fns = self.operator_functions();
        let operator_items = [("MetaArg", Value::Type(bt::METAARG)), ("OpSpec", Value::Type(bt::OPSPEC))]
            .into_iter()
            .chain(operator_fns.iter().map(|(name, v)| (name.as_str(), v.clone())))
            .collect();
        // spyboot's helpers for building strings in memory (docs/decisions.md).
        let u8_ptr = self.ptr_type(false, true, bt::U8);
        let str_copy_into = self.native_func(
            "unsafe::_str_copy_into".into(),
            vec![u8_ptr, bt::I32, bt::STR],
            bt::NONE,
            Builtin::StrCopyInto,
            false,
        );
        let str_from_bytes = self.native_func(
            "unsafe::_str_from_bytes".into(),
            vec![u8_ptr, bt::I32],
            bt::STR,
            Builtin::StrFromBytes,
            false,
        );
        let stdout_write =
            self.native_func("__spy__::_stdout_write".into(), vec![bt::STR], bt::NONE, Builtin::StdoutWrite, false);
        let stderr_write =
            self.native_func("__spy__::_stderr_write".into(), vec![bt::STR], bt::NONE, Builtin::StderrWrite, false);
        let natives: [(&str, Vec<(&str, Value)>); 4] = [
            (
                "unsafe",
                vec![
                    ("gc_ptr", Value::Special(value::Special::GcPtr)),
                    ("raw_ptr", Value::Special(value::Special::RawPtr)),
                    ("gc_ref", Value::Special(value::Special::GcRef)),
                    ("raw_ref", Value::Special(value::Special::RawRef)),
                    ("gc_alloc", Value::Special(value::Special::GcAlloc)),
                    ("raw_alloc", Value::Special(value::Special::RawAlloc)),
                    ("unchecked_div", Value::Special(value::Special::Unchecked(ir::ArithOp::Div))),
                    ("unchecked_floordiv", Value::Special(value::Special::Unchecked(ir::ArithOp::FloorDiv))),
                    ("unchecked_mod", Value::Special(value::Special::Unchecked(ir::ArithOp::Mod))),
                    ("ieee754_div", Value::Special(value::Special::Ieee754Div)),
                    ("_str_copy_into", Value::Func(str_copy_into)),
                    ("_str_from_bytes", Value::Func(str_from_bytes)),
                ]
                .into_iter()
                .chain(ir::MemOp::ALL.iter().map(|(name, m)| (*name, Value::Special(value::Special::PtrMem(*m)))))
                .collect(),
            ),
            ("types", vec![("NoneType", Value::Type(bt::NONE)), ("module", Value::Type(bt::MODULE))]),
            (
                "__spy__",
                vec![
                    ("COLOR", Value::Special(value::Special::Color)),
                    ("as_red", Value::Special(value::Special::AsRed)),
                    ("lookup_fqn", Value::Special(value::Special::LookupFqn)),
                    ("is_compiled", Value::Special(value::Special::IsCompiled)),
                    ("force_inline", Value::Special(value::Special::ForceInline)),
                    ("_stdout_write", Value::Func(stdout_write)),
                    ("_stderr_write", Value::Func(stderr_write)),
                ],
            ),
            ("operator", operator_items),
        ];
        let mut math_items: Vec<(&str, Value)> = vec![
            ("pi", Value::F64(std::f64::consts::PI)),
            ("tau", Value::F64(std::f64::consts::TAU)),
            ("e", Value::F64(std::f64::consts::E)),
        ];
        for (name, f) in ir::MathFn::ALL {
            let params = vec![bt::F64; f.arity()];
            math_items.push((
                name,
                Value::Func(self.native_func(format!("math::{name}"), params, bt::F64, Builtin::Math(f), true)),
            ));
        }
        let time_items: Vec<(&str, Value)> = vec![
            ("time", Value::Func(self.native_func("time::time".into(), vec![], bt::F64, Builtin::TimeNow, false))),
            (
                "sleep",
                Value::Func(self.native_func("time::sleep".into(), vec![bt::F64], bt::NONE, Builtin::Sleep, false)),
            ),
        ];
        let file_fns: [(&str, Vec<TypeId>, TypeId, Builtin); 12] = [
            ("_fopen", vec![bt::STR, bt::STR], bt::FILE, Builtin::Fopen),
            ("_fread", vec![bt::FILE, bt::I32], bt::STR, Builtin::Fread),
            ("_freadline", vec![bt::FILE], bt::STR, Builtin::Freadline),
            ("_fwrite", vec![bt::FILE, bt::STR], bt::NONE, Builtin::Fwrite),
            ("_fclose", vec![bt::FILE], bt::NONE, Builtin::Fclose),
            ("_ftell", vec![bt::FILE], bt::I32, Builtin::Ftell),
            ("_fseek", vec![bt::FILE, bt::I32, bt::I32], bt::NONE, Builtin::Fseek),
            ("_fflush", vec![bt::FILE], bt::NONE, Builtin::Fflush),
            ("_freadall", vec![bt::FILE], bt::STR, Builtin::Freadall),
            ("__freadall_chunked", vec![bt::FILE], bt::STR, Builtin::Freadall),
            ("_fileno", vec![bt::FILE], bt::I32, Builtin::Fileno),
            ("_isatty", vec![bt::I32], bt::BOOL, Builtin::Isatty),
        ];
        let fields = vec![
            value::Field { name: "columns".into(), ty: bt::I32 },
            value::Field { name: "lines".into(), ty: bt::I32 },
        ];
        let term = self.add_type("posix::TerminalSize".into(), TypeKind::Struct { fields, defined: true });
        let mut posix_items: Vec<(&str, Value)> = vec![
            ("_FILE", Value::Type(bt::FILE)),
            // C's `(FILE *)NULL`: a handle on no file.
            ("_FILE_NULL", Value::File(Rc::new(std::cell::RefCell::new(value::FileHandle::new(None))))),
            ("TerminalSize", Value::Type(term)),
            (
                "get_terminal_size",
                Value::Func(self.native_func(
                    "posix::get_terminal_size".into(),
                    vec![],
                    term,
                    Builtin::TerminalSize(term),
                    false,
                )),
            ),
            (
                "isatty",
                Value::Func(self.native_func("posix::isatty".into(), vec![bt::I32], bt::BOOL, Builtin::Isatty, false)),
            ),
            (
                "_exit",
                Value::Func(self.native_func("posix::_exit".into(), vec![bt::I32], bt::NONE, Builtin::Exit, false)),
            ),
        ];
        for (name, params, ret, b) in file_fns {
            posix_items.push((name, Value::Func(self.native_func(format!("posix::{name}"), params, ret, b, false))));
        }
        let natives: Vec<(&str, Vec<(&str, Value)>)> =
            natives.into_iter().chain([("math", math_items), ("time", time_items), ("posix", posix_items)]).collect();
        for (name, items) in natives {
            let symtables = empty(&mut self.names, name);
            let mut globals = HashMap::new();
            for (attr, v) in items {
                let ty = if matches!(v, Value::Special(_)) { bt::BUILTIN_FUNCTION } else { self.type_of(&v) };
                globals.insert(self.names.intern(attr), Global::Const(v, ty));
            }
            self.modules.push(ModuleObj { name: name.to_string(), globals, symtables });
        }
    }
}
