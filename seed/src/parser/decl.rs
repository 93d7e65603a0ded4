//! Declarations: the module (what may appear at global scope, LANGUAGE.md §2.1),
//! `def` and `class` with their decorators and PEP 695 type parameters (§1.3, §5.5),
//! parameters (§6.3-6.4) and imports (§2.5). Docstrings are taken out of bodies here.

use super::stmt::{Ctx, Item};
use super::{PResult, Parser, Toks};
use crate::ast::{
    ArgKind, ClassDef, ClassKind, Color, Decl, Expr, ExprKind, FuncArg, FuncDef, FuncKind, Import, Module, Stmt,
    StmtKind, Symbol, TypeParam, VarDef,
};
use crate::source::Span;
use crate::token::TokenKind as K;

impl<'a, 's> Parser<'a, 's> {
    // file: [statements] ENDMARKER
    pub(super) fn file_input<'t>(&self, i: Toks<'t>) -> PResult<'t, Module<'a>> {
        let (i, items) = self.statements(i, Ctx::Module)?;
        if i.kind() != K::EndMarker {
            // A DEDENT or a stray token the statement loop could not place.
            return self.invalid(i);
        }
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
                            let message =
                                format!("global variable `{}` needs a value", self.names.borrow().get(v.name));
                            self.reject(stmt.span, message, "add `= <value>` here");
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
                    _ => self.reject(
                        stmt.span,
                        "only function and variable definitions are allowed at global scope",
                        "this is not allowed here",
                    ),
                },
            }
        }
        let file = self.sources.file(self.file);
        let span = Span::new(self.file, 0, file.text.len());
        Ok((i, Module { filename: file.path.clone(), docstring, decls, span }))
    }

    // decorators: ('@' named_expression NEWLINE)+
    // decorated: decorators (class_def_raw | function_def_raw) | class_def_raw | function_def_raw
    pub(super) fn decorated<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, &'a Stmt<'a>> {
        let mut decorators = Vec::new();
        let mut i = i;
        while i.kind() == K::At {
            let (rest, dec) = self.named_expression(i.advance(1))?;
            if rest.kind() != K::Newline {
                return self.invalid(rest);
            }
            decorators.push(dec);
            i = rest.advance(1);
        }
        let start = decorators.first().map(|d| d.span).unwrap_or(i.peek().span);
        match i.kind() {
            K::Def => self.function_def(i, ctx, decorators, start),
            K::Class => self.class_def(i, ctx, decorators, start),
            K::Async if i.peek_at(1).kind == K::Def => {
                let (rest, stmt) = self.function_def(i.advance(1), ctx, decorators, start)?;
                self.reject_unimplemented(i.peek().span.to(rest.prev_span()), "AsyncFunctionDef");
                Ok((rest, stmt))
            }
            _ => self.invalid(i),
        }
    }

    // function_def_raw: 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':' block
    fn function_def<'t>(
        &self,
        i: Toks<'t>,
        ctx: Ctx,
        mut decorators: Vec<&'a Expr<'a>>,
        start: Span,
    ) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let def_line = self.sources.file(self.file).line_of(kw.start);
        let (i, name_tok) = self.expect(i.advance(1), K::Name)?;
        let (i, type_params) = if i.kind() == K::LBracket { self.type_params(i)? } else { (i, vec![]) };
        if i.kind() != K::LParen {
            return self.fail(i, "expected '('");
        }
        let (i, args) = self.params(i)?;
        let (i, return_type) = if i.kind() == K::RArrow {
            let (i, ty) = self.expression(i.advance(1))?;
            (i, Some(ty))
        } else {
            (i, None)
        };
        let prototype_span = kw.to(i.prev_span());
        if i.kind() != K::Colon {
            return self.fail(i, "expected ':'");
        }
        // `for` loops are numbered per outermost function (LANGUAGE.md §9).
        let outer_counter = self.for_counter.get();
        if self.func_depth.get() == 0 {
            self.for_counter.set(0);
        }
        self.func_depth.set(self.func_depth.get() + 1);
        let res = self.block(i.advance(1), Ctx::Function, "function definition", def_line);
        self.func_depth.set(self.func_depth.get() - 1);
        if self.func_depth.get() == 0 {
            self.for_counter.set(outer_counter);
        }
        let (i, items) = res?;
        let (docstring, body) = self.split_docstring(self.only_stmts(items));

        let (color, kind) = self.take_color_decorators(&mut decorators);
        if !type_params.is_empty() && (!decorators.is_empty() || kind != FuncKind::Plain) {
            self.reject(
                start.to(prototype_span),
                "cannot use type parameters with decorators",
                "remove the decorators or the type parameters",
            );
        }
        let _ = ctx;
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
    /// LANGUAGE.md §1.3) and returns the color and kind they give.
    fn take_color_decorators(&self, decorators: &mut Vec<&'a Expr<'a>>) -> (Color, FuncKind) {
        let mut color = Color::Red;
        let mut kind = FuncKind::Plain;
        let names = self.names.borrow();
        decorators.retain(|dec| {
            let found = match &dec.kind {
                ExprKind::Name(n) if names.get(*n) == "blue" => Some(FuncKind::Plain),
                ExprKind::GetAttr { value, attr, .. } => match (&value.kind, names.get(*attr)) {
                    (ExprKind::Name(n), "generic") if names.get(*n) == "blue" => Some(FuncKind::Generic),
                    (ExprKind::Name(n), "metafunc") if names.get(*n) == "blue" => Some(FuncKind::Metafunc),
                    _ => None,
                },
                _ => None,
            };
            match found {
                Some(k) => {
                    color = Color::Blue;
                    kind = k;
                    false
                }
                None => true,
            }
        });
        (color, kind)
    }

    /// A leading string statement is the docstring; it is removed from the body.
    fn split_docstring(&self, mut body: Vec<&'a Stmt<'a>>) -> (Option<String>, Vec<&'a Stmt<'a>>) {
        if let Some(StmtKind::Expr(Expr { kind: ExprKind::Str(text), .. })) = body.first().map(|s| &s.kind) {
            let doc = text.clone();
            body.remove(0);
            return (Some(doc), body);
        }
        (None, body)
    }

    // type_params: '[' ','.type_param+ [','] ']'
    // type_param: NAME [':' expression] | '*' NAME | '**' NAME
    pub(super) fn type_params<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<TypeParam>> {
        let mut i = i.advance(1);
        let mut params = Vec::new();
        loop {
            match i.kind() {
                K::Star | K::DoubleStar => {
                    let (rest, name) = self.expect(i.advance(1), K::Name)?;
                    self.reject(
                        i.peek().span.to(name.span),
                        "only plain TypeVar type parameters are supported",
                        "ParamSpec and TypeVarTuple are not supported yet",
                    );
                    i = rest;
                }
                K::Name => {
                    let name = i.peek();
                    i = i.advance(1);
                    if i.kind() == K::Colon {
                        let (rest, bound) = self.expression(i.advance(1))?;
                        self.reject(
                            name.span.to(bound.span),
                            "bounded TypeVars are not supported yet",
                            "remove the bound",
                        );
                        i = rest;
                    }
                    params.push(TypeParam { name: self.name_of(name), span: name.span });
                }
                _ => return self.invalid(i),
            }
            match i.kind() {
                K::Comma if i.peek_at(1).kind == K::RBracket => return Ok((i.advance(2), params)),
                K::Comma => i = i.advance(1),
                K::RBracket => return Ok((i.advance(1), params)),
                _ => return self.invalid(i),
            }
        }
    }

    // params: '(' [param_no_default* param_with_default* ['/' ','] ['*' [param] (',' param)*]
    //         ['**' param] [',']] ')'
    // param: NAME [':' expression] ['=' expression]
    // SPy: no `/`, no keyword-only parameters, no `**kwargs` (LANGUAGE.md §1.5).
    fn params<'t>(&self, i: Toks<'t>) -> PResult<'t, Vec<FuncArg<'a>>> {
        let mut i = i.advance(1);
        let mut args: Vec<FuncArg<'a>> = Vec::new();
        let mut seen_default = false;
        let mut seen_star = false;
        while i.kind() != K::RParen {
            let start = i.peek().span;
            match i.kind() {
                K::Slash => {
                    self.reject(start, "positional-only arguments are not supported yet", "this is not supported");
                    i = i.advance(1);
                }
                K::DoubleStar => {
                    let (rest, arg) = self.param(i.advance(1), ArgKind::Simple)?;
                    self.reject(start.to(arg.span), "**kwargs is not supported yet", "this is not supported");
                    i = rest;
                }
                K::Star => {
                    if seen_star {
                        return self.fail(i, "* argument may appear only once");
                    }
                    seen_star = true;
                    if i.peek_at(1).kind == K::Name {
                        let (rest, arg) = self.param(i.advance(1), ArgKind::VarPositional)?;
                        let arg = FuncArg { span: start.to(arg.span), ..arg };
                        if arg.default.is_some() {
                            return self.fail(i, "var-positional argument cannot have default value");
                        }
                        args.push(arg);
                        i = rest;
                    } else {
                        if matches!(i.peek_at(1).kind, K::RParen)
                            || i.peek_at(1).kind == K::Comma && i.peek_at(2).kind == K::RParen
                        {
                            return self.fail(i, "named arguments must follow bare *");
                        }
                        i = i.advance(1);
                    }
                }
                K::Name => {
                    let (rest, arg) = self.param(i, ArgKind::Simple)?;
                    if seen_star {
                        self.reject(arg.span, "keyword-only arguments are not supported yet", "this is not supported");
                    } else if arg.default.is_some() {
                        seen_default = true;
                    } else if seen_default {
                        return self.fail(i, "parameter without a default follows parameter with a default");
                    }
                    args.push(arg);
                    i = rest;
                }
                _ => return self.invalid(i),
            }
            match i.kind() {
                K::Comma => i = i.advance(1),
                K::RParen => {}
                _ => return self.invalid(i),
            }
        }
        Ok((i.advance(1), args))
    }

    fn param<'t>(&self, i: Toks<'t>, kind: ArgKind) -> PResult<'t, FuncArg<'a>> {
        let (i, name) = self.expect(i, K::Name)?;
        let (i, ty) = if i.kind() == K::Colon {
            let (i, ty) = self.expression(i.advance(1))?;
            (i, Some(ty))
        } else {
            (i, None)
        };
        let (i, default) = if i.kind() == K::Equal {
            let (i, d) = self.expression(i.advance(1))?;
            (i, Some(d))
        } else {
            (i, None)
        };
        let span = name.span.to(i.prev_span());
        Ok((i, FuncArg { name: self.name_of(name), ty, default, kind, span }))
    }

    // class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block
    fn class_def<'t>(
        &self,
        i: Toks<'t>,
        _ctx: Ctx,
        decorators: Vec<&'a Expr<'a>>,
        start: Span,
    ) -> PResult<'t, &'a Stmt<'a>> {
        let kw = i.peek().span;
        let line = self.sources.file(self.file).line_of(kw.start);
        let (i, name_tok) = self.expect(i.advance(1), K::Name)?;
        let (mut i, type_params) = if i.kind() == K::LBracket { self.type_params(i)? } else { (i, vec![]) };
        if i.kind() == K::LParen {
            let open = i;
            let (rest, bases) = self.class_arguments(i)?;
            let _ = open;
            i = rest;
            let _ = bases;
        }
        if i.kind() != K::Colon {
            return self.fail(i, "expected ':'");
        }
        let saved_func_depth = self.func_depth.replace(0);
        let res = self.block(i.advance(1), Ctx::Class, "class definition", line);
        self.func_depth.set(saved_func_depth);
        let (i, items) = res?;
        let (docstring, body) = self.split_docstring(self.only_stmts(items));
        let mut kind = ClassKind::Class;
        for dec in &decorators {
            match &dec.kind {
                ExprKind::Name(n) if self.names.borrow().get(*n) == "struct" => kind = ClassKind::Struct,
                _ => self.reject(dec.span, "class decorators not supported yet", "this is not supported"),
            }
        }
        let classdef = self.arena.classdef(ClassDef {
            name: self.name_of(name_tok),
            kind,
            type_params,
            docstring,
            body,
            span: start.to(i.prev_span()),
        });
        Ok((i, self.arena.stmt(StmtKind::ClassDef(classdef), classdef.span)))
    }

    /// `class C(...)`: Python accepts call-like arguments there; SPy accepts none.
    fn class_arguments<'t>(&self, i: Toks<'t>) -> PResult<'t, ()> {
        let mut i = i.advance(1);
        while i.kind() != K::RParen {
            let start = i.peek().span;
            if i.kind() == K::Name && i.peek_at(1).kind == K::Equal || i.kind() == K::DoubleStar {
                let skip = if i.kind() == K::DoubleStar { 1 } else { 2 };
                let (rest, value) = self.expression(i.advance(skip))?;
                self.reject(start.to(value.span), "keywords in classes not supported yet", "this is not supported");
                i = rest;
            } else {
                let (rest, base) = if i.kind() == K::Star {
                    let (rest, value) = self.expression(i.advance(1))?;
                    (rest, value)
                } else {
                    self.expression(i)?
                };
                self.reject(start.to(base.span), "base classes not supported yet", "this is not supported");
                i = rest;
            }
            match i.kind() {
                K::Comma => i = i.advance(1),
                K::RParen => {}
                _ => return self.invalid(i),
            }
        }
        Ok((i.advance(1), ()))
    }

    // import_stmt: 'import' ','.(dotted_name ['as' NAME])+
    //            | 'from' ('.' | '...')* dotted_name 'import' import_from_targets
    pub(super) fn import_stmt<'t>(&self, i: Toks<'t>, ctx: Ctx) -> PResult<'t, Vec<Item<'a>>> {
        let kw = i.peek();
        let mut imports = Vec::new();
        let mut i = i.advance(1);
        let what;
        if kw.kind == K::Import {
            what = "Import";
            loop {
                let (rest, (module, mod_span)) = self.dotted_name(i)?;
                let (rest, (asname, asname_span)) = self.opt_asname(rest, module, mod_span)?;
                imports.push(Import { module, attr: None, asname, span: mod_span.to(rest.prev_span()), asname_span });
                i = rest;
                if i.kind() != K::Comma {
                    break;
                }
                i = i.advance(1);
            }
        } else {
            what = "ImportFrom";
            let mut relative = false;
            while matches!(i.kind(), K::Dot | K::Ellipsis) {
                relative = true;
                i = i.advance(1);
            }
            let (rest, module) = if i.kind() == K::Import && relative {
                (i, None)
            } else {
                let (rest, m) = self.dotted_name(i)?;
                (rest, Some(m))
            };
            if rest.kind() != K::Import {
                return self.invalid(rest);
            }
            i = rest.advance(1);
            let parenthesized = i.kind() == K::LParen;
            if parenthesized {
                i = i.advance(1);
            }
            if i.kind() == K::Star && !parenthesized {
                let star = i.peek().span;
                i = i.advance(1);
                self.reject(star, "not implemented yet: import *", "this is not supported");
            } else {
                loop {
                    let (rest, name) = self.expect(i, K::Name)?;
                    let attr = self.name_of(name);
                    let (rest, (asname, asname_span)) = self.opt_asname(rest, attr, name.span)?;
                    if let Some((module, _)) = module {
                        imports.push(Import {
                            module,
                            attr: Some(attr),
                            asname,
                            span: name.span.to(rest.prev_span()),
                            asname_span,
                        });
                    }
                    i = rest;
                    if i.kind() != K::Comma {
                        break;
                    }
                    i = i.advance(1);
                    if parenthesized && i.kind() == K::RParen {
                        break;
                    }
                }
            }
            if parenthesized {
                let (rest, _) = self.expect(i, K::RParen)?;
                i = rest;
            }
            if relative {
                self.reject(
                    kw.span.to(i.prev_span()),
                    "not implemented yet: relative imports",
                    "this is not supported",
                );
            }
        }
        if ctx != Ctx::Module {
            self.reject_unimplemented(kw.span.to(i.prev_span()), what);
            return Ok((i, vec![]));
        }
        Ok((i, vec![Item::Imports(imports)]))
    }

    // dotted_name: NAME ('.' NAME)*   (a dotted module name is one file name, §2.5)
    fn dotted_name<'t>(&self, i: Toks<'t>) -> PResult<'t, (Symbol, Span)> {
        let (mut i, first) = self.expect(i, K::Name)?;
        let mut span = first.span;
        let mut name = self.text_of(first.span).to_string();
        while i.kind() == K::Dot {
            let (rest, part) = self.expect(i.advance(1), K::Name)?;
            name.push('.');
            name.push_str(self.text_of(part.span));
            span = span.to(part.span);
            i = rest;
        }
        Ok((i, (self.intern(&name), span)))
    }

    fn opt_asname<'t>(&self, i: Toks<'t>, default: Symbol, span: Span) -> PResult<'t, (Symbol, Span)> {
        if i.kind() != K::As {
            return Ok((i, (default, span)));
        }
        let (i, name) = self.expect(i.advance(1), K::Name)?;
        Ok((i, (self.name_of(name), name.span)))
    }
}
