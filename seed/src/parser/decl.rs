//! Declarations: the module (what may appear at global scope, docs/spec/LANGUAGE.md §2.1),
//! `def` and `class` with their decorators and PEP 695 type parameters (§1.3, §5.5),
//! parameters (§6.3-6.4) and imports (§2.5). Docstrings are taken out of bodies here.

use super::stmt::{only_stmts, Ctx, Item};
use super::{expect, invalid, items, many, more_items, one_of, tok, PResult, Parser, Toks};
use crate::ast::{
    ArgKind, ClassDef, ClassKind, Color, Decl, Expr, ExprKind, FuncArg, FuncDef, FuncKind, Import, Module, Stmt,
    StmtKind, Symbol, TypeParam, VarDef,
};
use crate::source::Span;
use crate::token::TokenKind as K;
use nom::combinator::{cut, opt};
use nom::multi::separated_list1;
use nom::sequence::{delimited, preceded, terminated};
use nom::Parser as _;

impl<'a, 't> Parser<'a, 't> {
    // file: [statements] ENDMARKER
    pub(super) fn file_input(&self, i: Toks<'t>) -> PResult<'t, Module<'a>> {
        // A DEDENT or a stray token the statement loop could not place is invalid.
        let (mut i, items) = terminated(|i| self.statements(i, Ctx::Module), expect(K::EndMarker)).parse(i)?;
        let mut decls = Vec::new();
        let mut docstring = None;
        for (idx, item) in items.into_iter().enumerate() {
            match item {
                Item::Imports(imports) => decls.extend(imports.into_iter().map(Decl::Import)),
                Item::Stmt(stmt) => match &stmt.kind {
                    StmtKind::FuncDef(f) => decls.push(Decl::FuncDef(f)),
                    StmtKind::ClassDef(c) => decls.push(Decl::ClassDef(c)),
                    StmtKind::VarDef(v) => {
                        if v.value.is_none() {
                            let message = format!("global variable `{}` needs a value", self.text_of(v.name_span));
                            i = self.reject(i, stmt.span, message, "add `= <value>` here");
                        }
                        decls.push(Decl::VarDef(v))
                    }
                    StmtKind::Assign { target, target_span, value } => {
                        let vardef = VarDef {
                            kind: None,
                            name: *target,
                            name_span: *target_span,
                            ty: None,
                            value: Some(value),
                            span: stmt.span,
                        };
                        decls.push(Decl::VarDef(self.arena.vardef(vardef)))
                    }
                    // The first string statement is the docstring; later ones are ignored.
                    StmtKind::Expr(Expr { kind: ExprKind::Str(text), .. }) => {
                        if idx == 0 {
                            docstring = Some(text.clone());
                        }
                    }
                    _ => {
                        let message = "only function and variable definitions are allowed at global scope";
                        i = self.reject(i, stmt.span, message, "this is not allowed here");
                    }
                },
            }
        }
        let file = self.sources.file(self.file);
        let span = Span::new(self.file, 0, file.text.len());
        Ok((i, Module { filename: file.path.clone(), docstring, decls, span }))
    }

