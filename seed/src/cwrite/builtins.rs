//! Builtin operations -> C: an infix operator where C computes exactly what SPy does,
//! otherwise a call to libspy under the builtin's C name (docs/spec/BACKEND.md §3.5). Operations
//! that can raise take the `spy_Loc` of the operation as their last argument.

use super::names::c_name;
use super::writer::{Writer, C};
use crate::source::Span;
use crate::vm::builtins::{ArithOp, Builtin, CmpKind};
use crate::vm::ir::RExpr;
use crate::vm::types::{builtin_types as bt, Prim, TypeKind};
use crate::vm::world::VmResult;

fn call(name: impl AsRef<str>, args: &[String], pure: bool) -> C {
    C { code: format!("{}({})", name.as_ref(), args.join(", ")), prec: 16, stable: false, pure }
}

/// `l op r`. Operands of comparisons and bitwise operators get parentheses unless they
/// are arithmetic or tighter, as gcc's -Wparentheses asks.
fn infix(op: &str, prec: u8, l: &C, r: &C) -> C {
    let (lp, rp) = match prec {
        9 | 10 => (11, 11),
        6..=8 => (15, 15),
        _ => (prec, prec + 1),
    };
    C { code: format!("{} {op} {}", l.at(lp), r.at(rp)), prec, stable: false, pure: l.pure && r.pure }
}

/// C precedence of a binary operator.
fn arith_prec(op: ArithOp) -> u8 {
    match op {
        ArithOp::Add | ArithOp::Sub => 12,
        ArithOp::Mul | ArithOp::Div | ArithOp::FloorDiv | ArithOp::Mod => 13,
        ArithOp::And => 8,
        ArithOp::Xor => 7,
        ArithOp::Or => 6,
        _ => 16,
    }
}

fn cmp_prec(c: CmpKind) -> u8 {
    match c {
        CmpKind::Eq | CmpKind::Ne => 9,
        _ => 10,
    }
}

/// A call of the builtin's libspy function (its row in `Builtin::facts`), with the
/// operation's location last when it can raise.
fn libspy_call(w: &mut Writer, b: Builtin, args: &[String], span: Span) -> C {
    let facts = b.facts();
    let name = facts.c_name.unwrap_or_else(|| c_name(&facts.fqn));
    let mut args = args.to_vec();
    if facts.raises {
        args.push(w.loc(span));
    }
    call(name, &args, !facts.raises && !facts.effects)
}

