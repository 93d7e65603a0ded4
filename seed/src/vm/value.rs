//! Run-time values and the world's type table. A `Value` is small (numbers inline,
//! everything else behind an `Rc`), so copying one never allocates. Types are
//! first-class values (`Value::Type`) identified by `TypeId`, an index into `Types`.

use super::builtins::Special;
use super::types::{FuncId, ModId, TypeId, TypeKind};
use crate::source::Span;
use std::rc::Rc;

pub struct TypeInfo {
    /// Fully qualified name: `builtins::i32`, `demo::Point`.
    pub fqn: String,
    pub kind: TypeKind,
    /// Methods, properties and class-level constants, in definition order.
    pub attrs: Vec<(String, Value)>,
    pub span: Option<Span>,
}

/// An exception value: its class and message. Blue values (docs/spec/LANGUAGE.md §11.2).
#[derive(Debug, PartialEq)]
pub struct ExcValue {
    pub ty: TypeId,
    pub message: String,
}

/// A struct instance: immutable once built (docs/spec/LANGUAGE.md §8.2), except inside `unsafe`
/// memory, where writes through references replace it copy-on-write.
#[derive(Clone, Debug, PartialEq)]
pub struct StructValue {
    pub ty: TypeId,
    pub fields: Vec<Value>,
}

#[derive(Clone, Debug)]
// SYNC(values): the same variants, in order, in spy-in-spy/vm/value.spy (V_*).
pub enum Value {
    I8(i8),
    U8(u8),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    F32(f32),
    F64(f64),
    Complex(f64, f64),
    Bool(bool),
    None,
    NotImplemented,
    /// UTF-8 text, indexed by byte (docs/spec/LANGUAGE.md §13.1): not necessarily valid UTF-8
    /// after slicing, hence bytes.
    Str(Rc<[u8]>),
    Bytes(Rc<[u8]>),
    Type(TypeId),
    Func(FuncId),
    Module(ModId),
    Struct(Rc<StructValue>),
    Exc(Rc<ExcValue>),
    /// A builtin function the evaluator implements itself (`print`, `len`, ...).
    Special(Special),
    /// A pointer into `unsafe` memory (docs/spec/LANGUAGE.md §10).
    Ptr(PtrValue),
    /// A reference to an item (or a field of an item) of `unsafe` memory.
    Ref(Rc<RefValue>),
    /// What a metafunction receives per argument: color, static type, value if blue.
    MetaArg(Rc<MetaArgValue>),
    /// What a metafunction returns: how to perform the call.
    OpSpec(Rc<OpSpecValue>),
    /// `posix::_FILE`: a file of the host, shared by every copy of the value.
    File(Rc<std::cell::RefCell<FileHandle>>),
}

/// An open file, like a C `FILE*`: the OS file (None once closed) and a read buffer,
/// `buf[pos..]` being the bytes read ahead of the program's position. Writes, seeks and
/// tells first give the read-ahead back, so `+` modes see one position.
#[derive(Debug)]
pub struct FileHandle {
    pub file: Option<std::fs::File>,
    pub buf: Vec<u8>,
    pub pos: usize,
}

impl FileHandle {
    /// A handle on `file`; on none for C's `NULL` and once closed.
    pub fn new(file: Option<std::fs::File>) -> FileHandle {
        FileHandle { file, buf: Vec::new(), pos: 0 }
    }

