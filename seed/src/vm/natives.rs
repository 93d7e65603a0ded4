//! The native modules (`operator`, `math`, `unsafe`, `posix`, `time`, `__spy__`, `types`,
//! `builtins`): their names bound to builtins and specials, and the allocators of `unsafe`.

use super::builtins::Builtin;
use super::types::TypeKind;
use super::types::{builtin_types as bt, FuncId, FuncSig, Prim, TypeId};
use super::value::Value;
use super::world::{FuncImpl, Function, Global, ModuleObj, World};
use crate::ast::{Color, FuncKind, Names};
use crate::scope::SymTables;
use std::collections::HashMap;
use std::rc::Rc;

impl<'a> World<'a> {
    /// `operator::<prim>_<op>` for the arithmetic, comparisons and negation of the numeric
    /// types, and `bool`'s logic: the same native functions operators resolve to.
    pub(crate) fn operator_functions(&mut self) -> Vec<(String, Value)> {
        use super::builtins::{ArithOp as A, CmpKind as C};
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
                let fqn = b.facts().fqn;
                let name = fqn.trim_start_matches("operator::").to_string();
                out.push((name, Value::Func(self.native_func(fqn, params, ret, b, true))));
            }
        }
        for op in [A::And, A::Or, A::Xor] {
            let b = Builtin::Arith(op, Prim::Bool);
            let fqn = b.facts().fqn;
            let name = fqn.trim_start_matches("operator::").to_string();
            out.push((name, Value::Func(self.native_func(fqn, vec![bt::BOOL, bt::BOOL], bt::BOOL, b, true))));
        }
        out
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
        // `operator::i32_add` and friends (docs/spec/LANGUAGE.md §14, LIB-08): the functions every
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
                    ("gc_ptr", Value::Special(super::builtins::Special::GcPtr)),
                    ("raw_ptr", Value::Special(super::builtins::Special::RawPtr)),
                    ("gc_ref", Value::Special(super::builtins::Special::GcRef)),
                    ("raw_ref", Value::Special(super::builtins::Special::RawRef)),
                    ("gc_alloc", Value::Special(super::builtins::Special::GcAlloc)),
                    ("raw_alloc", Value::Special(super::builtins::Special::RawAlloc)),
                    (
                        "unchecked_div",
                        Value::Special(super::builtins::Special::Unchecked(super::builtins::ArithOp::Div)),
                    ),
                    (
                        "unchecked_floordiv",
                        Value::Special(super::builtins::Special::Unchecked(super::builtins::ArithOp::FloorDiv)),
                    ),
                    (
                        "unchecked_mod",
                        Value::Special(super::builtins::Special::Unchecked(super::builtins::ArithOp::Mod)),
                    ),
                    ("ieee754_div", Value::Special(super::builtins::Special::Ieee754Div)),
                    ("_str_copy_into", Value::Func(str_copy_into)),
                    ("_str_from_bytes", Value::Func(str_from_bytes)),
                ]
                .into_iter()
                .chain(
                    super::builtins::MemOp::ALL
                        .iter()
                        .map(|(name, m)| (*name, Value::Special(super::builtins::Special::PtrMem(*m)))),
                )
                .collect(),
            ),
            ("types", vec![("NoneType", Value::Type(bt::NONE)), ("module", Value::Type(bt::MODULE))]),
            (
                "__spy__",
                vec![
                    ("COLOR", Value::Special(super::builtins::Special::Color)),
                    ("as_red", Value::Special(super::builtins::Special::AsRed)),
                    ("lookup_fqn", Value::Special(super::builtins::Special::LookupFqn)),
                    ("is_compiled", Value::Special(super::builtins::Special::IsCompiled)),
                    ("force_inline", Value::Special(super::builtins::Special::ForceInline)),
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
        for (name, f) in super::builtins::MathFn::ALL {
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
        let file_fns: [(&str, Vec<TypeId>, TypeId, Builtin); 14] = [
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
            ("_isfile", vec![bt::STR], bt::BOOL, Builtin::IsFile),
            ("_getenv", vec![bt::STR, bt::STR], bt::STR, Builtin::Getenv),
        ];
        let fields = vec![
            super::types::Field { name: "columns".into(), ty: bt::I32 },
            super::types::Field { name: "lines".into(), ty: bt::I32 },
        ];
        let term = self.add_type("posix::TerminalSize".into(), TypeKind::Struct { fields, defined: true });
        let mut posix_items: Vec<(&str, Value)> = vec![
            ("_FILE", Value::Type(bt::FILE)),
            // C's `(FILE *)NULL`: a handle on no file.
            ("_FILE_NULL", Value::File(Rc::new(std::cell::RefCell::new(super::value::FileHandle::new(None))))),
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
