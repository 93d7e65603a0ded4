//! The VM's optimizer, run on a shifted function just before `run.rs` turns it into
//! closures. It only makes the interpreter faster: `spy0 redshift` prints, and the C
//! backend translates, the unoptimized shifted code (the C compiler inlines on its own).
//!
//! Two rewrites, enough to run a `for` over a stdlib `range` (docs/spec/LANGUAGE.md §9, §13.7)
//! about as fast as the three i32 locals the seed used before `_range.spy`:
//!
//! 1. **Inlining of leaf functions.** A call to a red function whose body is a single
//!    `return e`, where `e` only reads parameters, fields and constants, builds structs and
//!    applies operations that cannot fail (no division, no conversion), is replaced by `e`
//!    with the arguments in place of the parameters. Such a body cannot raise, so no error
//!    location changes.
//! 2. **Scalar replacement.** A struct local that is only ever assigned whole struct
//!    displays (`__make__`) and read field by field becomes one local per field. A field
//!    local assigned once, a constant, and read only after that becomes the constant
//!    (a `range` with a literal step tests one comparison).

use super::builtins::Builtin;
use super::ir::{FuncRef, Local, RExpr, RFunc, RKind, RStmt};
use super::types::{TypeId, TypeKind};
use super::value::Value;
use super::world::{FuncImpl, Shift, World};

/// Inline depth: a leaf's body has no user calls left once `__make__` is a struct
/// display, so this is only a safety bound.
const MAX_DEPTH: u32 = 4;

pub fn optimize(world: &World<'_>, f: &RFunc) -> RFunc {
    let mut f = f.clone();
    let mut body = std::mem::take(&mut f.body);
    for stmt in &mut body {
        map_stmt_exprs(stmt, &mut |e| inline_calls(world, &mut f.locals, e, 0));
    }
    f.body = body;
    scalar_replace(world, &mut f);
    f
}

/// Applies `g` to every expression directly held by `stmt`, and to the statements nested
/// in it. (`g` itself walks into sub-expressions.)
fn map_stmt_exprs(stmt: &mut RStmt, g: &mut dyn FnMut(&mut RExpr)) {
    match stmt {
        RStmt::Pass | RStmt::Break | RStmt::Continue | RStmt::Raise { .. } | RStmt::Return(None) => {}
        RStmt::Return(Some(e)) | RStmt::Expr(e) => g(e),
        RStmt::Assign { value, .. } | RStmt::AssignGlobal { value, .. } | RStmt::Unpack { value, .. } => g(value),
        RStmt::If { test, then_body, else_body } => {
            g(test);
            then_body.iter_mut().chain(else_body.iter_mut()).for_each(|s| map_stmt_exprs(s, g));
        }
        RStmt::While { test, body } => {
            g(test);
            body.iter_mut().for_each(|s| map_stmt_exprs(s, g));
        }
        RStmt::Assert { test, msg, .. } => {
            g(test);
            if let Some(m) = msg {
                g(m);
            }
        }
    }
}

/// The direct sub-expressions of `e`, and the statements of a block. (The analyses use
/// it too, on trees they own, and only read.)
fn children(e: &mut RExpr, g: &mut dyn FnMut(&mut RExpr)) {
    match &mut e.kind {
        RKind::Const(_) | RKind::Local(_) | RKind::Global(_) => {}
        RKind::Call(_, args) | RKind::MakeStruct(args) | RKind::Seq(args) => args.iter_mut().for_each(g),
        RKind::And(a, b) | RKind::Or(a, b) => {
            g(a);
            g(b);
        }
        RKind::GetField(x, _) | RKind::AssignLocal(_, x) | RKind::AssignGlobal(_, x) => g(x),
        RKind::Block(stmts, value) => {
            stmts.iter_mut().for_each(|s| map_stmt_exprs(s, g));
            g(value);
        }
    }
}

