//! Attributes and subscripts: `x.attr` (fields, methods, properties, module members,
//! `__getattribute__`), method calls, `x[i]` and `x[i] = v` (docs/spec/LANGUAGE.md §4.7, §4.8).

use super::builtins::Builtin;
use super::frame::{Frame, Operand, OperandKind};
use super::ir::RKind;
use super::types::{builtin_types as bt, FuncId, Prim, TypeId, TypeKind};
use super::value::{OpSpecValue, Value};
use super::world::{err, last_fqn_part, Global, VmError, VmResult, World};
use crate::ast::FuncKind;
use crate::diag::ErrorKind;
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    /// The methods of str and bytes (docs/spec/LANGUAGE.md §13.1-13.2); None when `name` is not one.
    pub(crate) fn str_method(
        &mut self,
        frame: &mut Frame,
        target: Operand,
        name: &str,
        args: Vec<Operand>,
        span: Span,
    ) -> VmResult<Option<Operand>> {
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
                all.push(Operand::blue(ty, v, span));
            }
        }
        self.builtin_call(frame, b, all, ret, span).map(Some)
    }

    /// `T.name`: a class attribute or method, or a static or class method (stored under
    /// `@static:`/`@class:` keys so that instances do not see them as methods).
    pub(crate) fn type_member(&self, t: TypeId, name: &str) -> Option<Value> {
        [name.to_string(), format!("@static:{name}"), format!("@class:{name}")]
            .iter()
            .find_map(|key| self.type_attr(t, key).cloned())
    }

    /// The blue object `fqn` names: `mod::name`, then attributes of types (`mod::T::f`).
    /// Only modules of the program are searched: the world is frozen after import.
    pub(crate) fn lookup_fqn(&mut self, fqn: &str) -> Option<Value> {
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

    pub(crate) fn getattr(&mut self, frame: &mut Frame, target: Operand, attr: &str, span: Span) -> VmResult<Operand> {
        if let Some(Value::Type(t)) = target.value() {
            let t = *t;
            // `T.f` is also a static or class method of T, as a blue function value.
            let found = self.type_member(t, attr);
            if let Some(v) = found {
                return Ok(Operand::blue(self.type_of(&v), v, span));
            }
            match attr {
                "__name__" => {
                    let name = self.type_name(t);
                    let short = last_fqn_part(&name).to_string();
                    return Ok(Operand::blue(bt::STR, Value::str(&short), span));
                }
                "__origin__" => {
                    let origin = self.origins.get(&t).map_or(Value::None, |f| Value::Func(*f));
                    return Ok(Operand::blue(self.type_of(&origin), origin, span));
                }
                "__full_fqn__" => {
                    let fqn = self.ty(t).fqn.clone();
                    return Ok(Operand::blue(bt::STR, Value::str(&fqn), span));
                }
                "__fqn__" | "__qualname__" => {
                    let name = self.type_name(t);
                    return Ok(Operand::blue(bt::STR, Value::str(&name), span));
                }
                _ => {}
            }
        }
        if let (Some(Value::Func(g)), "__origin__") = (target.value(), attr) {
            let origin = self.func_origins.get(g).map_or(Value::None, |f| Value::Func(*f));
            return Ok(Operand::blue(self.type_of(&origin), origin, span));
        }
        if let Some(Value::Module(m)) = target.value() {
            let sym = self.names.intern(attr);
            return self.global_name(*m, sym, span, frame.is_red());
        }
        if let Some(Value::MetaArg(m)) = target.value() {
            let m = m.clone();
            return match attr {
                "static_type" => Ok(Operand::blue(bt::TYPE, Value::Type(m.ty), span)),
                "color" => Ok(Operand::blue(bt::STR, Value::str(if m.blue { "blue" } else { "red" }), span)),
                "blueval" => match &m.value {
                    Some(v) => Ok(Operand::blue(self.type_of(v), v.clone(), span)),
                    None => err(ErrorKind::ValueError, "oparg is not blue").map_err(|e| e.annotate(span, "")),
                },
                _ => err(ErrorKind::TypeError, format!("type `operator::MetaArg` has no attribute '{attr}'")),
            };
        }
        if let (Some(Value::Type(t)), "NULL") = (target.value(), attr) {
            if *t == bt::OPSPEC {
                return Ok(Operand::blue(bt::OPSPEC, Value::OpSpec(Rc::new(OpSpecValue::Null)), span));
            }
        }
        if let Some(Value::Type(t)) = target.value() {
            if let Some((false, elem)) = self.ptr_elem(*t) {
                match attr {
                    "NULL" => return Ok(Operand::blue(*t, Value::Ptr(super::value::PtrValue::null()), span)),
                    "itemtype" => return Ok(Operand::blue(bt::TYPE, Value::Type(elem), span)),
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
                OperandKind::Blue(Value::Struct(s)) => Operand::blue(fty, s.fields[idx].clone(), span),
                OperandKind::Blue(_) => panic!("internal error: struct value expected"),
                OperandKind::Red(code) => Operand::red(fty, RKind::GetField(Box::new(code), idx as u32), span),
            });
        }
        if let Some(prop) = self.property_of(t, attr) {
            return self.call_func_mv(frame, prop, vec![target], span, None);
        }
        if let Some(v) = self.type_attr(t, attr).cloned() {
            if !matches!(v, Value::Func(_)) {
                return Ok(Operand::blue(self.type_of(&v), v, span));
            }
        }
        if let (Some(Prim::Complex), "real" | "imag") = (self.prim(t), attr) {
            if let Some(Value::Complex(re, im)) = target.value() {
                let v = if attr == "real" { *re } else { *im };
                return Ok(Operand::blue(bt::F64, Value::F64(v), span));
            }
            let b = if attr == "real" { Builtin::ComplexReal } else { Builtin::ComplexImag };
            return self.builtin_call(frame, b, vec![target], bt::F64, span);
        }
        // `__getattribute__` receives the attribute's name as a blue str (§4.7).
        if let Some(m) = self.lookup_method(t, "__getattribute__") {
            let name = Operand::blue(bt::STR, Value::str(attr), span);
            return self.call_func_mv(frame, m, vec![target, name], span, None);
        }
        Err(VmError::new(ErrorKind::TypeError, format!("type `{}` has no attribute '{attr}'", self.type_name(t)))
            .annotate(target.span, format!("this is `{}`", self.type_name(t))))
    }

    /// Properties are stored as `@property:<name>` attributes holding the getter.
    pub(crate) fn property_of(&self, t: TypeId, name: &str) -> Option<FuncId> {
        match self.type_attr(t, &format!("@property:{name}")) {
            Some(Value::Func(f)) => Some(*f),
            _ => None,
        }
    }

    pub(crate) fn call_method(
        &mut self,
        frame: &mut Frame,
        target: Operand,
        method: &str,
        method_span: Span,
        args: Vec<Operand>,
        span: Span,
    ) -> VmResult<Operand> {
        if let (Some(Value::Type(t)), "const") = (target.value(), method) {
            if *t == bt::OPSPEC {
                let [v] = <[Operand; 1]>::try_from(args)
                    .map_err(|_| VmError::new(ErrorKind::TypeError, "OpSpec.const takes one value"))?;
                let Some(v) = v.value().cloned() else {
                    return err(ErrorKind::TypeError, "OpSpec.const needs a blue value")
                        .map_err(|e| e.annotate(v.span, "this is red"));
                };
                return Ok(Operand::blue(bt::OPSPEC, Value::OpSpec(Rc::new(OpSpecValue::Const(v))), span));
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
                let mut all = vec![Operand::blue(bt::TYPE, Value::Type(t), target.span)];
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
                return Ok(Operand::blue(bt::COMPLEX, Value::Complex(*re, -im), span));
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

    pub(crate) fn getitem(
        &mut self,
        frame: &mut Frame,
        target: Operand,
        args: Vec<Operand>,
        span: Span,
    ) -> VmResult<Operand> {
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
                return Ok(Operand::blue(self.type_of(&v), v, span));
            }
        }
        if let Some((false, elem)) = self.ptr_elem(target.ty) {
            let gc = matches!(self.ty(target.ty).kind, TypeKind::Ptr { gc: true, .. });
            let [idx] = <[Operand; 1]>::try_from(args)
                .map_err(|_| VmError::new(ErrorKind::TypeError, "pointers take one index"))?;
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

    pub(crate) fn setitem(&mut self, frame: &mut Frame, mut all: Vec<Operand>, span: Span) -> VmResult<Operand> {
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

    pub(crate) fn setattr_error(&self, t: &Operand, attr: &str) -> VmError {
        VmError::new(
            ErrorKind::TypeError,
            format!("type `{}` does not support assignment to attribute '{attr}'", self.type_name(t.ty)),
        )
        .annotate(t.span, format!("this is `{}`", self.type_name(t.ty)))
    }
}
