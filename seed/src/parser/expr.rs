//! Expressions, from `named_expression` down to `atom`, with Python's precedence and
//! associativity (docs/spec/LANGUAGE.md §1.6). Also where SPy's literal rules apply: `-5` is one
//! literal, `u8(3)` is a typed literal checked here (§1.4).

use super::{expect, invalid, items, many, more_items, one_of, soft, tok, PExpr, PResult, Parser, Toks};
use crate::ast::{BinOp, CmpOp, Expr, ExprKind, LitType, Literal, UnaryOp};
use crate::source::Span;
use crate::token::{Token, TokenKind as K, TokenValue};
use nom::branch::alt;
use nom::combinator::{map, opt, value};
use nom::multi::fold_many0;
use nom::sequence::{preceded, terminated};
use nom::Parser as _;

/// Can `tok` begin an expression? (Used after commas, to allow trailing ones.)
pub(super) fn starts_expression(tok: &Token) -> bool {
    matches!(
        tok.kind,
        K::Name
            | K::Int
            | K::Float
            | K::Imaginary
            | K::String
            | K::True
            | K::False
            | K::None
            | K::LParen
            | K::LBracket
            | K::LBrace
            | K::Minus
            | K::Plus
            | K::Tilde
            | K::Not
            | K::Lambda
            | K::Await
            | K::Star
            | K::Ellipsis
    )
}

/// Matches nothing, where an expression can begin.
pub(super) fn expr_start(i: Toks) -> PResult<()> {
    if starts_expression(i.peek()) {
        Ok((i, ()))
    } else {
        soft(i)
    }
}

impl<'a, 't> Parser<'a, 't> {
    // star_expressions: star_expression (',' star_expression)* [',']
    pub(super) fn star_expressions(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        self.tuple_of(i, |i| self.star_expression(i))
    }

