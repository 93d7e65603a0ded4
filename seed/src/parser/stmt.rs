//! Statements and blocks. Python's statement grammar is parsed in full, so that a
//! Python syntax error anywhere wins; constructs SPy does not support (docs/spec/LANGUAGE.md
//! §1.5, §7) are recorded as rejections and parsed past.

use super::expr::expr_start;
use super::{expect, invalid, many, one_of, soft, tok, PExpr, PResult, Parser, Toks, MAX_INDENT_LEVELS};
use crate::ast::{BinOp, Expr, ExprKind, Import, Literal, Stmt, StmtKind, VarDef, VarKind};
use crate::source::Span;
use crate::token::TokenKind as K;
use nom::branch::alt;
use nom::combinator::{cut, map, not, opt, peek};
use nom::multi::{fold_many0, many1, separated_list1};
use nom::sequence::preceded;
use nom::Parser as _;

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

type PItems<'t, 'a> = PResult<'t, Vec<Item<'a>>>;

impl<'a, 't> Parser<'a, 't> {
    // statements: statement+     (until the DEDENT or ENDMARKER that ends the block)
    pub(super) fn statements(&self, i: Toks<'t>, ctx: Ctx) -> PItems<'t, 'a> {
        let statement = preceded(not(one_of(&[K::Dedent, K::EndMarker])), cut(|i| self.statement(i, ctx)));
        fold_many0(statement, Vec::new, |mut items, mut new_items| {
            items.append(&mut new_items);
            items
        })
        .parse(i)
    }

    // statement: compound_stmt | simple_stmts
    fn statement(&self, i: Toks<'t>, ctx: Ctx) -> PItems<'t, 'a> {
        let stmt = |res: PResult<'t, &'a Stmt<'a>>| res.map(|(i, s)| (i, vec![Item::Stmt(s)]));
        match i.kind() {
            K::If => stmt(self.if_stmt(i, ctx, "'if' statement")),
            K::While => stmt(self.while_stmt(i, ctx)),
            K::For => stmt(self.for_stmt(i, ctx)),
            K::Def | K::At | K::Class => stmt(self.decorated(i)),
            K::Try => self.try_stmt(i, ctx),
            K::With => self.with_stmt(i, ctx, None),
            K::Async => self.async_stmt(i, ctx),
            K::Indent => self.fail(i, "unexpected indent"),
            // `match` is a soft keyword: a line that is not a match statement is simple.
            K::Name if self.text_of(i.peek().span) == "match" => {
                alt((|i| self.match_stmt(i), |i| self.simple_stmts(i, ctx))).parse(i)
            }
            _ => self.simple_stmts(i, ctx),
        }
    }

    // block: NEWLINE INDENT statements DEDENT | simple_stmts
    // `what` completes CPython's "expected an indented block after ..." message.
    pub(super) fn block(&self, i: Toks<'t>, ctx: Ctx, what: &str, line: usize) -> PItems<'t, 'a> {
        if i.kind() != K::Newline {
            return self.simple_stmts(i, ctx);
        }
        let i = i.advance(1);
        if i.kind() != K::Indent {
            return self.fail(i, format!("expected an indented block after {what} on line {line}"));
        }
        if i.indent_levels >= MAX_INDENT_LEVELS {
            return self.fail(i, "too many levels of indentation");
        }
        let inner = Toks { indent_levels: i.indent_levels + 1, ..i.advance(1) };
        let (rest, items) = self.nested(inner, |i| self.statements(i, ctx))?;
        let (rest, _) = opt(tok(K::Dedent)).parse(Toks { indent_levels: i.indent_levels, ..rest })?;
        Ok((rest, items))
    }