fn inline_calls(world: &World<'_>, locals: &mut Vec<Local>, e: &mut RExpr, depth: u32) {
    children(e, &mut |c| inline_calls(world, locals, c, depth));
    let RKind::Call(FuncRef::User(callee), args) = &mut e.kind else { return };
    let func = world.func(*callee);
    if let FuncImpl::Make(_) = func.imp {
        e.kind = RKind::MakeStruct(std::mem::take(args));
        return;
    }
    let Shift::Done(rfunc) = &func.shift else { return };
    let body = match rfunc.body.as_slice() {
        [RStmt::Return(Some(body))] if depth < MAX_DEPTH && rfunc.locals.len() == rfunc.n_params => body,
        _ => return,
    };
    if !is_leaf(world, body) {
        return;
    }
    // Pure arguments are read in place (the body assigns nothing). Otherwise every
    // argument is evaluated once, in order: its impure parts into new locals.
    let args = std::mem::take(args);
    let mut prelude = Vec::new();
    let all_pure = args.iter().all(is_pure);
    let mut values = Vec::with_capacity(args.len());
    for (arg, param) in args.into_iter().zip(&rfunc.locals) {
        if all_pure {
            values.push(arg);
        } else {
            values.push(purify(arg, &param.name, locals, &mut prelude));
        }
    }
    let mut inlined = substitute(body, &values);
    inline_calls(world, locals, &mut inlined, depth + 1);
    fold(&mut inlined);
    *e = if prelude.is_empty() {
        RExpr { span: e.span, ..inlined }
    } else {
        prelude.push(inlined);
        RExpr { kind: RKind::Seq(prelude), ty: e.ty, span: e.span }
    };
}

/// `e` with every impure part but struct displays evaluated into a new local (in order,
/// by `prelude`).
fn purify(e: RExpr, name: &str, locals: &mut Vec<Local>, prelude: &mut Vec<RExpr>) -> RExpr {
    match e.kind {
        RKind::Const(_) => e,
        RKind::MakeStruct(fields) => {
            let fields = fields.into_iter().map(|f| purify(f, name, locals, prelude)).collect();
            RExpr { kind: RKind::MakeStruct(fields), ..e }
        }
        _ => {
            let slot = locals.len() as u32;
            locals.push(Local { name: format!("{name}$inl"), ty: e.ty });
            let (ty, span) = (e.ty, e.span);
            prelude.push(RExpr { kind: RKind::AssignLocal(slot, Box::new(e)), ty, span });
            RExpr { kind: RKind::Local(slot), ty, span }
        }
    }
}

/// An expression that cannot fail or have effects, over parameters and constants.
fn is_leaf(world: &World<'_>, e: &RExpr) -> bool {
    match &e.kind {
        RKind::Const(_) | RKind::Local(_) => true,
        RKind::GetField(x, _) => is_leaf(world, x),
        RKind::MakeStruct(xs) => xs.iter().all(|x| is_leaf(world, x)),
        RKind::And(a, b) | RKind::Or(a, b) => is_leaf(world, a) && is_leaf(world, b),
        RKind::Call(FuncRef::Builtin(b), xs) => cannot_fail(*b) && xs.iter().all(|x| is_leaf(world, x)),
        RKind::Call(FuncRef::User(f), xs) => {
            matches!(world.func(*f).imp, FuncImpl::Make(_)) && xs.iter().all(|x| is_leaf(world, x))
        }
        _ => false,
    }
}

/// `body` with parameter `i` replaced by `values[i]`.
fn substitute(body: &RExpr, values: &[RExpr]) -> RExpr {
    let mut out = body.clone();
    fn walk(e: &mut RExpr, values: &[RExpr]) {
        if let RKind::Local(i) = e.kind {
            *e = RExpr { span: e.span, ..values[i as usize].clone() };
            return;
        }
        children(e, &mut |c| walk(c, values));
    }
    walk(&mut out, values);
    out
}

