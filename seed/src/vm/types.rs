//! Types: the ids of types, functions and modules, the primitive types, the kinds of
//! type and the exception classes. Plain data, below every other part of the VM.

use crate::ast::{Color, FuncKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModId(pub u32);

/// The types every program has, at fixed ids (`World::new` creates them in this order).
// SYNC(builtin-types): the same ids in spy-in-spy/vm/types.spy (BT_*).
pub mod builtin_types {
    use super::TypeId;
    pub const I8: TypeId = TypeId(0);
    pub const U8: TypeId = TypeId(1);
    pub const I32: TypeId = TypeId(2);
    pub const U32: TypeId = TypeId(3);
    pub const I64: TypeId = TypeId(4);
    pub const U64: TypeId = TypeId(5);
    pub const F32: TypeId = TypeId(6);
    pub const F64: TypeId = TypeId(7);
    pub const COMPLEX: TypeId = TypeId(8);
    pub const BOOL: TypeId = TypeId(9);
    pub const STR: TypeId = TypeId(10);
    pub const BYTES: TypeId = TypeId(11);
    pub const NONE: TypeId = TypeId(12);
    pub const OBJECT: TypeId = TypeId(13);
    pub const DYNAMIC: TypeId = TypeId(14);
    pub const TYPE: TypeId = TypeId(15);
    pub const MODULE: TypeId = TypeId(16);
    pub const NOT_IMPLEMENTED: TypeId = TypeId(17);
    /// `Exception` and its subclasses follow, in the order of `diag::ErrorKind::all()`.
    pub const EXCEPTION: TypeId = TypeId(18);
    /// The type of `print`, `len` and the other special builtins.
    pub const BUILTIN_FUNCTION: TypeId = TypeId(35);
    /// The type of `[]` before it meets a `list[T]` (docs/spec/LANGUAGE.md §4.12).
    pub const EMPTY_LIST: TypeId = TypeId(36);
    /// The type of `{}` before it meets a `dict[K, V]`.
    pub const EMPTY_DICT: TypeId = TypeId(37);
    /// `operator::MetaArg` and `operator::OpSpec` (docs/spec/LANGUAGE.md §5.6).
    pub const METAARG: TypeId = TypeId(38);
    pub const OPSPEC: TypeId = TypeId(39);
    /// `posix::_FILE`: an open file of the host (docs/spec/LANGUAGE.md §14.3).
    pub const FILE: TypeId = TypeId(40);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// SYNC(prims): the same variants, in order, in spy-in-spy/vm/types.spy (PRIM_*).
pub enum Prim {
    I8,
    U8,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
    Complex,
    Bool,
    Str,
    Bytes,
    None,
}

impl Prim {
    /// The type's name in FQNs: `builtins::i32`, `operator::i32_add`.
    pub fn name(self) -> &'static str {
        match self {
            Prim::I8 => "i8",
            Prim::U8 => "u8",
            Prim::I32 => "i32",
            Prim::U32 => "u32",
            Prim::I64 => "i64",
            Prim::U64 => "u64",
            Prim::F32 => "f32",
            Prim::F64 => "f64",
            Prim::Complex => "complex128",
            Prim::Bool => "bool",
            Prim::Str => "str",
            Prim::Bytes => "bytes",
            Prim::None => "NoneType",
        }
    }

    pub fn is_int(self) -> bool {
        matches!(self, Prim::I8 | Prim::U8 | Prim::I32 | Prim::U32 | Prim::I64 | Prim::U64)
    }

    pub fn is_signed(self) -> bool {
        matches!(self, Prim::I8 | Prim::I32 | Prim::I64)
    }

    pub fn is_float(self) -> bool {
        matches!(self, Prim::F32 | Prim::F64)
    }

    pub fn bits(self) -> u32 {
        match self {
            Prim::I8 | Prim::U8 => 8,
            Prim::I32 | Prim::U32 | Prim::F32 => 32,
            _ => 64,
        }
    }
}

/// One field of a struct type.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: TypeId,
}

#[derive(Clone, Debug)]
// SYNC(type-kinds): the same variants, in order, in spy-in-spy/vm/types.spy (TY_*).
pub enum TypeKind {
    Prim(Prim),
    Object,
    Dynamic,
    Type,
    Module,
    NotImplemented,
    Exception {
        parent: Option<TypeId>,
    },
    /// A `@struct` class; `fields` is empty until its body has run.
    Struct {
        fields: Vec<Field>,
        defined: bool,
    },
    Function(FuncSig),
    /// `gc_ptr[T]` / `raw_ptr[T]`: a pointer to an array of `T` (docs/spec/LANGUAGE.md §10.2).
    Ptr {
        gc: bool,
        elem: TypeId,
    },
    /// `gc_ref[T]` / `raw_ref[T]`: a reference to one `T` inside memory.
    Ref {
        gc: bool,
        elem: TypeId,
    },
}

/// The type of a function value: `def(i32, f64) -> str`, `@blue def(...) -> ...`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncSig {
    pub color: Color,
    pub kind: FuncKind,
    pub params: Vec<TypeId>,
    pub varargs: bool,
    pub ret: TypeId,
}
