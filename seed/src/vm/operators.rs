//! Operators and their type checks: binary, comparison, unary, `is`/`in`, implicit and
//! explicit conversions and `str()`/`repr()`. Each picks a native builtin by the operand
//! types, or a user dunder (docs/spec/LANGUAGE.md §4.2); blue operands fold when the builtin does.

use super::builtins::{ArithOp, Builtin, CmpKind};
use super::frame::{Frame, Operand, OperandKind};
use super::ir::{FuncRef, RKind, RStmt};
use super::types::{builtin_types as bt, Prim, TypeId, TypeKind};
use super::value::{MetaArgValue, OpSpecValue, Value};
use super::world::{err, VmError, VmResult, World};
use crate::ast::{self, BinOp, UnaryOp};
use crate::diag::ErrorKind;
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    /// A call of a native operation: folded when pure and all arguments are blue.
    pub(crate) fn builtin_call(
        &mut self,
        frame: &Frame,
        b: Builtin,
        args: Vec<Operand>,
        ret: TypeId,
        span: Span,
    ) -> VmResult<Operand> {
        let all_blue = args.iter().all(Operand::is_blue);
        if all_blue && (!frame.is_red() || b.facts().folds) {
            let values: Vec<Value> = args.iter().map(|a| a.value().cloned().expect("blue")).collect();
            let v = self.run_builtin(b, &values).map_err(|e| {
                let kind = ErrorKind::from_name(e.kind).unwrap_or(ErrorKind::Exception);
                VmError::new(kind, e.message).annotate(span, "")
            })?;
            return Ok(Operand::blue(ret, v, span));
        }
        let codes = args.into_iter().map(Operand::code).collect();
        Ok(Operand::red(ret, RKind::Call(FuncRef::Builtin(b), codes), span))
    }

    pub fn run_builtin(&mut self, b: Builtin, args: &[Value]) -> Result<Value, super::ops::OpError> {
        match b {
            Builtin::Alloc(elem) => {
                let n = args[0].as_i32();
                if n < 0 {
                    return Err(super::ops::OpError { kind: "PanicError", message: "negative allocation size".into() });
                }
                let items = vec![self.zero_value(elem); n as usize];
                let mem = Rc::new(std::cell::RefCell::new(items));
                Ok(Value::Ptr(super::value::PtrValue { mem: Some(mem), offset: 0, len: n as u32 }))
            }
            Builtin::StrSplit(list_ty) => {
                let parts = match args.get(1) {
                    None => Ok(super::ops::split_whitespace(args[0].as_bytes())),
                    Some(sep) => super::ops::split_on(args[0].as_bytes(), sep.as_bytes()),
                }?;
                self.new_str_list(list_ty, parts, self.current_span)
                    .map_err(|e| super::ops::OpError { kind: "Exception", message: format!("{e:?}") })
            }
            Builtin::Mem(m) => self.run_mem_op(m, args),
            Builtin::DefaultRepr(t) => {
                let name = self.type_name(t);
                Ok(Value::str(&format!("<spy `{name}` object>")))
            }
            Builtin::StdoutWrite => {
                self.write_out(args[0].as_bytes());
                Ok(Value::None)
            }
            Builtin::StderrWrite => {
                // stdout first, so the two streams interleave as the program wrote them.
                self.flush_out();
                use std::io::Write;
                let _ = std::io::stderr().write_all(args[0].as_bytes());
                Ok(Value::None)
            }
            Builtin::Exit => {
                self.flush_out();
                std::process::exit(args[0].as_i32())
            }
            _ => super::ops::call(b, args),
        }
    }

    /// A reference used as an operand stands for the value it references (§10.2).
    pub(crate) fn deref(&mut self, frame: &mut Frame, mv: Operand) -> VmResult<Operand> {
        match self.ptr_elem(mv.ty) {
            Some((true, elem)) => {
                let span = mv.span;
                self.builtin_call(frame, Builtin::RefLoad, vec![mv], elem, span)
            }
            _ => Ok(mv),
        }
    }

    pub(crate) fn binop(
        &mut self,
        frame: &mut Frame,
        op: BinOp,
        l: Operand,
        r: Operand,
        span: Span,
    ) -> VmResult<Operand> {
        let l = self.deref(frame, l)?;
        let r = self.deref(frame, r)?;
        let (lt, rt) = (l.ty, r.ty);
        if let Some((b, l, r, ret)) = self.binop_builtin(op, l.clone(), r.clone()) {
            return self.builtin_call(frame, b, vec![l, r], ret, span);
        }
        if let Some(m) = self.lookup_method(lt, dunder_of(op)) {
            return self.call_func_mv(frame, m, vec![l, r], span, None);
        }
        Err(self.op_error(
            format!("cannot do `{}` {} `{}`", self.type_name(lt), op.symbol(), self.type_name(rt)),
            &l,
            Some(&r),
            op_name(op),
            span,
        ))
    }

    pub(crate) fn op_error(&self, message: String, l: &Operand, r: Option<&Operand>, op: &str, span: Span) -> VmError {
        let mut e =
            VmError::new(ErrorKind::TypeError, message).annotate(l.span, format!("this is `{}`", self.type_name(l.ty)));
        if let Some(r) = r {
            e = e.annotate(r.span, format!("this is `{}`", self.type_name(r.ty)));
        }
        e.note(span, format!("operator::{op} called here"))
    }

    /// The builtin implementation of `l op r` for primitive types (docs/spec/LANGUAGE.md §3.10),
    /// with the operands converted as the mixed-type rules say.
    pub(crate) fn binop_builtin(
        &mut self,
        op: BinOp,
        l: Operand,
        r: Operand,
    ) -> Option<(Builtin, Operand, Operand, TypeId)> {
        let (lp, rp) = (self.prim(l.ty)?, self.prim(r.ty)?);
        let arith = arith_of(op)?;
        let is_bitwise = matches!(arith, ArithOp::LShift | ArithOp::RShift | ArithOp::And | ArithOp::Or | ArithOp::Xor);
        if lp == rp {
            let p = lp;
            let lt = l.ty;
            return match p {
                _ if p.is_int() => {
                    let ret = if arith == ArithOp::Div { bt::F64 } else { l.ty };
                    Some((Builtin::Arith(arith, p), l, r, ret))
                }
                Prim::F64 | Prim::F32 if !is_bitwise => Some((Builtin::Arith(arith, p), l, r, lt)),
                Prim::Complex if matches!(arith, ArithOp::Add | ArithOp::Sub | ArithOp::Mul | ArithOp::Div) => {
                    Some((Builtin::Arith(arith, p), l, r, lt))
                }
                Prim::Bool if matches!(arith, ArithOp::And | ArithOp::Or | ArithOp::Xor) => {
                    Some((Builtin::Arith(arith, p), l, r, lt))
                }
                Prim::Str if arith == ArithOp::Add => Some((Builtin::StrAdd, l, r, bt::STR)),
                Prim::Bytes if arith == ArithOp::Add => Some((Builtin::BytesAdd, l, r, bt::BYTES)),
                _ => None,
            };
        }
        if arith == ArithOp::Mul && rp == Prim::I32 && matches!(lp, Prim::Str | Prim::Bytes) {
            let b = if lp == Prim::Str { Builtin::StrMul } else { Builtin::BytesMul };
            return Some((b, l.clone(), r, l.ty));
        }
        let mixable = matches!(arith, ArithOp::Add | ArithOp::Sub | ArithOp::Mul | ArithOp::Div | ArithOp::Pow);
        if !mixable {
            return None;
        }
        let target = mixed_target(lp, rp)?;
        if target == Prim::Complex && arith == ArithOp::Pow {
            return None;
        }
        let tt = World::prim_type(target);
        let l = self.numeric_convert(l, target);
        let r = self.numeric_convert(r, target);
        Some((Builtin::Arith(arith, target), l, r, tt))
    }

    /// Converts a numeric operand for a mixed operation (folded when blue).
    pub(crate) fn numeric_convert(&mut self, mv: Operand, to: Prim) -> Operand {
        let from = self.prim(mv.ty).expect("numeric");
        if from == to {
            return mv;
        }
        let tt = World::prim_type(to);
        match mv.kind {
            OperandKind::Blue(v) => Operand::blue(tt, super::ops::convert(from, to, &v), mv.span),
            OperandKind::Red(code) => {
                let span = code.span;
                Operand::red(tt, RKind::Call(FuncRef::Builtin(Builtin::Convert(from, to)), vec![code]), span)
            }
        }
    }

    pub(crate) fn cmpop(
        &mut self,
        frame: &mut Frame,
        op: ast::CmpOp,
        l: Operand,
        r: Operand,
        span: Span,
    ) -> VmResult<Operand> {
        let l = self.deref(frame, l)?;
        let r = self.deref(frame, r)?;
        let kind = match op {
            ast::CmpOp::Eq => CmpKind::Eq,
            ast::CmpOp::NotEq => CmpKind::Ne,
            ast::CmpOp::Lt => CmpKind::Lt,
            ast::CmpOp::LtE => CmpKind::Le,
            ast::CmpOp::Gt => CmpKind::Gt,
            ast::CmpOp::GtE => CmpKind::Ge,
            ast::CmpOp::Is | ast::CmpOp::IsNot => return self.is_op(frame, op == ast::CmpOp::IsNot, l, r, span),
            ast::CmpOp::In => return self.in_op(frame, l, r, span),
            ast::CmpOp::NotIn => {
                return err(ErrorKind::Wip, "Operator not implemented yet: not in").map_err(|e| e.annotate(span, ""))
            }
        };
        let (lt, rt) = (l.ty, r.ty);
        if lt == rt && matches!(self.ptr_elem(lt), Some((false, _))) && matches!(kind, CmpKind::Eq | CmpKind::Ne) {
            let b = if kind == CmpKind::Eq { Builtin::PtrEq } else { Builtin::PtrNe };
            return self.builtin_call(frame, b, vec![l, r], bt::BOOL, span);
        }
        if let (Some(lp), Some(rp)) = (self.prim(lt), self.prim(rt)) {
            let target = if lp == rp {
                let ordered = !matches!(lp, Prim::Str | Prim::Bytes | Prim::Complex | Prim::None);
                (ordered || matches!(kind, CmpKind::Eq | CmpKind::Ne)).then_some(lp)
            } else {
                mixed_target(lp, rp).filter(|t| *t != Prim::Complex || matches!(kind, CmpKind::Eq | CmpKind::Ne))
            };
            if let Some(t) = target {
                let l = self.numeric_convert_any(l, t);
                let r = self.numeric_convert_any(r, t);
                return self.builtin_call(frame, Builtin::Cmp(kind, t), vec![l, r], bt::BOOL, span);
            }
        }
        let dunder = match kind {
            CmpKind::Eq => "__eq__",
            CmpKind::Ne => "__ne__",
            CmpKind::Lt => "__lt__",
            CmpKind::Le => "__le__",
            CmpKind::Gt => "__gt__",
            CmpKind::Ge => "__ge__",
        };
        if let Some(m) = self.lookup_method(lt, dunder) {
            return self.call_func_mv(frame, m, vec![l, r], span, None);
        }
        if kind == CmpKind::Ne {
            if let Some(eq) = self.lookup_method(lt, "__eq__") {
                let not = self.not_of(eq);
                return self.call_func_mv(frame, not, vec![l, r], span, None);
            }
        }
        if matches!(kind, CmpKind::Eq | CmpKind::Ne) && lt == rt && self.is_reference_type(lt) && lt != bt::OBJECT {
            let b = if kind == CmpKind::Eq { Builtin::IdentityEq } else { Builtin::IdentityNe };
            return self.builtin_call(frame, b, vec![l, r], bt::BOOL, span);
        }
        let sym = kind.symbol();
        let name = match kind {
            CmpKind::Eq => "EQ",
            CmpKind::Ne => "NE",
            CmpKind::Lt => "LT",
            CmpKind::Le => "LE",
            CmpKind::Gt => "GT",
            CmpKind::Ge => "GE",
        };
        Err(self.op_error(
            format!("cannot do `{}` {sym} `{}`", self.type_name(lt), self.type_name(rt)),
            &l,
            Some(&r),
            name,
            span,
        ))
    }

    pub(crate) fn numeric_convert_any(&mut self, mv: Operand, to: Prim) -> Operand {
        match self.prim(mv.ty) {
            Some(p) if p != to && (p.is_int() || p.is_float()) => self.numeric_convert(mv, to),
            _ => mv,
        }
    }

    pub(crate) fn is_op(
        &mut self,
        _frame: &mut Frame,
        negate: bool,
        l: Operand,
        r: Operand,
        span: Span,
    ) -> VmResult<Operand> {
        let word = if negate { "is not" } else { "is" };
        if !self.is_reference_type(l.ty) && !self.is_reference_type(r.ty) {
            let message = format!("cannot do `{}` {word} `{}`", self.type_name(l.ty), self.type_name(r.ty));
            let note = if negate {
                "cannot use `is not` between value types as they don't have an identity"
            } else {
                "cannot use `is` between value types as they don't have an identity"
            };
            return Err(VmError::new(ErrorKind::TypeError, message)
                .annotate(l.span, format!("this is `{}`", self.type_name(l.ty)))
                .annotate(r.span, format!("this is `{}`", self.type_name(r.ty)))
                .note(span, note));
        }
        match (l.value(), r.value()) {
            (Some(a), Some(b)) => Ok(Operand::blue(bt::BOOL, Value::Bool((a == b) != negate), span)),
            _ => err(ErrorKind::Wip, "`is` on red values is not supported"),
        }
    }

    pub(crate) fn in_op(
        &mut self,
        frame: &mut Frame,
        item: Operand,
        container: Operand,
        span: Span,
    ) -> VmResult<Operand> {
        if item.ty == bt::STR && container.ty == bt::STR {
            return self.builtin_call(frame, Builtin::StrContains, vec![container, item], bt::BOOL, span);
        }
        if let Some(m) = self.lookup_method(container.ty, "__contains__") {
            return self.call_func_mv(frame, m, vec![container, item], span, None);
        }
        Err(self.op_error(
            format!("cannot do `{}` in `{}`", self.type_name(item.ty), self.type_name(container.ty)),
            &item,
            Some(&container),
            "IN",
            span,
        ))
    }

    /// A red `mv` in a redshift frame, evaluated once into a fresh local `<prefix>$N`
    /// (the assignment goes to `out`) and read from there; anything else as it is.
    pub(crate) fn spill(&mut self, frame: &mut Frame, mv: Operand, prefix: &str, out: &mut Vec<RStmt>) -> Operand {
        if mv.is_blue() || !frame.is_red() {
            return mv;
        }
        let name = self.names.intern(&format!("{prefix}${}", frame.locals.len()));
        let (ty, span) = (mv.ty, mv.span);
        let slot = self.declare_slot(frame, name, ty);
        out.push(RStmt::Assign { slot, value: mv.code(), first: true });
        Operand::red(ty, RKind::Local(slot), span)
    }

    pub(crate) fn unaryop(&mut self, frame: &mut Frame, op: UnaryOp, v: Operand, span: Span) -> VmResult<Operand> {
        match op {
            UnaryOp::Not => {
                let b = self.convert(frame, v, bt::BOOL, None)?;
                self.builtin_call(frame, Builtin::Not, vec![b], bt::BOOL, span)
            }
            UnaryOp::Neg => {
                if let Some(p) = self.prim(v.ty) {
                    if matches!(p, Prim::I8 | Prim::I32 | Prim::I64 | Prim::F32 | Prim::F64 | Prim::Complex) {
                        let ty = v.ty;
                        return self.builtin_call(frame, Builtin::Neg(p), vec![v], ty, span);
                    }
                }
                if let Some(m) = self.lookup_method(v.ty, "__neg__") {
                    return self.call_func_mv(frame, m, vec![v], span, None);
                }
                Err(VmError::new(ErrorKind::TypeError, format!("cannot do -`{}`", self.type_name(v.ty)))
                    .annotate(v.span, format!("this is `{}`", self.type_name(v.ty)))
                    .note(span, "operator::NEG called here"))
            }
            UnaryOp::Pos | UnaryOp::Invert => {
                err(ErrorKind::Wip, format!("Operator not implemented yet: {}", op.symbol()))
            }
        }
    }

    /// Implicit conversion of `mv` to `expected` (docs/spec/LANGUAGE.md §3.11, §4.10). `context`
    /// is the note added when it fails: `(span, "expected `T` because of ...")`.
    pub fn convert(
        &mut self,
        frame: &mut Frame,
        mv: Operand,
        expected: TypeId,
        context: Option<(Span, String)>,
    ) -> VmResult<Operand> {
        let got = mv.ty;
        if expected == bt::DYNAMIC && mv.is_blue() {
            return Ok(mv); // a blue value's static type is its actual type (§3.9)
        }
        if got == expected || self.is_subtype(got, expected) {
            return Ok(Operand { ty: expected, ..mv });
        }
        // A type converts to a red MetaArg of that static type (§5.6: `m: MetaArg = i32`).
        if let (bt::TYPE, bt::METAARG, Some(Value::Type(t))) = (got, expected, mv.value()) {
            let m = MetaArgValue { blue: false, ty: *t, value: None };
            return Ok(Operand::blue(bt::METAARG, Value::MetaArg(Rc::new(m)), mv.span));
        }
        let empty_dict = got == bt::EMPTY_DICT && self.ty(expected).fqn.starts_with("_dict::dict[");
        if empty_dict || got == bt::EMPTY_LIST && self.ty(expected).fqn.starts_with("_list::list[") {
            let span = mv.span;
            return self.call_type(frame, expected, vec![], span, span);
        }
        if let Some((true, elem)) = self.ptr_elem(got) {
            let span = mv.span;
            let loaded = self.builtin_call(frame, Builtin::RefLoad, vec![mv], elem, span)?;
            return self.convert(frame, loaded, expected, context);
        }
        if let (Some((false, _)), true) = (self.ptr_elem(got), expected == bt::BOOL) {
            let span = mv.span;
            return self.builtin_call(frame, Builtin::PtrToBool, vec![mv], bt::BOOL, span);
        }
        if let (Some(from), Some(to)) = (self.prim(got), self.prim(expected)) {
            if implicit_ok(from, to) {
                let span = mv.span;
                return self.builtin_call(frame, Builtin::Convert(from, to), vec![mv], expected, span);
            }
            // str -> complex128 parses, implicitly too (docs/spec/LANGUAGE.md §3.11).
            if (from, to) == (Prim::Str, Prim::Complex) {
                let span = mv.span;
                return self.builtin_call(frame, Builtin::ParseComplex, vec![mv], expected, span);
            }
        }
        for (owner, dunder) in [(got, "__convert_to__"), (expected, "__convert_from__")] {
            let Some(m) = self.lookup_method(owner, dunder) else { continue };
            let span = mv.span;
            let exp_arg = Operand::blue(bt::TYPE, Value::Type(expected), span);
            let got_arg = Operand::blue(bt::TYPE, Value::Type(got), span);
            let margs: Vec<Operand> = [&exp_arg, &got_arg, &mv]
                .iter()
                .map(|a| Operand::blue(bt::METAARG, self.metaarg_of(a), span))
                .collect();
            let values: Vec<Value> = margs.iter().map(|a| a.value().cloned().expect("blue")).collect();
            let Value::OpSpec(spec) = self.call_function(m, values.clone(), span)? else {
                return err(ErrorKind::TypeError, format!("`{dunder}` must return an OpSpec"))
                    .map_err(|e| e.annotate(span, ""));
            };
            let key = self.func(m).memo.get_key_value(&values).map(|(k, _)| k.clone()).unwrap_or(values);
            // The simple form `OpSpec(fn)` calls `fn` with the value only (§4.10).
            let result = match &*spec {
                OpSpecValue::Call(g, None) => Some(self.call_func_mv(frame, *g, vec![mv.clone()], span, None)?),
                other => {
                    self.apply_opspec(frame, other, vec![exp_arg.clone(), got_arg.clone(), mv.clone()], &key, span)?
                }
            };
            if let Some(r) = result {
                return Ok(r);
            }
        }
        let mut e = VmError::new(ErrorKind::TypeError, "mismatched types")
            .annotate(mv.span, format!("expected `{}`, got `{}`", self.type_name(expected), self.type_name(got)));
        if let Some((span, note)) = context {
            e = e.note(span, note);
        }
        Err(e)
    }

    /// `T(x)` for a primitive `T` (docs/spec/LANGUAGE.md §3.12).
    pub(crate) fn explicit_convert(
        &mut self,
        frame: &mut Frame,
        to: TypeId,
        args: Vec<Operand>,
        span: Span,
    ) -> VmResult<Operand> {
        let to_p = self.prim(to).expect("primitive");
        if to == bt::STR && args.len() == 1 {
            let arg = args.into_iter().next().expect("one arg");
            return self.to_str(frame, arg, span, false);
        }
        if to == bt::COMPLEX && args.len() == 2 {
            let re = self.convert(frame, args[0].clone(), bt::F64, None)?;
            let im = self.convert(frame, args[1].clone(), bt::F64, None)?;
            if let (Some(Value::F64(a)), Some(Value::F64(b))) = (re.value(), im.value()) {
                return Ok(Operand::blue(bt::COMPLEX, Value::Complex(*a, *b), span));
            }
            return err(ErrorKind::Wip, "complex128(re, im) with red arguments");
        }
        if args.len() == 1 {
            let arg = args.into_iter().next().expect("one arg");
            let from = self.prim(arg.ty);
            let accepted = match (to_p, from) {
                (Prim::I32, Some(Prim::F64 | Prim::F32 | Prim::I8 | Prim::U8 | Prim::U32)) => true,
                (Prim::I64, Some(Prim::F64 | Prim::F32 | Prim::I8 | Prim::U8 | Prim::I32 | Prim::U32 | Prim::U64)) => {
                    true
                }
                (Prim::U64, Some(Prim::I64)) => true,
                (Prim::I8 | Prim::U8, Some(Prim::I32)) => true,
                (Prim::F64, Some(Prim::I32 | Prim::F32)) => true,
                (Prim::F32, Some(Prim::I32 | Prim::F64)) => true,
                (Prim::Complex, Some(Prim::I32 | Prim::F64)) => true,
                _ => false,
            };
            if accepted {
                let from = from.expect("prim");
                return self.builtin_call(frame, Builtin::Convert(from, to_p), vec![arg], to, span);
            }
            if from == Some(Prim::Str) && to_p.is_int() {
                return self.builtin_call(frame, Builtin::ParseInt(to_p), vec![arg], to, span);
            }
            if from == Some(Prim::Str) && to_p == Prim::Complex {
                return self.builtin_call(frame, Builtin::ParseComplex, vec![arg], to, span);
            }
        }
        if to == bt::BOOL {
            return err(ErrorKind::TypeError, "cannot instantiate `bool`").map_err(|e| e.annotate(span, ""));
        }
        Err(VmError::new(ErrorKind::TypeError, "cannot call objects of type `type`").annotate(span, "this is `type`"))
    }

    /// `str(x)` (or `repr(x)`): the type's `__str__`, else `__repr__`.
    pub(crate) fn to_str(&mut self, frame: &mut Frame, arg: Operand, span: Span, repr: bool) -> VmResult<Operand> {
        let arg = self.deref(frame, arg)?;
        if let Some(p) = self.prim(arg.ty) {
            let b = if repr { Builtin::Repr(p) } else { Builtin::ToStr(p) };
            return self.builtin_call(frame, b, vec![arg], bt::STR, span);
        }
        let names: &[&str] = if repr { &["__repr__"] } else { &["__str__", "__repr__"] };
        for name in names {
            if let Some(m) = self.lookup_method(arg.ty, name) {
                return self.call_func_mv(frame, m, vec![arg], span, None);
            }
        }
        if let Some(v) = arg.value() {
            let text = self.blue_repr(v);
            return Ok(Operand::blue(bt::STR, Value::str(&text), span));
        }
        if self.is_struct(arg.ty) {
            let t = arg.ty;
            return self.builtin_call(frame, Builtin::DefaultRepr(t), vec![arg], bt::STR, span);
        }
        let what = if repr { "repr" } else { "str" };
        Err(VmError::new(ErrorKind::TypeError, format!("cannot call {what}(`{}`)", self.type_name(arg.ty)))
            .annotate(arg.span, format!("this is `{}`", self.type_name(arg.ty))))
    }

    /// `str()` of a blue object without `__str__`: types, functions, exceptions.
    pub fn blue_repr(&self, v: &Value) -> String {
        match v {
            Value::Type(t) => match self.ty(*t).kind {
                TypeKind::Struct { .. } => format!("<spy type '{}' (struct)>", self.type_name(*t)),
                _ => format!("<spy type '{}'>", self.type_name(*t)),
            },
            Value::NotImplemented => "NotImplemented".into(),
            Value::Exc(e) => {
                let name = self.type_name(e.ty);
                format!("{name}({})", crate::repr::str_repr(&e.message))
            }
            // No address: every runner must print the same bytes (docs/spec/LANGUAGE.md §17 #10).
            other => format!("<spy `{}` object>", self.type_name(self.type_of(other))),
        }
    }
}