/// Folds what inlining exposes: a field of a struct display, comparisons and `and`/`or`
/// of constants.
fn fold(e: &mut RExpr) {
    children(e, &mut fold);
    let is_and = matches!(e.kind, RKind::And(..));
    match &mut e.kind {
        RKind::GetField(x, i) => {
            if let RKind::MakeStruct(fields) = &mut x.kind {
                if fields.iter().all(is_pure) {
                    let field = fields.swap_remove(*i as usize);
                    *e = RExpr { span: e.span, ..field };
                }
            }
        }
        RKind::Call(FuncRef::Builtin(Builtin::Cmp(op, p)), args) if p.is_int() => {
            if let [RExpr { kind: RKind::Const(a), .. }, RExpr { kind: RKind::Const(b), .. }] = args.as_slice() {
                e.kind = RKind::Const(Value::Bool(super::ops::compare(*op, *p, a, b)));
            }
        }
        RKind::And(a, b) | RKind::Or(a, b) => {
            if let RKind::Const(Value::Bool(x)) = a.kind {
                // `True and b` is b, `False and b` is False; dually for `or`.
                let (a, b) = (a.as_ref().clone(), b.as_ref().clone());
                *e = if x == is_and { b } else { a };
            } else if matches!(b.kind, RKind::Const(Value::Bool(y)) if y == is_and) {
                // `a and True`, `a or False`: a.
                *e = a.as_ref().clone();
            }
        }
        _ => {}
    }
}

/// Reads locals and constants only.
fn is_pure(e: &RExpr) -> bool {
    match &e.kind {
        RKind::Const(_) | RKind::Local(_) => true,
        RKind::GetField(x, _) => is_pure(x),
        RKind::MakeStruct(xs) => xs.iter().all(is_pure),
        RKind::And(a, b) | RKind::Or(a, b) => is_pure(a) && is_pure(b),
        RKind::Call(FuncRef::Builtin(b), xs) => cannot_fail(*b) && xs.iter().all(is_pure),
        _ => false,
    }
}

/// How a local is used, for scalar replacement.
#[derive(Clone, Copy, PartialEq)]
enum Use {
    Unused,
    /// Only `x.field` reads and `x = T(...)` displays.
    Fields,
    Other,
}

fn scalar_replace(world: &World<'_>, f: &mut RFunc) {
    let n = f.locals.len();
    let mut uses = vec![Use::Unused; n];
    for (i, u) in uses.iter_mut().enumerate() {
        if i < f.n_params || struct_fields(world, f.locals[i].ty).is_none() {
            *u = Use::Other;
        }
    }
    for stmt in &mut f.body {
        scan_stmt(stmt, &mut uses);
    }
    let mut split: Vec<Option<Vec<u32>>> = vec![None; n];
    for i in 0..n {
        if uses[i] != Use::Fields {
            continue;
        }
        let fields = struct_fields(world, f.locals[i].ty).expect("struct");
        let mut slots = Vec::new();
        for (name, ty) in fields {
            slots.push(f.locals.len() as u32);
            f.locals.push(Local { name: format!("{}.{name}", f.locals[i].name), ty });
        }
        split[i] = Some(slots);
    }
    if split.iter().all(Option::is_none) {
        return;
    }
    let mut body = std::mem::take(&mut f.body);
    rewrite_block(&mut body, &mut f.locals, &split);
    // Only the new field locals may become constants (the user's locals stay as written).
    let consts = constant_locals(&mut body, n..f.locals.len());
    if consts.iter().any(Option::is_some) {
        replace_constants(&mut body, &consts);
    }
    f.body = body;
}

fn struct_fields(world: &World<'_>, t: TypeId) -> Option<Vec<(String, TypeId)>> {
    match &world.ty(t).kind {
        TypeKind::Struct { fields, .. } => Some(fields.iter().map(|f| (f.name.clone(), f.ty)).collect()),
        _ => None,
    }
}

