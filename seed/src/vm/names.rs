//! Names: what an identifier in an expression is (a local, a captured blue variable, a
//! module global, a builtin), by the scope analysis of `scope.rs` (docs/spec/LANGUAGE.md §2.6, §2.7).

use super::builtins::Special;
use super::frame::{Frame, FrameKind, Operand};
use super::ir::RKind;
use super::types::{builtin_types as bt, ModId};
use super::value::Value;
use super::world::{err, Global, VmError, VmResult, World};
use crate::ast::Symbol;
use crate::diag::ErrorKind;
use crate::scope::Origin;
use crate::source::Span;

impl<'a> World<'a> {
    pub(crate) fn name_str(&self, s: Symbol) -> String {
        self.names.get(s).to_string()
    }

    /// The value of a builtin name (docs/spec/LANGUAGE.md §2.7).
    pub(crate) fn builtin_value(&self, name: &str) -> Option<Value> {
        Some(match name {
            "i8" => Value::Type(bt::I8),
            "u8" => Value::Type(bt::U8),
            "i32" | "int" => Value::Type(bt::I32),
            "u32" => Value::Type(bt::U32),
            "i64" => Value::Type(bt::I64),
            "u64" => Value::Type(bt::U64),
            "f32" => Value::Type(bt::F32),
            "f64" | "float" => Value::Type(bt::F64),
            "complex128" | "complex" => Value::Type(bt::COMPLEX),
            "bool" => Value::Type(bt::BOOL),
            "str" => Value::Type(bt::STR),
            "bytes" => Value::Type(bt::BYTES),
            "object" => Value::Type(bt::OBJECT),
            "dynamic" => Value::Type(bt::DYNAMIC),
            "type" => Value::Type(bt::TYPE),
            "None" => Value::None,
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "NotImplemented" => Value::NotImplemented,
            "print" => Value::Special(Special::Print),
            "len" => Value::Special(Special::Len),
            "repr" => Value::Special(Special::Repr),
            "hash" => Value::Special(Special::Hash),
            "ord" => Value::Special(Special::Ord),
            "STATIC_TYPE" => Value::Special(Special::StaticType),
            "property" => Value::Special(Special::Property),
            "staticmethod" => Value::Special(Special::StaticMethod),
            "classmethod" => Value::Special(Special::ClassMethod),
            "struct" => Value::Special(Special::Struct),
            "getattr" => Value::Special(Special::GetAttr),
            "hasattr" => Value::Special(Special::HasAttr),
            "setattr" => Value::Special(Special::SetAttr),
            _ => {
                if ErrorKind::from_name(name).is_some() {
                    return Some(Value::Type(World::exc_type(name)));
                }
                return None;
            }
        })
    }

    pub(crate) fn name_error(&self, name: Symbol, span: Span) -> VmError {
        VmError::new(ErrorKind::NameError, format!("name `{}` is not defined", self.name_str(name)))
            .annotate(span, "not found in this scope")
    }

    pub(crate) fn eval_name(&mut self, frame: &Frame, name: Symbol, span: Span) -> VmResult<Operand> {
        let info = self.modules[frame.module.0 as usize].symtables.lookup(frame.table, name).cloned();
        let Some(info) = info else { return Err(self.name_error(name, span)) };
        let Some(level) = info.level else { return Err(self.name_error(name, span)) };
        if level == 0 && frame.kind != FrameKind::Module {
            if let Some(&slot) = frame.slots.get(&name) {
                let ty = frame.locals[slot as usize].ty;
                return Ok(Operand::red(ty, RKind::Local(slot), span));
            }
            if let Some((v, ty)) = frame.env.vars.borrow().get(&name) {
                return Ok(Operand::blue(*ty, v.clone(), span));
            }
            return err(ErrorKind::Exception, "read from uninitialized local").map_err(|e| e.annotate(span, ""));
        }
        if info.origin == Origin::Builtin {
            return self.builtin_name(&info, name, span);
        }
        if level > 0 {
            if let Some((v, ty)) = frame.env.parent.as_ref().and_then(|p| p.lookup(name)) {
                return Ok(Operand::blue(ty, v, span));
            }
        }
        self.global_name(frame.module, name, span, frame.is_red())
    }

    pub(crate) fn builtin_name(
        &mut self,
        info: &crate::scope::SymbolInfo,
        name: Symbol,
        span: Span,
    ) -> VmResult<Operand> {
        let text = self.name_str(name);
        if let Some((module, Some(attr))) = &info.import_ref {
            if module != "builtins" {
                if let Some(m) = self.module_by_name(module) {
                    let sym = self.names.intern(attr);
                    return self.global_name(m, sym, span, false);
                }
            }
        }
        match self.builtin_value(&text) {
            Some(v) => Ok(Operand::blue(self.type_of(&v), v, span)),
            None => Err(self.name_error(name, span)),
        }
    }

    pub fn module_by_name(&self, name: &str) -> Option<ModId> {
        self.modules.iter().position(|m| m.name == name).map(|i| ModId(i as u32))
    }

    pub(crate) fn global_name(&mut self, module: ModId, name: Symbol, span: Span, red: bool) -> VmResult<Operand> {
        match self.modules[module.0 as usize].globals.get(&name).cloned() {
            Some(Global::Const(v, ty)) => Ok(Operand::blue(ty, v, span)),
            Some(Global::Cell(cell)) => {
                let c = &self.cells[cell as usize];
                if red {
                    Ok(Operand::red(c.ty, RKind::Global(cell), span))
                } else {
                    Ok(Operand::blue(c.ty, c.value.clone(), span))
                }
            }
            None => Err(self.name_error(name, span)),
        }
    }
}