pub fn lower(w: &mut Writer, b: Builtin, args: &[RExpr], items: Vec<C>, e: &RExpr) -> VmResult<C> {
    let a: Vec<String> = items.iter().map(|c| c.at(2)).collect();
    let span = e.span;
    // `None` has one value: its str, repr and printing are constants.
    match b {
        Builtin::ToStr(Prim::None) | Builtin::Repr(Prim::None) => {
            return Ok(C::constant(format!("&{}", w.literal(b"None"))));
        }
        _ => {}
    }
    let with_loc = |w: &mut Writer, a: &[String]| {
        let mut v = a.to_vec();
        v.push(w.loc(span));
        v
    };
    Ok(match b {
        Builtin::Arith(op, p) => match (op, p) {
            (ArithOp::Add | ArithOp::Sub | ArithOp::Mul, Prim::F64 | Prim::F32) => {
                infix(op.symbol(), arith_prec(op), &items[0], &items[1])
            }
            (ArithOp::And | ArithOp::Or | ArithOp::Xor, Prim::I32 | Prim::U32 | Prim::I64 | Prim::U64 | Prim::Bool) => {
                infix(op.symbol(), arith_prec(op), &items[0], &items[1])
            }
            _ => libspy_call(w, b, &a, span),
        },
        Builtin::Cmp(c, p) => match p {
            Prim::Str | Prim::Bytes | Prim::Complex => libspy_call(w, b, &a, span),
            _ => infix(c.symbol(), cmp_prec(c), &items[0], &items[1]),
        },
        Builtin::Neg(p) => match p {
            // `- -x`, not `--x`: C would read a decrement.
            Prim::F64 | Prim::F32 if items[0].code.starts_with('-') => C::new(format!("-({})", items[0].code), 15),
            Prim::F64 | Prim::F32 => C::new(format!("-{}", items[0].at(15)), 15),
            _ => libspy_call(w, b, &a, span),
        },
        Builtin::Not => C { code: format!("!{}", items[0].at(15)), prec: 15, stable: false, pure: items[0].pure },
        Builtin::IdentityEq | Builtin::IdentityNe if args[0].ty == bt::NONE => {
            C::constant(if b == Builtin::IdentityEq { "true" } else { "false" })
        }
        Builtin::IdentityEq | Builtin::IdentityNe => {
            return Err(super::program::wip(
                format!("`is` on `{}` cannot be compiled to C", w.world().type_name(args[0].ty)),
                span,
            ))
        }
        Builtin::StrSlice => {
            let s = w.simple(items[1].clone(), args[1].ty, span)?;
            let fields = w.world().struct_fields(args[1].ty).to_vec();
            let mut v = vec![a[0].clone()];
            v.extend(fields.iter().map(|f| format!("{}.{}", s.code, super::names::local_name(&f.name))));
            call("spy_str_slice", &with_loc(w, &v), false)
        }
        Builtin::StrFind | Builtin::StrCount => {
            let has_end = args[3].ty != bt::NONE;
            let end = if has_end { a[3].clone() } else { "0".into() };
            let name = if b == Builtin::StrFind { "spy_str_find" } else { "spy_str_count" };
            call(name, &[a[0].clone(), a[1].clone(), a[2].clone(), end, has_end.to_string()], true)
        }
        Builtin::StrSplit(list) => {
            let helper = split_helper(w, list, span)?;
            let sep = if a.len() > 1 { a[1].clone() } else { "NULL".into() };
            call(helper, &["spy_depth".into(), a[0].clone(), sep, w.loc(span)], false)
        }
        Builtin::TerminalSize(t) => {
            let ty = w.c_type(t, span)?;
            let name = format!("spy_terminal_size${}", c_name(&w.world().ty(t).fqn));
            let helper = w.module_helper(name.clone(), |_| {
                Ok(format!(
                    "static {ty} {name}(void) {{\n    int32_t cols, rows;\n    \
                         spy_posix$get_terminal_size(&cols, &rows);\n    return ({ty}){{cols, rows}};\n}}\n\n"
                ))
            })?;
            call(helper, &[], false)
        }
        Builtin::ComplexReal => C { code: format!("{}.real", items[0].at(16)), prec: 16, stable: false, pure: true },
        Builtin::ComplexImag => C { code: format!("{}.imag", items[0].at(16)), prec: 16, stable: false, pure: true },
        Builtin::StrCopyInto | Builtin::StrFromBytes => {
            // The pointer is passed as (base, length), as the bulk memory helpers are.
            let p = w.simple(items[0].clone(), args[0].ty, span)?;
            let name =
                if b == Builtin::StrCopyInto { "spy_unsafe$_str_copy_into" } else { "spy_unsafe$_str_from_bytes" };
            let mut parts = vec![format!("{}.p", p.code), format!("{}.length", p.code)];
            parts.extend(a[1..].iter().cloned());
            call(name, &with_loc(w, &parts), false)
        }
        Builtin::DefaultRepr(t) => {
            // The value is not needed, only its type's name.
            w.effect(items[0].clone());
            let name = w.world().type_name(t);
            let lit = w.literal(format!("<spy `{name}` object>").as_bytes());
            C::constant(format!("&{lit}"))
        }
        Builtin::Alloc(elem) => {
            let ty = w.c_type(e.ty, span)?;
            let elem_c = w.c_type(elem, span)?;
            let helper = alloc_helper(w, e.ty, elem, &ty, &elem_c, span)?;
            call(helper, &with_loc(w, &a), false)
        }
        Builtin::PtrLoad | Builtin::PtrRef | Builtin::PtrStore => {
            let p = w.simple(items[0].clone(), args[0].ty, span)?;
            let i = w.simple(items[1].clone(), args[1].ty, span)?;
            let what = if b == Builtin::PtrStore { "ptr_store" } else { "ptr_getitem" };
            let check = format!("spy_ptr_check({0}.p, {0}.length, {1}, \"{what}\", {2})", p.code, i.code, w.loc(span));
            let place = format!("{}.p[{}]", p.code, i.code);
            match b {
                Builtin::PtrLoad => C { code: format!("({check}, {place})"), prec: 16, stable: false, pure: false },
                Builtin::PtrRef => C { code: format!("({check}, &{place})"), prec: 16, stable: false, pure: false },
                _ => C { code: format!("({check}, {place} = {})", a[2]), prec: 16, stable: false, pure: false },
            }
        }
        Builtin::PtrFieldLoad(f) | Builtin::PtrFieldRef(f) | Builtin::PtrFieldStore(f) => {
            let p = w.simple(items[0].clone(), args[0].ty, span)?;
            let what = if matches!(b, Builtin::PtrFieldStore(_)) { "ptr_setfield" } else { "ptr_getfield" };
            let check = format!("spy_ptr_check({0}.p, {0}.length, 0, \"{what}\", {1})", p.code, w.loc(span));
            let field = field_name(w, args[0].ty, f);
            let place = format!("{}.p->{field}", p.code);
            let code = match b {
                Builtin::PtrFieldLoad(_) => format!("({check}, {place})"),
                Builtin::PtrFieldRef(_) => format!("({check}, &{place})"),
                _ => format!("({check}, {place} = {})", a[1]),
            };
            C { code, prec: 16, stable: false, pure: false }
        }
        Builtin::RefFieldLoad(f) | Builtin::RefFieldRef(f) | Builtin::RefFieldStore(f) => {
            let place = format!("{}->{}", items[0].at(16), field_name(w, args[0].ty, f));
            match b {
                Builtin::RefFieldLoad(_) => C { code: place, prec: 16, stable: false, pure: false },
                Builtin::RefFieldRef(_) => C { code: format!("&{place}"), prec: 15, stable: false, pure: false },
                _ => C { code: format!("{place} = {}", a[1]), prec: 2, stable: false, pure: false },
            }
        }
        Builtin::RefLoad => C { code: format!("*{}", items[0].at(15)), prec: 15, stable: false, pure: false },
        Builtin::PtrEq | Builtin::PtrNe => {
            let op = if b == Builtin::PtrEq { "==" } else { "!=" };
            C { code: format!("{}.p {op} {}.p", items[0].at(16), items[1].at(16)), prec: 9, stable: false, pure: true }
        }
        Builtin::PtrToBool => C { code: format!("{}.p != NULL", items[0].at(16)), prec: 9, stable: false, pure: true },
        Builtin::Mem(m) => {
            // Each pointer operand becomes (base, length); the element size comes last.
            let sig = m.signature();
            let mut v = Vec::new();
            let mut elem = None;
            for (idx, kind) in sig.chars().enumerate() {
                if kind == 'p' {
                    let p = w.simple(items[idx].clone(), args[idx].ty, span)?;
                    v.push(format!("{}.p", p.code));
                    v.push(format!("{}.length", p.code));
                    elem = w.world().ptr_elem(args[idx].ty).map(|(_, t)| t);
                } else {
                    v.push(a[idx].clone());
                }
            }
            let elem = elem.expect("a memory operation has a pointer");
            v.push(format!("sizeof({})", w.c_type(elem, span)?));
            libspy_call(w, b, &v, span)
        }
        // Everything else is a call of its libspy function (C name and whether it raises
        // are in `Builtin::facts`).
        _ => libspy_call(w, b, &a, span),
    })
}