pub(crate) fn op_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "ADD",
        BinOp::Sub => "SUB",
        BinOp::Mul => "MUL",
        BinOp::Div => "DIV",
        BinOp::FloorDiv => "FLOORDIV",
        BinOp::Mod => "MOD",
        BinOp::Pow => "POW",
        BinOp::LShift => "LSHIFT",
        BinOp::RShift => "RSHIFT",
        BinOp::BitAnd => "AND",
        BinOp::BitOr => "OR",
        BinOp::BitXor => "XOR",
        BinOp::MatMul => "MATMUL",
    }
}

pub(crate) fn arith_of(op: BinOp) -> Option<ArithOp> {
    Some(match op {
        BinOp::Add => ArithOp::Add,
        BinOp::Sub => ArithOp::Sub,
        BinOp::Mul => ArithOp::Mul,
        BinOp::Div => ArithOp::Div,
        BinOp::FloorDiv => ArithOp::FloorDiv,
        BinOp::Mod => ArithOp::Mod,
        BinOp::Pow => ArithOp::Pow,
        BinOp::LShift => ArithOp::LShift,
        BinOp::RShift => ArithOp::RShift,
        BinOp::BitAnd => ArithOp::And,
        BinOp::BitOr => ArithOp::Or,
        BinOp::BitXor => ArithOp::Xor,
        BinOp::MatMul => return None,
    })
}