    /// A block whose statements must all be plain statements (imports are rejected).
    pub(super) fn stmt_block(&self, i: Toks<'t>, ctx: Ctx, what: &str, line: usize) -> PResult<'t, Vec<&'a Stmt<'a>>> {
        let (i, items) = self.block(i, ctx, what, line)?;
        Ok((i, only_stmts(items)))
    }

    // simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
    fn simple_stmts(&self, i: Toks<'t>, ctx: Ctx) -> PItems<'t, 'a> {
        let simple_stmt = |i| self.simple_stmt(i, ctx);
        let more = many(preceded((tok(K::Semi), not(tok(K::Newline))), cut(simple_stmt)));
        // The last line of a file may end without a newline.
        let end = cut(alt((tok(K::Newline), peek(tok(K::EndMarker)))));
        let (i, (first, more, _, _)) = (simple_stmt, more, opt(tok(K::Semi)), end).parse(i)?;
        Ok((i, first.into_iter().chain(more.into_iter().flatten()).collect()))
    }

    // simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt
    //            | 'pass' | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue'
    //            | global_stmt | nonlocal_stmt | type_alias
    fn simple_stmt(&self, i: Toks<'t>, ctx: Ctx) -> PItems<'t, 'a> {
        let kw = i.peek();
        let one = |i: Toks<'t>, kind: StmtKind<'a>, span: Span| Ok((i, vec![Item::Stmt(self.stmt(kind, span))]));
        match kw.kind {
            K::Pass => one(i.advance(1), StmtKind::Pass, kw.span),
            K::Break => one(i.advance(1), StmtKind::Break, kw.span),
            K::Continue => one(i.advance(1), StmtKind::Continue, kw.span),
            K::Return => match opt(preceded(expr_start, |i| self.star_expressions(i))).parse(i.advance(1))? {
                (i, None) => one(i, StmtKind::Return(None), kw.span),
                (i, Some(value)) => one(i, StmtKind::Return(Some(value)), kw.span.to(value.span)),
            },
            K::Raise => self.raise_stmt(i),
            K::Assert => {
                let msg = opt(preceded(tok(K::Comma), |i| self.expression(i)));
                let (i, (test, msg)) = (|i| self.expression(i), msg).parse(i.advance(1))?;
                one(i, StmtKind::Assert { test, msg }, kw.span.to(i.prev_span()))
            }
            K::Del => {
                let (i, _targets) = self.target_list(i.advance(1))?;
                Ok((self.reject_unimplemented(i, kw.span.to(i.prev_span()), "Delete"), vec![]))
            }
            K::Global | K::Nonlocal => {
                let (i, _names) = separated_list1(tok(K::Comma), expect(K::Name)).parse(i.advance(1))?;
                let what = if kw.kind == K::Global { "Global" } else { "Nonlocal" };
                Ok((self.reject_unimplemented(i, kw.span.to(i.prev_span()), what), vec![]))
            }
            K::Import | K::From => self.import_stmt(i, ctx),
            K::Var | K::Const => self.vardef_stmt(i),
            K::Name
                if self.text_of(kw.span) == "type"
                    && i.peek_at(1).kind == K::Name
                    && matches!(i.peek_at(2).kind, K::Equal | K::LBracket) =>
            {
                self.type_alias(i)
            }
            _ => self.expr_or_assign(i),
        }
    }

    fn stmt(&self, kind: StmtKind<'a>, span: Span) -> &'a Stmt<'a> {
        self.arena.stmt(kind, span)
    }

    // raise_stmt: 'raise' expression ['from' expression] | 'raise'
    fn raise_stmt(&self, i: Toks<'t>) -> PItems<'t, 'a> {
        let cause = opt(preceded(tok(K::From), |i| self.expression(i)));
        let (i, (kw, exc)) = (tok(K::Raise), opt(preceded(expr_start, (|i| self.expression(i), cause)))).parse(i)?;
        match exc {
            None => Ok((self.reject_unimplemented(i, kw.span, "bare raise"), vec![])),
            Some((_, Some(_cause))) => {
                Ok((self.reject_unimplemented(i, kw.span.to(i.prev_span()), "raise ... from ..."), vec![]))
            }
            Some((exc, None)) => Ok((i, vec![Item::Stmt(self.stmt(StmtKind::Raise(exc), kw.span.to(exc.span)))])),
        }
    }

    // type_alias: "type" NAME [type_params] '=' expression
    fn type_alias(&self, i: Toks<'t>) -> PItems<'t, 'a> {
        let start = i.peek().span;
        let mut alias = (opt(|i| self.type_params(i)), expect(K::Equal), |i| self.expression(i));
        let (i, (_params, _, value)) = alias.parse(i.advance(2))?;
        Ok((self.reject_unimplemented(i, start.to(value.span), "TypeAlias"), vec![]))
    }

    // vardef: ('var' | 'const') NAME [':' expression] ['=' annotated_rhs]
    fn vardef_stmt(&self, i: Toks<'t>) -> PItems<'t, 'a> {
        let (kw, name) = (i.peek(), i.peek_at(1));
        let ty = opt(preceded(tok(K::Colon), |i| self.expression(i)));
        let (i, (ty, value)) = (ty, opt(preceded(tok(K::Equal), |i| self.annotated_rhs(i)))).parse(i.advance(2))?;
        let span = kw.span.to(i.prev_span());
        let i = if ty.is_none() && value.is_none() {
            let message = format!("`{}` declaration without a type or a value", self.text_of(kw.span));
            self.reject(i, span, message, "add a type (`: T`), a value (`= ...`), or both")
        } else {
            i
        };
        let kind = Some(if kw.kind == K::Var { VarKind::Var } else { VarKind::Const });
        let vardef =
            self.arena.vardef(VarDef { kind, name: self.name_of(name), name_span: name.span, ty, value, span });
        Ok((i, vec![Item::Stmt(self.stmt(StmtKind::VarDef(vardef), span))]))
    }

    // annotated_rhs: yield_expr | star_expressions
    fn annotated_rhs(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        alt((|i| self.yield_expr(i), |i| self.star_expressions(i))).parse(i)
    }

    // assignment: NAME ':' expression ['=' annotated_rhs]
    //           | (star_targets '=')+ (yield_expr | star_expressions)
    //           | single_target augassign (yield_expr | star_expressions)
    // star_expressions
    fn expr_or_assign(&self, i: Toks<'t>) -> PItems<'t, 'a> {
        let parenthesized = i.kind() == K::LParen;
        let (i, first) = self.annotated_rhs(i)?;
        match i.kind() {
            K::Colon => self.annotated_assign(i, first, parenthesized),
            K::Equal => self.assign(i, first),
            kind => match augassign_op(kind) {
                Some(op) => self.aug_assign(i, first, op),
                None => Ok((i, vec![Item::Stmt(self.stmt(StmtKind::Expr(first), first.span))])),
            },
        }
    }

    fn annotated_assign(&self, i: Toks<'t>, target: &'a Expr<'a>, parenthesized: bool) -> PItems<'t, 'a> {
        let start = i;
        let value = opt(preceded(tok(K::Equal), |i| self.annotated_rhs(i)));
        let (i, (ty, value)) = (preceded(tok(K::Colon), |i| self.expression(i)), value).parse(i)?;
        let span = target.span.to(i.prev_span());
        let name = match &target.kind {
            ExprKind::Name(name) if !parenthesized => *name,
            ExprKind::Name(_) | ExprKind::GetAttr { .. } | ExprKind::GetItem { .. } => {
                let message = "not supported: assignments targets with parentheses";
                return Ok((self.reject(i, span, message, "this is not supported"), vec![]));
            }
            ExprKind::Tuple(_) => return self.fail(start, "only single target (not tuple) can be annotated"),
            ExprKind::List(_) => return self.fail(start, "only single target (not list) can be annotated"),
            _ => return self.fail(start, "illegal target for annotation"),
        };
        let vardef = self.arena.vardef(VarDef { kind: None, name, name_span: target.span, ty: Some(ty), value, span });
        Ok((i, vec![Item::Stmt(self.stmt(StmtKind::VarDef(vardef), span))]))
    }

    fn assign(&self, i: Toks<'t>, first: &'a Expr<'a>) -> PItems<'t, 'a> {
        let (i, mut rhs) = many1(preceded(tok(K::Equal), |i| self.annotated_rhs(i))).parse(i)?;
        let value = rhs.pop().expect("internal error: many1 gave no value");
        let targets = std::iter::once(first).chain(rhs.iter().copied());
        for target in targets {
            if let Some(what) = invalid_target(target) {
                let message = match what {
                    "True" | "False" | "None" | "__debug__" => format!("cannot assign to {what}"),
                    _ => format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?"),
                };
                return self.fail_on_line(target.span, message);
            }
        }
        let span = first.span.to(value.span);
        if !rhs.is_empty() {
            return Ok((self.reject_unimplemented(i, span, "assign to multiple targets"), vec![]));
        }
        self.assign_to(i, first, value, span)
    }

    /// The SPy statement for `target = value` (a valid Python target).
    fn assign_to(&self, i: Toks<'t>, target: &'a Expr<'a>, value: &'a Expr<'a>, span: Span) -> PItems<'t, 'a> {
        let kind = match &target.kind {
            ExprKind::Name(name) => StmtKind::Assign { target: *name, target_span: target.span, value },
            ExprKind::GetAttr { value: obj, attr, attr_span } => {
                StmtKind::SetAttr { target: obj, attr: *attr, attr_span: *attr_span, value }
            }
            ExprKind::GetItem { value: obj, args } => StmtKind::SetItem { target: obj, args: args.clone(), value },
            ExprKind::Tuple(items) => {
                let name = |item: &&Expr| match item.kind {
                    ExprKind::Name(name) => Some((name, item.span)),
                    _ => None,
                };
                let Some(targets) = items.iter().map(name).collect() else {
                    let message = "not implemented yet: nested or starred unpacking targets";
                    return Ok((self.reject(i, target.span, message, "this is not supported"), vec![]));
                };
                StmtKind::UnpackAssign { targets, value }
            }
            _ => return Ok((self.reject_unimplemented(i, target.span, "assign to complex expressions"), vec![])),
        };
        Ok((i, vec![Item::Stmt(self.stmt(kind, span))]))
    }

    fn aug_assign(&self, i: Toks<'t>, target: &'a Expr<'a>, op: BinOp) -> PItems<'t, 'a> {
        let what = match &target.kind {
            ExprKind::Name(_) | ExprKind::GetAttr { .. } | ExprKind::GetItem { .. } => None,
            ExprKind::Tuple(_) => Some("tuple"),
            ExprKind::List(_) => Some("list"),
            _ => Some(invalid_target(target).unwrap_or("expression")),
        };
        if let Some(what) = what {
            return self
                .fail_on_line(target.span, format!("'{what}' is an illegal expression for augmented assignment"));
        }
        let (i, value) = self.annotated_rhs(i.advance(1))?;
        let span = target.span.to(value.span);
        match target.kind {
            ExprKind::Name(name) => {
                let kind = StmtKind::AugAssign { op, target: name, target_span: target.span, value };
                Ok((i, vec![Item::Stmt(self.stmt(kind, span))]))
            }
            _ => Ok((self.reject_unimplemented(i, span, "assign to complex expressions"), vec![])),
        }
    }

    /// A condition of `if`/`elif`/`while`. `if x = 1:` gets CPython's hint.
    fn condition(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let (i, test) = self.named_expression(i)?;
        if i.kind() == K::Equal {
            return self.fail(i, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        }
        Ok((i, test))
    }

    /// `':'` before a block, or CPython's `expected ':'`.
    pub(super) fn colon(&self, i: Toks<'t>) -> PResult<'t, ()> {
        map(self.or_fail(tok(K::Colon), "expected ':'"), |_| ()).parse(i)
    }

    // if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
    // elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block])
    fn if_stmt(&self, i: Toks<'t>, ctx: Ctx, what: &str) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let (i, (test, _)) = (|i| self.condition(i), |i| self.colon(i)).parse(i.advance(1))?;
        let (i, then_body) = self.stmt_block(i, ctx, what, self.line_of(kw))?;
        let (i, else_body) = match i.kind() {
            K::Elif => map(|i| self.if_stmt(i, ctx, "'elif' statement"), |elif| vec![elif]).parse(i)?,
            _ => opt(|i| self.else_block(i, ctx)).parse(i).map(|(i, body)| (i, body.unwrap_or_default()))?,
        };
        Ok((i, self.stmt(StmtKind::If { test, then_body, else_body }, kw.to(i.prev_span()))))
    }

    // else_block: 'else' ':' block
    fn else_block(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<&'a Stmt<'a>>> {
        map(|i| self.keyword_block(i, K::Else, ctx, "'else' statement"), only_stmts).parse(i)
    }

    /// `kw ':' block`, where the block is expected after the `kw` statement of `what`.
    fn keyword_block(&self, i: Toks<'t>, kw: K, ctx: Ctx, what: &str) -> PItems<'t, 'a> {
        let (i, (kw, _)) = (tok(kw), |i| self.colon(i)).parse(i)?;
        self.block(i, ctx, what, self.line_of(kw.span))
    }

    // while_stmt: 'while' named_expression ':' block [else_block]
    fn while_stmt(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let (i, (test, _)) = (|i| self.condition(i), |i| self.colon(i)).parse(i.advance(1))?;
        let (i, body) = self.stmt_block(i, ctx, "'while' statement", self.line_of(kw))?;
        let (i, orelse) = opt(|i| self.else_block(i, ctx)).parse(i)?;
        let i = match orelse {
            Some(_) => {
                self.reject(i, kw, "not implemented yet: `else` clause in `while` loops", "this is not supported")
            }
            None => i,
        };
        Ok((i, self.stmt(StmtKind::While { test, body }, kw.to(i.prev_span()))))
    }

    // for_stmt: 'for' star_targets 'in' star_expressions ':' block [else_block]
    fn for_stmt(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let index = i.for_counter;
        let (i, target) = self.target_list(Toks { for_counter: index + 1, ..i.advance(1) })?;
        if let Some(what) = invalid_target(target) {
            return self.fail_on_line(target.span, format!("cannot assign to {what}"));
        }
        let mut header = (expect(K::In), |i| self.star_expressions(i), |i| self.colon(i));
        let (i, (_, iter, _)) = header.parse(i)?;
        let (i, body) = self.stmt_block(i, ctx, "'for' statement", self.line_of(kw))?;
        let (i, orelse) = opt(|i| self.else_block(i, ctx)).parse(i)?;
        let i = match orelse {
            Some(_) => self.reject(i, kw, "not implemented yet: `else` clause in `for` loops", "this is not supported"),
            None => i,
        };
        let (i, name) = match target.kind {
            ExprKind::Name(name) => (i, name),
            _ => (self.reject_unimplemented(i, target.span, "complex for loop targets"), self.intern("_")),
        };
        let kind = StmtKind::For { index, target: name, target_span: target.span, iter, body };
        Ok((i, self.stmt(kind, kw.to(i.prev_span()))))
    }

    // try_stmt: 'try' ':' block (except_block+ [else_block] [finally_block] | finally_block)
    // except_block: 'except' ['*'] [expression ['as' NAME]] ':' block
    fn try_stmt(&self, i: Toks<'t>, ctx: Ctx) -> PItems<'t, 'a> {
        let kw = i.peek().span;
        let (i, _) = self.keyword_block(i, K::Try, ctx, "'try' statement")?;
        let except_block = |i: Toks<'t>| {
            let exc_type = (|i| self.expression(i), opt(preceded(tok(K::As), expect(K::Name))));
            let header = (opt(tok(K::Star)), opt(preceded(not(tok(K::Colon)), exc_type)), |i| self.colon(i));
            let (rest, (_, _, _)) = preceded(tok(K::Except), header).parse(i)?;
            self.block(rest, ctx, "'except' statement", self.line_of(i.peek().span))
        };
        let (i, handlers) = many(except_block).parse(i)?;
        let (i, _) = if handlers.is_empty() { (i, None) } else { opt(|i| self.else_block(i, ctx)).parse(i)? };
        let (i, finally) = opt(|i| self.keyword_block(i, K::Finally, ctx, "'finally' statement")).parse(i)?;
        if handlers.is_empty() && finally.is_none() {
            return self.fail(i, "expected 'except' or 'finally' block");
        }
        Ok((self.reject_unimplemented(i, kw.to(i.prev_span()), "Try"), vec![]))
    }

    // with_stmt: 'with' ','.with_item+ ':' block    with_item: expression ['as' star_target]
    pub(super) fn with_stmt(&self, i: Toks<'t>, ctx: Ctx, async_kw: Option<Span>) -> PItems<'t, 'a> {
        let kw = i.peek().span;
        let with_item = (|i| self.expression(i), opt(preceded(tok(K::As), |i| self.target_list(i))));
        let (i, (_items, _)) = (separated_list1(tok(K::Comma), with_item), |i| self.colon(i)).parse(i.advance(1))?;
        let (i, _) = self.block(i, ctx, "'with' statement", self.line_of(kw))?;
        let (start, what) = match async_kw {
            Some(a) => (a, "AsyncWith"),
            None => (kw, "With"),
        };
        Ok((self.reject_unimplemented(i, start.to(i.prev_span()), what), vec![]))
    }

    // 'async' (function_def | for_stmt | with_stmt)
    fn async_stmt(&self, i: Toks<'t>, ctx: Ctx) -> PItems<'t, 'a> {
        let kw = i.peek().span;
        let rest = i.advance(1);
        let (i, what) = match rest.kind() {
            K::Def => (self.decorated(rest)?.0, "AsyncFunctionDef"),
            K::For => (self.for_stmt(rest, ctx)?.0, "AsyncFor"),
            K::With => return self.with_stmt(rest, ctx, Some(kw)),
            _ => return invalid(rest),
        };
        Ok((self.reject_unimplemented(i, kw.to(i.prev_span()), what), vec![]))
    }

    // match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
    // Does not match when the line does not have this shape. Case patterns are not
    // checked, and what the subject holds is not rejected: the statement is, as a whole.
    fn match_stmt(&self, i: Toks<'t>) -> PItems<'t, 'a> {
        let kw = i.peek().span;
        let Ok((rest, _subject)) = self.star_expressions(i.advance(1)) else { return soft(i) };
        if rest.kind() != K::Colon || rest.peek_at(1).kind != K::Newline {
            return soft(i);
        }
        let rest = Toks { rejected: i.rejected, ..rest.advance(2) };
        if rest.kind() != K::Indent {
            return self.fail(
                rest,
                format!("expected an indented block after 'match' statement on line {}", self.line_of(kw)),
            );
        }
        let mut depth = 0usize;
        let mut n = 0;
        loop {
            match rest.peek_at(n).kind {
                K::Indent => depth += 1,
                K::Dedent => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                K::Error => return self.fail(rest.advance(n), "invalid syntax"),
                K::EndMarker => break,
                _ => {}
            }
            n += 1;
        }
        let rest = rest.advance(n + 1);
        Ok((self.reject_unimplemented(rest, kw.to(rest.prev_span()), "Match"), vec![]))
    }
}

pub(super) fn only_stmts<'a>(items: Vec<Item<'a>>) -> Vec<&'a Stmt<'a>> {
    items
        .into_iter()
        .filter_map(|item| match item {
            Item::Stmt(stmt) => Some(stmt),
            Item::Imports(_) => None,
        })
        .collect()
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