fn scan_stmt(stmt: &mut RStmt, uses: &mut [Use]) {
    match stmt {
        RStmt::Assign { slot, value, .. } => {
            match display_of(value) {
                Some((prelude, fields)) => prelude.iter_mut().chain(fields).for_each(|x| scan_expr(x, uses)),
                None => {
                    mark(uses, *slot, Use::Other);
                    scan_expr(value, uses);
                }
            }
            mark(uses, *slot, Use::Fields);
        }
        RStmt::Unpack { slots, value } => {
            slots.iter().for_each(|s| mark(uses, *s, Use::Other));
            scan_expr(value, uses);
        }
        RStmt::If { test, then_body, else_body } => {
            scan_expr(test, uses);
            then_body.iter_mut().chain(else_body).for_each(|s| scan_stmt(s, uses));
        }
        RStmt::While { test, body } => {
            scan_expr(test, uses);
            body.iter_mut().for_each(|s| scan_stmt(s, uses));
        }
        RStmt::Return(Some(e)) | RStmt::Expr(e) | RStmt::AssignGlobal { value: e, .. } => scan_expr(e, uses),
        RStmt::Assert { test, msg, .. } => {
            scan_expr(test, uses);
            if let Some(m) = msg {
                scan_expr(m, uses);
            }
        }
        RStmt::Pass | RStmt::Break | RStmt::Continue | RStmt::Return(None) | RStmt::Raise { .. } => {}
    }
}

/// A struct display, maybe after expressions evaluated first (an inlined call's
/// arguments): `(prelude, fields)`.
fn display_of(e: &mut RExpr) -> Option<(&mut [RExpr], &mut [RExpr])> {
    match &mut e.kind {
        RKind::MakeStruct(fields) => Some((&mut [], fields)),
        RKind::Seq(items) => match items.split_last_mut() {
            Some((RExpr { kind: RKind::MakeStruct(fields), .. }, prelude)) => Some((prelude, fields)),
            _ => None,
        },
        _ => None,
    }
}

fn scan_expr(e: &mut RExpr, uses: &mut [Use]) {
    match &mut e.kind {
        RKind::GetField(x, _) if matches!(x.kind, RKind::Local(_)) => {
            let RKind::Local(s) = x.kind else { unreachable!() };
            mark(uses, s, Use::Fields);
        }
        RKind::Local(s) => mark(uses, *s, Use::Other),
        RKind::AssignLocal(s, x) => {
            mark(uses, *s, Use::Other);
            scan_expr(x, uses);
        }
        RKind::Block(stmts, value) => {
            stmts.iter_mut().for_each(|s| scan_stmt(s, uses));
            scan_expr(value, uses);
        }
        _ => children(e, &mut |c| scan_expr(c, uses)),
    }
}

fn mark(uses: &mut [Use], slot: u32, u: Use) {
    let cur = &mut uses[slot as usize];
    if *cur == Use::Other || u == Use::Other {
        *cur = Use::Other;
    } else {
        *cur = u;
    }
}

fn rewrite_block(block: &mut Vec<RStmt>, locals: &mut Vec<Local>, split: &[Option<Vec<u32>>]) {
    let old = std::mem::take(block);
    for mut stmt in old {
        if let RStmt::Assign { slot, value, first } = &mut stmt {
            if let Some(slots) = &split[*slot as usize] {
                let (prelude, fields) = match std::mem::replace(&mut value.kind, RKind::Seq(vec![])) {
                    RKind::MakeStruct(fields) => (vec![], fields),
                    RKind::Seq(mut items) => match items.pop().map(|last| last.kind) {
                        Some(RKind::MakeStruct(fields)) => (items, fields),
                        _ => unreachable!("scan_stmt saw a display"),
                    },
                    _ => unreachable!("scan_stmt saw a display"),
                };
                for mut e in prelude {
                    rewrite_expr(&mut e, locals, split);
                    block.push(RStmt::Expr(e));
                }
                assign_fields(block, locals, slots, fields, *first, split);
                continue;
            }
        }
        map_stmt_exprs(&mut stmt, &mut |e| rewrite_expr(e, locals, split));
        match &mut stmt {
            RStmt::If { then_body, else_body, .. } => {
                rewrite_block(then_body, locals, split);
                rewrite_block(else_body, locals, split);
            }
            RStmt::While { body, .. } => rewrite_block(body, locals, split),
            _ => {}
        }
        block.push(stmt);
    }
}

