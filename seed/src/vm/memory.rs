//! `unsafe` memory: pointers, references, allocation and the bulk memory helpers, in
//! blue code on `Value` memory and in red code as builtins (docs/spec/LANGUAGE.md §10).

use super::builtins::{Builtin, MemOp, Special};
use super::frame::{Frame, Operand};
use super::types::{builtin_types as bt, TypeId, TypeKind};
use super::value::{StructValue, Value};
use super::world::{err, Global, VmError, VmResult, World};
use crate::diag::ErrorKind;
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    /// `ptr_copy(dst, src, n)` and the other bulk memory helpers: both pointers must have
    /// the same item type, and the byte versions accept only `u8`/`i8` (§10.3).
    pub(crate) fn mem_op(&mut self, frame: &mut Frame, m: MemOp, args: Vec<Operand>, span: Span) -> VmResult<Operand> {
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
    pub(crate) fn run_mem_op(&mut self, m: MemOp, args: &[Value]) -> Result<Value, super::ops::OpError> {
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
    pub(crate) fn filled_value(&self, like: &Value, byte: u8) -> Option<Value> {
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
    pub(crate) fn unsafe_generic(&mut self, sp: Special, args: &[Operand], span: Span) -> VmResult<Option<Value>> {
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
    pub(crate) fn ptr_field(&self, t: TypeId, attr: &str) -> Option<(bool, bool, u32, TypeId)> {
        let (is_ref, gc, elem) = match self.ty(t).kind {
            TypeKind::Ptr { gc, elem } => (false, gc, elem),
            TypeKind::Ref { gc, elem } => (true, gc, elem),
            _ => return None,
        };
        let idx = self.struct_fields(elem).iter().position(|f| f.name == attr)?;
        Some((is_ref, gc, idx as u32, self.struct_fields(elem)[idx].ty))
    }

    /// `p.f = v` / `r.f = v`: stores into memory (docs/spec/LANGUAGE.md §10.2).
    pub(crate) fn store_field(
        &mut self,
        frame: &mut Frame,
        target: Operand,
        attr: &str,
        value: Operand,
        span: Span,
    ) -> VmResult<Option<Operand>> {
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
            return Ok(Some(Operand::blue(bt::NONE, Value::None, span)));
        }
        let Some((is_ref, _gc, idx, fty)) = self.ptr_field(target.ty, attr) else {
            // `__setattr__` receives the attribute's name as a blue str (§4.7).
            if let Some(m) = self.lookup_method(target.ty, "__setattr__") {
                let name = Operand::blue(bt::STR, Value::str(attr), span);
                return self.call_func_mv(frame, m, vec![target, name, value], span, None).map(Some);
            }
            return Ok(None);
        };
        let value = self.convert(frame, value, fty, None)?;
        let b = if is_ref { Builtin::RefFieldStore(idx) } else { Builtin::PtrFieldStore(idx) };
        self.builtin_call(frame, b, vec![target, value], bt::NONE, span).map(Some)
    }
}

/// The little-endian bytes of a primitive item, for `ptr_cmp`; None for other items.
pub(crate) fn item_bytes(v: &Value) -> Option<Vec<u8>> {
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
