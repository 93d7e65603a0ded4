//! Statements and blocks. Python's statement grammar is parsed in full, so that a
//! Python syntax error anywhere wins; constructs SPy does not support (LANGUAGE.md
//! §1.5, §7) are recorded as rejections and parsed past.

use super::expr::starts_expression;
use super::{PResult, Parser, Toks, MAX_INDENT_LEVELS};
use crate::ast::{BinOp, Expr, ExprKind, Import, Literal, Stmt, StmtKind, VarDef, VarKind};
use crate::source::Span;
use crate::token::TokenKind as K;

/// Where a statement appears: some statements mean different things in each.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    Module,
    Function,
    Class,
}

/// What one source statement turns into.
pub(super) enum Item<'a> {
    Stmt(&'a Stmt<'a>),
    /// `import`/`from ... import`, one entry per imported name (module level only).
    Imports(Vec<Import>),
}

impl<'a, 's> Parser<'a, 's> {
    // statements: statement+     (until the DEDENT or ENDMARKER that ends the block)
    pub(super) fn statements<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let mut items = Vec::new();
        let mut i = i;
        while !matches!(i.kind(), K::Dedent | K::EndMarker) {
            let (rest, mut new_items) = self.statement(i, ctx)?;
            items.append(&mut new_items);
            i = rest;
        }
        Ok((i, items))
    }

    // statement: compound_stmt | simple_stmts
    fn statement<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let stmt = |res: PResult<'t, &'a Stmt<'a>>| res.map(|(i, s)| (i, vec![Item::Stmt(s)]));
        match i.kind() {
            K::If => stmt(self.if_stmt(i, ctx, "'if' statement")),
            K::While => stmt(self.while_stmt(i, ctx)),
            K::For => stmt(self.for_stmt(i, ctx)),
            K::Def | K::At | K::Class => stmt(self.decorated(i, ctx)),
            K::Try => self.try_stmt(i, ctx),
            K::With => self.with_stmt(i, ctx, None),
            K::Async => self.async_stmt(i, ctx),
            K::Indent => self.fail(i, "unexpected indent"),
            K::Name if self.text_of(i.peek().span) == "match" => match self.match_stmt(i, ctx) {
                Some(res) => res,
                None => self.simple_stmts(i, ctx),
            },
            _ => self.simple_stmts(i, ctx),
        }
    }

    // block: NEWLINE INDENT statements DEDENT | simple_stmts
    // `what` completes CPython's "expected an indented block after ..." message.
    pub(super) fn block<'t>(&self, i: Toks<'t>, ctx: Ctx, what: &str, line: usize) -> PResult<'t, Vec<Item<'a>>> {
        if i.kind() != K::Newline {
            return self.simple_stmts(i, ctx);
        }
        let i = i.advance(1);
        if i.kind() != K::Indent {
            return self.fail(i, format!("expected an indented block after {what} on line {line}"));
        }
        if self.indent_levels.get() >= MAX_INDENT_LEVELS {
            return self.fail(i, "too many levels of indentation");
        }
        self.indent_levels.set(self.indent_levels.get() + 1);
        let res = self.nested(i.advance(1), |i| self.statements(i, ctx));
        self.indent_levels.set(self.indent_levels.get() - 1);
        let (i, items) = res?;
        if i.kind() == K::Dedent {
            return Ok((i.advance(1), items));
        }
        Ok((i, items))
    }

    /// A block whose statements must all be plain statements (imports are rejected).
    pub(super) fn stmt_block<'t>(
        &self,
        i: Toks<'t>,
        ctx: Ctx,
        what: &str,
        line: usize,
    ) -> PResult<'t, Vec<&'a Stmt<'a>>> {
        let (i, items) = self.block(i, ctx, what, line)?;
        Ok((i, self.only_stmts(items)))
    }

    pub(super) fn only_stmts(&self, items: Vec<Item<'a>>) -> Vec<&'a Stmt<'a>> {
        let mut stmts = Vec::new();
        for item in items {
            if let Item::Stmt(stmt) = item {
                stmts.push(stmt);
            }
        }
        stmts
    }

    fn line_of(&self, span: Span) -> usize {
        self.sources.file(self.file).line_of(span.start)
    }

    fn stmt(&self, kind: StmtKind<'a>, span: Span) -> &'a Stmt<'a> {
        self.arena.stmt(kind, span)
    }

    // simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
    fn simple_stmts<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let mut items = Vec::new();
        let mut i = i;
        loop {
            let (rest, mut new_items) = self.simple_stmt(i, ctx)?;
            items.append(&mut new_items);
            i = rest;
            match i.kind() {
                K::Semi => {
                    i = i.advance(1);
                    if i.kind() == K::Newline {
                        return Ok((i.advance(1), items));
                    }
                }
                K::Newline => return Ok((i.advance(1), items)),
                K::EndMarker => return Ok((i, items)),
                _ => return self.invalid(i),
            }
        }
    }

    // simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt
    //            | 'pass' | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue'
    //            | global_stmt | nonlocal_stmt | type_alias
    fn simple_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let tok = i.peek();
        let one = |i: Toks<'t>, kind: StmtKind<'a>, span: Span| Ok((i, vec![Item::Stmt(self.stmt(kind, span))]));
        match tok.kind {
            K::Pass => one(i.advance(1), StmtKind::Pass, tok.span),
            K::Break => one(i.advance(1), StmtKind::Break, tok.span),
            K::Continue => one(i.advance(1), StmtKind::Continue, tok.span),
            K::Return => {
                let i = i.advance(1);
                if !starts_expression(i.peek()) {
                    return one(i, StmtKind::Return(None), tok.span);
                }
                let (i, value) = self.star_expressions(i)?;
                one(i, StmtKind::Return(Some(value)), tok.span.to(value.span))
            }
            K::Raise => self.raise_stmt(i),
            K::Assert => {
                let (i, test) = self.expression(i.advance(1))?;
                let (i, msg) = if i.kind() == K::Comma {
                    let (i, msg) = self.expression(i.advance(1))?;
                    (i, Some(msg))
                } else {
                    (i, None)
                };
                one(i, StmtKind::Assert { test, msg }, tok.span.to(i.prev_span()))
            }
            K::Del => {
                let (i, _targets) = self.target_list(i.advance(1))?;
                self.reject_unimplemented(tok.span.to(i.prev_span()), "Delete");
                Ok((i, vec![]))
            }
            K::Global | K::Nonlocal => {
                let mut i = i.advance(1);
                loop {
                    let (rest, _) = self.expect(i, K::Name)?;
                    i = rest;
                    if i.kind() != K::Comma {
                        break;
                    }
                    i = i.advance(1);
                }
                let what = if tok.kind == K::Global { "Global" } else { "Nonlocal" };
                self.reject_unimplemented(tok.span.to(i.prev_span()), what);
                Ok((i, vec![]))
            }
            K::Import | K::From => self.import_stmt(i, ctx),
            K::Var | K::Const => self.vardef_stmt(i),
            K::Name
                if self.text_of(tok.span) == "type"
                    && i.peek_at(1).kind == K::Name
                    && matches!(i.peek_at(2).kind, K::Equal | K::LBracket) =>
            {
                self.type_alias(i)
            }
            _ => self.expr_or_assign(i),
        }
    }

    // raise_stmt: 'raise' expression ['from' expression] | 'raise'
    fn raise_stmt<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<Item<'a>>> {
        let kw = i.peek().span;
        let i = i.advance(1);
        if !starts_expression(i.peek()) {
            self.reject_unimplemented(kw, "bare raise");
            return Ok((i, vec![]));
        }
        let (i, exc) = self.expression(i)?;
        if i.kind() == K::From {
            let (i, _cause) = self.expression(i.advance(1))?;
            self.reject_unimplemented(kw.to(i.prev_span()), "raise ... from ...");
            return Ok((i, vec![]));
        }
        Ok((i, vec![Item::Stmt(self.stmt(StmtKind::Raise(exc), kw.to(exc.span)))]))
    }

    // type_alias: "type" NAME [type_params] '=' expression
    fn type_alias<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<Item<'a>>> {
        let start = i.peek().span;
        let mut i = i.advance(2);
        if i.kind() == K::LBracket {
            let (rest, _params) = self.type_params(i)?;
            i = rest;
        }
        let (i, _) = self.expect(i, K::Equal)?;
        let (i, value) = self.expression(i)?;
        self.reject_unimplemented(start.to(value.span), "TypeAlias");
        Ok((i, vec![]))
    }

    // vardef: ('var' | 'const') NAME [':' expression] ['=' annotated_rhs]
    fn vardef_stmt<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<Item<'a>>> {
        let kw = i.peek();
        let kind = if kw.kind == K::Var { VarKind::Var } else { VarKind::Const };
        let name = i.peek_at(1);
        let mut i = i.advance(2);
        let mut ty = None;
        if i.kind() == K::Colon {
            let (rest, t) = self.expression(i.advance(1))?;
            ty = Some(t);
            i = rest;
        }
        let mut value = None;
        if i.kind() == K::Equal {
            let (rest, v) = self.annotated_rhs(i.advance(1))?;
            value = Some(v);
            i = rest;
        }
        let span = kw.span.to(i.prev_span());
        if ty.is_none() && value.is_none() {
            let word = self.text_of(kw.span);
            let message = format!("`{word}` declaration without a type or a value");
            self.reject(span, message, "add a type (`: T`), a value (`= ...`), or both");
        }
        let vardef = self.arena.vardef(VarDef {
            kind: Some(kind),
            name: self.name_of(name),
            name_span: name.span,
            ty,
            value,
            span,
        });
        Ok((i, vec![Item::Stmt(self.stmt(StmtKind::VarDef(vardef), span))]))
    }

    // annotated_rhs: yield_expr | star_expressions
    fn annotated_rhs<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        if i.kind() == K::Yield {
            return self.yield_expr(i);
        }
        self.star_expressions(i)
    }

    // assignment: NAME ':' expression ['=' annotated_rhs]
    //           | (star_targets '=')+ (yield_expr | star_expressions)
    //           | single_target augassign (yield_expr | star_expressions)
    // star_expressions
    fn expr_or_assign<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<Item<'a>>> {
        let parenthesized = i.kind() == K::LParen;
        let (i, first) = if i.kind() == K::Yield { self.yield_expr(i)? } else { self.star_expressions(i)? };
        match i.kind() {
            K::Colon => self.annotated_assign(i, first, parenthesized),
            K::Equal => self.assign(i, first),
            kind => match augassign_op(kind) {
                Some(op) => self.aug_assign(i, first, op),
                None => Ok((i, vec![Item::Stmt(self.stmt(StmtKind::Expr(first), first.span))])),
            },
        }
    }

    fn annotated_assign<'t>(
        &self,
        i: Toks<'t>,
        target: &'a Expr<'a>,
        parenthesized: bool,
    ) -> PResult<'t, Vec<Item<'a>>> {
        let start = i;
        let (i, ty) = self.expression(i.advance(1))?;
        let (i, value) = if i.kind() == K::Equal {
            let (i, v) = self.annotated_rhs(i.advance(1))?;
            (i, Some(v))
        } else {
            (i, None)
        };
        let span = target.span.to(i.prev_span());
        let name = match &target.kind {
            ExprKind::Name(name) if !parenthesized => *name,
            ExprKind::Name(_) | ExprKind::GetAttr { .. } | ExprKind::GetItem { .. } => {
                self.reject(span, "not supported: assignments targets with parentheses", "this is not supported");
                return Ok((i, vec![]));
            }
            ExprKind::Tuple(_) => return self.fail(start, "only single target (not tuple) can be annotated"),
            ExprKind::List(_) => return self.fail(start, "only single target (not list) can be annotated"),
            _ => return self.fail(start, "illegal target for annotation"),
        };
        let vardef = self.arena.vardef(VarDef { kind: None, name, name_span: target.span, ty: Some(ty), value, span });
        Ok((i, vec![Item::Stmt(self.stmt(StmtKind::VarDef(vardef), span))]))
    }

    fn assign<'t>(&self, i: Toks<'t>, first: &'a Expr<'a>) -> PResult<'t, Vec<Item<'a>>> {
        let mut targets = vec![(first, i)];
        let mut i = i;
        let value = loop {
            let rhs_start = i.advance(1);
            let (rest, rhs) = self.annotated_rhs(rhs_start)?;
            i = rest;
            if i.kind() != K::Equal {
                break rhs;
            }
            targets.push((rhs, i));
        };
        for (target, at) in &targets {
            if let Some(what) = invalid_target(target) {
                let message = match what {
                    "True" | "False" | "None" | "__debug__" => format!("cannot assign to {what}"),
                    _ => format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?"),
                };
                let line = self.line_of(target.span);
                let _ = at;
                let diag = self.syntax_error_on_line(line, message);
                return Err(nom::Err::Failure(super::PError::Hard(Box::new(diag))));
            }
        }
        let span = first.span.to(value.span);
        if targets.len() > 1 {
            self.reject_unimplemented(span, "assign to multiple targets");
            return Ok((i, vec![]));
        }
        Ok((i, self.assign_to(first, value, span).into_iter().collect()))
    }

    /// The SPy statement for `target = value` (a valid Python target).
    fn assign_to(&self, target: &'a Expr<'a>, value: &'a Expr<'a>, span: Span) -> Option<Item<'a>> {
        let kind = match &target.kind {
            ExprKind::Name(name) => StmtKind::Assign { target: *name, target_span: target.span, value },
            ExprKind::GetAttr { value: obj, attr, attr_span } => {
                StmtKind::SetAttr { target: obj, attr: *attr, attr_span: *attr_span, value }
            }
            ExprKind::GetItem { value: obj, args } => StmtKind::SetItem { target: obj, args: args.clone(), value },
            ExprKind::Tuple(items) => {
                let mut targets = Vec::new();
                for item in items {
                    match item.kind {
                        ExprKind::Name(name) => targets.push((name, item.span)),
                        _ => {
                            self.reject(
                                target.span,
                                "not implemented yet: nested or starred unpacking targets",
                                "this is not supported",
                            );
                            return None;
                        }
                    }
                }
                StmtKind::UnpackAssign { targets, value }
            }
            _ => {
                self.reject_unimplemented(target.span, "assign to complex expressions");
                return None;
            }
        };
        Some(Item::Stmt(self.stmt(kind, span)))
    }

    fn aug_assign<'t>(&self, i: Toks<'t>, target: &'a Expr<'a>, op: BinOp) -> PResult<'t, Vec<Item<'a>>> {
        let what = match &target.kind {
            ExprKind::Name(_) | ExprKind::GetAttr { .. } | ExprKind::GetItem { .. } => None,
            ExprKind::Tuple(_) => Some("tuple"),
            ExprKind::List(_) => Some("list"),
            _ => Some(invalid_target(target).unwrap_or("expression")),
        };
        if let Some(what) = what {
            let line = self.line_of(target.span);
            let diag =
                self.syntax_error_on_line(line, format!("'{what}' is an illegal expression for augmented assignment"));
            return Err(nom::Err::Failure(super::PError::Hard(Box::new(diag))));
        }
        let (i, value) = self.annotated_rhs(i.advance(1))?;
        let span = target.span.to(value.span);
        match target.kind {
            ExprKind::Name(name) => {
                let kind = StmtKind::AugAssign { op, target: name, target_span: target.span, value };
                Ok((i, vec![Item::Stmt(self.stmt(kind, span))]))
            }
            _ => {
                self.reject_unimplemented(span, "assign to complex expressions");
                Ok((i, vec![]))
            }
        }
    }

    /// A condition of `if`/`elif`/`while`. `if x = 1:` gets CPython's hint.
    fn condition<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let (i, test) = self.named_expression(i)?;
        if i.kind() == K::Equal {
            return self.fail(i, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        }
        Ok((i, test))
    }

    /// `':'` before a block, or CPython's `expected ':'`.
    fn colon<'t>(&self, i: Toks<'t>) -> PResult<'t, ()> {
        if i.kind() != K::Colon {
            return self.fail(i, "expected ':'");
        }
        Ok((i.advance(1), ()))
    }

    // if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
    // elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block])
    fn if_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx, what: &str) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let line = self.line_of(kw);
        let (i, test) = self.condition(i.advance(1))?;
        let (i, _) = self.colon(i)?;
        let (i, then_body) = self.stmt_block(i, ctx, what, line)?;
        let (i, else_body) = match i.kind() {
            K::Elif => {
                let (i, elif) = self.if_stmt(i, ctx, "'elif' statement")?;
                (i, vec![elif])
            }
            K::Else => self.else_block(i, ctx)?,
            _ => (i, vec![]),
        };
        Ok((i, self.stmt(StmtKind::If { test, then_body, else_body }, kw.to(i.prev_span()))))
    }

    // else_block: 'else' ':' block
    fn else_block<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<&'a Stmt<'a>>> {
        let line = self.line_of(i.peek().span);
        let (i, _) = self.colon(i.advance(1))?;
        self.stmt_block(i, ctx, "'else' statement", line)
    }

    // while_stmt: 'while' named_expression ':' block [else_block]
    fn while_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let (i, test) = self.condition(i.advance(1))?;
        let (i, _) = self.colon(i)?;
        let (i, body) = self.stmt_block(i, ctx, "'while' statement", self.line_of(kw))?;
        let i = if i.kind() == K::Else {
            let (i, _) = self.else_block(i, ctx)?;
            self.reject(kw, "not implemented yet: `else` clause in `while` loops", "this is not supported");
            i
        } else {
            i
        };
        Ok((i, self.stmt(StmtKind::While { test, body }, kw.to(i.prev_span()))))
    }

    // for_stmt: 'for' star_targets 'in' star_expressions ':' block [else_block]
    fn for_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let index = self.for_counter.get();
        self.for_counter.set(index + 1);
        let (i, target) = self.target_list(i.advance(1))?;
        if let Some(what) = invalid_target(target) {
            let diag = self.syntax_error_on_line(self.line_of(target.span), format!("cannot assign to {what}"));
            return Err(nom::Err::Failure(super::PError::Hard(Box::new(diag))));
        }
        if i.kind() != K::In {
            return self.invalid(i);
        }
        let (i, iter) = self.star_expressions(i.advance(1))?;
        let (i, _) = self.colon(i)?;
        let (i, body) = self.stmt_block(i, ctx, "'for' statement", self.line_of(kw))?;
        let i = if i.kind() == K::Else {
            let (i, _) = self.else_block(i, ctx)?;
            self.reject(kw, "not implemented yet: `else` clause in `for` loops", "this is not supported");
            i
        } else {
            i
        };
        let (name, target_span) = match target.kind {
            ExprKind::Name(name) => (name, target.span),
            _ => {
                self.reject_unimplemented(target.span, "complex for loop targets");
                (self.intern("_"), target.span)
            }
        };
        let kind = StmtKind::For { index, target: name, target_span, iter, body };
        Ok((i, self.stmt(kind, kw.to(i.prev_span()))))
    }

    // try_stmt: 'try' ':' block (except_block+ [else_block] [finally_block] | finally_block)
    fn try_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let kw = i.peek().span;
        let (i, _) = self.colon(i.advance(1))?;
        let (mut i, _) = self.block(i, ctx, "'try' statement", self.line_of(kw))?;
        let mut handlers = 0;
        while i.kind() == K::Except {
            let line = self.line_of(i.peek().span);
            i = i.advance(1);
            if i.kind() == K::Star {
                i = i.advance(1);
            }
            if i.kind() != K::Colon {
                let (rest, _ty) = self.expression(i)?;
                i = rest;
                if i.kind() == K::As {
                    let (rest, _) = self.expect(i.advance(1), K::Name)?;
                    i = rest;
                }
            }
            let (rest, _) = self.colon(i)?;
            let (rest, _) = self.block(rest, ctx, "'except' statement", line)?;
            i = rest;
            handlers += 1;
        }
        if handlers > 0 && i.kind() == K::Else {
            let (rest, _) = self.else_block(i, ctx)?;
            i = rest;
        }
        if i.kind() == K::Finally {
            let line = self.line_of(i.peek().span);
            let (rest, _) = self.colon(i.advance(1))?;
            let (rest, _) = self.block(rest, ctx, "'finally' statement", line)?;
            i = rest;
        } else if handlers == 0 {
            return self.fail(i, "expected 'except' or 'finally' block");
        }
        self.reject_unimplemented(kw.to(i.prev_span()), "Try");
        Ok((i, vec![]))
    }

    // with_stmt: 'with' ','.with_item+ ':' block    with_item: expression ['as' star_target]
    pub(super) fn with_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx, async_kw: Option<Span>) -> PResult<'t, Vec<Item<'a>>> {
        let kw = i.peek().span;
        let mut i = i.advance(1);
        loop {
            let (rest, _item) = self.expression(i)?;
            i = rest;
            if i.kind() == K::As {
                let (rest, _target) = self.target_list(i.advance(1))?;
                i = rest;
            }
            if i.kind() != K::Comma {
                break;
            }
            i = i.advance(1);
        }
        let (i, _) = self.colon(i)?;
        let (i, _) = self.block(i, ctx, "'with' statement", self.line_of(kw))?;
        let (start, what) = match async_kw {
            Some(a) => (a, "AsyncWith"),
            None => (kw, "With"),
        };
        self.reject_unimplemented(start.to(i.prev_span()), what);
        Ok((i, vec![]))
    }

    // 'async' (function_def | for_stmt | with_stmt)
    fn async_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let kw = i.peek().span;
        let rest = i.advance(1);
        let (i, what) = match rest.kind() {
            K::Def => (self.decorated(rest, ctx)?.0, "AsyncFunctionDef"),
            K::For => (self.for_stmt(rest, ctx)?.0, "AsyncFor"),
            K::With => return self.with_stmt(rest, ctx, Some(kw)),
            _ => return self.invalid(rest),
        };
        self.reject_unimplemented(kw.to(i.prev_span()), what);
        Ok((i, vec![]))
    }

    // match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
    // `match` is a soft keyword: when the line does not have this shape, it is a name.
    // Case patterns are not checked (the statement is rejected anyway).
    fn match_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx) -> Option<PResult<'t, Vec<Item<'a>>>> {
        let _ = ctx;
        let kw = i.peek().span;
        let saved = self.rejected.borrow().clone();
        let subject = self.star_expressions(i.advance(1));
        let restore = || *self.rejected.borrow_mut() = saved.clone();
        let Ok((i, _subject)) = subject else {
            restore();
            return None;
        };
        if i.kind() != K::Colon || i.peek_at(1).kind != K::Newline {
            restore();
            return None;
        }
        restore();
        let i = i.advance(2);
        if i.kind() != K::Indent {
            return Some(
                self.fail(
                    i,
                    format!("expected an indented block after 'match' statement on line {}", self.line_of(kw)),
                ),
            );
        }
        let mut depth = 0usize;
        let mut n = 0;
        loop {
            match i.peek_at(n).kind {
                K::Indent => depth += 1,
                K::Dedent => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                K::Error => return Some(self.fail(i.advance(n), "invalid syntax")),
                K::EndMarker => break,
                _ => {}
            }
            n += 1;
        }
        let i = i.advance(n + 1);
        self.reject_unimplemented(kw.to(i.prev_span()), "Match");
        Some(Ok((i, vec![])))
    }
}

