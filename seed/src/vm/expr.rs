//! Expressions: the one evaluator, `eval_expr`. In a blue frame it computes a value; in
//! a red frame (redshift) the result is a blue constant or shifted code (`Operand`), so the
//! redshifter has no second evaluator. Literals and argument lists live here too.

use super::frame::{Frame, Operand};
use super::ir::RKind;
use super::types::{builtin_types as bt, Prim, TypeId};
use super::value::Value;
use super::world::{err, VmError, VmResult, World};
use crate::ast::{self, Color, Expr, ExprKind, Literal};
use crate::diag::{ErrorKind, Frame as TraceFrame};
use crate::source::Span;
use std::rc::Rc;

impl<'a> World<'a> {
    /// Evaluates a type expression (an annotation) to a type, in a blue context.
    pub fn eval_type(&mut self, frame: &mut Frame, expr: &Expr<'a>) -> VmResult<TypeId> {
        if let ExprKind::Literal(Literal::None) = expr.kind {
            return Ok(bt::NONE);
        }
        let mv = self.eval_expr(frame, expr)?;
        match mv.value() {
            Some(Value::Type(t)) => Ok(*t),
            Some(Value::None) => Ok(bt::NONE),
            _ => {
                let got = self.type_name(mv.ty);
                Err(VmError::new(ErrorKind::TypeError, format!("expected `type`, got `{got}`"))
                    .annotate(expr.span, "expected `type`"))
            }
        }
    }

    pub fn eval_expr(&mut self, frame: &mut Frame, expr: &Expr<'a>) -> VmResult<Operand> {
        // A frame's traceback location is the innermost expression being evaluated
        // (docs/spec/LANGUAGE.md §15): the first `site` set wins.
        let mv = self.eval_expr_uncolored(frame, expr).map_err(|e| self.site(e, expr.span))?;
        if frame.is_red() {
            if let Some(colors) = &mut self.colors {
                colors.push((expr.span, if mv.is_blue() { Color::Blue } else { Color::Red }));
            }
        }
        Ok(mv)
    }

