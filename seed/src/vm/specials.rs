//! The builtins the evaluator resolves itself (`Special`): `print`, `len`, `repr`, `hash`,
//! `type`, `getattr`... each accepts any type or any number of arguments (docs/spec/LANGUAGE.md §12).

use super::builtins::{ArithOp, Builtin, Special};
use super::frame::{Frame, Operand};
use super::types::{builtin_types as bt, Prim};
use super::value::Value;
use super::world::{err, VmError, VmResult, World};
use crate::diag::ErrorKind;
use crate::source::Span;

impl<'a> World<'a> {
    pub(crate) fn call_special(
        &mut self,
        frame: &mut Frame,
        s: Special,
        args: Vec<Operand>,
        span: Span,
    ) -> VmResult<Operand> {
        let n = args.len();
        let want = |k: usize| -> VmResult<()> {
            if n == k {
                Ok(())
            } else {
                let s = if k == 1 { "" } else { "s" };
                err(
                    ErrorKind::TypeError,
                    format!("this function takes {k} argument{s} but {n} arguments were supplied"),
                )
                .map_err(|e| e.annotate(span, ""))
            }
        };
        match s {
            Special::Print => self.print(frame, args, span),
            Special::Len => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                // A reference behaves like the value it references (§10.2).
                let arg = self.deref(frame, arg)?;
                match self.prim(arg.ty) {
                    Some(Prim::Str) => self.builtin_call(frame, Builtin::StrLen, vec![arg], bt::I32, span),
                    Some(Prim::Bytes) => self.builtin_call(frame, Builtin::BytesLen, vec![arg], bt::I32, span),
                    _ if self.is_interp_tuple(arg.ty) => {
                        let n = self.tuple_items(arg.ty).expect("tuple").len() as i32;
                        Ok(Operand::blue(bt::I32, Value::I32(n), span))
                    }
                    _ => match self.lookup_method(arg.ty, "__len__") {
                        Some(m) => self.call_func_mv(frame, m, vec![arg], span, None),
                        None => Err(VmError::new(
                            ErrorKind::TypeError,
                            format!("cannot call len(`{}`)", self.type_name(arg.ty)),
                        )
                        .annotate(arg.span, format!("this is `{}`", self.type_name(arg.ty)))),
                    },
                }
            }
            Special::Repr => {
                want(1)?;
                self.to_str(frame, args.into_iter().next().expect("1"), span, true)
            }
            Special::Hash => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                match self.prim(arg.ty) {
                    Some(p) if p.is_int() || matches!(p, Prim::Bool | Prim::Str | Prim::Bytes) => {
                        self.builtin_call(frame, Builtin::Hash(p), vec![arg], bt::I32, span)
                    }
                    _ => match self.lookup_method(arg.ty, "__hash__") {
                        Some(m) => self.call_func_mv(frame, m, vec![arg], span, None),
                        None => err(ErrorKind::TypeError, format!("unhashable type '{}'", self.type_name(arg.ty)))
                            .map_err(|e| e.annotate(arg.span, "")),
                    },
                }
            }
            Special::Ord => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                let ret = match self.prim(arg.ty) {
                    Some(Prim::Str) => bt::I32,
                    Some(Prim::Bytes) => bt::U8,
                    _ => {
                        return err(
                            ErrorKind::TypeError,
                            format!("ord: expected `str` or `bytes`, found `{}`", self.type_name(arg.ty)),
                        )
                    }
                };
                let zero = Operand::blue(bt::I32, Value::I32(0), span);
                let b = if ret == bt::I32 { Builtin::StrGetItem } else { Builtin::BytesGetItem };
                let first =
                    self.builtin_call(frame, b, vec![arg, zero], if ret == bt::I32 { bt::STR } else { bt::U8 }, span)?;
                if ret == bt::U8 {
                    return Ok(first);
                }
                match first.value() {
                    Some(v) => Ok(Operand::blue(bt::I32, Value::I32(v.as_bytes()[0] as i32), span)),
                    None => self.builtin_call(frame, Builtin::OrdStr, vec![first], bt::I32, span),
                }
            }
            Special::StaticType | Special::TypeOf => {
                want(1)?;
                Ok(Operand::blue(bt::TYPE, Value::Type(args[0].ty), span))
            }
            Special::PtrMem(m) => self.mem_op(frame, m, args, span),
            Special::Unchecked(_) | Special::Ieee754Div => {
                want(2)?;
                let (a, b) = (&args[0], &args[1]);
                let (pa, pb) = (self.prim(a.ty), self.prim(b.ty));
                let ok = |p: Option<Prim>, allowed: &[Prim]| p.is_some_and(|p| allowed.contains(&p));
                let (builtin, ret) = match s {
                    Special::Unchecked(op)
                        if pa == pb && ok(pa, &[Prim::I8, Prim::U8, Prim::I32, Prim::U32, Prim::F32, Prim::F64]) =>
                    {
                        let p = pa.expect("prim");
                        let ret = if op == ArithOp::Div && p.is_int() { bt::F64 } else { a.ty };
                        (Builtin::Unchecked(op, p), ret)
                    }
                    Special::Ieee754Div
                        if ok(pa, &[Prim::I32, Prim::F32, Prim::F64]) && ok(pb, &[Prim::I32, Prim::F32, Prim::F64]) =>
                    {
                        let p = if pa == Some(Prim::F32) && pb == Some(Prim::F32) { Prim::F32 } else { Prim::F64 };
                        (Builtin::Ieee754Div(p), World::prim_type(p))
                    }
                    _ => {
                        let (x, y) = (self.type_name(a.ty), self.type_name(b.ty));
                        return Err(VmError::new(
                            ErrorKind::TypeError,
                            format!("Unsupported types `{x}` / `{y}` for unchecked division operation"),
                        )
                        .annotate(a.span, format!("this is `{x}`"))
                        .annotate(b.span, format!("this is `{y}`")));
                    }
                };
                self.builtin_call(frame, builtin, args, ret, span)
            }
            Special::Color => {
                want(1)?;
                let color = if args[0].is_blue() { "blue" } else { "red" };
                Ok(Operand::blue(bt::STR, Value::str(color), span))
            }
            Special::AsRed => {
                want(1)?;
                let arg = args.into_iter().next().expect("1");
                if !frame.is_red() || !arg.is_blue() {
                    return Ok(Operand { span, ..arg });
                }
                let ty = arg.ty;
                Ok(Operand::red(ty, arg.code().kind, span))
            }
            Special::LookupFqn => {
                want(1)?;
                let fqn = match args[0].value() {
                    Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
                    _ => {
                        let got = self.type_name(args[0].ty);
                        return Err(VmError::new(ErrorKind::TypeError, "mismatched types")
                            .annotate(args[0].span, format!("expected blue `str`, got `{got}`")));
                    }
                };
                match self.lookup_fqn(&fqn) {
                    Some(v) => Ok(Operand::blue(self.type_of(&v), v, span)),
                    None => {
                        Err(VmError::new(ErrorKind::ValueError, format!("FQN not found: {fqn}"))
                            .annotate(args[0].span, ""))
                    }
                }
            }
            Special::IsCompiled => {
                want(0)?;
                self.builtin_call(frame, Builtin::IsCompiled, vec![], bt::BOOL, span)
            }
            Special::ForceInline => {
                want(1)?;
                self.force_inline(&args[0], span)?;
                Ok(args.into_iter().next().expect("1"))
            }
            Special::GetAttr | Special::HasAttr | Special::SetAttr => {
                want(if s == Special::SetAttr { 3 } else { 2 })?;
                let mut it = args.into_iter();
                let (target, name) = (it.next().expect("obj"), it.next().expect("name"));
                let attr = match name.value() {
                    Some(Value::Str(n)) => String::from_utf8_lossy(n).into_owned(),
                    _ => {
                        return Err(VmError::new(ErrorKind::TypeError, "expected blue argument")
                            .annotate(name.span, "this is red"))
                    }
                };
                match s {
                    Special::GetAttr => self.getattr(frame, target, &attr, span),
                    Special::HasAttr => {
                        let found = self.getattr(frame, target, &attr, span).is_ok();
                        Ok(Operand::blue(bt::BOOL, Value::Bool(found), span))
                    }
                    _ => {
                        let value = it.next().expect("value");
                        match self.store_field(frame, target.clone(), &attr, value, span)? {
                            Some(mv) => Ok(mv),
                            None => Err(self.setattr_error(&target, &attr)),
                        }
                    }
                }
            }
            Special::Property | Special::StaticMethod | Special::ClassMethod | Special::Struct => {
                err(ErrorKind::TypeError, "this decorator can only be used in a class body")
            }
            Special::GcPtr
            | Special::RawPtr
            | Special::GcRef
            | Special::RawRef
            | Special::GcAlloc
            | Special::RawAlloc => {
                err(ErrorKind::TypeError, "this is a generic: use it with `[T]`").map_err(|e| e.annotate(span, ""))
            }
        }
    }

    /// `print(a, b, ...)`: a call of the stdlib's metafunction `_print.print` (docs/spec/LANGUAGE.md
    /// §12). `print` stays a builtin name (§2.7); using it imports `_print`.
    pub(crate) fn print(&mut self, frame: &mut Frame, args: Vec<Operand>, span: Span) -> VmResult<Operand> {
        let print = self.stdlib_const("_print", "print", span)?;
        let callee = Operand::blue(self.type_of(&print), print, span);
        self.call(frame, callee, args, span)
    }
}