    // decorators: ('@' named_expression NEWLINE)+
    // decorated: decorators (class_def_raw | function_def_raw) | class_def_raw | function_def_raw
    pub(super) fn decorated(&self, i: Toks<'t>) -> PResult<'t, &'a Stmt<'a>> {
        let decorator = delimited(tok(K::At), |i| self.named_expression(i), expect(K::Newline));
        let (i, decorators) = many(decorator).parse(i)?;
        let start = decorators.first().map(|d| d.span).unwrap_or(i.peek().span);
        match i.kind() {
            K::Def => self.function_def(i, decorators, start),
            K::Class => self.class_def(i, decorators, start),
            K::Async if i.peek_at(1).kind == K::Def => {
                let (rest, stmt) = self.function_def(i.advance(1), decorators, start)?;
                Ok((self.reject_unimplemented(rest, i.peek().span.to(rest.prev_span()), "AsyncFunctionDef"), stmt))
            }
            _ => invalid(i),
        }
    }

    // function_def_raw: 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':' block
    fn function_def(&self, i: Toks<'t>, mut decorators: Vec<&'a Expr<'a>>, start: Span) -> PResult<'t, &'a Stmt<'a>> {
        let params = self.or_fail(|i| self.params(i), "expected '('");
        let return_type = opt(preceded(tok(K::RArrow), |i| self.expression(i)));
        let mut prototype = (tok(K::Def), expect(K::Name), opt(|i| self.type_params(i)), params, return_type);
        let (i, (kw, name_tok, type_params, args, return_type)) = prototype.parse(i)?;
        let type_params = type_params.unwrap_or_default();
        let prototype_span = kw.span.to(i.prev_span());
        let (i, _) = self.or_fail(tok(K::Colon), "expected ':'")(i)?;
        // `for` loops are numbered per outermost function (docs/spec/LANGUAGE.md §9).
        let outermost = i.func_depth == 0;
        let body = Toks { func_depth: i.func_depth + 1, for_counter: if outermost { 0 } else { i.for_counter }, ..i };
        let (rest, items) = self.block(body, Ctx::Function, "function definition", self.line_of(kw.span))?;
        let for_counter = if outermost { i.for_counter } else { rest.for_counter };
        let mut i = Toks { func_depth: i.func_depth, for_counter, ..rest };
        let (docstring, body) = split_docstring(only_stmts(items));

        let (color, kind) = self.take_color_decorators(&mut decorators);
        if !type_params.is_empty() && (!decorators.is_empty() || kind != FuncKind::Plain) {
            let message = "cannot use type parameters with decorators";
            i = self.reject(i, start.to(prototype_span), message, "remove the decorators or the type parameters");
        }
        let funcdef = self.arena.funcdef(FuncDef {
            color,
            kind,
            name: self.name_of(name_tok),
            type_params,
            args,
            return_type,
            docstring,
            body,
            decorators,
            prototype_span,
            span: start.to(i.prev_span()),
        });
        Ok((i, self.arena.stmt(StmtKind::FuncDef(funcdef), funcdef.span)))
    }

    /// Removes `@blue`, `@blue.generic` and `@blue.metafunc` (recognised by spelling,
    /// docs/spec/LANGUAGE.md §1.3) and returns the color and kind they give.
    fn take_color_decorators(&self, decorators: &mut Vec<&'a Expr<'a>>) -> (Color, FuncKind) {
        let mut color = Color::Red;
        let mut kind = FuncKind::Plain;
        let is_blue = |expr: &Expr| matches!(expr.kind, ExprKind::Name(_)) && self.text_of(expr.span) == "blue";
        decorators.retain(|dec| {
            let found = match &dec.kind {
                _ if is_blue(dec) => FuncKind::Plain,
                ExprKind::GetAttr { value, attr_span, .. } if is_blue(value) => match self.text_of(*attr_span) {
                    "generic" => FuncKind::Generic,
                    "metafunc" => FuncKind::Metafunc,
                    _ => return true,
                },
                _ => return true,
            };
            color = Color::Blue;
            kind = found;
            false
        });
        (color, kind)
    }

    // type_params: '[' ','.type_param+ [','] ']'
    // type_param: NAME [':' expression] | '*' NAME | '**' NAME
    pub(super) fn type_params(&self, i: Toks<'t>) -> PResult<'t, Vec<TypeParam>> {
        let type_param = |i: Toks<'t>| match i.kind() {
            K::Star | K::DoubleStar => {
                let (rest, name) = expect(K::Name)(i.advance(1))?;
                let message = "only plain TypeVar type parameters are supported";
                let rest = self.reject(
                    rest,
                    i.peek().span.to(name.span),
                    message,
                    "ParamSpec and TypeVarTuple are not supported yet",
                );
                Ok((rest, None))
            }
            K::Name => {
                let name = i.peek();
                let (rest, bound) = opt(preceded(tok(K::Colon), |i| self.expression(i))).parse(i.advance(1))?;
                let rest = match bound {
                    Some(bound) => self.reject(
                        rest,
                        name.span.to(bound.span),
                        "bounded TypeVars are not supported yet",
                        "remove the bound",
                    ),
                    None => rest,
                };
                Ok((rest, Some(TypeParam { name: self.name_of(name), span: name.span })))
            }
            _ => invalid(i),
        };
        let (i, (_, first, more)) = (tok(K::LBracket), type_param, more_items(K::RBracket, type_param)).parse(i)?;
        Ok((i, first.into_iter().chain(more.into_iter().flatten()).collect()))
    }

    // params: '(' [param_no_default* param_with_default* ['/' ','] ['*' [param] (',' param)*]
    //         ['**' param] [',']] ')'
    // param: NAME [':' expression] ['=' expression]
    // SPy: no `/`, no keyword-only parameters, no `**kwargs` (docs/spec/LANGUAGE.md §1.5).
    fn params(&self, i: Toks<'t>) -> PResult<'t, Vec<FuncArg<'a>>> {
        let mut seen_default = false;
        let mut seen_star = false;
        let param_item = |i: Toks<'t>| {
            let start = i.peek().span;
            match i.kind() {
                K::Slash => {
                    let message = "positional-only arguments are not supported yet";
                    Ok((self.reject(i.advance(1), start, message, "this is not supported"), None))
                }
                K::DoubleStar => {
                    let (rest, arg) = self.param(i.advance(1), ArgKind::Simple)?;
                    Ok((
                        self.reject(rest, start.to(arg.span), "**kwargs is not supported yet", "this is not supported"),
                        None,
                    ))
                }
                K::Star if seen_star => self.fail(i, "* argument may appear only once"),
                K::Star if i.peek_at(1).kind == K::Name => {
                    seen_star = true;
                    let (rest, arg) = self.param(i.advance(1), ArgKind::VarPositional)?;
                    if arg.default.is_some() {
                        return self.fail(i, "var-positional argument cannot have default value");
                    }
                    Ok((rest, Some(FuncArg { span: start.to(arg.span), ..arg })))
                }
                K::Star => {
                    seen_star = true;
                    let after = i.peek_at(1).kind;
                    if after == K::RParen || after == K::Comma && i.peek_at(2).kind == K::RParen {
                        return self.fail(i, "named arguments must follow bare *");
                    }
                    Ok((i.advance(1), None))
                }
                K::Name => {
                    let (rest, arg) = self.param(i, ArgKind::Simple)?;
                    if seen_star {
                        let message = "keyword-only arguments are not supported yet";
                        return Ok((self.reject(rest, arg.span, message, "this is not supported"), Some(arg)));
                    } else if arg.default.is_some() {
                        seen_default = true;
                    } else if seen_default {
                        return self.fail(i, "parameter without a default follows parameter with a default");
                    }
                    Ok((rest, Some(arg)))
                }
                _ => invalid(i),
            }
        };
        let (i, args) = preceded(tok(K::LParen), items(K::RParen, param_item)).parse(i)?;
        Ok((i, args.into_iter().flatten().collect()))
    }

    fn param(&self, i: Toks<'t>, kind: ArgKind) -> PResult<'t, FuncArg<'a>> {
        let ty = opt(preceded(tok(K::Colon), |i| self.expression(i)));
        let default = opt(preceded(tok(K::Equal), |i| self.expression(i)));
        let (i, (name, ty, default)) = (expect(K::Name), ty, default).parse(i)?;
        let span = name.span.to(i.prev_span());
        Ok((i, FuncArg { name: self.name_of(name), ty, default, kind, span }))
    }

    // class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block
    fn class_def(&self, i: Toks<'t>, decorators: Vec<&'a Expr<'a>>, start: Span) -> PResult<'t, &'a Stmt<'a>> {
        let mut header =
            (tok(K::Class), expect(K::Name), opt(|i| self.type_params(i)), opt(|i| self.class_arguments(i)));
        let (i, (kw, name_tok, type_params, _bases)) = header.parse(i)?;
        let (i, _) = self.or_fail(tok(K::Colon), "expected ':'")(i)?;
        let body = Toks { func_depth: 0, ..i };
        let (rest, items) = self.block(body, Ctx::Class, "class definition", self.line_of(kw.span))?;
        let mut i = Toks { func_depth: i.func_depth, ..rest };
        let (docstring, body) = split_docstring(only_stmts(items));
        let mut kind = ClassKind::Class;
        for dec in &decorators {
            match &dec.kind {
                ExprKind::Name(_) if self.text_of(dec.span) == "struct" => kind = ClassKind::Struct,
                _ => i = self.reject(i, dec.span, "class decorators not supported yet", "this is not supported"),
            }
        }
        let classdef = self.arena.classdef(ClassDef {
            name: self.name_of(name_tok),
            kind,
            type_params: type_params.unwrap_or_default(),
            docstring,
            body,
            span: start.to(i.prev_span()),
        });
        Ok((i, self.arena.stmt(StmtKind::ClassDef(classdef), classdef.span)))
    }

    /// `class C(...)`: Python accepts call-like arguments there; SPy accepts none.
    fn class_arguments(&self, i: Toks<'t>) -> PResult<'t, ()> {
        let argument = |i: Toks<'t>| {
            let start = i.peek().span;
            let (skip, message) = match i.kind() {
                K::Name if i.peek_at(1).kind == K::Equal => (2, "keywords in classes not supported yet"),
                K::DoubleStar => (1, "keywords in classes not supported yet"),
                K::Star => (1, "base classes not supported yet"),
                _ => (0, "base classes not supported yet"),
            };
            let (rest, value) = self.expression(i.advance(skip))?;
            Ok((self.reject(rest, start.to(value.span), message, "this is not supported"), ()))
        };
        let (i, _) = preceded(tok(K::LParen), items(K::RParen, argument)).parse(i)?;
        Ok((i, ()))
    }

    // import_stmt: 'import' ','.(dotted_name ['as' NAME])+
    //            | 'from' ('.' | '...')* dotted_name 'import' import_from_targets
    pub(super) fn import_stmt(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let kw = i.peek();
        let (i, imports, what) = if kw.kind == K::Import {
            let module = |i| {
                let (rest, (module, mod_span)) = self.dotted_name(i)?;
                let (rest, (asname, asname_span)) = self.opt_asname(rest, module, mod_span)?;
                Ok((rest, Import { module, attr: None, asname, span: mod_span.to(rest.prev_span()), asname_span }))
            };
            let (i, imports) = separated_list1(tok(K::Comma), module).parse(i.advance(1))?;
            (i, imports, "Import")
        } else {
            let (i, dots) = many(one_of(&[K::Dot, K::Ellipsis])).parse(i.advance(1))?;
            let relative = !dots.is_empty();
            let (i, module) = if i.kind() == K::Import && relative {
                (i, None)
            } else {
                self.dotted_name(i).map(|(i, m)| (i, Some(m)))?
            };
            let (i, (_, open)) = (expect(K::Import), opt(tok(K::LParen))).parse(i)?;
            let name = |i| {
                let (rest, name) = expect(K::Name)(i)?;
                let attr = self.name_of(name);
                let (rest, (asname, asname_span)) = self.opt_asname(rest, attr, name.span)?;
                let span = name.span.to(rest.prev_span());
                Ok((rest, module.map(|(module, _)| Import { module, attr: Some(attr), asname, span, asname_span })))
            };
            let (i, names) = match (open, i.kind()) {
                (None, K::Star) => {
                    let star = i.peek().span;
                    (self.reject(i.advance(1), star, "not implemented yet: import *", "this is not supported"), vec![])
                }
                (None, _) => separated_list1(tok(K::Comma), name).parse(i)?,
                (Some(_), _) => {
                    let (i, (first, mut more)) = (cut(name), more_items(K::RParen, name)).parse(i)?;
                    more.insert(0, first);
                    (i, more)
                }
            };
            let i = match relative {
                true => self.reject(
                    i,
                    kw.span.to(i.prev_span()),
                    "not implemented yet: relative imports",
                    "this is not supported",
                ),
                false => i,
            };
            (i, names.into_iter().flatten().collect(), "ImportFrom")
        };
        if ctx != Ctx::Module {
            return Ok((self.reject_unimplemented(i, kw.span.to(i.prev_span()), what), vec![]));
        }
        Ok((i, vec![Item::Imports(imports)]))
    }

    // dotted_name: NAME ('.' NAME)*   (a dotted module name is one file name, §2.5)
    fn dotted_name(&self, i: Toks<'t>) -> PResult<'t, (Symbol, Span)> {
        let (i, (first, rest)) = (expect(K::Name), many(preceded(tok(K::Dot), expect(K::Name)))).parse(i)?;
        let mut name = self.text_of(first.span).to_string();
        for part in &rest {
            name.push('.');
            name.push_str(self.text_of(part.span));
        }
        let span = rest.last().map_or(first.span, |last| first.span.to(last.span));
        Ok((i, (self.intern(&name), span)))
    }

    fn opt_asname(&self, i: Toks<'t>, default: Symbol, span: Span) -> PResult<'t, (Symbol, Span)> {
        match opt(preceded(tok(K::As), expect(K::Name))).parse(i)? {
            (i, Some(name)) => Ok((i, (self.name_of(name), name.span))),
            (i, None) => Ok((i, (default, span))),
        }
    }
}

/// A leading string statement is the docstring; it is removed from the body.
fn split_docstring<'a>(mut body: Vec<&'a Stmt<'a>>) -> (Option<String>, Vec<&'a Stmt<'a>>) {
    if let Some(StmtKind::Expr(Expr { kind: ExprKind::Str(text), .. })) = body.first().map(|s| &s.kind) {
        let doc = text.clone();
        body.remove(0);
        return (Some(doc), body);
    }
    (None, body)
}
