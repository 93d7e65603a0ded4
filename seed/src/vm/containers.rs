//! Containers: list, dict and tuple displays, the stdlib types behind them (`_list`,
//! `_dict`, `_tuple`, `_slice`) and the interp_tuples of blue code (docs/spec/LANGUAGE.md §13).

use super::frame::{Frame, Operand, INTERP_TUPLE};
use super::ir::{RExpr, RKind};
use super::types::{builtin_types as bt, Field, TypeId, TypeKind};
use super::value::Value;
use super::world::{err, Global, VmResult, World};
use crate::diag::ErrorKind;
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    /// The const `attr` of stdlib module `module` (`_list.list`, `_print.print`...), which
    /// syntax or a builtin needs; an ImportError pointing at `span` when it is missing.
    pub(crate) fn stdlib_const(&mut self, module: &str, attr: &str, span: Span) -> VmResult<Value> {
        let sym = self.names.intern(attr);
        match self.module_by_name(module).and_then(|m| self.modules[m.0 as usize].globals.get(&sym).cloned()) {
            Some(Global::Const(v, _)) => Ok(v),
            _ => err(ErrorKind::ImportError, format!("cannot import `{module}.{attr}`"))
                .map_err(|e| e.annotate(span, format!("the stdlib module `{module}` is needed here"))),
        }
    }

    /// The type a stdlib generic (`_list.list`, `_dict.dict`, `_tuple.tuple`) makes for
    /// these type arguments.
    pub(crate) fn stdlib_generic_type(
        &mut self,
        module: &str,
        generic: &str,
        args: &[TypeId],
        span: Span,
    ) -> VmResult<TypeId> {
        let Value::Func(f) = self.stdlib_const(module, generic, span)? else {
            panic!("internal error: {module}.{generic} is not a generic")
        };
        match self.call_function(f, args.iter().map(|t| Value::Type(*t)).collect(), span)? {
            Value::Type(t) => Ok(t),
            _ => panic!("internal error: {module}.{generic}[...] is not a type"),
        }
    }

    /// `dict[K, V]` from the stdlib's `_dict`.
    pub fn dict_type(&mut self, key: TypeId, value: TypeId, span: Span) -> VmResult<TypeId> {
        self.stdlib_generic_type("_dict", "dict", &[key, value], span)
    }

    /// `{k: v, ...}`: `dict[K, V]()` then one `__setitem__` per pair; `{}` is the blue empty
    /// dict that converts to any `dict[K, V]` (docs/spec/LANGUAGE.md §4.12).
    pub(crate) fn dict_display(
        &mut self,
        frame: &mut Frame,
        items: Vec<(Operand, Operand)>,
        span: Span,
    ) -> VmResult<Operand> {
        let Some((k0, v0)) = items.first() else {
            return Ok(Operand::blue(bt::EMPTY_DICT, Value::None, span));
        };
        let kt = if items.iter().all(|(k, _)| k.ty == k0.ty) { k0.ty } else { bt::OBJECT };
        let vt = if items.iter().all(|(_, v)| v.ty == v0.ty) { v0.ty } else { bt::OBJECT };
        let dt = self.dict_type(kt, vt, span)?;
        let new = self.call_type(frame, dt, vec![], span, span)?;
        let calls = items.into_iter().map(|(k, v)| vec![k, v]).collect();
        self.fill_container(frame, new, "__setitem__", calls, span)
    }

    /// `_slice::Slice`, the type of `a[i:j:k]`'s index.
    pub(crate) fn slice_type(&mut self, span: Span) -> VmResult<TypeId> {
        match self.stdlib_const("_slice", "Slice", span)? {
            Value::Type(t) => Ok(t),
            _ => panic!("internal error: _slice.Slice is not a type"),
        }
    }

    pub(crate) fn is_slice(&self, t: TypeId) -> bool {
        self.ty(t).fqn == "_slice::Slice"
    }

    /// `list[T]` for item type `T`.
    pub fn list_type(&mut self, item: TypeId, span: Span) -> VmResult<TypeId> {
        self.stdlib_generic_type("_list", "list", &[item], span)
    }

    /// `[a, b, c]`: `list[T]()` then one `append` per item, `T` the items' common type
    /// (docs/spec/LANGUAGE.md §4.12); `[]` is the blue empty list that converts to any `list[T]`.
    pub(crate) fn list_display(&mut self, frame: &mut Frame, items: Vec<Operand>, span: Span) -> VmResult<Operand> {
        let Some(first) = items.first() else {
            return Ok(Operand::blue(bt::EMPTY_LIST, Value::None, span));
        };
        let item_ty = if items.iter().all(|i| i.ty == first.ty) { first.ty } else { bt::OBJECT };
        let lt = self.list_type(item_ty, span)?;
        let new = self.call_type(frame, lt, vec![], span, span)?;
        let calls = items.into_iter().map(|item| vec![item]).collect();
        self.fill_container(frame, new, "append", calls, span)
    }

    /// Calls `method` on a fresh container once per argument list (red code, or now).
    pub(crate) fn fill_container(
        &mut self,
        frame: &mut Frame,
        list: Operand,
        method: &str,
        calls: Vec<Vec<Operand>>,
        span: Span,
    ) -> VmResult<Operand> {
        if calls.is_empty() {
            return Ok(list);
        }
        // The list goes to a fresh local so that every append sees the same list.
        if frame.is_red() {
            let name = self.names.intern(&format!("list${}", frame.locals.len()));
            let slot = self.declare_slot(frame, name, list.ty);
            let (ty, lspan) = (list.ty, list.span);
            let mut codes = vec![RExpr { kind: RKind::AssignLocal(slot, Box::new(list.code())), ty, span: lspan }];
            let local = Operand::red(ty, RKind::Local(slot), lspan);
            for args in calls {
                let call = self.call_method(frame, local.clone(), method, span, args, span)?;
                codes.push(call.code());
            }
            codes.push(local.code());
            return Ok(Operand::red(ty, RKind::Seq(codes), span));
        }
        for args in calls {
            self.call_method(frame, list.clone(), method, span, args, span)?;
        }
        Ok(list)
    }

    /// A fresh `list[str]` holding `parts` (made with the list's own `_new_empty` and
    /// `append`, so the seed has no list code of its own).
    pub(crate) fn new_str_list(&mut self, list_ty: TypeId, parts: Vec<Vec<u8>>, span: Span) -> VmResult<Value> {
        let (Some(Value::Func(new)), Some(Value::Func(append))) =
            (self.type_attr(list_ty, "@static:_new_empty").cloned(), self.type_attr(list_ty, "append").cloned())
        else {
            panic!("internal error: list without _new_empty/append")
        };
        let list = self.call_function(new, vec![], span)?;
        for part in parts {
            self.call_function(append, vec![list.clone(), Value::Str(Rc::from(part))], span)?;
        }
        Ok(list)
    }

    /// The items of a list value (the stdlib's `_ListImpl`), read from its memory.
    pub fn list_values(&self, v: &Value) -> Option<Vec<Value>> {
        let Value::Struct(list) = v else { return None };
        let Some(Value::Ptr(data)) = list.fields.first() else { return None };
        let mem = data.mem.as_ref()?;
        let Value::Struct(ld) = &mem.borrow()[data.offset as usize] else { return None };
        let (Value::I32(len), Some(Value::Ptr(items))) = (&ld.fields[0], ld.fields.get(2)) else { return None };
        let items_mem = items.mem.as_ref()?;
        let all = items_mem.borrow();
        Some(all[items.offset as usize..items.offset as usize + *len as usize].to_vec())
    }

    /// The (key, value) entries of a stdlib `dict[K, V]` value, in insertion order.
    pub fn dict_entries(&self, v: &Value) -> Option<Vec<(Value, Value)>> {
        let Value::Struct(dict) = v else { return None };
        let Some(Value::Ptr(data)) = dict.fields.first() else { return None };
        let mem = data.mem.as_ref()?;
        let Value::Struct(dd) = &mem.borrow()[data.offset as usize] else { return None };
        let (Value::I32(len), Some(Value::Ptr(entries))) = (&dd.fields[0], dd.fields.get(3)) else { return None };
        let entries_mem = entries.mem.as_ref()?;
        let all = entries_mem.borrow();
        // Entry 0 is never used (stdlib/_dict.spy).
        let first = entries.offset as usize + 1;
        all[first..first + *len as usize]
            .iter()
            .map(|e| match e {
                Value::Struct(e) => Some((e.fields[0].clone(), e.fields[1].clone())),
                _ => None,
            })
            .collect()
    }

    /// An interp_tuple (docs/spec/LANGUAGE.md §13.8): the `*args` of a blue function, or a display
    /// of values that only exist at compile time. The VM makes it: a struct
    /// `__spy__::interp_tuple[T0, T1]` with fields `_item0`, `_item1`... like a stdlib
    /// tuple's (so unpacking and blue `for` treat both alike), indexed and measured
    /// natively.
    pub fn interp_tuple_type(&mut self, items: &[TypeId], span: Span) -> TypeId {
        let quals: Vec<String> = items.iter().map(|t| self.qualifier_name(*t)).collect();
        let fqn = format!("{INTERP_TUPLE}[{}]", quals.join(", "));
        if let Some(i) = self.types.iter().position(|t| t.fqn == fqn) {
            return TypeId(i as u32);
        }
        let fields: Vec<Field> =
            items.iter().enumerate().map(|(i, t)| Field { name: format!("_item{i}"), ty: *t }).collect();
        let t = self.add_type(fqn.clone(), TypeKind::Struct { fields: fields.clone(), defined: true });
        self.ty_mut(t).span = Some(span);
        self.add_struct_functions(t, &fqn, &fields, span);
        t
    }

    /// `tuple[T0, T1, ...]`: the stdlib's generic `_tuple.tuple` (stdlib/_tuple.spy).
    pub(crate) fn tuple_type(&mut self, items: &[TypeId], span: Span) -> VmResult<TypeId> {
        self.stdlib_generic_type("_tuple", "tuple", items, span)
    }

    pub fn is_interp_tuple(&self, t: TypeId) -> bool {
        self.ty(t).fqn.starts_with(INTERP_TUPLE)
    }

    /// The item types of a tuple type (stdlib or interp), or None.
    pub(crate) fn tuple_items(&self, t: TypeId) -> Option<Vec<TypeId>> {
        let fqn = &self.ty(t).fqn;
        if !fqn.starts_with("_tuple::tuple[") && !fqn.starts_with(INTERP_TUPLE) {
            return None;
        }
        Some(self.struct_fields(t).iter().map(|f| f.ty).collect())
    }

    /// `(a, b)`: `tuple[T0, T1](a, b)` by its `__make__`; an interp_tuple when an item only
    /// exists at compile time (a type, a MetaArg, an OpSpec, a function, a module).
    pub(crate) fn tuple_display(&mut self, frame: &mut Frame, items: Vec<Operand>, span: Span) -> VmResult<Operand> {
        let types: Vec<TypeId> = items.iter().map(|i| i.ty).collect();
        let blue_only = |w: &Self, t: TypeId| {
            [bt::TYPE, bt::METAARG, bt::OPSPEC, bt::MODULE].contains(&t)
                || matches!(w.ty(t).kind, TypeKind::Function(_))
                || w.is_interp_tuple(t)
        };
        let t = if types.iter().any(|t| blue_only(self, *t)) {
            self.interp_tuple_type(&types, span)
        } else {
            self.tuple_type(&types, span)?
        };
        let make = self.make_of(t);
        self.call_func_mv(frame, make, items, span, None)
    }
}