/// `x = T(f0, f1, ...)` as `x.0 = f0; x.1 = f1; ...`, in order. A field whose old value
/// a later field reads is first computed into a fresh local and stored at the end.
fn assign_fields(
    out: &mut Vec<RStmt>,
    locals: &mut Vec<Local>,
    slots: &[u32],
    fields: Vec<RExpr>,
    first: bool,
    split: &[Option<Vec<u32>>],
) {
    let fields: Vec<RExpr> = fields
        .into_iter()
        .map(|mut f| {
            rewrite_expr(&mut f, locals, split);
            f
        })
        .collect();
    let mut fields = fields;
    let reads: Vec<Vec<u32>> = fields.iter_mut().map(locals_read).collect();
    let mut delayed = Vec::new();
    for (j, field) in fields.into_iter().enumerate() {
        let slot = slots[j];
        if matches!(field.kind, RKind::Local(s) if s == slot) {
            continue; // `x.j = x.j`
        }
        if reads[j + 1..].iter().any(|r| r.contains(&slot)) {
            let temp = locals.len() as u32;
            locals.push(Local { name: format!("{}$old", locals[slot as usize].name), ty: field.ty });
            let (ty, span) = (field.ty, field.span);
            out.push(RStmt::Assign { slot: temp, value: field, first: true });
            delayed.push((slot, RExpr { kind: RKind::Local(temp), ty, span }));
        } else {
            out.push(RStmt::Assign { slot, value: field, first });
        }
    }
    for (slot, value) in delayed {
        out.push(RStmt::Assign { slot, value, first });
    }
}

fn locals_read(e: &mut RExpr) -> Vec<u32> {
    let mut out = Vec::new();
    fn walk(e: &mut RExpr, out: &mut Vec<u32>) {
        if let RKind::Local(s) = e.kind {
            out.push(s);
        }
        children(e, &mut |c| walk(c, out));
    }
    walk(e, &mut out);
    out
}

fn rewrite_expr(e: &mut RExpr, locals: &mut Vec<Local>, split: &[Option<Vec<u32>>]) {
    match &mut e.kind {
        RKind::GetField(x, i) => {
            if let RKind::Local(s) = x.kind {
                if let Some(slots) = &split[s as usize] {
                    e.kind = RKind::Local(slots[*i as usize]);
                    return;
                }
            }
        }
        RKind::Block(stmts, value) => {
            rewrite_block(stmts, locals, split);
            rewrite_expr(value, locals, split);
            return;
        }
        _ => {}
    }
    children(e, &mut |c| rewrite_expr(c, locals, split));
}

/// Locals assigned exactly once, a constant, and read only by the statements that
/// follow that assignment in its block: they hold that constant wherever they are read.
fn constant_locals(body: &mut [RStmt], candidates: std::ops::Range<usize>) -> Vec<Option<Value>> {
    let n = candidates.end;
    let mut assigns = vec![0u32; n];
    let mut reads = vec![0u32; n];
    count_uses(body, &mut assigns, &mut reads);
    let mut out = vec![None; n];
    find_constants(body, &candidates, &assigns, &reads, &mut out);
    out
}

fn count_uses(stmts: &mut [RStmt], assigns: &mut [u32], reads: &mut [u32]) {
    for stmt in stmts {
        count_stmt(stmt, assigns, reads);
    }
}

