//! Scope analysis (docs/spec/LANGUAGE.md §2.6): module AST -> one symbol table per module, function
//! and class body. Every name declared or used in a scope gets a symbol there, with the
//! number of scopes to walk out to find its declaration, its var/const kind and, for
//! imports and stdlib builtins, where it comes from. Shadowing and red redeclarations are
//! refused here; undefined names are only recorded (they fail when evaluated, §2.6 rule 5).

use crate::ast::{ClassDef, Color, Decl, Expr, ExprKind, FuncDef, Module, Names, Stmt, StmtKind, Symbol, VarKind};
use crate::diag::{Diagnostic, ErrorKind};
use crate::source::Span;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    Module,
    Function,
    Class,
}

/// Why a symbol has its varkind; the VM quotes it in `const declared here (...)` notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `var x` / `const x`
    Explicit,
    /// module-level `x = e` / `x: T = e`
    GlobalConst,
    RedParam,
    BlueParam,
    /// a local without `var`/`const`: const iff assigned once, outside loops
    Auto,
    FuncDef,
    ClassDef,
    TypeParam,
    /// a field (`x: T`) or constant (`K = e`) in a class body
    ClassAttr,
    Import,
    Builtin,
    /// `@return` and the `for` iterators `_$iterN`
    Hidden,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Explicit => "explicit",
            Origin::GlobalConst => "global-const",
            Origin::RedParam => "red-param",
            Origin::BlueParam => "blue-param",
            Origin::Auto => "auto",
            Origin::FuncDef => "funcdef",
            Origin::ClassDef => "classdef",
            Origin::TypeParam => "type-param",
            Origin::ClassAttr => "class-attr",
            Origin::Import => "import",
            Origin::Builtin => "builtin",
            Origin::Hidden => "hidden",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SymbolInfo {
    pub name: Symbol,
    /// 0: declared in this table; n: declared n scopes out, counting only the scopes
    /// visible from here (a class body is not visible from its methods, so a method's
    /// level 1 is the scope around the class). Builtins are one scope beyond the module.
    /// None: the name resolves nowhere; evaluating it is a NameError (§2.6 rule 5).
    pub level: Option<u32>,
    pub varkind: VarKind,
    pub origin: Origin,
    /// Where the name was declared; for builtins and unresolved names, its first use here.
    pub decl_span: Span,
    /// Module-level `var` globals live in a cell (§2.3).
    pub is_cell: bool,
    /// `(module, Some(attr))` for `from module import attr` and stdlib builtins,
    /// `(module, None)` for `import module`; plain builtins are `("builtins", name)`.
    pub import_ref: Option<(String, Option<String>)>,
}

pub struct SymTable {
    /// `demo`, `demo::main`, `demo::Point::norm`, `demo::f::f` (a generic's own table).
    pub name: String,
    pub color: Color,
    pub kind: TableKind,
    /// The lexically enclosing table (class bodies included).
    pub parent: Option<TableId>,
    /// Declared symbols first, in declaration order, then the used outer names in order of use.
    pub symbols: Vec<SymbolInfo>,
    /// Tables of the defs and classes inside this scope, in source order.
    pub children: Vec<TableId>,
}

/// The tables of one def or class node. `generic` is the blue wrapper of a `def f[T]` or
/// `class C[T]`: it declares the type params, and its only child is `body`.
#[derive(Clone, Copy, Debug)]
struct NodeTables {
    generic: Option<TableId>,
    body: TableId,
}

pub struct SymTables {
    /// `tables[0]` is the module's table.
    pub tables: Vec<SymTable>,
    /// Stdlib modules the code needs without importing them (§2.5), sorted, once each.
    pub implicit_imports: Vec<String>,
    /// Keyed by the address of the FuncDef/ClassDef node in the AST arena: nodes never
    /// move, and the maps are only queried, never iterated, so output stays deterministic.
    funcs: HashMap<usize, NodeTables>,
    classes: HashMap<usize, NodeTables>,
}

impl SymTables {
    pub fn module_table(&self) -> TableId {
        TableId(0)
    }

    pub fn table(&self, id: TableId) -> &SymTable {
        &self.tables[id.0]
    }

    pub fn lookup(&self, table: TableId, name: Symbol) -> Option<&SymbolInfo> {
        self.tables[table.0].symbols.iter().find(|sym| sym.name == name)
    }

    /// The table of a function's body (for `def f[T]`, the inner `demo::f::f`).
    pub fn table_of_func(&self, f: &FuncDef) -> TableId {
        self.node_tables(&self.funcs, f as *const FuncDef as usize).body
    }

