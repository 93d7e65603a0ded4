//! The world: everything a program has defined, in tables indexed by id (types,
//! functions, modules, `var` cells), plus the errors the VM raises and the compiled
//! form of red functions. Every other part of the VM is a set of methods on `World`.
//! After import the world is frozen: only `var` cells change.

use super::builtins::Builtin;
use super::ir::RFunc;
use super::types::{builtin_types as bt, FuncId, FuncSig, ModId, Prim, TypeId, TypeKind};
use super::value::{TypeInfo, Value};
use crate::ast::{Color, FuncDef, FuncKind, Names, Symbol};
use crate::diag::{Diagnostic, ErrorKind, Frame};
use crate::scope::{SymTables, TableId};
use crate::source::{SourceMap, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

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

/// `-E/--error-mode` (docs/spec/LANGUAGE.md §5.10): a static error (`StaticError`, `TypeError`) in
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
/// closure sees the variable's final value (late binding, docs/spec/LANGUAGE.md §6.6).
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
    /// The automatic field-wise `__eq__`/`__ne__` of a struct (docs/spec/LANGUAGE.md §8.3).
    StructEq {
        ty: TypeId,
        negate: bool,
    },
    /// `!=` derived from a user `__eq__` (§17 #17).
    NotOf(FuncId),
    /// `def f[T](...)`: a `@blue.generic` whose call defines the function for its type
    /// arguments (docs/spec/LANGUAGE.md §5.5). `table` is the wrapper scope holding the parameters.
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
    /// The compiled shifted code, once red code has called the function (`run.rs`).
    pub compiled: Option<Rc<Code>>,
    /// Results of a blue function per argument tuple (docs/spec/LANGUAGE.md §5.3).
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
    pub(crate) func_types: HashMap<FuncSig, TypeId>,
    pub funcs: Vec<Function<'a>>,
    pub modules: Vec<ModuleObj>,
    pub cells: Vec<Cell>,
    pub(crate) fqns: HashMap<String, u32>,
    /// Functions in creation order, for `spy0 redshift` (docs/spec/LANGUAGE.md §5.11).
    pub creation_order: Vec<FuncId>,
    pub out: std::io::BufWriter<std::io::Stdout>,
    /// Interned names the evaluator compares against.
    pub sym: KnownNames,
    /// `spy0 colorize`: the color of every expression redshift evaluated, when recording.
    pub colors: Option<Vec<(Span, Color)>>,
    /// What redshift does with a static error in a statement (docs/spec/LANGUAGE.md §5.10).
    pub error_mode: ErrorMode,
    /// Display aliases (docs/spec/BACKEND.md §2.2): `demo::add[i32]::__impl` shows as `demo::add[i32]`.
    pub aliases: HashMap<String, String>,
    /// `gc_ptr[T]`, `raw_ref[T]`...: one type per (ref?, gc?, T).
    pub(crate) ptr_types: HashMap<(bool, bool, TypeId), TypeId>,
    /// `gc_alloc[T]`, `raw_alloc[T]`: one allocator per (gc?, T).
    pub(crate) allocators: HashMap<(bool, TypeId), FuncId>,
    /// The program's argv: its path as given, then its arguments (docs/spec/LANGUAGE.md §2.4).
    pub argv: Vec<String>,
    /// The `@force_inline` functions being inlined, innermost last (no recursion).
    pub inlining: Vec<FuncId>,
    /// How many red calls are running, for the recursion limit (`run.rs`).
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
        let (ints, floats) = ([Prim::I8, Prim::U8, Prim::I32, Prim::U32, Prim::I64, Prim::U64], [Prim::F32, Prim::F64]);
        for p in ints.into_iter().chain(floats).chain([Prim::Complex, Prim::Bool, Prim::Str, Prim::Bytes]) {
            self.add_type(format!("builtins::{}", p.name()), TypeKind::Prim(p));
        }
        self.add_type("types::NoneType".into(), TypeKind::Prim(Prim::None));
        self.add_type("builtins::object".into(), TypeKind::Object);
        self.add_type("builtins::dynamic".into(), TypeKind::Dynamic);
        self.add_type("builtins::type".into(), TypeKind::Type);
        self.add_type("types::module".into(), TypeKind::Module);
        self.add_type("types::NotImplementedType".into(), TypeKind::NotImplemented);
        for kind in ErrorKind::all() {
            let parent = kind.parent().map(|p| TypeId(bt::EXCEPTION.0 + p.index() as u32));
            self.add_type(format!("builtins::{}", kind.name()), TypeKind::Exception { parent });
        }
        let objects = [
            ("builtins::builtin_function", bt::BUILTIN_FUNCTION),
            ("__spy__::EmptyListType", bt::EMPTY_LIST),
            ("__spy__::EmptyDictType", bt::EMPTY_DICT),
            ("operator::MetaArg", bt::METAARG),
            ("operator::OpSpec", bt::OPSPEC),
            ("posix::_FILE", bt::FILE),
        ];
        for (fqn, id) in objects {
            let t = self.add_type(fqn.into(), TypeKind::Object);
            debug_assert_eq!(t, id);
        }
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

    pub fn struct_fields(&self, t: TypeId) -> &[super::types::Field] {
        match &self.ty(t).kind {
            TypeKind::Struct { fields, .. } => fields,
            _ => &[],
        }
    }

    /// A type's attribute (method, property, class constant) by name.
    pub fn type_attr(&self, t: TypeId, name: &str) -> Option<&Value> {
        self.ty(t).attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Value types compare by value and have no identity (docs/spec/LANGUAGE.md §3.1, §4.4).
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

    /// The human name of a type (docs/spec/BACKEND.md §2.2): `i32`, `demo::Point`, `def(i32) -> str`.
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
    /// prefix of it, and inside qualifiers), then `builtins::` dropped (docs/spec/BACKEND.md §2.2).
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

    /// A fresh FQN: `base`, or `base#1`, `base#2`... when it is taken (docs/spec/BACKEND.md §2.1).
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
        let idx = ErrorKind::from_name(kind).map_or(0, ErrorKind::index);
        TypeId(bt::EXCEPTION.0 + idx as u32)
    }
}