fn field_name(w: &mut Writer, ptr: crate::vm::types::TypeId, idx: u32) -> String {
    let world = w.world();
    let elem = world.ptr_elem(ptr).expect("a pointer or reference").1;
    super::names::local_name(&world.struct_fields(elem)[idx as usize].name)
}

/// `gc_alloc[T](n)`: `n` zero items, where a zero `str` is `""` (not NULL), as in the VM.
fn alloc_helper(
    w: &mut Writer,
    ptr: crate::vm::types::TypeId,
    elem: crate::vm::types::TypeId,
    ty: &str,
    elem_c: &str,
    span: crate::source::Span,
) -> VmResult<String> {
    let name = format!("spy_alloc${}", c_name(&w.world().ty(ptr).fqn));
    let zero = w.zero(elem, span)?;
    let needs_fill = !zero_is_all_bits_zero(w, elem);
    w.module_helper(name.clone(), |_| {
        let fill = if needs_fill {
            format!("    for (int32_t i = 0; i < n; i++) {{\n        r.p[i] = {zero};\n    }}\n")
        } else {
            String::new()
        };
        Ok(format!(
            "static {ty} {name}(int32_t n, const spy_Loc *loc) {{\n    \
             if (n < 0) spy_panic(\"PanicError\", \"negative allocation size\", loc);\n    \
             {ty} r = {{({elem_c} *)spy_gc_alloc((size_t)n * sizeof({elem_c})), n}};\n{fill}    return r;\n}}\n\n"
        ))
    })
}

/// Whether a type's zero value is all zero bytes in C (no `str` or `bytes` inside).
fn zero_is_all_bits_zero(w: &mut Writer, t: crate::vm::types::TypeId) -> bool {
    let world = w.world();
    match &world.ty(t).kind {
        TypeKind::Prim(p) => !matches!(p, Prim::Str | Prim::Bytes),
        TypeKind::Struct { fields, .. } => {
            let fields = fields.clone();
            fields.iter().all(|f| zero_is_all_bits_zero(w, f.ty))
        }
        _ => true,
    }
}

/// `s.split(sep)` builds a `list[str]` with the list's own `_new_empty` and `append`.
fn split_helper(w: &mut Writer, list: crate::vm::types::TypeId, span: crate::source::Span) -> VmResult<String> {
    let world = w.world();
    let (new, append) = super::program::list_builders(world, list).expect("str.split builds a list[str]");
    let ty = w.c_type(list, span)?;
    let name = format!("spy_split${}", c_name(&world.ty(list).fqn));
    let (new, append) = (c_name(&world.func(new).fqn), c_name(&world.func(append).fqn));
    w.module_helper(name.clone(), |_| {
        Ok(format!(
                "static {ty} {name}(int32_t spy_depth, spy_StrObject *s, spy_StrObject *sep, const spy_Loc *loc) {{\n    \
                 {ty} out = {new}(spy_depth + 1);\n    int32_t pos = 0;\n    spy_StrObject *part;\n    \
                 while (spy_str_split_next(s, sep, &pos, &part, loc)) {{\n        {append}(spy_depth + 1, out, part);\n    }}\n    \
                 return out;\n}}\n\n"
        ))
    })
}
