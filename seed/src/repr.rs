//! Python-compatible text forms of values, shared by every phase that prints them:
//! float `repr` (shortest round-trip), complex, and SPy's `repr` of str and bytes
//! (docs/spec/LANGUAGE.md §3.13, §13.1, §13.2). libspy implements the same algorithms in C.

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation for
/// decimal exponents in [-4, 16) (always with a fractional part), scientific otherwise.
pub fn float_repr(value: f64) -> String {
    float_repr_with(value, true)
}

/// Python's `repr(complex(0, imag))` for a pure imaginary literal: `3j`, `1.5j`, `-2j`.
pub fn imag_repr(imag: f64) -> String {
    format!("{}j", float_repr_with(imag, false))
}

/// Python's `repr(complex)`: `3j` when the real part is +0.0, else `(1+2j)`, `(1.5-0j)`,
/// the parts without a trailing `.0`.
pub fn complex_repr(re: f64, im: f64) -> String {
    if re == 0.0 && re.is_sign_positive() {
        return imag_repr(im);
    }
    let negative = im < 0.0 || (im == 0.0 && im.is_sign_negative()) || im.is_nan() && im.is_sign_negative();
    let sign = if negative { "-" } else { "+" };
    format!("({}{sign}{}j)", float_repr_with(re, false), float_repr_with(im.abs(), false))
}

/// Shortest round-trip formatting. `force_point` adds `.0` to integral values in fixed
/// notation, as `repr(float)` does (complex parts omit it).
fn float_repr_with(value: f64, force_point: bool) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-1.2345e-5", "1e16".
    let sci = format!("{value:e}");
    let (mantissa, exp) = sci.split_once('e').expect("internal error: `{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("internal error: bad exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::from(sign);
    if (-4..16).contains(&exp) {
        if exp < 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exp - 1) as usize));
            out.push_str(&digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.push_str(&"0".repeat(int_len - digits.len()));
                if force_point {
                    out.push_str(".0");
                }
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    }
    out
}

/// SPy's `repr(str)`: quoted with `'`, or `"` when the text has a `'` and no `"`;
/// `\\`, the quote, `\n`, `\r`, `\t` escaped; other bytes below 0x20 as `\xNN`;
/// everything else (non-ASCII included) copied through.
pub fn str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// SPy's `repr(bytes)`: `b'...'`, always with `'`; `\\`, `\'`, `\n`, `\r`, `\t`
/// escaped; bytes below 0x20 or above 0x7e as `\xNN`.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let mut out = String::from("b'");
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('\'');
    out
}