/// docs/spec/BACKEND.md §2.2: drop the `builtins::` prefix (`builtins::i32` -> `i32`), and show the
/// stdlib types by their builtin names.
/// The last `::`-separated part of an FQN, brackets kept whole:
/// `m::Box[m::Point]` -> `Box[m::Point]`.
pub fn last_fqn_part(fqn: &str) -> &str {
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

/// Why a statement did not simply fall through to the next one. `return` leaves its
/// value in the frame's return slot, so that a statement's `Result<(), Exit>` is two
/// words and comes back in registers.
pub enum Exit {
    Break,
    Continue,
    Return,
    Error(VmError),
}

impl From<VmError> for Exit {
    fn from(err: VmError) -> Exit {
        Exit::Error(err)
    }
}

/// Compiled code reads and writes the slots of its frame (the locals, then the return
/// slot) and calls back into the world for calls, globals and output.
pub type Compiled<R, E = VmError> = Box<dyn Fn(&mut World<'_>, &mut [Value]) -> Result<R, E>>;
pub type ValueFn = Compiled<Value>;
pub type I32Fn = Compiled<i32>;
pub type BoolFn = Compiled<bool>;
pub type StmtFn = Compiled<(), Exit>;
pub type Block = Box<[StmtFn]>;

/// A compiled red function.
pub struct Code {
    /// The locals (parameters first), then the return slot.
    pub n_slots: usize,
    pub n_params: usize,
    /// The value each local starts with: its type's zero (`0`, `""`, NULL...), so that a
    /// read before any assignment gives the same result in every runner.
    pub zeros: Box<[Value]>,
    pub(crate) body: Block,
}

impl<'a> World<'a> {
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
            TypeKind::Struct { fields, .. } => Value::Struct(Rc::new(super::value::StructValue {
                ty: t,
                fields: fields.iter().map(|f| self.zero_value(f.ty)).collect(),
            })),
            TypeKind::Ptr { .. } => Value::Ptr(super::value::PtrValue::null()),
            _ => Value::None,
        }
    }
}