    /// Reads up to `limit` bytes (all that is left when None), stopping after a newline
    /// when `line`. A read error or a file not open for reading reads as end of file.
    pub fn read(&mut self, limit: Option<usize>, line: bool) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        loop {
            if limit.is_some_and(|n| out.len() >= n) {
                return out;
            }
            if self.pos == self.buf.len() {
                let Some(file) = self.file.as_mut() else { return out };
                self.buf.resize(64 * 1024, 0);
                let got = file.read(&mut self.buf).unwrap_or(0);
                self.buf.truncate(got);
                self.pos = 0;
                if got == 0 {
                    return out;
                }
            }
            let avail = &self.buf[self.pos..];
            let n = limit.map_or(avail.len(), |l| (l - out.len()).min(avail.len()));
            if line {
                if let Some(i) = avail[..n].iter().position(|b| *b == b'\n') {
                    out.extend_from_slice(&avail[..=i]);
                    self.pos += i + 1;
                    return out;
                }
            }
            out.extend_from_slice(&avail[..n]);
            self.pos += n;
        }
    }

    /// Gives the unread read-ahead back to the OS file, so its position is the program's.
    pub fn unread(&mut self) -> std::io::Result<()> {
        use std::io::Seek;
        let ahead = (self.buf.len() - self.pos) as i64;
        self.buf.clear();
        self.pos = 0;
        if let (Some(file), true) = (self.file.as_mut(), ahead > 0) {
            file.seek(std::io::SeekFrom::Current(-ahead))?;
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MetaArgValue {
    pub blue: bool,
    pub ty: TypeId,
    pub value: Option<Value>,
}

#[derive(Debug, PartialEq, Eq, Hash)]
// SYNC(opspecs): the same variants, in order, in spy-in-spy/vm/value.spy (OS_*).
pub enum OpSpecValue {
    /// `OpSpec.NULL`: "not applicable".
    Null,
    /// `OpSpec.const(v)`
    Const(Value),
    /// `OpSpec(fn)` (None: the original arguments) or `OpSpec(fn, [m_a, ...])`.
    Call(FuncId, Option<Vec<Value>>),
}

/// A block of `unsafe` memory: items of one type, each a `Value` (a struct item is one
/// `Value::Struct`, updated in place through references).
pub type Memory = Rc<std::cell::RefCell<Vec<Value>>>;

/// A pointer: a block and the item it points at, with the number of items from there to
/// the end of the block (bounds are checked in every mode, §10.2). `mem` is None for NULL.
#[derive(Clone, Debug)]
pub struct PtrValue {
    pub mem: Option<Memory>,
    pub offset: u32,
    pub len: u32,
}

impl PtrValue {
    pub fn null() -> PtrValue {
        PtrValue { mem: None, offset: 0, len: 0 }
    }

    /// A stable identity for the pointed-at item, for `==` and hashing.
    pub fn address(&self) -> (usize, u32) {
        (self.mem.as_ref().map_or(0, |m| Rc::as_ptr(m) as *const u8 as usize), self.offset)
    }
}

/// A reference: item `index` of `mem`, then the fields along `path` (struct fields of
/// struct type are references too, so `p.a.x = 1` writes in place).
#[derive(Debug)]
pub struct RefValue {
    pub mem: Memory,
    pub index: u32,
    pub path: Vec<u32>,
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s.as_bytes()))
    }

    pub fn as_i32(&self) -> i32 {
        match self {
            Value::I32(v) => *v,
            _ => panic!("internal error: expected an i32, got {self:?}"),
        }
    }

    pub fn as_bool(&self) -> bool {
        match self {
            Value::Bool(v) => *v,
            _ => panic!("internal error: expected a bool, got {self:?}"),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Value::Str(b) | Value::Bytes(b) => b,
            _ => panic!("internal error: expected a str, got {self:?}"),
        }
    }
}

/// Identity-or-content equality used for memoization keys and constant folding:
/// numbers and strings by value, floats by bit pattern, objects by identity.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (I8(a), I8(b)) => a == b,
            (U8(a), U8(b)) => a == b,
            (I32(a), I32(b)) => a == b,
            (U32(a), U32(b)) => a == b,
            (I64(a), I64(b)) => a == b,
            (U64(a), U64(b)) => a == b,
            (F32(a), F32(b)) => a.to_bits() == b.to_bits(),
            (F64(a), F64(b)) => a.to_bits() == b.to_bits(),
            (Complex(a, b), Complex(c, d)) => a.to_bits() == c.to_bits() && b.to_bits() == d.to_bits(),
            (Bool(a), Bool(b)) => a == b,
            (None, None) | (NotImplemented, NotImplemented) => true,
            (Str(a), Str(b)) | (Bytes(a), Bytes(b)) => a == b,
            (Type(a), Type(b)) => a == b,
            (Func(a), Func(b)) => a == b,
            (Module(a), Module(b)) => a == b,
            (Struct(a), Struct(b)) => a == b,
            (Exc(a), Exc(b)) => a == b,
            (Special(a), Special(b)) => a == b,
            (Ptr(a), Ptr(b)) => a.address() == b.address(),
            (Ref(a), Ref(b)) => Rc::ptr_eq(a, b),
            (MetaArg(a), MetaArg(b)) => a == b,
            (OpSpec(a), OpSpec(b)) => a == b,
            (File(a), File(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Value {}

impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        use Value::*;
        std::mem::discriminant(self).hash(state);
        match self {
            I8(v) => v.hash(state),
            U8(v) => v.hash(state),
            I32(v) => v.hash(state),
            U32(v) => v.hash(state),
            I64(v) => v.hash(state),
            U64(v) => v.hash(state),
            F32(v) => v.to_bits().hash(state),
            F64(v) => v.to_bits().hash(state),
            Complex(a, b) => (a.to_bits(), b.to_bits()).hash(state),
            Bool(v) => v.hash(state),
            None | NotImplemented => {}
            Str(b) | Bytes(b) => b.hash(state),
            Type(t) => t.hash(state),
            Func(f) => f.hash(state),
            Module(m) => m.hash(state),
            Struct(s) => {
                s.ty.hash(state);
                s.fields.hash(state)
            }
            Exc(e) => (e.ty, &e.message).hash(state),
            Special(s) => s.hash(state),
            Ptr(p) => p.address().hash(state),
            Ref(r) => (Rc::as_ptr(r) as usize).hash(state),
            MetaArg(m) => m.hash(state),
            OpSpec(o) => o.hash(state),
            File(f) => (Rc::as_ptr(f) as usize).hash(state),
        }
    }
}