    /// The blue wrapper table of a generic `def f[T]`; None for other functions.
    pub fn generic_table_of_func(&self, f: &FuncDef) -> Option<TableId> {
        self.node_tables(&self.funcs, f as *const FuncDef as usize).generic
    }

    pub fn table_of_class(&self, c: &ClassDef) -> TableId {
        self.node_tables(&self.classes, c as *const ClassDef as usize).body
    }

    pub fn generic_table_of_class(&self, c: &ClassDef) -> Option<TableId> {
        self.node_tables(&self.classes, c as *const ClassDef as usize).generic
    }

    fn node_tables(&self, map: &HashMap<usize, NodeTables>, key: usize) -> NodeTables {
        match map.get(&key) {
            Some(tables) => *tables,
            None => panic!("internal error: no symtable for this node (was it analysed by this SymTables?)"),
        }
    }

    /// `spy0 symtable`: the format is described in docs/symtable-format.md.
    pub fn dump_symtables(&self, names: &Names) -> String {
        let mut out = String::from("Implicit imports:\n");
        for module in &self.implicit_imports {
            out.push_str(&format!("    {module}\n"));
        }
        out.push('\n');
        self.dump_table(self.module_table(), 0, names, &mut out);
        out
    }

    fn dump_table(&self, id: TableId, indent: usize, names: &Names, out: &mut String) {
        let table = self.table(id);
        let kind = match table.kind {
            TableKind::Module => "module",
            TableKind::Function => "function",
            TableKind::Class => "class",
        };
        let color = match table.color {
            Color::Red => "red",
            Color::Blue => "blue",
        };
        out.push_str(&format!("{}<SymTable '{}' ({color}, {kind})>\n", " ".repeat(indent), table.name));
        let mut symbols: Vec<&SymbolInfo> = table.symbols.iter().collect();
        symbols.sort_by_key(|sym| sort_key(sym, names));
        for sym in symbols {
            let name = names.get(sym.name);
            let mut line = " ".repeat(indent + 4);
            let Some(level) = sym.level else {
                out.push_str(&format!("{line}[ ] NameError  {name}\n"));
                continue;
            };
            let varkind = match sym.varkind {
                VarKind::Const => "const",
                VarKind::Var => "var  ",
            };
            line.push_str(&format!("[{level}] {varkind} {name:<10}"));
            if sym.is_cell {
                line.push_str(" [cell]");
            }
            if let Some((module, attr)) = &sym.import_ref {
                match attr {
                    Some(attr) => line.push_str(&format!(" => <ImportRef {module}.{attr}>")),
                    None => line.push_str(&format!(" => <ImportRef {module}>")),
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        for &child in &table.children {
            self.dump_table(child, indent + 4, names, out);
        }
    }
}

/// Level, then const before var, then name with `@` names last; unresolved names at the end.
fn sort_key(sym: &SymbolInfo, names: &Names) -> (u32, u8, bool, String) {
    let name = names.get(sym.name).to_string();
    let varkind = match sym.varkind {
        VarKind::Const => 0,
        VarKind::Var => 1,
    };
    match sym.level {
        Some(level) => (level, varkind, name.starts_with('@'), name),
        None => (u32::MAX, 0, false, name),
    }
}

/// The builtins scope (§2.7): `(module, attr)` of each builtin name. Names provided by
/// the stdlib point at their module, which becomes an implicit import when they are used.
fn builtin_ref(name: &str) -> Option<(&'static str, &'static str)> {
    // The table of §2.7, one line per group; rustfmt would put each name on its own line.
    #[rustfmt::skip]
    const PLAIN: &[&str] = &[
        "i8", "u8", "i32", "u32", "i64", "u64", "f32", "f64", "complex128", "bool", "str", "bytes",
        "object", "type", "dynamic", "struct", "int", "float", "complex",
        "property", "staticmethod", "classmethod", "member",
        "None", "True", "False", "NotImplemented",
        "print", "len", "repr", "hash", "dir", "getattr", "hasattr", "setattr", "ord", "STATIC_TYPE", "breakpoint",
    ];
    const FROM_STDLIB: &[(&str, &str, &str)] = &[
        ("abs", "_builtins", "abs"),
        ("min", "_builtins", "min"),
        ("max", "_builtins", "max"),
        ("range", "_range", "range"),
        ("list", "_list", "list"),
        ("tuple", "_tuple", "tuple"),
        ("slice", "_slice", "Slice"),
        ("dict", "_dict", "dict"),
        ("file", "_file", "file"),
        ("open", "_file", "open"),
    ];
    for &(builtin, module, attr) in FROM_STDLIB {
        if builtin == name {
            return Some((module, attr));
        }
    }
    for &builtin in PLAIN {
        if builtin == name {
            return Some(("builtins", builtin));
        }
    }
    // The exception classes, from the one list of error kinds.
    ErrorKind::from_name(name).map(|kind| ("builtins", kind.name()))
}

/// Where a name resolves from some table.
enum Resolved {
    Declared { level: u32, table: TableId, index: usize },
    Builtin { level: u32, module: &'static str, attr: &'static str },
    Nowhere,
}

/// Bookkeeping for one `Auto` local while its function is declared: how often and where
/// it is assigned decides between const and var (§2.6 rule 6).
#[derive(Clone, Copy, Default)]
struct Assignments {
    count: u32,
    in_loop: bool,
}

/// A declaration being added to the current table.
struct NewSymbol {
    name: Symbol,
    span: Span,
    varkind: VarKind,
    origin: Origin,
    import_ref: Option<(String, Option<String>)>,
    is_cell: bool,
}

pub fn build_symtables<'a>(module: &Module<'a>, modname: &str, names: &mut Names) -> Result<SymTables, Diagnostic> {
    let mut analyzer = Analyzer {
        names,
        tables: Vec::new(),
        assignments: Vec::new(),
        implicit_imports: Vec::new(),
        funcs: HashMap::new(),
        classes: HashMap::new(),
    };
    analyzer.analyze_module(module, modname)?;
    let mut implicit_imports = analyzer.implicit_imports;
    implicit_imports.sort();
    implicit_imports.dedup();
    Ok(SymTables { tables: analyzer.tables, implicit_imports, funcs: analyzer.funcs, classes: analyzer.classes })
}

/// Each table is built in two walks. The *declare* walk adds the scope's own names (it
/// does not enter nested defs), so a scope is complete before anything inside it looks
/// names up. The *resolve* walk then records every used name and builds the child tables
/// in source order. Module names are thus all known before any function body is seen.
struct Analyzer<'n> {
    names: &'n mut Names,
    tables: Vec<SymTable>,
    /// Parallel to the symbols of the table being declared.
    assignments: Vec<Assignments>,
    implicit_imports: Vec<String>,
    funcs: HashMap<usize, NodeTables>,
    classes: HashMap<usize, NodeTables>,
}

impl<'n> Analyzer<'n> {
    fn new_table(&mut self, name: String, color: Color, kind: TableKind, parent: Option<TableId>) -> TableId {
        let id = TableId(self.tables.len());
        self.tables.push(SymTable { name, color, kind, parent, symbols: Vec::new(), children: Vec::new() });
        if let Some(parent) = parent {
            self.tables[parent.0].children.push(id);
        }
        id
    }

