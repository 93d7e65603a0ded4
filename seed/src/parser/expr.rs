//! Expressions, from `named_expression` down to `atom`, with Python's precedence and
//! associativity (LANGUAGE.md §1.6). Also where SPy's literal rules apply: `-5` is one
//! literal, `u8(3)` is a typed literal checked here (§1.4).

use super::{PResult, Parser, Toks};
use crate::ast::{BinOp, CmpOp, Expr, ExprKind, LitType, Literal, UnaryOp};
use crate::source::Span;
use crate::token::{Token, TokenKind as K, TokenValue};

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

impl<'a, 's> Parser<'a, 's> {
    // star_expressions: star_expression (',' star_expression)* [',']
    pub(super) fn star_expressions<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let start = i.peek().span;
        let (mut i, first) = self.star_expression(i)?;
        if i.kind() != K::Comma {
            return Ok((i, first));
        }
        let mut items = vec![first];
        while i.kind() == K::Comma {
            i = i.advance(1);
            if !starts_expression(i.peek()) {
                break;
            }
            let (rest, item) = self.star_expression(i)?;
            items.push(item);
            i = rest;
        }
        Ok((i, self.expr(ExprKind::Tuple(items), start.to(i.prev_span()))))
    }

    // star_expression: '*' bitwise_or | expression
    fn star_expression<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        if i.kind() == K::Star {
            return self.starred(i, |i| self.bitwise_or(i));
        }
        self.expression(i)
    }

    // star_named_expression: '*' bitwise_or | named_expression
    fn star_named_expression<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        if i.kind() == K::Star {
            return self.starred(i, |i| self.bitwise_or(i));
        }
        self.named_expression(i)
    }

    fn starred<'t>(
        &self,
        i: Toks<'t>,
        inner: impl FnOnce(Toks<'t>) -> PResult<'t, &'a Expr<'a>>,
    ) -> PResult<'t, &'a Expr<'a>> {
        let star = i.peek().span;
        let (i, value) = inner(i.advance(1))?;
        let span = star.to(value.span);
        self.reject_unimplemented(span, "Starred");
        Ok((i, self.expr(ExprKind::Starred(value), span)))
    }

    // named_expression: NAME ':=' expression | expression
    pub(super) fn named_expression<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        if i.kind() == K::Name && i.peek_at(1).kind == K::ColonEqual {
            let name = i.peek();
            let (i, value) = self.expression(i.advance(2))?;
            let kind = ExprKind::AssignExpr { target: self.name_of(name), target_span: name.span, value };
            return Ok((i, self.expr(kind, name.span.to(value.span))));
        }
        self.expression(i)
    }

    // expression: disjunction ['if' disjunction 'else' expression] | lambdef
    pub(super) fn expression<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        self.nested(i, |i| {
            if i.kind() == K::Lambda {
                return self.lambdef(i);
            }
            let (i, body) = self.disjunction(i)?;
            if i.kind() != K::If {
                return Ok((i, body));
            }
            let (i, _test) = self.disjunction(i.advance(1))?;
            if i.kind() != K::Else {
                return self.fail(i, "expected 'else' after 'if' expression");
            }
            let (i, orelse) = self.expression(i.advance(1))?;
            Ok((i, self.unsupported(body.span.to(orelse.span), "IfExp")))
        })
    }

    /// A placeholder for a rejected Python node, recording the rejection.
    pub(super) fn unsupported(&self, span: Span, what: &'static str) -> &'a Expr<'a> {
        self.reject_unimplemented(span, what);
        self.expr(ExprKind::Unsupported(what), span)
    }

    // lambdef: 'lambda' [lambda_params] ':' expression
    fn lambdef<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let start = i.peek().span;
        let mut i = i.advance(1);
        while i.kind() != K::Colon {
            match i.kind() {
                K::Name | K::Star | K::DoubleStar | K::Slash | K::Comma => i = i.advance(1),
                K::Equal => {
                    let (rest, _default) = self.expression(i.advance(1))?;
                    i = rest;
                }
                _ => return self.invalid(i),
            }
        }
        let (i, body) = self.expression(i.advance(1))?;
        Ok((i, self.unsupported(start.to(body.span), "Lambda")))
    }

    // disjunction: conjunction ('or' conjunction)*
    fn disjunction<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let (mut i, mut left) = self.conjunction(i)?;
        let mut links = 0;
        while i.kind() == K::Or {
            links += 1;
            self.check_chain(i, links)?;
            let (rest, right) = self.conjunction(i.advance(1))?;
            left = self.expr(ExprKind::Or { left, right }, left.span.to(right.span));
            i = rest;
        }
        Ok((i, left))
    }

    // conjunction: inversion ('and' inversion)*
    fn conjunction<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let (mut i, mut left) = self.inversion(i)?;
        let mut links = 0;
        while i.kind() == K::And {
            links += 1;
            self.check_chain(i, links)?;
            let (rest, right) = self.inversion(i.advance(1))?;
            left = self.expr(ExprKind::And { left, right }, left.span.to(right.span));
            i = rest;
        }
        Ok((i, left))
    }

    // inversion: 'not' inversion | comparison
    fn inversion<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        if i.kind() != K::Not {
            return self.comparison(i);
        }
        let start = i.peek().span;
        self.nested(i, |i| {
            let (i, value) = self.inversion(i.advance(1))?;
            Ok((i, self.expr(ExprKind::UnaryOp { op: UnaryOp::Not, value }, start.to(value.span))))
        })
    }

    /// The comparison operator at the start of `i`, and how many tokens it takes.
    fn compare_op(i: Toks) -> Option<(CmpOp, usize)> {
        Some(match i.kind() {
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
            _ => return None,
        })
    }

    // comparison: bitwise_or (compare_op bitwise_or)*
    // SPy accepts a single comparison only (LANGUAGE.md §1.5).
    fn comparison<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let (mut i, left) = self.bitwise_or(i)?;
        let mut result = left;
        let mut n_ops = 0;
        while let Some((op, n_tokens)) = Self::compare_op(i) {
            let (rest, right) = self.bitwise_or(i.advance(n_tokens))?;
            n_ops += 1;
            if n_ops == 1 {
                result = self.expr(ExprKind::CmpOp { op, left, right }, left.span.to(right.span));
            } else if n_ops == 2 {
                self.reject(right.span, "not implemented yet: chained comparisons", "this is not supported");
            }
            i = rest;
        }
        Ok((i, result))
    }

    /// One level of left-associative binary operators.
    fn binary_level<'t>(
        &self,
        i: Toks<'t>,
        op_of: fn(K) -> Option<BinOp>,
        operand: fn(&Self, Toks<'t>) -> PResult<'t, &'a Expr<'a>>,
    ) -> PResult<'t, &'a Expr<'a>> {
        let (mut i, mut left) = operand(self, i)?;
        let mut links = 0;
        while let Some(op) = op_of(i.kind()) {
            links += 1;
            self.check_chain(i, links)?;
            let (rest, right) = operand(self, i.advance(1))?;
            left = self.expr(ExprKind::BinOp { op, left, right }, left.span.to(right.span));
            i = rest;
        }
        Ok((i, left))
    }

    // bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor
    pub(super) fn bitwise_or<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        self.binary_level(i, |k| (k == K::VBar).then_some(BinOp::BitOr), Self::bitwise_xor)
    }

    // bitwise_xor: bitwise_xor '^' bitwise_and | bitwise_and
    fn bitwise_xor<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        self.binary_level(i, |k| (k == K::Circumflex).then_some(BinOp::BitXor), Self::bitwise_and)
    }

    // bitwise_and: bitwise_and '&' shift_expr | shift_expr
    fn bitwise_and<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        self.binary_level(i, |k| (k == K::Amp).then_some(BinOp::BitAnd), Self::shift_expr)
    }

    // shift_expr: shift_expr ('<<' | '>>') sum | sum
    fn shift_expr<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let op_of = |k| match k {
            K::LeftShift => Some(BinOp::LShift),
            K::RightShift => Some(BinOp::RShift),
            _ => None,
        };
        self.binary_level(i, op_of, Self::sum)
    }

    // sum: sum ('+' | '-') term | term
    fn sum<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let op_of = |k| match k {
            K::Plus => Some(BinOp::Add),
            K::Minus => Some(BinOp::Sub),
            _ => None,
        };
        self.binary_level(i, op_of, Self::term)
    }

    // term: term ('*' | '/' | '//' | '%' | '@') factor | factor
    fn term<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let op_of = |k| match k {
            K::Star => Some(BinOp::Mul),
            K::Slash => Some(BinOp::Div),
            K::DoubleSlash => Some(BinOp::FloorDiv),
            K::Percent => Some(BinOp::Mod),
            K::At => Some(BinOp::MatMul),
            _ => None,
        };
        self.binary_level(i, op_of, Self::factor)
    }

    // factor: ('+' | '-' | '~') factor | power
    // A minus directly applied to a numeric literal is folded into it (LANGUAGE.md §1.4).
    fn factor<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
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
            if op == UnaryOp::Neg {
                if let ExprKind::Literal(lit) = &value.kind {
                    let folded = match *lit {
                        Literal::Int { value, ty } => Some(Literal::Int { value: -value, ty }),
                        Literal::Float { value, ty } => Some(Literal::Float { value: -value, ty }),
                        Literal::Complex { imag } => Some(Literal::Complex { imag: -imag }),
                        Literal::Bool(_) | Literal::None => None,
                    };
                    if let Some(lit) = folded {
                        return Ok((i, self.expr(ExprKind::Literal(lit), span)));
                    }
                }
            }
            Ok((i, self.expr(ExprKind::UnaryOp { op, value }, span)))
        })
    }

    // power: await_primary '**' factor | await_primary
    fn power<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
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
    fn await_primary<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        if i.kind() != K::Await {
            return self.primary(i);
        }
        let start = i.peek().span;
        self.nested(i, |i| {
            let (i, value) = self.primary(i.advance(1))?;
            Ok((i, self.unsupported(start.to(value.span), "Await")))
        })
    }

    // primary: primary '.' NAME | primary '(' [arguments] ')' | primary '[' slices ']' | atom
    fn primary<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let (mut i, mut expr) = self.atom(i)?;
        let mut links = 0;
        loop {
            links += 1;
            self.check_chain(i, links)?;
            match i.kind() {
                K::Dot => {
                    let name = i.peek_at(1);
                    if name.kind != K::Name {
                        return self.invalid(i.advance(1));
                    }
                    let kind = ExprKind::GetAttr { value: expr, attr: self.name_of(name), attr_span: name.span };
                    expr = self.expr(kind, expr.span.to(name.span));
                    i = i.advance(2);
                }
                K::LParen => {
                    let (rest, args) = self.nested(i, |i| self.arguments(i))?;
                    let span = expr.span.to(rest.prev_span());
                    expr = self.make_call(expr, args, span);
                    i = rest;
                }
                K::LBracket => {
                    let (rest, args) = self.nested(i, |i| self.slices(i))?;
                    expr = self.expr(ExprKind::GetItem { value: expr, args }, expr.span.to(rest.prev_span()));
                    i = rest;
                }
                _ => return Ok((i, expr)),
            }
        }
    }

    /// `f(args)`, `obj.m(args)` (a method call), or a typed literal such as `u8(3)`.
    fn make_call(&self, func: &'a Expr<'a>, args: Vec<&'a Expr<'a>>, span: Span) -> &'a Expr<'a> {
        if let Some(lit) = self.typed_literal(func, &args, span) {
            return self.expr(ExprKind::Literal(lit), span);
        }
        match &func.kind {
            ExprKind::GetAttr { value, attr, attr_span } => {
                let kind = ExprKind::CallMethod { target: value, method: *attr, method_span: *attr_span, args };
                self.expr(kind, span)
            }
            _ => self.expr(ExprKind::Call { func, args }, span),
        }
    }

    /// `i8(N)`, `u64(N)`, `f32(x)`...: a type name called with one numeric literal
    /// (recognised by spelling, as upstream does). Integers are range-checked now.
    fn typed_literal(&self, func: &Expr<'a>, args: &[&'a Expr<'a>], span: Span) -> Option<Literal> {
        let ExprKind::Name(name) = func.kind else { return None };
        let ty = LitType::from_name(self.names.borrow().get(name))?;
        let [arg] = args else { return None };
        let ExprKind::Literal(lit) = arg.kind else { return None };
        match (ty.int_range(), lit) {
            (Some((min, max)), Literal::Int { value, .. }) => {
                if value < min || value > max {
                    let message = format!("{} literal {} is out of range [{}, {}]", ty.name(), value, min, max);
                    self.reject(span, message, "integer literal out of range");
                }
                Some(Literal::Int { value, ty })
            }
            (None, Literal::Int { value, .. }) => Some(Literal::Float { value: round_to(ty, value as f64), ty }),
            (None, Literal::Float { value, .. }) => Some(Literal::Float { value: round_to(ty, value), ty }),
            _ => None,
        }
    }

    // arguments: '(' ','.(starred_expression | (assignment_expression | expression !':=') !'=')+
    //            [',' kwargs] ')'
    // SPy accepts positional arguments only (LANGUAGE.md §1.5).
    fn arguments<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<&'a Expr<'a>>> {
        let mut i = i.advance(1);
        let mut args = Vec::new();
        let mut seen_keyword = false;
        while i.kind() != K::RParen {
            let arg_start = i;
            let (rest, arg) = match i.kind() {
                K::Star => self.starred(i, |i| self.expression(i))?,
                K::DoubleStar => {
                    seen_keyword = true;
                    let (rest, value) = self.expression(i.advance(1))?;
                    let span = i.peek().span.to(value.span);
                    self.reject_unimplemented(span, "keyword arguments");
                    (rest, value)
                }
                K::Name if i.peek_at(1).kind == K::Equal => {
                    seen_keyword = true;
                    let (rest, value) = self.expression(i.advance(2))?;
                    let span = i.peek().span.to(value.span);
                    self.reject_unimplemented(span, "keyword arguments");
                    (rest, value)
                }
                _ => {
                    let (rest, arg) = self.named_expression(i)?;
                    if seen_keyword {
                        return self.fail(arg_start, "positional argument follows keyword argument");
                    }
                    if rest.kind() == K::For || rest.kind() == K::Async {
                        let (rest, genexp) = self.comprehension(rest, arg.span, "GeneratorExp")?;
                        if !args.is_empty() || rest.kind() != K::RParen {
                            return self.fail(arg_start, "Generator expression must be parenthesized");
                        }
                        (rest, genexp)
                    } else {
                        (rest, arg)
                    }
                }
            };
            args.push(arg);
            i = rest;
            self.check_missing_comma(i, arg)?;
            match i.kind() {
                K::Comma => i = i.advance(1),
                K::RParen => {}
                _ => return self.invalid(i),
            }
        }
        Ok((i.advance(1), args))
    }

    /// Inside brackets, two expressions side by side are CPython's
    /// `invalid syntax. Perhaps you forgot a comma?` (blamed on the first one's line).
    fn check_missing_comma<'t>(&self, i: Toks<'t>, prev: &Expr<'a>) -> PResult<'t, ()> {
        let next = i.peek();
        let juxtaposed =
            matches!(next.kind, K::Name | K::Int | K::Float | K::Imaginary | K::True | K::False | K::None | K::Lambda)
                || (next.kind == K::String && !matches!(prev.kind, ExprKind::Name(_)));
        if juxtaposed {
            let line = self.sources.file(self.file).line_of(prev.span.start);
            let diag = self.syntax_error_on_line(line, "invalid syntax. Perhaps you forgot a comma?");
            return Err(nom::Err::Failure(super::PError::Hard(Box::new(diag))));
        }
        Ok((i, ()))
    }

    // slices: slice !',' | ','.(slice | starred_expression)+ [',']
    // `a[i, j]` gives two index expressions, not a tuple (LANGUAGE.md §4.8).
    fn slices<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<&'a Expr<'a>>> {
        let mut i = i.advance(1);
        let mut args = Vec::new();
        loop {
            let (rest, arg) =
                if i.kind() == K::Star { self.starred(i, |i| self.bitwise_or(i))? } else { self.slice(i)? };
            args.push(arg);
            i = rest;
            self.check_missing_comma(i, arg)?;
            match i.kind() {
                K::Comma => {
                    i = i.advance(1);
                    if i.kind() == K::RBracket {
                        break;
                    }
                }
                K::RBracket => break,
                _ => return self.invalid(i),
            }
        }
        Ok((i.advance(1), args))
    }

    // slice: [expression] ':' [expression] [':' [expression]] | named_expression
    fn slice<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let start_span = i.peek().span;
        let (i, start) =
            if i.kind() == K::Colon { (i, None) } else { self.named_expression(i).map(|(i, e)| (i, Some(e)))? };
        if i.kind() != K::Colon {
            return match start {
                Some(expr) => Ok((i, expr)),
                None => self.invalid(i),
            };
        }
        let bound = |i: Toks<'t>| -> PResult<'t, Option<&'a Expr<'a>>> {
            if matches!(i.kind(), K::Colon | K::Comma | K::RBracket) {
                Ok((i, None))
            } else {
                self.expression(i).map(|(i, e)| (i, Some(e)))
            }
        };
        let (i, stop) = bound(i.advance(1))?;
        let (i, step) = if i.kind() == K::Colon { bound(i.advance(1))? } else { (i, None) };
        Ok((i, self.expr(ExprKind::Slice { start, stop, step }, start_span.to(i.prev_span()))))
    }

    // atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | tuple | group | genexp
    //     | list | listcomp | dict | set | dictcomp | setcomp | '...'
    fn atom<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
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
                self.reject(tok.span, "unsupported literal: Ellipsis", "this is not supported yet");
                Ok((i.advance(1), self.expr(ExprKind::Unsupported("Ellipsis"), tok.span)))
            }
            (K::LParen, _) => self.nested(i, |i| self.paren(i)),
            (K::LBracket, _) => self.nested(i, |i| self.list(i)),
            (K::LBrace, _) => self.nested(i, |i| self.brace(i)),
            _ => self.invalid(i),
        }
    }

    // strings: STRING+  (adjacent literals concatenate; bytes and str do not mix)
    fn strings<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
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
            return Ok((i, self.unsupported(span, "JoinedStr")));
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
    fn paren<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let open = i.peek().span;
        let i = i.advance(1);
        if i.kind() == K::RParen {
            return Ok((i.advance(1), self.expr(ExprKind::Tuple(vec![]), open.to(i.peek().span))));
        }
        if i.kind() == K::Yield {
            let (i, value) = self.yield_expr(i)?;
            let (i, _) = self.expect(i, K::RParen)?;
            return Ok((i, value));
        }
        let (i, first) = self.star_named_expression(i)?;
        if i.kind() == K::For || i.kind() == K::Async {
            let (i, genexp) = self.comprehension(i, open, "GeneratorExp")?;
            let (i, close) = self.expect(i, K::RParen)?;
            return Ok((i, self.with_span(genexp, open.to(close.span))));
        }
        self.check_missing_comma(i, first)?;
        if i.kind() == K::RParen {
            return Ok((i.advance(1), first));
        }
        let (i, items) = self.display_items(i, first, K::RParen)?;
        Ok((i, self.expr(ExprKind::Tuple(items), open.to(i.prev_span()))))
    }

    /// The rest of a comma-separated display after its first item, up to `close`.
    fn display_items<'t>(&self, i: Toks<'t>, first: &'a Expr<'a>, close: K) -> PResult<'t, Vec<&'a Expr<'a>>> {
        let mut items = vec![first];
        let mut i = i;
        loop {
            match i.kind() {
                k if k == close => return Ok((i.advance(1), items)),
                K::Comma => {
                    i = i.advance(1);
                    if i.kind() == close {
                        return Ok((i.advance(1), items));
                    }
                    let (rest, item) = self.star_named_expression(i)?;
                    self.check_missing_comma(rest, item)?;
                    items.push(item);
                    i = rest;
                }
                _ => return self.invalid(i),
            }
        }
    }

    fn with_span(&self, expr: &'a Expr<'a>, span: Span) -> &'a Expr<'a> {
        match expr.kind {
            ExprKind::Unsupported(what) => self.expr(ExprKind::Unsupported(what), span),
            _ => expr,
        }
    }

    // list: '[' [star_named_expressions] ']'
    // listcomp: '[' named_expression for_if_clauses ']'
    fn list<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let open = i.peek().span;
        let i = i.advance(1);
        if i.kind() == K::RBracket {
            return Ok((i.advance(1), self.expr(ExprKind::List(vec![]), open.to(i.peek().span))));
        }
        let (i, first) = self.star_named_expression(i)?;
        if i.kind() == K::For || i.kind() == K::Async {
            let (i, comp) = self.comprehension(i, open, "ListComp")?;
            let (i, close) = self.expect(i, K::RBracket)?;
            return Ok((i, self.with_span(comp, open.to(close.span))));
        }
        self.check_missing_comma(i, first)?;
        let (i, items) = self.display_items(i, first, K::RBracket)?;
        Ok((i, self.expr(ExprKind::List(items), open.to(i.prev_span()))))
    }

    // dict: '{' [double_starred_kvpairs] '}'     set: '{' star_named_expressions '}'
    // dictcomp: '{' kvpair for_if_clauses '}'    setcomp: '{' named_expression for_if_clauses '}'
    fn brace<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let open = i.peek().span;
        let mut i = i.advance(1);
        if i.kind() == K::RBrace {
            return Ok((i.advance(1), self.expr(ExprKind::Dict(vec![]), open.to(i.peek().span))));
        }
        let is_dict = i.kind() == K::DoubleStar || {
            // a set starts with an expression that is not followed by ':'
            let probe = self.probe_dict_key(i);
            probe
        };
        if !is_dict {
            let (rest, first) = self.star_named_expression(i)?;
            if rest.kind() == K::For || rest.kind() == K::Async {
                let (rest, comp) = self.comprehension(rest, open, "SetComp")?;
                let (rest, close) = self.expect(rest, K::RBrace)?;
                return Ok((rest, self.with_span(comp, open.to(close.span))));
            }
            self.check_missing_comma(rest, first)?;
            let (rest, _items) = self.display_items(rest, first, K::RBrace)?;
            return Ok((rest, self.unsupported(open.to(rest.prev_span()), "Set")));
        }
        let mut pairs = Vec::new();
        loop {
            if i.kind() == K::DoubleStar {
                let (rest, value) = self.bitwise_or(i.advance(1))?;
                let span = i.peek().span.to(value.span);
                self.reject(span, "not implemented yet: dict unpacking is unsupported.", "this is not supported");
                i = rest;
            } else {
                let (rest, key) = self.expression(i)?;
                let (rest, _) = self.expect(rest, K::Colon)?;
                let (rest, value) = self.expression(rest)?;
                if pairs.is_empty() && (rest.kind() == K::For || rest.kind() == K::Async) {
                    let (rest, comp) = self.comprehension(rest, open, "DictComp")?;
                    let (rest, close) = self.expect(rest, K::RBrace)?;
                    return Ok((rest, self.with_span(comp, open.to(close.span))));
                }
                self.check_missing_comma(rest, value)?;
                pairs.push((key, value));
                i = rest;
            }
            match i.kind() {
                K::RBrace => break,
                K::Comma => {
                    i = i.advance(1);
                    if i.kind() == K::RBrace {
                        break;
                    }
                }
                _ => return self.invalid(i),
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
    fn comprehension<'t>(&self, i: Toks<'t>, start: Span, what: &'static str) -> PResult<'t, &'a Expr<'a>> {
        let mut i = i;
        while i.kind() == K::For || i.kind() == K::Async {
            if i.kind() == K::Async {
                i = i.advance(1);
            }
            let (rest, _) = self.expect(i, K::For)?;
            let (rest, _targets) = self.target_list(rest)?;
            let (rest, _) = self.expect(rest, K::In)?;
            let (rest, _iter) = self.disjunction(rest)?;
            i = rest;
            while i.kind() == K::If {
                let (rest, _cond) = self.disjunction(i.advance(1))?;
                i = rest;
            }
        }
        Ok((i, self.unsupported(start.to(i.prev_span()), what)))
    }

    // star_targets: star_target (',' star_target)* [',']   (validated by the caller)
    pub(super) fn target_list<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let start = i.peek().span;
        let target = |i: Toks<'t>| {
            if i.kind() == K::Star {
                self.starred(i, |i| self.bitwise_or(i))
            } else {
                self.bitwise_or(i)
            }
        };
        let (mut i, first) = target(i)?;
        if i.kind() != K::Comma {
            return Ok((i, first));
        }
        let mut items = vec![first];
        while i.kind() == K::Comma {
            i = i.advance(1);
            if !starts_expression(i.peek()) {
                break;
            }
            let (rest, item) = target(i)?;
            items.push(item);
            i = rest;
        }
        Ok((i, self.expr(ExprKind::Tuple(items), start.to(i.prev_span()))))
    }

    // yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
    pub(super) fn yield_expr<'t>(&self, i: Toks<'t>) -> PResult<'t, &'a Expr<'a>> {
        let start = i.peek().span;
        let i = i.advance(1);
        if i.kind() == K::From {
            let (i, value) = self.expression(i.advance(1))?;
            return Ok((i, self.unsupported(start.to(value.span), "YieldFrom")));
        }
        if starts_expression(i.peek()) {
            let (i, value) = self.star_expressions(i)?;
            return Ok((i, self.unsupported(start.to(value.span), "Yield")));
        }
        Ok((i, self.unsupported(start, "Yield")))
    }
}

/// The value a float literal of type `ty` holds: f32 literals are rounded at parse time.
fn round_to(ty: LitType, value: f64) -> f64 {
    if ty == LitType::F32 {
        value as f32 as f64
    } else {
        value
    }
}