pub(crate) fn dunder_of(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "__add__",
        BinOp::Sub => "__sub__",
        BinOp::Mul => "__mul__",
        BinOp::Div => "__div__",
        BinOp::FloorDiv => "__floordiv__",
        BinOp::Mod => "__mod__",
        BinOp::Pow => "__pow__",
        BinOp::LShift => "__lshift__",
        BinOp::RShift => "__rshift__",
        BinOp::BitAnd => "__and__",
        BinOp::BitOr => "__or__",
        BinOp::BitXor => "__xor__",
        BinOp::MatMul => "__matmul__",
    }
}

/// The type both operands of a mixed numeric operation are converted to (§3.3, §3.10).
pub(crate) fn mixed_target(l: Prim, r: Prim) -> Option<Prim> {
    let f64_mix = |p: Prim| matches!(p, Prim::I8 | Prim::U8 | Prim::U32 | Prim::I32 | Prim::F32);
    match (l, r) {
        (Prim::F64, p) | (p, Prim::F64) if f64_mix(p) => Some(Prim::F64),
        (Prim::F32, Prim::I32) | (Prim::I32, Prim::F32) => Some(Prim::F32),
        (Prim::Complex, Prim::I32 | Prim::F64) | (Prim::I32 | Prim::F64, Prim::Complex) => Some(Prim::Complex),
        _ => None,
    }
}

/// The implicit conversions of docs/spec/LANGUAGE.md §3.11 between primitive types.
pub(crate) fn implicit_ok(from: Prim, to: Prim) -> bool {
    use Prim::*;
    matches!(
        (from, to),
        (I8 | U8 | I32 | U32 | I64 | U64 | F32, F64)
            | (F64, F32)
            | (I32, F32)
            | (I32, Bool)
            | (I32, I8 | U8 | U32)
            | (I8 | U8 | U32, I32)
            | (I8 | U8 | I32 | U32, I64)
            | (I64, U64)
            | (U64, I64)
            | (I32 | F64, Complex)
    )
}