    pub(crate) fn eval_expr_uncolored(&mut self, frame: &mut Frame, expr: &Expr<'a>) -> VmResult<Operand> {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(lit) => self.eval_literal(lit, span),
            ExprKind::Str(s) => Ok(Operand::blue(bt::STR, Value::str(s), span)),
            ExprKind::Bytes(b) => Ok(Operand::blue(bt::BYTES, Value::Bytes(Rc::from(b.as_slice())), span)),
            ExprKind::Name(name) => self.eval_name(frame, *name, span),
            ExprKind::BinOp { op, left, right } => {
                let l = self.eval_expr(frame, left)?;
                let r = self.eval_expr(frame, right)?;
                self.binop(frame, *op, l, r, span)
            }
            ExprKind::CmpOp { op, left, right } => {
                let l = self.eval_expr(frame, left)?;
                let r = self.eval_expr(frame, right)?;
                self.cmpop(frame, *op, l, r, span)
            }
            ExprKind::UnaryOp { op, value } => {
                let v = self.eval_expr(frame, value)?;
                self.unaryop(frame, *op, v, span)
            }
            ExprKind::And { left, right } | ExprKind::Or { left, right } => {
                let is_and = matches!(expr.kind, ExprKind::And { .. });
                let l = self.eval_expr(frame, left)?;
                let l = self.convert(frame, l, bt::BOOL, None)?;
                // Both sides are analysed in redshift; a blue frame short-circuits.
                if !frame.is_red() {
                    let lv = l.value().expect("internal error: blue frame").as_bool();
                    if lv != is_and {
                        return Ok(Operand::blue(bt::BOOL, Value::Bool(lv), span));
                    }
                    let r = self.eval_expr(frame, right)?;
                    return self.convert(frame, r, bt::BOOL, None).map(|mv| Operand { span, ..mv });
                }
                let r = self.eval_expr(frame, right)?;
                let r = self.convert(frame, r, bt::BOOL, None)?;
                if let (Some(a), Some(b)) = (l.value(), r.value()) {
                    let v = if is_and { a.as_bool() && b.as_bool() } else { a.as_bool() || b.as_bool() };
                    return Ok(Operand::blue(bt::BOOL, Value::Bool(v), span));
                }
                let (lc, rc) = (Box::new(l.code()), Box::new(r.code()));
                Ok(Operand::red(bt::BOOL, if is_and { RKind::And(lc, rc) } else { RKind::Or(lc, rc) }, span))
            }
            ExprKind::Call { func, args } => {
                let callee = self.eval_expr(frame, func)?;
                let args = self.eval_args(frame, args)?;
                self.call(frame, callee, args, span).map_err(|e| self.site(e, span))
            }
            ExprKind::CallMethod { target, method, method_span, args } => {
                let target = self.eval_expr(frame, target)?;
                let args = self.eval_args(frame, args)?;
                let method = self.name_str(*method);
                self.call_method(frame, target, &method, *method_span, args, span).map_err(|e| self.site(e, span))
            }
            ExprKind::GetAttr { value, attr, .. } => {
                let target = self.eval_expr(frame, value)?;
                let attr = self.name_str(*attr);
                self.getattr(frame, target, &attr, span)
            }
            ExprKind::GetItem { value, args } => {
                let target = self.eval_expr(frame, value)?;
                let args = self.eval_args(frame, args)?;
                self.getitem(frame, target, args, span)
            }
            ExprKind::AssignExpr { target, target_span, value } => {
                let v = self.eval_expr(frame, value)?;
                self.assign_name(frame, *target, *target_span, v.clone(), &mut Vec::new(), true)
            }
            ExprKind::List(items) => {
                let items = self.eval_args(frame, items)?;
                self.list_display(frame, items, span)
            }
            ExprKind::Dict(pairs) => {
                let mut items = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = self.eval_expr(frame, k)?;
                    let v = self.eval_expr(frame, v)?;
                    items.push((k, v));
                }
                self.dict_display(frame, items, span)
            }
            ExprKind::Tuple(items) => {
                let items = self.eval_args(frame, items)?;
                self.tuple_display(frame, items, span)
            }
            ExprKind::Slice { start, stop, step } => {
                let mut parts = Vec::with_capacity(6);
                for part in [start, stop, step] {
                    let (value, is_none) = match part {
                        None => (Operand::blue(bt::I32, Value::I32(0), span), 1),
                        Some(e) if matches!(e.kind, ExprKind::Literal(Literal::None)) => {
                            (Operand::blue(bt::I32, Value::I32(0), span), 1)
                        }
                        Some(e) => {
                            let v = self.eval_expr(frame, e)?;
                            (self.convert(frame, v, bt::I32, None)?, 0)
                        }
                    };
                    parts.push(value);
                    parts.push(Operand::blue(bt::I32, Value::I32(is_none), span));
                }
                let slice = self.slice_type(span)?;
                let make = self.make_of(slice);
                self.call_func_mv(frame, make, parts, span, None)
            }
            ExprKind::Block { .. } | ExprKind::Starred(_) | ExprKind::Unsupported(_) => {
                panic!("internal error: parser placeholder reached the VM")
            }
        }
    }

    pub(crate) fn eval_args(&mut self, frame: &mut Frame, args: &[&'a Expr<'a>]) -> VmResult<Vec<Operand>> {
        args.iter().map(|a| self.eval_expr(frame, a)).collect()
    }

    /// Records the innermost operation that failed: the traceback frame of the function
    /// it is in will point there.
    pub(crate) fn site(&self, e: VmError, span: Span) -> VmError {
        match e {
            VmError::Static(mut d) => {
                d.site.get_or_insert(span);
                VmError::Static(d)
            }
            other => other,
        }
    }

    /// Adds the traceback frame of a function the error is leaving (outermost first).
    pub(crate) fn leave_frame(&self, e: VmError, name: String, fallback: Span) -> VmError {
        match e {
            VmError::Static(mut d) => {
                let span = d.site.take().or(d.primary_span()).unwrap_or(fallback);
                d.frames.insert(0, TraceFrame { name, span });
                VmError::Static(d)
            }
            other => other,
        }
    }

    pub(crate) fn eval_literal(&mut self, lit: &Literal, span: Span) -> VmResult<Operand> {
        let v = match *lit {
            Literal::Int { value, ty: ast::LitType::I32 } => {
                if value < i32::MIN as i128 || value > i32::MAX as i128 {
                    let message = format!(
                        "integer literal {value} is out of range for i32; use i64({value}) or u64({value}) to get a 64-bit value"
                    );
                    return err(ErrorKind::ValueError, message)
                        .map_err(|e| e.annotate(span, "integer literal out of range"));
                }
                Value::I32(value as i32)
            }
            Literal::Int { value, ty } => {
                let prim = lit_prim(ty);
                super::ops::wrap(prim, value)
            }
            Literal::Float { value, ty: ast::LitType::F32 } => Value::F32(value as f32),
            Literal::Float { value, .. } => Value::F64(value),
            Literal::Complex { imag } => Value::Complex(0.0, imag),
            Literal::Bool(b) => Value::Bool(b),
            Literal::None => Value::None,
        };
        Ok(Operand::blue(self.type_of(&v), v, span))
    }
}

pub(crate) fn lit_prim(t: ast::LitType) -> Prim {
    match t {
        ast::LitType::I8 => Prim::I8,
        ast::LitType::U8 => Prim::U8,
        ast::LitType::I32 => Prim::I32,
        ast::LitType::U32 => Prim::U32,
        ast::LitType::I64 => Prim::I64,
        ast::LitType::U64 => Prim::U64,
        ast::LitType::F32 => Prim::F32,
        ast::LitType::F64 => Prim::F64,
    }
}