    /// `item (',' item)* [',']`: the item alone, or the tuple of them after a comma.
    fn tuple_of(&self, i: Toks<'t>, item: impl Fn(Toks<'t>) -> PExpr<'t, 'a> + Copy) -> PExpr<'t, 'a> {
        let start = i.peek().span;
        let (i, first) = item(i)?;
        if i.kind() != K::Comma {
            return Ok((i, first));
        }
        let more = many(preceded((tok(K::Comma), expr_start), item));
        let (i, (mut items, _)) = (more, opt(tok(K::Comma))).parse(i)?;
        items.insert(0, first);
        Ok((i, self.expr(ExprKind::Tuple(items), start.to(i.prev_span()))))
    }

    // star_expression: '*' bitwise_or | expression
    fn star_expression(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        alt((|i| self.starred(i, |i| self.bitwise_or(i)), |i| self.expression(i))).parse(i)
    }

    // star_named_expression: '*' bitwise_or | named_expression
    fn star_named_expression(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        alt((|i| self.starred(i, |i| self.bitwise_or(i)), |i| self.named_expression(i))).parse(i)
    }

    /// `'*' inner`, which SPy rejects.
    fn starred(&self, i: Toks<'t>, inner: impl Fn(Toks<'t>) -> PExpr<'t, 'a>) -> PExpr<'t, 'a> {
        let (i, (star, value)) = (tok(K::Star), inner).parse(i)?;
        let span = star.span.to(value.span);
        Ok((self.reject_unimplemented(i, span, "Starred"), self.expr(ExprKind::Starred(value), span)))
    }

    // named_expression: NAME ':=' expression | expression
    pub(super) fn named_expression(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let walrus = map((tok(K::Name), tok(K::ColonEqual), |i| self.expression(i)), |(name, _, value)| {
            let kind = ExprKind::AssignExpr { target: self.name_of(name), target_span: name.span, value };
            self.expr(kind, name.span.to(value.span))
        });
        alt((walrus, |i| self.expression(i))).parse(i)
    }

    // expression: disjunction ['if' disjunction 'else' expression] | lambdef
    pub(super) fn expression(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        self.nested(i, |i| {
            if i.kind() == K::Lambda {
                return self.lambdef(i);
            }
            let else_kw = self.or_fail(tok(K::Else), "expected 'else' after 'if' expression");
            let if_else = (preceded(tok(K::If), |i| self.disjunction(i)), preceded(else_kw, |i| self.expression(i)));
            match (|i| self.disjunction(i), opt(if_else)).parse(i)? {
                (i, (body, None)) => Ok((i, body)),
                (i, (body, Some((_test, orelse)))) => self.unsupported(i, body.span.to(orelse.span), "IfExp"),
            }
        })
    }

    /// A placeholder for a rejected Python node, recording the rejection.
    pub(super) fn unsupported(&self, i: Toks<'t>, span: Span, what: &'static str) -> PExpr<'t, 'a> {
        Ok((self.reject_unimplemented(i, span, what), self.expr(ExprKind::Unsupported(what), span)))
    }

    // lambdef: 'lambda' [lambda_params] ':' expression
    // The parameters are only read past: SPy rejects the lambda.
    fn lambdef(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let param_part = one_of(&[K::Name, K::Star, K::DoubleStar, K::Slash, K::Comma]);
        let default = preceded(tok(K::Equal), |i| self.expression(i));
        let params = many(alt((value((), param_part), value((), default))));
        let (i, (kw, _, _, body)) = (tok(K::Lambda), params, expect(K::Colon), |i| self.expression(i)).parse(i)?;
        self.unsupported(i, kw.span.to(body.span), "Lambda")
    }

    // disjunction: conjunction ('or' conjunction)*
    fn disjunction(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let op_of = |k| (k == K::Or).then_some(());
        self.binary_level(i, op_of, |(), left, right| ExprKind::Or { left, right }, Self::conjunction)
    }

    // conjunction: inversion ('and' inversion)*
    fn conjunction(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let op_of = |k| (k == K::And).then_some(());
        self.binary_level(i, op_of, |(), left, right| ExprKind::And { left, right }, Self::inversion)
    }

    // inversion: 'not' inversion | comparison
    fn inversion(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        if i.kind() != K::Not {
            return self.comparison(i);
        }
        let start = i.peek().span;
        self.nested(i, |i| {
            let (i, value) = self.inversion(i.advance(1))?;
            Ok((i, self.expr(ExprKind::UnaryOp { op: UnaryOp::Not, value }, start.to(value.span))))
        })
    }

    // comparison: bitwise_or (compare_op bitwise_or)*
    // SPy accepts a single comparison only (docs/spec/LANGUAGE.md §1.5).
    fn comparison(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let (i, left) = self.bitwise_or(i)?;
        if compare_op(i).is_err() {
            return Ok((i, left)); // the common case, quicker without `many`
        }
        let (i, ops) = many((compare_op, |i| self.bitwise_or(i))).parse(i)?;
        let Some(&(op, right)) = ops.first() else { return Ok((i, left)) };
        let i = match ops.get(1) {
            Some((_, second)) => {
                self.reject(i, second.span, "not implemented yet: chained comparisons", "this is not supported")
            }
            None => i,
        };
        Ok((i, self.expr(ExprKind::CmpOp { op, left, right }, left.span.to(right.span))))
    }

    /// One level of left-associative binary operators: `operand (op operand)*`, where
    /// `op_of` tells the operators of the level from other tokens.
    fn binary_level<O>(
        &self,
        i: Toks<'t>,
        op_of: fn(K) -> Option<O>,
        make: fn(O, &'a Expr<'a>, &'a Expr<'a>) -> ExprKind<'a>,
        operand: fn(&Self, Toks<'t>) -> PExpr<'t, 'a>,
    ) -> PExpr<'t, 'a> {
        let (i, first) = operand(self, i)?;
        if op_of(i.kind()).is_none() {
            return Ok((i, first)); // the common case, quicker without the fold
        }
        let mut links = 0;
        let op = move |i: Toks<'t>| match op_of(i.kind()) {
            Some(op) => {
                // Each link deepens the tree, so a long chain is too deep as well.
                links += 1;
                self.check_chain(i, links)?;
                Ok((i.advance(1), op))
            }
            None => soft(i),
        };
        let link = (op, |i| operand(self, i));
        let fold = |left: &'a Expr<'a>, (op, right): (O, &'a Expr<'a>)| {
            self.expr(make(op, left, right), left.span.to(right.span))
        };
        fold_many0(link, move || first, fold).parse(i)
    }

    // bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor
    pub(super) fn bitwise_or(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        self.binary_level(i, |k| (k == K::VBar).then_some(BinOp::BitOr), binop, Self::bitwise_xor)
    }

    // bitwise_xor: bitwise_xor '^' bitwise_and | bitwise_and
    fn bitwise_xor(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        self.binary_level(i, |k| (k == K::Circumflex).then_some(BinOp::BitXor), binop, Self::bitwise_and)
    }

    // bitwise_and: bitwise_and '&' shift_expr | shift_expr
    fn bitwise_and(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        self.binary_level(i, |k| (k == K::Amp).then_some(BinOp::BitAnd), binop, Self::shift_expr)
    }

    // shift_expr: shift_expr ('<<' | '>>') sum | sum
    fn shift_expr(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let op_of = |k| match k {
            K::LeftShift => Some(BinOp::LShift),
            K::RightShift => Some(BinOp::RShift),
            _ => None,
        };
        self.binary_level(i, op_of, binop, Self::sum)
    }

    // sum: sum ('+' | '-') term | term
    fn sum(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let op_of = |k| match k {
            K::Plus => Some(BinOp::Add),
            K::Minus => Some(BinOp::Sub),
            _ => None,
        };
        self.binary_level(i, op_of, binop, Self::term)
    }

    // term: term ('*' | '/' | '//' | '%' | '@') factor | factor
    fn term(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let op_of = |k| match k {
            K::Star => Some(BinOp::Mul),
            K::Slash => Some(BinOp::Div),
            K::DoubleSlash => Some(BinOp::FloorDiv),
            K::Percent => Some(BinOp::Mod),
            K::At => Some(BinOp::MatMul),
            _ => None,
        };
        self.binary_level(i, op_of, binop, Self::factor)
    }

    // factor: ('+' | '-' | '~') factor | power
    // A minus directly applied to a numeric literal is folded into it (docs/spec/LANGUAGE.md §1.4).
    fn factor(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let op = match i.kind() {
            K::Plus => UnaryOp::Pos,
            K::Minus => UnaryOp::Neg,
            K::Tilde => UnaryOp::Invert,
            _ => return self.power(i),
        };
        let start = i.peek().span;
        self.nested(i, |i| {
            let (i, value) = self.factor(i.advance(1))?;
            let span = start.to(value.span);
            let folded = match value.kind {
                ExprKind::Literal(Literal::Int { value, ty }) if op == UnaryOp::Neg => {
                    Literal::Int { value: -value, ty }
                }
                ExprKind::Literal(Literal::Float { value, ty }) if op == UnaryOp::Neg => {
                    Literal::Float { value: -value, ty }
                }
                ExprKind::Literal(Literal::Complex { imag }) if op == UnaryOp::Neg => Literal::Complex { imag: -imag },
                _ => return Ok((i, self.expr(ExprKind::UnaryOp { op, value }, span))),
            };
            Ok((i, self.expr(ExprKind::Literal(folded), span)))
        })
    }

    // power: await_primary '**' factor | await_primary
    fn power(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let (i, left) = self.await_primary(i)?;
        if i.kind() != K::DoubleStar {
            return Ok((i, left));
        }
        self.nested(i, |i| {
            let (i, right) = self.factor(i.advance(1))?;
            Ok((i, self.expr(ExprKind::BinOp { op: BinOp::Pow, left, right }, left.span.to(right.span))))
        })
    }

    // await_primary: 'await' primary | primary
    fn await_primary(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        if i.kind() != K::Await {
            return self.primary(i);
        }
        let start = i.peek().span;
        self.nested(i, |i| {
            let (i, value) = self.primary(i.advance(1))?;
            self.unsupported(i, start.to(value.span), "Await")
        })
    }

    // primary: primary '.' NAME | primary '(' [arguments] ')' | primary '[' slices ']' | atom
    fn primary(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let (mut i, mut expr) = self.atom(i)?;
        let mut links = 0;
        loop {
            links += 1;
            self.check_chain(i, links)?;
            (i, expr) = match i.kind() {
                K::Dot => {
                    let (rest, name) = preceded(tok(K::Dot), expect(K::Name)).parse(i)?;
                    let kind = ExprKind::GetAttr { value: expr, attr: self.name_of(name), attr_span: name.span };
                    (rest, self.expr(kind, expr.span.to(name.span)))
                }
                K::LParen => {
                    let (rest, args) = self.nested(i, |i| self.arguments(i))?;
                    self.make_call(rest, expr, args, expr.span.to(rest.prev_span()))
                }
                K::LBracket => {
                    let (rest, args) = self.nested(i, |i| self.slices(i))?;
                    (rest, self.expr(ExprKind::GetItem { value: expr, args }, expr.span.to(rest.prev_span())))
                }
                _ => return Ok((i, expr)),
            };
        }
    }

    /// `f(args)`, `obj.m(args)` (a method call), or a typed literal such as `u8(3)`.
    fn make_call(
        &self,
        i: Toks<'t>,
        func: &'a Expr<'a>,
        args: Vec<&'a Expr<'a>>,
        span: Span,
    ) -> (Toks<'t>, &'a Expr<'a>) {
        if let Some((i, lit)) = self.typed_literal(i, func, &args, span) {
            return (i, self.expr(ExprKind::Literal(lit), span));
        }
        let kind = match &func.kind {
            ExprKind::GetAttr { value, attr, attr_span } => {
                ExprKind::CallMethod { target: value, method: *attr, method_span: *attr_span, args }
            }
            _ => ExprKind::Call { func, args },
        };
        (i, self.expr(kind, span))
    }

    /// `i8(N)`, `u64(N)`, `f32(x)`...: a type name called with one numeric literal
    /// (recognised by spelling, as upstream does). Integers are range-checked now.
    fn typed_literal(&self, i: Toks<'t>, func: &Expr, args: &[&Expr], span: Span) -> Option<(Toks<'t>, Literal)> {
        let ExprKind::Name(_) = func.kind else { return None };
        let ty = LitType::from_name(self.text_of(func.span))?;
        let [arg] = args else { return None };
        let ExprKind::Literal(lit) = arg.kind else { return None };
        match (ty.int_range(), lit) {
            (Some((min, max)), Literal::Int { value, .. }) if value < min || value > max => {
                let message = format!("{} literal {} is out of range [{}, {}]", ty.name(), value, min, max);
                Some((self.reject(i, span, message, "integer literal out of range"), Literal::Int { value, ty }))
            }
            (Some(_), Literal::Int { value, .. }) => Some((i, Literal::Int { value, ty })),
            (None, Literal::Int { value, .. }) => Some((i, Literal::Float { value: round_to(ty, value as f64), ty })),
            (None, Literal::Float { value, .. }) => Some((i, Literal::Float { value: round_to(ty, value), ty })),
            _ => None,
        }
    }

    // arguments: '(' ','.(starred_expression | (assignment_expression | expression !':=') !'=')+
    //            [',' kwargs] ')'
    // SPy accepts positional arguments only (docs/spec/LANGUAGE.md §1.5).
    fn arguments(&self, i: Toks<'t>) -> PResult<'t, Vec<&'a Expr<'a>>> {
        let mut seen_keyword = false;
        let mut n_args = 0;
        let argument = move |i: Toks<'t>| {
            let (rest, arg) = match i.kind() {
                K::Star => self.starred(i, |i| self.expression(i))?,
                K::DoubleStar | K::Name if i.kind() == K::DoubleStar || i.peek_at(1).kind == K::Equal => {
                    seen_keyword = true;
                    let skip = if i.kind() == K::DoubleStar { 1 } else { 2 };
                    let (rest, value) = self.expression(i.advance(skip))?;
                    (self.reject_unimplemented(rest, i.peek().span.to(value.span), "keyword arguments"), value)
                }
                _ => {
                    let (rest, arg) = self.named_expression(i)?;
                    if seen_keyword {
                        return self.fail(i, "positional argument follows keyword argument");
                    }
                    if !matches!(rest.kind(), K::For | K::Async) {
                        (rest, arg)
                    } else {
                        let (rest, genexp) = self.comprehension(rest, arg.span, "GeneratorExp")?;
                        if n_args > 0 || rest.kind() != K::RParen {
                            return self.fail(i, "Generator expression must be parenthesized");
                        }
                        (rest, genexp)
                    }
                }
            };
            n_args += 1;
            self.check_missing_comma(rest, arg)
        };
        preceded(tok(K::LParen), items(K::RParen, argument)).parse(i)
    }

    /// Inside brackets, two expressions side by side are CPython's
    /// `invalid syntax. Perhaps you forgot a comma?` (blamed on the first one's line).
    /// Otherwise gives `prev` back.
    fn check_missing_comma(&self, i: Toks<'t>, prev: &'a Expr<'a>) -> PExpr<'t, 'a> {
        let next = i.peek();
        let juxtaposed =
            matches!(next.kind, K::Name | K::Int | K::Float | K::Imaginary | K::True | K::False | K::None | K::Lambda)
                || (next.kind == K::String && !matches!(prev.kind, ExprKind::Name(_)));
        if juxtaposed {
            return self.fail_on_line(prev.span, "invalid syntax. Perhaps you forgot a comma?");
        }
        Ok((i, prev))
    }

    // slices: slice !',' | ','.(slice | starred_expression)+ [',']
    // `a[i, j]` gives two index expressions, not a tuple (docs/spec/LANGUAGE.md §4.8).
    fn slices(&self, i: Toks<'t>) -> PResult<'t, Vec<&'a Expr<'a>>> {
        let item = |i| {
            let (i, arg) = alt((|i| self.starred(i, |i| self.bitwise_or(i)), |i| self.slice(i))).parse(i)?;
            self.check_missing_comma(i, arg)
        };
        let (i, (_, first, mut args)) = (tok(K::LBracket), item, more_items(K::RBracket, item)).parse(i)?;
        args.insert(0, first);
        Ok((i, args))
    }

    // slice: [expression] ':' [expression] [':' [expression]] | named_expression
    fn slice(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let start_span = i.peek().span;
        let (i, start) =
            if i.kind() == K::Colon { (i, None) } else { self.named_expression(i).map(|(i, e)| (i, Some(e)))? };
        if i.kind() != K::Colon {
            return match start {
                Some(expr) => Ok((i, expr)),
                None => invalid(i),
            };
        }
        // A bound is left out when the next token ends it.
        let bound =
            || opt(preceded(nom::combinator::not(one_of(&[K::Colon, K::Comma, K::RBracket])), |i| self.expression(i)));
        let (i, (stop, step)) = preceded(tok(K::Colon), (bound(), opt(preceded(tok(K::Colon), bound())))).parse(i)?;
        Ok((i, self.expr(ExprKind::Slice { start, stop, step: step.flatten() }, start_span.to(i.prev_span()))))
    }

    // atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | tuple | group | genexp
    //     | list | listcomp | dict | set | dictcomp | setcomp | '...'
    fn atom(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let tok = i.peek();
        let literal = |lit| Ok((i.advance(1), self.expr(ExprKind::Literal(lit), tok.span)));
        match (tok.kind, &tok.value) {
            (K::Name, _) => Ok((i.advance(1), self.expr(ExprKind::Name(self.name_of(tok)), tok.span))),
            (K::True, _) => literal(Literal::Bool(true)),
            (K::False, _) => literal(Literal::Bool(false)),
            (K::None, _) => literal(Literal::None),
            (K::Int, TokenValue::Int(value)) => literal(Literal::Int { value: *value, ty: LitType::I32 }),
            (K::Float, TokenValue::Float(value)) => literal(Literal::Float { value: *value, ty: LitType::F64 }),
            (K::Imaginary, TokenValue::Float(imag)) => literal(Literal::Complex { imag: *imag }),
            (K::String, _) => self.strings(i),
            (K::Ellipsis, _) => {
                let i =
                    self.reject(i.advance(1), tok.span, "unsupported literal: Ellipsis", "this is not supported yet");
                Ok((i, self.expr(ExprKind::Unsupported("Ellipsis"), tok.span)))
            }
            (K::LParen, _) => self.nested(i, |i| self.paren(i)),
            (K::LBracket, _) => self.nested(i, |i| self.list(i)),
            (K::LBrace, _) => self.nested(i, |i| self.brace(i)),
            _ => invalid(i),
        }
    }

    // strings: STRING+  (adjacent literals concatenate; bytes and str do not mix)
    fn strings(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let first = i.peek();
        let mut i = i;
        let mut bytes = Vec::new();
        let mut is_bytes = None;
        let mut is_fstring = false;
        while let (K::String, TokenValue::Str(value)) = (i.peek().kind, &i.peek().value) {
            if *is_bytes.get_or_insert(value.is_bytes) != value.is_bytes {
                return self.fail(i, "cannot mix bytes and nonbytes literals");
            }
            is_fstring |= value.is_fstring;
            bytes.extend_from_slice(&value.bytes);
            i = i.advance(1);
        }
        let span = first.span.to(i.prev_span());
        if is_fstring {
            return self.unsupported(i, span, "JoinedStr");
        }
        let kind = if is_bytes == Some(true) {
            ExprKind::Bytes(bytes)
        } else {
            ExprKind::Str(String::from_utf8_lossy(&bytes).into_owned())
        };
        Ok((i, self.expr(kind, span)))
    }

    // tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
    // group: '(' (yield_expr | named_expression) ')'
    // genexp: '(' named_expression for_if_clauses ')'
    fn paren(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let open = i.peek().span;
        let i = i.advance(1);
        if i.kind() == K::RParen {
            return Ok((i.advance(1), self.expr(ExprKind::Tuple(vec![]), open.to(i.peek().span))));
        }
        if i.kind() == K::Yield {
            return terminated(|i| self.yield_expr(i), expect(K::RParen)).parse(i);
        }
        let (i, first) = self.star_named_expression(i)?;
        if let Some(res) = self.opt_comprehension(i, open, "GeneratorExp", K::RParen) {
            return res;
        }
        let (i, first) = self.check_missing_comma(i, first)?;
        if i.kind() == K::RParen {
            return Ok((i.advance(1), first));
        }
        let (i, items) = self.display_items(i, first, K::RParen)?;
        Ok((i, self.expr(ExprKind::Tuple(items), open.to(i.prev_span()))))
    }

    /// `for_if_clauses close` after the first item of a display, if a `for` follows it.
    fn opt_comprehension(&self, i: Toks<'t>, open: Span, what: &'static str, close: K) -> Option<PExpr<'t, 'a>> {
        if !matches!(i.kind(), K::For | K::Async) {
            return None;
        }
        let res = (|i| self.comprehension(i, open, what), expect(close)).parse(i);
        Some(res.map(|(i, (comp, close))| (i, self.with_span(comp, open.to(close.span)))))
    }

    /// The rest of a comma-separated display after its first item, up to `close`.
    fn display_items(&self, i: Toks<'t>, first: &'a Expr<'a>, close: K) -> PResult<'t, Vec<&'a Expr<'a>>> {
        let item = |i| {
            let (i, item) = self.star_named_expression(i)?;
            self.check_missing_comma(i, item)
        };
        let (i, mut items) = more_items(close, item).parse(i)?;
        items.insert(0, first);
        Ok((i, items))
    }

    fn with_span(&self, expr: &'a Expr<'a>, span: Span) -> &'a Expr<'a> {
        match expr.kind {
            ExprKind::Unsupported(what) => self.expr(ExprKind::Unsupported(what), span),
            _ => expr,
        }
    }

    // list: '[' [star_named_expressions] ']'
    // listcomp: '[' named_expression for_if_clauses ']'
    fn list(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let open = i.peek().span;
        let i = i.advance(1);
        if i.kind() == K::RBracket {
            return Ok((i.advance(1), self.expr(ExprKind::List(vec![]), open.to(i.peek().span))));
        }
        let (i, first) = self.star_named_expression(i)?;
        if let Some(res) = self.opt_comprehension(i, open, "ListComp", K::RBracket) {
            return res;
        }
        let (i, first) = self.check_missing_comma(i, first)?;
        let (i, items) = self.display_items(i, first, K::RBracket)?;
        Ok((i, self.expr(ExprKind::List(items), open.to(i.prev_span()))))
    }

    // dict: '{' [double_starred_kvpairs] '}'     set: '{' star_named_expressions '}'
    // dictcomp: '{' kvpair for_if_clauses '}'    setcomp: '{' named_expression for_if_clauses '}'
    fn brace(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let open = i.peek().span;
        let mut i = i.advance(1);
        if i.kind() == K::RBrace {
            return Ok((i.advance(1), self.expr(ExprKind::Dict(vec![]), open.to(i.peek().span))));
        }
        // A set starts with an expression that is not followed by ':'.
        if i.kind() != K::DoubleStar && !self.probe_dict_key(i) {
            let (rest, first) = self.star_named_expression(i)?;
            if let Some(res) = self.opt_comprehension(rest, open, "SetComp", K::RBrace) {
                return res;
            }
            let (rest, first) = self.check_missing_comma(rest, first)?;
            let (rest, _items) = self.display_items(rest, first, K::RBrace)?;
            return self.unsupported(rest, open.to(rest.prev_span()), "Set");
        }
        let mut pairs = Vec::new();
        loop {
            if i.kind() == K::DoubleStar {
                let (rest, value) = self.bitwise_or(i.advance(1))?;
                let span = i.peek().span.to(value.span);
                i = self.reject(
                    rest,
                    span,
                    "not implemented yet: dict unpacking is unsupported.",
                    "this is not supported",
                );
            } else {
                let mut kvpair = (|i| self.expression(i), expect(K::Colon), |i| self.expression(i));
                let (rest, (key, _, value)) = kvpair.parse(i)?;
                if pairs.is_empty() {
                    if let Some(res) = self.opt_comprehension(rest, open, "DictComp", K::RBrace) {
                        return res;
                    }
                }
                let (rest, value) = self.check_missing_comma(rest, value)?;
                pairs.push((key, value));
                i = rest;
            }
            match i.kind() {
                K::RBrace => break,
                K::Comma if i.peek_at(1).kind == K::RBrace => {
                    i = i.advance(1);
                    break;
                }
                K::Comma => i = i.advance(1),
                _ => return invalid(i),
            }
        }
        Ok((i.advance(1), self.expr(ExprKind::Dict(pairs), open.to(i.peek().span))))
    }

    /// Does the brace display starting at `i` have a `key:` first? Scans to the first
    /// `:` or `,` at bracket depth 0 without building anything.
    fn probe_dict_key(&self, i: Toks) -> bool {
        let mut depth = 0usize;
        let mut n = 0;
        loop {
            match i.peek_at(n).kind {
                K::LParen | K::LBracket | K::LBrace => depth += 1,
                K::RParen | K::RBracket | K::RBrace if depth == 0 => return false,
                K::RParen | K::RBracket | K::RBrace => depth -= 1,
                K::Colon if depth == 0 => return true,
                K::Comma | K::For if depth == 0 => return false,
                K::Lambda if depth == 0 => return false,
                K::EndMarker | K::Error => return false,
                _ => {}
            }
            n += 1;
        }
    }

    // for_if_clauses: (['async'] 'for' star_targets 'in' disjunction ('if' disjunction)*)+
    fn comprehension(&self, i: Toks<'t>, start: Span, what: &'static str) -> PExpr<'t, 'a> {
        let for_kw = alt((tok(K::For), preceded(tok(K::Async), expect(K::For))));
        let conditions = many(preceded(tok(K::If), |i| self.disjunction(i)));
        let clause = (for_kw, |i| self.target_list(i), expect(K::In), |i| self.disjunction(i), conditions);
        let (i, _clauses) = many(clause).parse(i)?;
        self.unsupported(i, start.to(i.prev_span()), what)
    }

    // star_target: '*' (!'*' star_target) | target_with_star_atom   (validated by the caller)
    fn star_target(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        alt((|i| self.starred(i, |i| self.bitwise_or(i)), |i| self.bitwise_or(i))).parse(i)
    }

    // star_targets: star_target (',' star_target)* [',']   (validated by the caller)
    pub(super) fn target_list(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        self.tuple_of(i, |i| self.star_target(i))
    }

    // yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
    pub(super) fn yield_expr(&self, i: Toks<'t>) -> PExpr<'t, 'a> {
        let (i, kw) = tok(K::Yield)(i)?;
        if let (i, Some(value)) = opt(preceded(tok(K::From), |i| self.expression(i))).parse(i)? {
            return self.unsupported(i, kw.span.to(value.span), "YieldFrom");
        }
        let (i, value) = opt(preceded(expr_start, |i| self.star_expressions(i))).parse(i)?;
        self.unsupported(i, value.map_or(kw.span, |value| kw.span.to(value.span)), "Yield")
    }
}

fn binop<'a>(op: BinOp, left: &'a Expr<'a>, right: &'a Expr<'a>) -> ExprKind<'a> {
    ExprKind::BinOp { op, left, right }
}

/// compare_op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in' | 'is' 'not' | 'is'
fn compare_op(i: Toks) -> PResult<CmpOp> {
    let (op, n_tokens) = match i.kind() {
        K::EqEqual => (CmpOp::Eq, 1),
        K::NotEqual => (CmpOp::NotEq, 1),
        K::Less => (CmpOp::Lt, 1),
        K::LessEqual => (CmpOp::LtE, 1),
        K::Greater => (CmpOp::Gt, 1),
        K::GreaterEqual => (CmpOp::GtE, 1),
        K::In => (CmpOp::In, 1),
        K::Not if i.peek_at(1).kind == K::In => (CmpOp::NotIn, 2),
        K::Is if i.peek_at(1).kind == K::Not => (CmpOp::IsNot, 2),
        K::Is => (CmpOp::Is, 1),
        _ => return soft(i),
    };
    Ok((i.advance(n_tokens), op))
}

/// The value a float literal of type `ty` holds: f32 literals are rounded at parse time.
fn round_to(ty: LitType, value: f64) -> f64 {
    if ty == LitType::F32 {
        value as f32 as f64
    } else {
        value
    }
}
