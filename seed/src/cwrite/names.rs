//! C names (docs/spec/BACKEND.md §2.3): one pure function from an FQN to its C symbol, and the
//! escaping of local names that would clash with C.

/// `c_name("_list::list[builtins::str]::_ListImpl")` is
/// `spy__list$list__builtins$str$_ListImpl`.
pub fn c_name(fqn: &str) -> String {
    format!("spy_{}", c_name_plain(fqn))
}

/// The C name without its `spy_` prefix, as used for qualifiers.
fn c_name_plain(fqn: &str) -> String {
    split_top(fqn, "::").iter().map(|part| c_part(part)).collect::<Vec<_>>().join("$")
}

/// One part: `name[q1, q2]#suffix` -> `name__q1_q2$suffix`.
fn c_part(part: &str) -> String {
    let (body, suffix) = match part.rfind('#') {
        Some(i) if !part[i..].contains(']') => (&part[..i], Some(&part[i + 1..])),
        _ => (part, None),
    };
    let (name, quals) = match body.find('[') {
        Some(i) if body.ends_with(']') => (&body[..i], Some(&body[i + 1..body.len() - 1])),
        _ => (body, None),
    };
    let mut out = identifier(&name.replace('.', "_"));
    if let Some(quals) = quals {
        out.push_str("__");
        let parts: Vec<String> = split_top(quals, ", ").iter().map(|q| c_name_plain(q)).collect();
        out.push_str(&parts.join("_"));
    }
    if let Some(suffix) = suffix {
        out.push('$');
        out.push_str(&identifier(suffix));
    }
    out
}

/// Keeps `[A-Za-z0-9_$]`; anything else (which no FQN the VM makes contains) becomes `_`.
fn identifier(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '$' { c } else { '_' }).collect()
}

/// Splits on `sep` outside brackets.
fn split_top<'s>(s: &'s str, sep: &str) -> Vec<&'s str> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0i32, 0, 0);
    let bytes = s.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'[' => depth += 1,
            b']' => depth -= 1,
            _ if depth == 0 && s[i..].starts_with(sep) => {
                parts.push(&s[start..i]);
                i += sep.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

/// C keywords, and names the generated code or its headers use (`bool`, `NULL`, the
/// stdio streams, `errno`): a local with one of these names gets a `$` appended.
const RESERVED: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "_Bool",
    "_Complex",
    "_Imaginary",
    "bool",
    "true",
    "false",
    "NULL",
    "errno",
    "stdin",
    "stdout",
    "stderr",
    "main",
    "INFINITY",
    "NAN",
    "assert",
    "abort",
    "exit",
    "int8_t",
    "uint8_t",
    "int32_t",
    "uint32_t",
    "int64_t",
    "uint64_t",
    "size_t",
];

/// A local variable's C name: its SPy name, with `$` appended when it is reserved in C
/// or starts like a generated global (`spy_`, `SPY_`).
pub fn local_name(name: &str) -> String {
    let escaped = identifier(name);
    if RESERVED.contains(&escaped.as_str()) || escaped.starts_with("spy_") || escaped.starts_with("SPY_") {
        format!("{escaped}$")
    } else {
        escaped
    }
}