    fn child_name(&self, parent: TableId, name: Symbol) -> String {
        format!("{}::{}", self.tables[parent.0].name, self.names.get(name))
    }

    // ---- module ----

    fn analyze_module<'a>(&mut self, module: &Module<'a>, modname: &str) -> Result<(), Diagnostic> {
        let table = self.new_table(modname.to_string(), Color::Blue, TableKind::Module, None);
        self.assignments.clear();
        for decl in &module.decls {
            match decl {
                Decl::Import(import) => {
                    let module_name = self.names.get(import.module).to_string();
                    let attr = import.attr.map(|attr| self.names.get(attr).to_string());
                    let sym = NewSymbol {
                        name: import.asname,
                        span: import.asname_span,
                        varkind: VarKind::Const,
                        origin: Origin::Import,
                        import_ref: Some((module_name, attr)),
                        is_cell: false,
                    };
                    self.declare(table, sym)?;
                }
                Decl::FuncDef(f) => {
                    self.declare(table, plain(f.name, f.prototype_span, VarKind::Const, Origin::FuncDef))?
                }
                Decl::ClassDef(c) => self.declare(table, plain(c.name, c.span, VarKind::Const, Origin::ClassDef))?,
                Decl::VarDef(v) => {
                    let (varkind, origin) = match v.kind {
                        None => (VarKind::Const, Origin::GlobalConst),
                        Some(kind) => (kind, Origin::Explicit),
                    };
                    let mut sym = plain(v.name, v.name_span, varkind, origin);
                    sym.is_cell = varkind == VarKind::Var;
                    self.declare(table, sym)?;
                }
            }
        }
        for decl in &module.decls {
            match decl {
                Decl::Import(_) => {}
                Decl::FuncDef(f) => self.analyze_func(table, f)?,
                Decl::ClassDef(c) => self.analyze_class(table, c)?,
                Decl::VarDef(v) => {
                    self.resolve_opt(table, v.ty)?;
                    self.resolve_opt(table, v.value)?;
                }
            }
        }
        Ok(())
    }