fn count_stmt(stmt: &mut RStmt, assigns: &mut [u32], reads: &mut [u32]) {
    match stmt {
        RStmt::Assign { slot, value, .. } => {
            assigns[*slot as usize] += 1;
            count_expr(value, assigns, reads);
        }
        RStmt::Unpack { slots, value } => {
            slots.iter().for_each(|s| assigns[*s as usize] += 2);
            count_expr(value, assigns, reads);
        }
        RStmt::If { test, then_body, else_body } => {
            count_expr(test, assigns, reads);
            count_uses(then_body, assigns, reads);
            count_uses(else_body, assigns, reads);
        }
        RStmt::While { test, body } => {
            count_expr(test, assigns, reads);
            count_uses(body, assigns, reads);
        }
        RStmt::Return(Some(e)) | RStmt::Expr(e) | RStmt::AssignGlobal { value: e, .. } => count_expr(e, assigns, reads),
        RStmt::Assert { test, msg, .. } => {
            count_expr(test, assigns, reads);
            if let Some(m) = msg {
                count_expr(m, assigns, reads);
            }
        }
        RStmt::Pass | RStmt::Break | RStmt::Continue | RStmt::Return(None) | RStmt::Raise { .. } => {}
    }
}

fn count_expr(e: &mut RExpr, assigns: &mut [u32], reads: &mut [u32]) {
    match &mut e.kind {
        RKind::Local(s) => reads[*s as usize] += 1,
        RKind::AssignLocal(s, x) => {
            assigns[*s as usize] += 1;
            count_expr(x, assigns, reads);
        }
        RKind::Block(stmts, value) => {
            count_uses(stmts, assigns, reads);
            count_expr(value, assigns, reads);
        }
        _ => children(e, &mut |c| count_expr(c, assigns, reads)),
    }
}

fn find_constants(
    block: &mut [RStmt],
    candidates: &std::ops::Range<usize>,
    assigns: &[u32],
    reads: &[u32],
    out: &mut [Option<Value>],
) {
    for k in 0..block.len() {
        let (before, rest) = block.split_at_mut(k + 1);
        match &mut before[k] {
            RStmt::Assign { slot, value: RExpr { kind: RKind::Const(v), .. }, .. }
                if candidates.contains(&(*slot as usize)) && assigns[*slot as usize] == 1 =>
            {
                let mut after = vec![0u32; reads.len()];
                let mut ignored = vec![0u32; reads.len()];
                count_uses(rest, &mut ignored, &mut after);
                if after[*slot as usize] == reads[*slot as usize] {
                    out[*slot as usize] = Some(v.clone());
                }
            }
            RStmt::If { then_body, else_body, .. } => {
                find_constants(then_body, candidates, assigns, reads, out);
                find_constants(else_body, candidates, assigns, reads, out);
            }
            RStmt::While { body, .. } => find_constants(body, candidates, assigns, reads, out),
            _ => {}
        }
    }
}

fn replace_constants(body: &mut Vec<RStmt>, consts: &[Option<Value>]) {
    body.retain(|s| !matches!(s, RStmt::Assign { slot, .. } if consts[*slot as usize].is_some()));
    for stmt in body.iter_mut() {
        map_stmt_exprs(stmt, &mut |e| {
            replace_in_expr(e, consts);
            fold(e);
        });
        match stmt {
            RStmt::If { then_body, else_body, .. } => {
                replace_constants(then_body, consts);
                replace_constants(else_body, consts);
            }
            RStmt::While { body, .. } => replace_constants(body, consts),
            _ => {}
        }
    }
}

fn replace_in_expr(e: &mut RExpr, consts: &[Option<Value>]) {
    if let RKind::Local(s) = e.kind {
        if let Some(v) = &consts[s as usize] {
            e.kind = RKind::Const(v.clone());
        }
        return;
    }
    children(e, &mut |c| replace_in_expr(c, consts));
}

/// A builtin that can neither raise nor have effects (its row in `Builtin::facts`).
fn cannot_fail(b: Builtin) -> bool {
    let facts = b.facts();
    !facts.raises && !facts.effects
}