fn augassign_op(kind: K) -> Option<BinOp> {
    Some(match kind {
        K::PlusEqual => BinOp::Add,
        K::MinusEqual => BinOp::Sub,
        K::StarEqual => BinOp::Mul,
        K::SlashEqual => BinOp::Div,
        K::DoubleSlashEqual => BinOp::FloorDiv,
        K::PercentEqual => BinOp::Mod,
        K::DoubleStarEqual => BinOp::Pow,
        K::LeftShiftEqual => BinOp::LShift,
        K::RightShiftEqual => BinOp::RShift,
        K::AmpEqual => BinOp::BitAnd,
        K::VBarEqual => BinOp::BitOr,
        K::CircumflexEqual => BinOp::BitXor,
        K::AtEqual => BinOp::MatMul,
        _ => return None,
    })
}

/// Why `expr` cannot be assigned to in Python, in CPython's words (`literal`,
/// `function call`, ...), or None when it is a valid target.
pub(super) fn invalid_target(expr: &Expr) -> Option<&'static str> {
    match &expr.kind {
        ExprKind::Name(_) | ExprKind::GetAttr { .. } | ExprKind::GetItem { .. } => None,
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().find_map(|item| invalid_target(item)),
        ExprKind::Starred(inner) => invalid_target(inner),
        ExprKind::Literal(Literal::Bool(true)) => Some("True"),
        ExprKind::Literal(Literal::Bool(false)) => Some("False"),
        ExprKind::Literal(Literal::None) => Some("None"),
        ExprKind::Literal(_) | ExprKind::Str(_) | ExprKind::Bytes(_) => Some("literal"),
        ExprKind::Call { .. } | ExprKind::CallMethod { .. } => Some("function call"),
        ExprKind::CmpOp { .. } => Some("comparison"),
        ExprKind::Dict(_) => Some("dict literal"),
        ExprKind::AssignExpr { .. } => Some("named expression"),
        ExprKind::Unsupported(what) => Some(match *what {
            "IfExp" => "conditional expression",
            "Lambda" => "lambda",
            "Set" => "set display",
            "ListComp" => "list comprehension",
            "SetComp" => "set comprehension",
            "DictComp" => "dict comprehension",
            "GeneratorExp" => "generator expression",
            "Yield" | "YieldFrom" => "yield expression",
            "Await" => "await expression",
            "JoinedStr" => "f-string expression",
            "Ellipsis" => "ellipsis",
            _ => "expression",
        }),
        _ => Some("expression"),
    }
}