    // ---- functions and classes ----

    /// Builds the table(s) of `f`, a def found in `parent`. Decorators, defaults and
    /// annotations run where the def runs (§6.1): in `parent`, or in the generic wrapper.
    fn analyze_func<'a>(&mut self, parent: TableId, f: &FuncDef<'a>) -> Result<(), Diagnostic> {
        let mut outer = parent;
        let mut generic = None;
        if !f.type_params.is_empty() {
            let wrapper = self.new_generic_table(parent, f.name, &f.type_params, None, f.prototype_span)?;
            generic = Some(wrapper);
            outer = wrapper;
        }
        for decorator in &f.decorators {
            self.resolve_expr(outer, decorator)?;
        }
        for arg in &f.args {
            self.resolve_opt(outer, arg.ty)?;
            self.resolve_opt(outer, arg.default)?;
        }
        self.resolve_opt(outer, f.return_type)?;

        let name = self.child_name(outer, f.name);
        let table = self.new_table(name, f.color, TableKind::Function, Some(outer));
        self.funcs.insert(f as *const FuncDef as usize, NodeTables { generic, body: table });
        self.assignments.clear();
        for arg in &f.args {
            let (varkind, origin) = match f.color {
                Color::Red => (VarKind::Var, Origin::RedParam),
                Color::Blue => (VarKind::Const, Origin::BlueParam),
            };
            self.declare(table, plain(arg.name, arg.span, varkind, origin))?;
        }
        let return_span = match f.return_type {
            Some(ty) => ty.span,
            None => f.prototype_span,
        };
        let at_return = self.names.intern("@return");
        self.declare(table, plain(at_return, return_span, VarKind::Var, Origin::Hidden))?;
        for stmt in &f.body {
            self.declare_stmt(table, stmt, false)?;
        }
        self.finish_declarations(table);
        for stmt in &f.body {
            self.resolve_stmt(table, stmt)?;
        }
        Ok(())
    }

    fn analyze_class<'a>(&mut self, parent: TableId, c: &ClassDef<'a>) -> Result<(), Diagnostic> {
        let mut outer = parent;
        let mut generic = None;
        if !c.type_params.is_empty() {
            // Inside a generic class, `Self` names the concrete type (§5.5).
            let wrapper = self.new_generic_table(parent, c.name, &c.type_params, Some(c.span), c.span)?;
            generic = Some(wrapper);
            outer = wrapper;
        }
        let name = self.child_name(outer, c.name);
        let table = self.new_table(name, Color::Blue, TableKind::Class, Some(outer));
        self.classes.insert(c as *const ClassDef as usize, NodeTables { generic, body: table });
        self.assignments.clear();
        for stmt in &c.body {
            self.declare_stmt(table, stmt, false)?;
        }
        self.finish_declarations(table);
        for stmt in &c.body {
            self.resolve_stmt(table, stmt)?;
        }
        Ok(())
    }

    /// The blue function a PEP 695 generic desugars to (§5.5): it takes the type params.
    fn new_generic_table(
        &mut self,
        parent: TableId,
        name: Symbol,
        type_params: &[crate::ast::TypeParam],
        self_span: Option<Span>,
        return_span: Span,
    ) -> Result<TableId, Diagnostic> {
        let table_name = self.child_name(parent, name);
        let table = self.new_table(table_name, Color::Blue, TableKind::Function, Some(parent));
        self.assignments.clear();
        for param in type_params {
            self.declare(table, plain(param.name, param.span, VarKind::Const, Origin::TypeParam))?;
        }
        if let Some(span) = self_span {
            let self_name = self.names.intern("Self");
            self.declare(table, plain(self_name, span, VarKind::Const, Origin::ClassDef))?;
        }
        let at_return = self.names.intern("@return");
        self.declare(table, plain(at_return, return_span, VarKind::Var, Origin::Hidden))?;
        Ok(table)
    }

    // ---- the declare walk ----

    fn declare_stmt<'a>(&mut self, table: TableId, stmt: &Stmt<'a>, in_loop: bool) -> Result<(), Diagnostic> {
        let is_class = self.tables[table.0].kind == TableKind::Class;
        match &stmt.kind {
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue | StmtKind::Return(None) => {}
            StmtKind::Return(Some(value)) | StmtKind::Expr(value) | StmtKind::Raise(value) => {
                self.declare_expr(table, value, in_loop)?
            }
            StmtKind::VarDef(v) => {
                if let Some(value) = v.value {
                    self.declare_expr(table, value, in_loop)?;
                }
                let (varkind, origin) = match (v.kind, is_class) {
                    (Some(kind), _) => (kind, Origin::Explicit),
                    (None, true) => (VarKind::Var, Origin::ClassAttr),
                    (None, false) => (VarKind::Const, Origin::Auto),
                };
                self.declare(table, plain(v.name, v.name_span, varkind, origin))?;
                if v.value.is_some() {
                    self.count_assignment(table, v.name, in_loop, 1);
                }
            }
            StmtKind::Assign { target, target_span, value } => {
                self.declare_expr(table, value, in_loop)?;
                self.declare_assignment(table, *target, *target_span, in_loop)?;
            }
            StmtKind::UnpackAssign { targets, value } => {
                self.declare_expr(table, value, in_loop)?;
                for &(target, span) in targets {
                    self.declare_assignment(table, target, span, in_loop)?;
                }
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.declare_expr(table, value, in_loop)?;
                // `x += 1` reads and rewrites `x`: it never declares, and makes a local var.
                self.count_assignment(table, *target, in_loop, 2);
            }
            StmtKind::SetAttr { target, value, .. } => {
                self.declare_expr(table, target, in_loop)?;
                self.declare_expr(table, value, in_loop)?;
            }
            StmtKind::SetItem { target, args, value } => {
                self.declare_expr(table, target, in_loop)?;
                for arg in args {
                    self.declare_expr(table, arg, in_loop)?;
                }
                self.declare_expr(table, value, in_loop)?;
            }
            StmtKind::If { test, then_body, else_body } => {
                self.declare_expr(table, test, in_loop)?;
                for stmt in then_body.iter().chain(else_body) {
                    self.declare_stmt(table, stmt, in_loop)?;
                }
            }
            StmtKind::While { test, body } => {
                self.declare_expr(table, test, true)?;
                for stmt in body {
                    self.declare_stmt(table, stmt, true)?;
                }
            }
            StmtKind::For { index, target, target_span, iter, body } => {
                self.declare_expr(table, iter, in_loop)?;
                let iter_name = self.names.intern(&format!("_$iter{index}"));
                self.declare(table, plain(iter_name, iter.span, VarKind::Var, Origin::Hidden))?;
                // §17 #21: a target that is already a local of this function is assigned,
                // not redeclared (the VM checks that the types agree).
                if self.find_declared(table, *target).is_none() {
                    self.declare(table, plain(*target, *target_span, VarKind::Var, Origin::Auto))?;
                }
                self.count_assignment(table, *target, true, 1);
                for stmt in body {
                    self.declare_stmt(table, stmt, true)?;
                }
            }
            StmtKind::Assert { test, msg } => {
                self.declare_expr(table, test, in_loop)?;
                if let Some(msg) = msg {
                    self.declare_expr(table, msg, in_loop)?;
                }
            }
            StmtKind::FuncDef(f) => {
                self.declare(table, plain(f.name, f.prototype_span, VarKind::Const, Origin::FuncDef))?
            }
            StmtKind::ClassDef(c) => self.declare(table, plain(c.name, c.span, VarKind::Const, Origin::ClassDef))?,
        }
        Ok(())
    }

    /// Only walrus targets and `__block__` statements declare anything inside expressions.
    fn declare_expr<'a>(&mut self, table: TableId, expr: &Expr<'a>, in_loop: bool) -> Result<(), Diagnostic> {
        match &expr.kind {
            ExprKind::Literal(_) | ExprKind::Str(_) | ExprKind::Bytes(_) | ExprKind::Name(_) => {}
            ExprKind::Unsupported(_) => {}
            ExprKind::BinOp { left, right, .. }
            | ExprKind::CmpOp { left, right, .. }
            | ExprKind::And { left, right }
            | ExprKind::Or { left, right } => {
                self.declare_expr(table, left, in_loop)?;
                self.declare_expr(table, right, in_loop)?;
            }
            ExprKind::UnaryOp { value, .. } | ExprKind::GetAttr { value, .. } | ExprKind::Starred(value) => {
                self.declare_expr(table, value, in_loop)?;
            }
            ExprKind::Call { func: first, args }
            | ExprKind::CallMethod { target: first, args, .. }
            | ExprKind::GetItem { value: first, args } => {
                self.declare_expr(table, first, in_loop)?;
                for arg in args {
                    self.declare_expr(table, arg, in_loop)?;
                }
            }
            ExprKind::List(items) | ExprKind::Tuple(items) => {
                for item in items {
                    self.declare_expr(table, item, in_loop)?;
                }
            }
            ExprKind::Dict(items) => {
                for (key, value) in items {
                    self.declare_expr(table, key, in_loop)?;
                    self.declare_expr(table, value, in_loop)?;
                }
            }
            ExprKind::Slice { start, stop, step } => {
                for part in [start, stop, step].into_iter().flatten() {
                    self.declare_expr(table, part, in_loop)?;
                }
            }
            ExprKind::AssignExpr { target, target_span, value } => {
                self.declare_expr(table, value, in_loop)?;
                self.declare_assignment(table, *target, *target_span, in_loop)?;
            }
            ExprKind::Block { body, value } => {
                for stmt in body {
                    self.declare_stmt(table, stmt, in_loop)?;
                }
                self.declare_expr(table, value, in_loop)?;
            }
        }
        Ok(())
    }

    /// `x = e` (also walrus and unpacking targets). A local is counted; a name found in an
    /// enclosing scope, builtins included, is assigned there (§2.6 rule 2); any other name
    /// becomes a new local. In a class body it declares a class constant.
    fn declare_assignment(
        &mut self,
        table: TableId,
        name: Symbol,
        span: Span,
        in_loop: bool,
    ) -> Result<(), Diagnostic> {
        if self.tables[table.0].kind == TableKind::Class {
            if self.find_declared(table, name).is_none() {
                self.declare(table, plain(name, span, VarKind::Const, Origin::ClassAttr))?;
            }
            return Ok(());
        }
        if self.find_declared(table, name).is_some() {
            self.count_assignment(table, name, in_loop, 1);
            return Ok(());
        }
        match self.resolve(table, name) {
            Resolved::Nowhere => {
                self.declare(table, plain(name, span, VarKind::Const, Origin::Auto))?;
                self.count_assignment(table, name, in_loop, 1);
            }
            Resolved::Declared { .. } | Resolved::Builtin { .. } => {}
        }
        Ok(())
    }

    fn count_assignment(&mut self, table: TableId, name: Symbol, in_loop: bool, count: u32) {
        if let Some(index) = self.find_declared(table, name) {
            let assignments = &mut self.assignments[index];
            assignments.count += count;
            assignments.in_loop |= in_loop;
        }
    }

    /// Adds a level-0 symbol to `table`, or refuses it: a name of an enclosing scope may
    /// not be redeclared (builtins may), and a red function declares each name once.
    /// Class bodies declare attributes of the type, which shadow nothing.
    fn declare(&mut self, table: TableId, sym: NewSymbol) -> Result<(), Diagnostic> {
        let name = self.names.get(sym.name).to_string();
        if let Some(index) = self.find_declared(table, sym.name) {
            let t = &self.tables[table.0];
            if t.kind == TableKind::Function && t.color == Color::Red {
                let previous = t.symbols[index].decl_span;
                return Err(Diagnostic::new(ErrorKind::ScopeError, format!("variable `{name}` already declared"))
                    .annotate(sym.span, "this is the new declaration")
                    .note(previous, "this is the previous declaration"));
            }
            // Blue scopes may declare a name twice (e.g. one `def impl` per branch of an `if`);
            // the VM refuses it if both declarations run (§2.6 rule 3).
            return Ok(());
        }
        // `@return` and `_$iterN` cannot clash with user names, and each function has its own.
        if self.tables[table.0].kind != TableKind::Class && sym.origin != Origin::Hidden {
            if let Some(parent) = visible_parent(&self.tables, table) {
                if let Resolved::Declared { table: outer, index, .. } = self.resolve(parent, sym.name) {
                    let previous = self.tables[outer.0].symbols[index].decl_span;
                    return Err(Diagnostic::new(
                        ErrorKind::ScopeError,
                        format!("variable `{name}` shadows a name declared in an outer scope"),
                    )
                    .annotate(sym.span, "this is the new declaration")
                    .note(previous, "this is the previous declaration"));
                }
            }
        }
        self.tables[table.0].symbols.push(SymbolInfo {
            name: sym.name,
            level: Some(0),
            varkind: sym.varkind,
            origin: sym.origin,
            decl_span: sym.span,
            is_cell: sym.is_cell,
            import_ref: sym.import_ref,
        });
        self.assignments.push(Assignments::default());
        Ok(())
    }

    /// Gives each `Auto` local its varkind: const when assigned at most once, outside loops.
    fn finish_declarations(&mut self, table: TableId) {
        let symbols = &mut self.tables[table.0].symbols;
        for (sym, assignments) in symbols.iter_mut().zip(&self.assignments) {
            if sym.origin == Origin::Auto && (assignments.count > 1 || assignments.in_loop) {
                sym.varkind = VarKind::Var;
            }
        }
        self.assignments.clear();
    }

    // ---- the resolve walk ----

    fn resolve_stmt<'a>(&mut self, table: TableId, stmt: &Stmt<'a>) -> Result<(), Diagnostic> {
        match &stmt.kind {
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            StmtKind::Return(value) => self.resolve_opt(table, *value)?,
            StmtKind::Expr(value) | StmtKind::Raise(value) => self.resolve_expr(table, value)?,
            StmtKind::VarDef(v) => {
                self.resolve_opt(table, v.ty)?;
                self.resolve_opt(table, v.value)?;
            }
            StmtKind::Assign { target, target_span, value }
            | StmtKind::AugAssign { target, target_span, value, .. } => {
                self.resolve_expr(table, value)?;
                self.use_name(table, *target, *target_span);
            }
            StmtKind::UnpackAssign { targets, value } => {
                self.resolve_expr(table, value)?;
                self.implicit_imports.push("_tuple".to_string());
                for &(target, span) in targets {
                    self.use_name(table, target, span);
                }
            }
            StmtKind::SetAttr { target, value, .. } => {
                self.resolve_expr(table, target)?;
                self.resolve_expr(table, value)?;
            }
            StmtKind::SetItem { target, args, value } => {
                self.resolve_expr(table, target)?;
                for arg in args {
                    self.resolve_expr(table, arg)?;
                }
                self.resolve_expr(table, value)?;
            }
            StmtKind::If { test, then_body, else_body } => {
                self.resolve_expr(table, test)?;
                for stmt in then_body.iter().chain(else_body) {
                    self.resolve_stmt(table, stmt)?;
                }
            }
            StmtKind::While { test, body } => {
                self.resolve_expr(table, test)?;
                for stmt in body {
                    self.resolve_stmt(table, stmt)?;
                }
            }
            StmtKind::For { target, target_span, iter, body, .. } => {
                self.resolve_expr(table, iter)?;
                self.use_name(table, *target, *target_span);
                for stmt in body {
                    self.resolve_stmt(table, stmt)?;
                }
            }
            StmtKind::Assert { test, msg } => {
                self.resolve_expr(table, test)?;
                self.resolve_opt(table, *msg)?;
            }
            StmtKind::FuncDef(f) => self.analyze_func(table, f)?,
            StmtKind::ClassDef(c) => self.analyze_class(table, c)?,
        }
        Ok(())
    }

    fn resolve_opt<'a>(&mut self, table: TableId, expr: Option<&Expr<'a>>) -> Result<(), Diagnostic> {
        expr.map_or(Ok(()), |expr| self.resolve_expr(table, expr))
    }

    fn resolve_expr<'a>(&mut self, table: TableId, expr: &Expr<'a>) -> Result<(), Diagnostic> {
        match &expr.kind {
            ExprKind::Literal(_) | ExprKind::Str(_) | ExprKind::Bytes(_) | ExprKind::Unsupported(_) => {}
            ExprKind::Name(name) => self.use_name(table, *name, expr.span),
            ExprKind::BinOp { left, right, .. }
            | ExprKind::CmpOp { left, right, .. }
            | ExprKind::And { left, right }
            | ExprKind::Or { left, right } => {
                self.resolve_expr(table, left)?;
                self.resolve_expr(table, right)?;
            }
            ExprKind::UnaryOp { value, .. } | ExprKind::GetAttr { value, .. } | ExprKind::Starred(value) => {
                self.resolve_expr(table, value)?;
            }
            ExprKind::Call { func: first, args }
            | ExprKind::CallMethod { target: first, args, .. }
            | ExprKind::GetItem { value: first, args } => {
                // `s.split(...)` returns a list[str] (as upstream's `_str` imports `_list`).
                if let ExprKind::CallMethod { method, .. } = &expr.kind {
                    if self.names.get(*method) == "split" {
                        self.implicit_imports.push("_list".to_string());
                    }
                }
                self.resolve_expr(table, first)?;
                for arg in args {
                    self.resolve_expr(table, arg)?;
                }
            }
            ExprKind::List(items) => {
                self.implicit_imports.push("_list".to_string());
                for item in items {
                    self.resolve_expr(table, item)?;
                }
            }
            ExprKind::Tuple(items) => {
                self.implicit_imports.push("_tuple".to_string());
                for item in items {
                    self.resolve_expr(table, item)?;
                }
            }
            ExprKind::Dict(items) => {
                self.implicit_imports.push("_dict".to_string());
                for (key, value) in items {
                    self.resolve_expr(table, key)?;
                    self.resolve_expr(table, value)?;
                }
            }
            ExprKind::Slice { start, stop, step } => {
                self.implicit_imports.push("_slice".to_string());
                for part in [start, stop, step].into_iter().flatten() {
                    self.resolve_expr(table, part)?;
                }
            }
            ExprKind::AssignExpr { target, target_span, value } => {
                self.resolve_expr(table, value)?;
                self.use_name(table, *target, *target_span);
            }
            ExprKind::Block { body, value } => {
                for stmt in body {
                    self.resolve_stmt(table, stmt)?;
                }
                self.resolve_expr(table, value)?;
            }
        }
        Ok(())
    }

    /// Records a use of `name` in `table`: nothing for its own names, else a copy of the
    /// outer symbol with the level where it was found, a builtin, or an unresolved name.
    fn use_name(&mut self, table: TableId, name: Symbol, span: Span) {
        if self.tables[table.0].symbols.iter().any(|sym| sym.name == name) {
            return;
        }
        let sym = match self.resolve(table, name) {
            Resolved::Declared { level, table: outer, index } => {
                SymbolInfo { level: Some(level), ..self.tables[outer.0].symbols[index].clone() }
            }
            Resolved::Builtin { level, module, attr } => {
                if module != "builtins" {
                    self.implicit_imports.push(module.to_string());
                }
                if (module, attr) == ("builtins", "print") {
                    // `print` is a builtin written in the stdlib (docs/spec/LANGUAGE.md §12).
                    self.implicit_imports.push("_print".to_string());
                }
                SymbolInfo {
                    name,
                    level: Some(level),
                    varkind: VarKind::Const,
                    origin: Origin::Builtin,
                    decl_span: span,
                    is_cell: false,
                    import_ref: Some((module.to_string(), Some(attr.to_string()))),
                }
            }
            Resolved::Nowhere => SymbolInfo {
                name,
                level: None,
                varkind: VarKind::Const,
                origin: Origin::Auto,
                decl_span: span,
                is_cell: false,
                import_ref: None,
            },
        };
        self.tables[table.0].symbols.push(sym);
    }

    /// Looks `name` up from `table` outwards through the visible scopes, then builtins.
    fn resolve(&self, table: TableId, name: Symbol) -> Resolved {
        let mut level = 0;
        let mut current = Some(table);
        while let Some(id) = current {
            if let Some(index) = self.find_declared(id, name) {
                return Resolved::Declared { level, table: id, index };
            }
            level += 1;
            current = visible_parent(&self.tables, id);
        }
        match builtin_ref(self.names.get(name)) {
            Some((module, attr)) => Resolved::Builtin { level, module, attr },
            None => Resolved::Nowhere,
        }
    }

    fn find_declared(&self, table: TableId, name: Symbol) -> Option<usize> {
        let symbols = &self.tables[table.0].symbols;
        symbols.iter().position(|sym| sym.name == name && sym.level == Some(0))
    }
}

/// The next scope out whose names are visible from `table`: class bodies are skipped,
/// because their names are attributes of the type, not variables of the methods (§2.6).
fn visible_parent(tables: &[SymTable], table: TableId) -> Option<TableId> {
    let mut current = tables[table.0].parent;
    while let Some(id) = current {
        if tables[id.0].kind != TableKind::Class {
            return Some(id);
        }
        current = tables[id.0].parent;
    }
    None
}

fn plain(name: Symbol, span: Span, varkind: VarKind, origin: Origin) -> NewSymbol {
    NewSymbol { name, span, varkind, origin, import_ref: None, is_cell: false }
}
